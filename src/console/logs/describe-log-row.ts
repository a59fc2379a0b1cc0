import type { LogRow } from 'llm-gateway-client';
import { formatNumber } from '../ui/format-number.ts';

// A request log row as the Logs view shows it: names instead of ids (the shared token, a deleted
// key or provider said as such, as the usage view says them), the error code in place of a
// failed request's status, and every field of the row, in words, for its detail.

export interface LogNames {
  keys: ReadonlyMap<string, string>;
  providers: ReadonlyMap<string, string>;
}

export interface DescribedLogRow {
  /** "2026-12-07 14:02:11 UTC". */
  time: string;
  provider: string;
  key: string;
  /** "OK", or the error code the client got. */
  status: string;
  failed: boolean;
  latency: string;
  tokens: string;
  /** Every field, as term and value, in the detail's order. */
  details: Array<[string, string]>;
}

const ms = (value: number) => `${formatNumber(value)} ms`;

export function describeLogRow(row: LogRow, names: LogNames): DescribedLogRow {
  const provider = names.providers.get(row.providerId) ?? `deleted provider ${row.providerId.slice(0, 8)}`;
  const key = row.keyId === null ? 'Shared token' : (names.keys.get(row.keyId) ?? `deleted key ${row.keyId.slice(0, 8)}`);
  const failed = row.status === 'error';
  const status = failed ? (row.errorCode ?? 'Failed') : 'OK';
  const optional: Array<[string, string | number | null | undefined]> = [
    ['Route name', row.routeName],
    ['Cached prompt tokens', row.cachedPromptTokens],
    ['Reasoning tokens', row.reasoningTokens],
    ['Cost', row.costUsd === null ? null : `$${row.costUsd.toFixed(6)}`],
    ['Cache', row.cache],
  ];
  return {
    time: `${row.time.slice(0, 10)} ${row.time.slice(11, 19)} UTC`,
    provider,
    key,
    status,
    failed,
    latency: ms(row.latencyMs),
    tokens: `${formatNumber(row.promptTokens)} / ${formatNumber(row.completionTokens)}`,
    details: [
      ['Request ID', row.requestId ?? 'not recorded'],
      ['Started', row.time],
      ['Route', row.route],
      ['Streamed', row.stream ? 'yes' : 'no'],
      ['Provider', `${provider} (${row.providerId})`],
      ['Model', row.model],
      ['Key', row.keyId === null ? key : `${key} (${row.keyId})`],
      ['Status', failed ? 'failed' : 'OK'],
      ...(failed ? [['Error code', row.errorCode ?? 'none given'] as [string, string]] : []),
      ['Latency', ms(row.latencyMs)],
      ['Time to first token', row.ttftMs === null ? 'not streamed' : ms(row.ttftMs)],
      ['Prompt tokens', formatNumber(row.promptTokens)],
      ['Completion tokens', formatNumber(row.completionTokens)],
      ...optional.flatMap(([term, value]): Array<[string, string]> => (value === null || value === undefined ? [] : [[term, typeof value === 'number' ? formatNumber(value) : value]])),
    ],
  };
}
