import { describe, expect, it } from 'vitest';
import { anthropicErrorSchema, anthropicStreamEventSchema } from './anthropic-api.ts';

describe('anthropic wire schemas', () => {
  it('reads an error body and keeps unknown fields', () => {
    const body = {
      type: 'error',
      error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' },
      request_id: 'req_011CSHoEeqs5C35K2UUqR7Fy',
      extra: true,
    };
    expect(anthropicErrorSchema.parse(body)).toEqual(body);
  });

  it('rejects a stream event whose known type is malformed', () => {
    expect(anthropicStreamEventSchema.safeParse({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta' } }).success).toBe(false);
    expect(anthropicStreamEventSchema.safeParse({ type: 'message_delta', delta: { stop_reason: 'end_turn' } }).success).toBe(true);
  });
});
