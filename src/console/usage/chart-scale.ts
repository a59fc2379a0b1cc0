// The usage chart's vertical scale: round ticks, and room for every day to be read. When one day
// (or a few) dwarfs the rest, drawing it in full would flatten every other bar to a line, so the
// scale is cut above the highest ordinary day; the days past the cut are drawn to the top, marked,
// and named with their totals under the chart.

export interface ChartScale {
  /** The value at the top of the chart. */
  top: number;
  /** Round values from 0 to `top`, for the axis. */
  ticks: number[];
  /** Whether some day goes past `top`. */
  cut: boolean;
}

/** A day more than this many times the next largest is "heavy". */
const HEAVY_RATIO = 3;

function roundStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].find((multiple) => multiple * power >= rough)!;
  return step * power;
}

export function chartScale(dayTotals: number[]): ChartScale {
  const sorted = dayTotals.filter((total) => total > 0).sort((a, b) => b - a);
  if (sorted.length === 0) return { top: 1, ticks: [0, 1], cut: false };
  // At most a fifth of the days (and at least one) may be cut, so a busy period is never all cut.
  let heavy = 0;
  for (let index = 0; index < Math.max(1, Math.floor(sorted.length / 5)) && index + 1 < sorted.length; index++) {
    if (sorted[index]! > HEAVY_RATIO * sorted[index + 1]!) heavy = index + 1;
  }
  const highest = sorted[heavy]!;
  const step = highest < 4 ? 1 : roundStep(highest / 4);
  const top = Math.ceil(highest / step) * step;
  const ticks = Array.from({ length: top / step + 1 }, (_, index) => index * step);
  return { top, ticks, cut: heavy > 0 };
}
