import type { LogRow } from 'llm-gateway-client';
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { describeLogRow, type LogNames } from './describe-log-row.ts';

// The request log as a table, newest first: one row per request, and under it, on "Details",
// every field of that request. On a narrow screen each row becomes a card (stack-on-narrow).

export interface LogTableProps {
  rows: LogRow[];
  names: LogNames;
  /** The admin's log holds everyone's requests: a column says whose. */
  showKey: boolean;
}

export function LogTable({ rows, names, showKey }: LogTableProps) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((shown) => {
      const next = new Set(shown);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const columns = ['Time (UTC)', 'Route', 'Provider', 'Model', ...(showKey ? ['Key'] : []), 'Status', 'Latency', 'Tokens in / out', 'Details'];

  return (
    <table class="stack-on-narrow log-table" role="table">
      <caption>Requests, newest first</caption>
      <thead role="rowgroup">
        <tr role="row">
          {columns.map((name) => (
            <th role="columnheader" scope="col" key={name}>
              {name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody role="rowgroup">
        {rows.map((row) => {
          const shown = describeLogRow(row, names);
          const detailId = `log-detail-${row.id}`;
          const expanded = open.has(row.id);
          return (
            <Fragment key={row.id}>
              <tr role="row">
                <td role="cell" data-label="Time (UTC)">
                  {shown.time}
                </td>
                <td role="cell" data-label="Route">
                  {row.route}
                </td>
                <td role="cell" data-label="Provider">
                  {shown.provider}
                </td>
                <td role="cell" data-label="Model">
                  {row.model}
                </td>
                {showKey && (
                  <td role="cell" data-label="Key">
                    {shown.key}
                  </td>
                )}
                <td role="cell" data-label="Status" class={shown.failed ? 'failed' : 'ok'}>
                  {shown.status}
                </td>
                <td role="cell" data-label="Latency" class="number">
                  {shown.latency}
                </td>
                <td role="cell" data-label="Tokens in / out" class="number">
                  {shown.tokens}
                </td>
                <td role="cell" data-label="Details">
                  <button type="button" aria-expanded={expanded} aria-controls={expanded ? detailId : undefined} onClick={() => toggle(row.id)}>
                    Details
                  </button>
                </td>
              </tr>
              {expanded && (
                <tr role="row" id={detailId} class="log-detail">
                  <td role="cell" colSpan={columns.length}>
                    <dl class="figures" aria-label={`Request at ${shown.time}`}>
                      {shown.details.map(([term, value]) => (
                        <div key={term}>
                          <dt>{term}</dt>
                          <dd>{value}</dd>
                        </div>
                      ))}
                    </dl>
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
