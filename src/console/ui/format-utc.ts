// Times as the console shows them: always in UTC, and saying so, as usage days and budget periods
// are UTC days.

/** "2026-12-06 14:03 UTC". */
export const formatUtc = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
