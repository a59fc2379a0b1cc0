import { formatNumber } from '../ui/format-number.ts';
import type { UsageSeries } from './usage-series.ts';

// Tokens per day, one bar per day stacked by provider, drawn as SVG. It scales with its box; the
// figures themselves are in the table below it, for reading and for screen readers.

const WIDTH = 640;
const HEIGHT = 220;
const LEFT = 56;
const BOTTOM = 24;
const TOP = 12;
const PALETTE = ['#2563eb', '#d97706', '#059669', '#db2777', '#7c3aed', '#0891b2', '#65a30d', '#dc2626'];

export const colourOf = (index: number): string => PALETTE[index % PALETTE.length]!;

export function UsageChart({ series }: { series: UsageSeries }) {
  const plotWidth = WIDTH - LEFT - 8;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const step = plotWidth / Math.max(1, series.days.length);
  const barWidth = Math.max(1, step * 0.7);
  const scale = plotHeight / series.maxDayTotal;
  const labelled = new Set([series.days[0], series.days[Math.floor(series.days.length / 2)], series.days.at(-1)]);

  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby="usage-chart-title">
        <title id="usage-chart-title">Tokens per day by provider</title>
        <line x1={LEFT} y1={TOP} x2={LEFT} y2={TOP + plotHeight} class="axis" />
        <line x1={LEFT} y1={TOP + plotHeight} x2={WIDTH - 8} y2={TOP + plotHeight} class="axis" />
        <text x={LEFT - 6} y={TOP + 4} text-anchor="end" class="tick">
          {formatNumber(series.maxDayTotal)}
        </text>
        <text x={LEFT - 6} y={TOP + plotHeight} text-anchor="end" class="tick">
          0
        </text>
        {series.days.map((day, dayIndex) => {
          let stacked = 0;
          const x = LEFT + dayIndex * step + (step - barWidth) / 2;
          return (
            <g key={day}>
              {series.providers.map((provider, providerIndex) => {
                const tokens = series.tokens(day, provider.id);
                if (tokens === 0) return null;
                const height = tokens * scale;
                stacked += height;
                return (
                  <rect key={provider.id} class="bar" x={x} y={TOP + plotHeight - stacked} width={barWidth} height={height} fill={colourOf(providerIndex)}>
                    <title>{`${day}, ${provider.label}: ${formatNumber(tokens)} tokens`}</title>
                  </rect>
                );
              })}
              {labelled.has(day) && (
                <text x={x + barWidth / 2} y={HEIGHT - 6} text-anchor="middle" class="tick">
                  {day.slice(5)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul class="legend">
          {series.providers.map((provider, index) => (
            <li key={provider.id}>
              <svg viewBox="0 0 10 10" aria-hidden="true" class="swatch">
                <rect width="10" height="10" fill={colourOf(index)} />
              </svg>
              {provider.label}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
