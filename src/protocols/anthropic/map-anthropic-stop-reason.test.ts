import { describe, expect, it } from 'vitest';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.ts';

describe('mapAnthropicStopReason', () => {
  it.each([
    ['end_turn', 'stop'],
    ['max_tokens', 'length'],
    ['tool_use', 'tool_calls'],
    ['stop_sequence', 'stop'],
    ['pause_turn', 'stop'],
    ['refusal', 'content_filter'],
    ['model_context_window_exceeded', 'length'],
    ['a_reason_added_next_year', 'stop'],
    [null, null],
    [undefined, null],
  ] as const)('maps %j to %j', (reason, expected) => {
    expect(mapAnthropicStopReason(reason)).toBe(expected);
  });
});
