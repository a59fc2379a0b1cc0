// One number format for the whole console (and its tests): grouped, whatever the browser's locale;
// and a short one for chart axes (1.5K, 2M).
const format = new Intl.NumberFormat('en-US');
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

export const formatNumber = (value: number): string => format.format(value);

export const formatCompact = (value: number): string => compact.format(value);

const usd = [2, 4, 6].map((digits) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: digits }));

/**
 * US dollars from nano-dollars: cents from $1 up ($12.34); below it more digits, so that a cheap
 * model's day does not read as $0.00 ($0.7737, $0.000019).
 */
export function formatUsd(nanos: number): string {
  const dollars = nanos / 1e9;
  return usd[Math.abs(dollars) >= 1 ? 0 : Math.abs(dollars) >= 0.01 ? 1 : 2]!.format(dollars);
}
