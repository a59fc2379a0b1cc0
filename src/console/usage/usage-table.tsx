import { formatNumber, formatUsd } from '../ui/format-number.ts';
import { tokensOf, type UsageFigures } from './summarise-usage.ts';

// Figures as a table: one row per group (provider, model, key or day), largest first, and the
// totals in the footer. On a narrow screen each row becomes a card (stack-on-narrow). A cost that
// leaves out requests with no known price says how many, so it never reads as complete.

export interface UsageTableRow {
  id: string;
  label: string;
  figures: UsageFigures;
}

export interface UsageTableProps {
  caption: string;
  /** The first column's heading: "Provider", "Model", "Key", "Day (UTC)". */
  heading: string;
  rows: UsageTableRow[];
  totals: UsageFigures;
}

const COLUMNS = ['Requests', 'Errors', 'Prompt tokens', 'Cached prompt tokens', 'Completion tokens', 'Total tokens', 'Cost'] as const;

const costText = (figures: UsageFigures): string =>
  formatUsd(figures.costNanos) + (figures.unpricedRequests > 0 ? ` (${formatNumber(figures.unpricedRequests)} unpriced)` : '');

function FigureCells({ figures }: { figures: UsageFigures }) {
  const values = [figures.requests, figures.errors, figures.promptTokens, figures.cachedPromptTokens, figures.completionTokens, tokensOf(figures)].map(formatNumber);
  values.push(costText(figures));
  return (
    <>
      {values.map((value, index) => (
        <td role="cell" data-label={COLUMNS[index]} class="number" key={COLUMNS[index]}>
          {value}
        </td>
      ))}
    </>
  );
}

export function UsageTable({ caption, heading, rows, totals }: UsageTableProps) {
  return (
    <table class="stack-on-narrow figures-table" role="table">
      <caption>{caption}</caption>
      <thead role="rowgroup">
        <tr role="row">
          {[heading, ...COLUMNS].map((name) => (
            <th role="columnheader" scope="col" key={name}>
              {name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody role="rowgroup">
        {rows.map((row) => (
          <tr role="row" key={row.id}>
            <th role="rowheader" scope="row" data-label={heading}>
              {row.label}
            </th>
            <FigureCells figures={row.figures} />
          </tr>
        ))}
      </tbody>
      <tfoot role="rowgroup">
        <tr role="row">
          <th role="rowheader" scope="row" data-label={heading}>
            Total
          </th>
          <FigureCells figures={totals} />
        </tr>
      </tfoot>
    </table>
  );
}
