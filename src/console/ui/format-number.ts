// One number format for the whole console (and its tests): grouped, whatever the browser's locale;
// and a short one for chart axes (1.5K, 2M).
const format = new Intl.NumberFormat('en-US');
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

export const formatNumber = (value: number): string => format.format(value);

export const formatCompact = (value: number): string => compact.format(value);
