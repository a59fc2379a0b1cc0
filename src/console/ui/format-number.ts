// One number format for the whole console (and its tests): grouped, whatever the browser's locale.
const format = new Intl.NumberFormat('en-US');

export const formatNumber = (value: number): string => format.format(value);
