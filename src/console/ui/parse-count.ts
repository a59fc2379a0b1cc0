// A whole number as people type it, and as the console shows it: "1,000,000", "1 000 000" or
// "1000000". Groups must be of three digits, so "1,5" (a decimal comma) is refused rather than
// read as 15.

const GROUPED = /^\d{1,3}([,\s\u00a0\u202f]\d{3})*$/;

export function parseCount(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed) && !GROUPED.test(trimmed)) return undefined;
  const value = Number(trimmed.replace(/\D/g, ''));
  return Number.isSafeInteger(value) ? value : undefined;
}
