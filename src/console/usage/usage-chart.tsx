import { formatCompact, formatNumber, formatUsd } from '../ui/format-number.ts';
import { chartScale } from './chart-scale.ts';
import type { UsageDay, UsageGroup } from './summarise-usage.ts';

// Tokens or cost per UTC day, stacked by group, largest groups first (the eighth and smaller together as
// "Other"). The bars are SVG stretched to the box; the axis labels, legend and note are text in
// the page, so they keep their size at any width and are never cut. When a heavy day would
// flatten the rest, the scale stops above the ordinary days (chartScale): those days reach the
// top with a gap across them, and the note under the chart gives their totals.

const PALETTE = ['#2563eb', '#d97706', '#059669', '#db2777', '#7c3aed', '#0891b2', '#65a30d', '#6b7280'];
const SHOWN_GROUPS = 7;
const DAY_WIDTH = 10;

export type ChartMeasure = 'tokens' | 'cost';

// What the chart can measure: each day's figures per group, how an axis tick and a figure read.
const MEASURES = {
  tokens: { caption: 'Tokens', valuesOf: (day: UsageDay) => day.tokens, tick: formatCompact, text: (value: number) => `${formatNumber(value)} tokens` },
  cost: { caption: 'Cost in US dollars', valuesOf: (day: UsageDay) => day.costNanos, tick: formatUsd, text: formatUsd },
} as const;

export interface UsageChartProps {
  days: UsageDay[];
  groups: UsageGroup[];
  /** What the groups are, for the caption: "provider", "model" or "key". */
  dimension: string;
  measure: ChartMeasure;
}

export function UsageChart({ days, groups, dimension, measure }: UsageChartProps) {
  const { caption, valuesOf, tick: tickText, text } = MEASURES[measure];
  const series = groups.slice(0, SHOWN_GROUPS).map((group, index) => ({ ids: [group.id], label: group.label, colour: PALETTE[index]! }));
  if (groups.length > SHOWN_GROUPS) series.push({ ids: groups.slice(SHOWN_GROUPS).map((group) => group.id), label: `Other (${groups.length - SHOWN_GROUPS})`, colour: PALETTE[SHOWN_GROUPS]! });
  const totals = days.map((day) => [...valuesOf(day).values()].reduce((sum, value) => sum + value, 0));
  const scale = chartScale(totals);
  const heavy = days.filter((_, index) => totals[index]! > scale.top);
  const first = days[0]?.day ?? '';
  const last = days.at(-1)?.day ?? '';

  return (
    <figure class="usage-chart">
      <figcaption id="usage-chart-caption">
        {caption} per UTC day by {dimension}, {first} to {last}
      </figcaption>
      <div class="plot">
        <div class="y-axis" aria-hidden="true">
          {[...scale.ticks].reverse().map((tick) => (
            <span key={tick}>{tickText(tick)}</span>
          ))}
        </div>
        <svg role="img" aria-labelledby="usage-chart-caption" viewBox={`0 0 ${days.length * DAY_WIDTH} 100`} preserveAspectRatio="none">
          {scale.ticks.map((tick) => (
            <line key={tick} class="grid" x1={0} x2={days.length * DAY_WIDTH} y1={100 - (tick / scale.top) * 100} y2={100 - (tick / scale.top) * 100} vector-effect="non-scaling-stroke" />
          ))}
          {days.map((day, index) => {
            const total = totals[index]!;
            // A cut day's segments share the full height in their own proportions.
            const unit = (total > scale.top ? 100 / total : 100 / scale.top);
            let stacked = 0;
            return (
              <g key={day.day}>
                {series.map((each) => {
                  const value = each.ids.reduce((sum, id) => sum + (valuesOf(day).get(id) ?? 0), 0);
                  if (value === 0) return null;
                  stacked += value * unit;
                  return (
                    <rect key={each.label} class="bar" x={index * DAY_WIDTH + 1.5} width={DAY_WIDTH - 3} y={100 - stacked} height={value * unit} fill={each.colour}>
                      <title>{`${day.day}, ${each.label}: ${text(value)}`}</title>
                    </rect>
                  );
                })}
                {total > scale.top && <rect class="cut" x={index * DAY_WIDTH} width={DAY_WIDTH} y={4} height={3} />}
              </g>
            );
          })}
        </svg>
        <div class="x-axis" aria-hidden="true">
          <span>{first}</span>
          {days.length > 2 && <span>{days[Math.floor(days.length / 2)]!.day}</span>}
          <span>{last}</span>
        </div>
      </div>
      <ul class="legend">
        {series.map((each) => (
          <li key={each.label}>
            <span class="swatch" style={{ background: each.colour }} aria-hidden="true" />
            {each.label}
          </li>
        ))}
      </ul>
      {heavy.length > 0 && (
        <p class="hint chart-note">
          The scale stops at {text(scale.top)} so that every day can be read. Past it, cut short:{' '}
          {heavy.map((day) => `${day.day} (${text(totals[days.indexOf(day)]!)})`).join(', ')}.
        </p>
      )}
    </figure>
  );
}
