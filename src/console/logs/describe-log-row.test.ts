import type { LogRow } from 'llm-gateway-client';
import { describe, expect, it } from 'vitest';
import { describeLogRow } from './describe-log-row.ts';

const names = { keys: new Map([['key-1', 'alice']]), providers: new Map([['prov-1', 'openai']]) };
const row: LogRow = {
  id: 'r1',
  time: '2026-12-07T14:02:11.208Z',
  requestId: 'req-9c41',
  route: 'chat',
  keyId: 'key-1',
  providerId: 'prov-1',
  model: 'gpt-4o-mini',
  stream: true,
  status: 'ok',
  latencyMs: 1234,
  ttftMs: 412,
  promptTokens: 1812,
  completionTokens: 96,
  cachedPromptTokens: null,
  reasoningTokens: null,
  costUsd: null,
  cache: null,
};

describe('a request log row, as the Logs view shows it', () => {
  it('names the provider and key, says OK, and lists every recorded field in its detail', () => {
    const shown = describeLogRow(row, names);
    expect([shown.time, shown.provider, shown.key, shown.status, shown.failed, shown.latency, shown.tokens]).toEqual([
      '2026-12-07 14:02:11 UTC',
      'openai',
      'alice',
      'OK',
      false,
      '1,234 ms',
      '1,812 / 96',
    ]);
    expect(shown.details).toEqual([
      ['Request ID', 'req-9c41'],
      ['Started', '2026-12-07T14:02:11.208Z'],
      ['Route', 'chat'],
      ['Streamed', 'yes'],
      ['Provider', 'openai (prov-1)'],
      ['Model', 'gpt-4o-mini'],
      ['Key', 'alice (key-1)'],
      ['Status', 'OK'],
      ['Latency', '1,234 ms'],
      ['Time to first token', '412 ms'],
      ['Prompt tokens', '1,812'],
      ['Completion tokens', '96'],
    ]);
  });

  it('shows a failed request by its error code, and the fields other branches fill once they are there', () => {
    const failed: LogRow = { ...row, keyId: null, providerId: 'gone-1234567890', stream: false, status: 'error', errorCode: 'UPSTREAM_TIMEOUT', ttftMs: null, routeName: 'fast', cachedPromptTokens: 1024, reasoningTokens: 0, costUsd: 0.0001234, cache: 'MISS' };
    const shown = describeLogRow(failed, names);
    expect([shown.provider, shown.key, shown.status, shown.failed]).toEqual(['deleted provider gone-123', 'Shared token', 'UPSTREAM_TIMEOUT', true]);
    expect(shown.details.slice(3)).toEqual([
      ['Streamed', 'no'],
      ['Provider', 'deleted provider gone-123 (gone-1234567890)'],
      ['Model', 'gpt-4o-mini'],
      ['Key', 'Shared token'],
      ['Status', 'failed'],
      ['Error code', 'UPSTREAM_TIMEOUT'],
      ['Latency', '1,234 ms'],
      ['Time to first token', 'not streamed'],
      ['Prompt tokens', '1,812'],
      ['Completion tokens', '96'],
      ['Route name', 'fast'],
      ['Cached prompt tokens', '1,024'],
      ['Reasoning tokens', '0'],
      ['Cost', '$0.000123'],
      ['Cache', 'MISS'],
    ]);
  });
});
