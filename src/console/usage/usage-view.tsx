import type { GatewayClient, Session, UsageReport } from 'llm-gateway-client';
import { useEffect, useState } from 'preact/hooks';
import { AlertText } from '../ui/alert-text.tsx';
import { errorMessage } from '../ui/error-message.ts';
import { formatNumber, formatUsd } from '../ui/format-number.ts';
import { ViewHeading } from '../ui/view-heading.tsx';
import { groupByOf, summariseUsage, tokensOf, type UsageDimension, type UsageNames } from './summarise-usage.ts';
import { UsageChart, type ChartMeasure } from './usage-chart.tsx';
import { usageRange } from './usage-range.ts';
import { UsageTable } from './usage-table.tsx';

// Usage over the last 7, 30 or 90 UTC days (today included): the totals, a chart per day (of
// tokens or of cost) and a table per provider, model, key or route, and the figures per day on
// demand. Cost is what the gateway priced (cache reads at their own rate); requests with no known
// price are counted beside it, never shown as free. The admin sees everyone's usage and may break
// it down by key; an access key sees its own.

const RANGES = [7, 30, 90] as const;
const DIMENSIONS: Array<{ value: UsageDimension; label: string; heading: string }> = [
  { value: 'provider', label: 'Provider', heading: 'Provider' },
  { value: 'model', label: 'Model', heading: 'Model' },
  { value: 'key', label: 'Key', heading: 'Key' },
  { value: 'route', label: 'Route', heading: 'Route' },
];
const MEASURES: Array<{ value: ChartMeasure; label: string }> = [
  { value: 'tokens', label: 'Tokens' },
  { value: 'cost', label: 'Cost (US$)' },
];

export interface UsageViewProps {
  gateway: GatewayClient;
  session: Session;
  /** Everyone's usage (with the per-key breakdown), or only the caller's own. */
  scope: 'all' | 'own';
}

export function UsageView({ gateway, session, scope }: UsageViewProps) {
  const [dayCount, setDayCount] = useState<(typeof RANGES)[number]>(30);
  const [dimension, setDimension] = useState<UsageDimension>('provider');
  const [measure, setMeasure] = useState<ChartMeasure>('tokens');
  const [report, setReport] = useState<{ usage: UsageReport; names: UsageNames; dimension: UsageDimension; days: string[] }>();
  const [loadError, setLoadError] = useState<string>();
  const [loading, setLoading] = useState(true);

  const load = async () => {
    setLoading(true);
    setLoadError(undefined);
    const range = usageRange(dayCount, new Date());
    try {
      const [usage, keys] = await Promise.all([
        gateway.usage({ from: range.from, to: range.to, groupBy: groupByOf(dimension) }),
        scope === 'all' && dimension === 'key' ? gateway.keys.list() : Promise.resolve([]),
      ]);
      const names = new Map(keys.map((key) => [key.id, key.name]));
      if (session.keyId !== undefined && session.keyName !== undefined) names.set(session.keyId, session.keyName);
      setReport({ usage, names: { keys: names }, dimension, days: range.days });
    } catch (error) {
      setLoadError(errorMessage(error));
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => void load(), [dayCount, dimension]);

  const dimensions = DIMENSIONS.filter((each) => each.value !== 'key' || scope === 'all');
  const summary = report && summariseUsage(report.usage.data, report.days, report.dimension, report.names);
  const shown = DIMENSIONS.find((each) => each.value === report?.dimension)!;
  const period = report ? `${report.days[0]} to ${report.days.at(-1)} (UTC)` : '';

  return (
    <section class="panel" aria-labelledby="usage-title">
      <div class="panel-head">
        <ViewHeading id="usage-title">{scope === 'own' ? 'Your usage' : 'Usage'}</ViewHeading>
        <div class="actions">
          <button type="button" disabled={loading} onClick={() => void load()}>
            Refresh
          </button>
        </div>
      </div>
      <div class="usage-controls">
        <div class="field">
          <label for="usage-range">Range</label>
          <select id="usage-range" value={dayCount} onChange={(event) => setDayCount(Number(event.currentTarget.value) as (typeof RANGES)[number])}>
            {RANGES.map((count) => (
              <option key={count} value={count}>
                Last {count} days, to today
              </option>
            ))}
          </select>
        </div>
        <fieldset class="switch">
          <legend>Break down by</legend>
          {dimensions.map((each) => (
            <label key={each.value}>
              <input type="radio" name="usage-dimension" value={each.value} checked={dimension === each.value} onChange={() => setDimension(each.value)} />
              {each.label}
            </label>
          ))}
        </fieldset>
        <fieldset class="switch">
          <legend>Chart</legend>
          {MEASURES.map((each) => (
            <label key={each.value}>
              <input type="radio" name="usage-measure" value={each.value} checked={measure === each.value} onChange={() => setMeasure(each.value)} />
              {each.label}
            </label>
          ))}
        </fieldset>
      </div>
      <AlertText message={loadError} />
      {loading && !report && <p role="status">Loading usage…</p>}
      {summary && report && (
        <>
          <p class="hint">
            {period}. Days are UTC days; today is {report.days.at(-1)}.
          </p>
          <dl class="figures totals" aria-label="Totals">
            {(
              [
                ['Requests', formatNumber(summary.totals.requests)],
                ['Errors', formatNumber(summary.totals.errors)],
                ['Prompt tokens', formatNumber(summary.totals.promptTokens)],
                ['Cached prompt tokens', formatNumber(summary.totals.cachedPromptTokens)],
                ['Cache write tokens', formatNumber(summary.totals.cacheWriteTokens)],
                ['Completion tokens', formatNumber(summary.totals.completionTokens)],
                ['Total tokens', formatNumber(tokensOf(summary.totals))],
                ['Cost', formatUsd(summary.totals.costNanos)],
                ['Unpriced requests', formatNumber(summary.totals.unpricedRequests)],
              ] as const
            ).map(([term, value]) => (
              <div key={term}>
                <dt>{term}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
          {summary.groups.length === 0 ? (
            <p>No usage recorded in this range.</p>
          ) : (
            <>
              <UsageChart days={summary.days} groups={summary.groups} dimension={shown.label.toLowerCase()} measure={measure} />
              <UsageTable caption={`Usage by ${shown.label.toLowerCase()}, ${period}`} heading={shown.heading} rows={summary.groups} totals={summary.totals} />
              <details class="per-day">
                <summary>Figures per day</summary>
                <UsageTable
                  caption={`Usage per day, ${period}`}
                  heading="Day (UTC)"
                  rows={summary.days
                    .filter((day) => day.figures.requests > 0)
                    .reverse()
                    .map((day) => ({ id: day.day, label: day.day, figures: day.figures }))}
                  totals={summary.totals}
                />
              </details>
            </>
          )}
        </>
      )}
    </section>
  );
}
