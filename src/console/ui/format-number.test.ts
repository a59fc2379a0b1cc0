import { describe, expect, it } from 'vitest';
import { formatUsd } from './format-number.ts';

describe('formatUsd', () => {
  it('shows cents from a dollar up, and enough digits below it that a small cost is not $0.00', () => {
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(20_000_000_000)).toBe('$20.00');
    expect(formatUsd(1_234_567_890_000)).toBe('$1,234.57');
    expect(formatUsd(773_664_300)).toBe('$0.7737');
    expect(formatUsd(10_000_000)).toBe('$0.01');
    expect(formatUsd(19_000)).toBe('$0.000019');
  });
});
