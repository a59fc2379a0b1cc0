import type { UsageRow } from 'llm-gateway-client';
import { formatNumber } from '../ui/format-number.ts';

// The chart's figures as GET /usage gives them, one row per day and provider that had traffic.

export function UsageTable({ rows, labelOf }: { rows: UsageRow[]; labelOf: (providerId: string) => string }) {
  const sorted = [...rows].sort((a, b) => (a.day ?? '').localeCompare(b.day ?? '') || labelOf(a.provider ?? '').localeCompare(labelOf(b.provider ?? '')));
  return (
    <table class="stack-on-narrow figures-table" role="table" aria-labelledby="usage-table-caption">
      <caption id="usage-table-caption">Tokens per day by provider</caption>
      <thead role="rowgroup">
        <tr role="row">
          {['Day', 'Provider', 'Requests', 'Errors', 'Prompt tokens', 'Completion tokens', 'Total tokens'].map((heading) => (
            <th role="columnheader" scope="col" key={heading}>
              {heading}
            </th>
          ))}
        </tr>
      </thead>
      <tbody role="rowgroup">
        {sorted.map((row) => (
          <tr role="row" key={`${row.day} ${row.provider}`}>
            <td role="cell" data-label="Day">
              {row.day}
            </td>
            <td role="cell" data-label="Provider">
              {labelOf(row.provider ?? '')}
            </td>
            <td role="cell" data-label="Requests" class="number">
              {formatNumber(row.requests)}
            </td>
            <td role="cell" data-label="Errors" class="number">
              {formatNumber(row.errors)}
            </td>
            <td role="cell" data-label="Prompt tokens" class="number">
              {formatNumber(row.promptTokens)}
            </td>
            <td role="cell" data-label="Completion tokens" class="number">
              {formatNumber(row.completionTokens)}
            </td>
            <td role="cell" data-label="Total tokens" class="number">
              {formatNumber(row.promptTokens + row.completionTokens)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
