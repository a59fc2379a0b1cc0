import { formatNumber } from './format-number.ts';

// How much of a token budget is used in its current period, as a bar with its figures in words
// beside it (the words are what a screen reader reads; the bar is a native <meter>).

const PERIOD_WORDS = { day: 'today (UTC day)', month: 'this month (UTC)', total: 'in total' } as const;

export interface BudgetMeterProps {
  tokens: number;
  period: keyof typeof PERIOD_WORDS;
  /** Undefined while it is being read. */
  spent: number | undefined;
}

export function BudgetMeter({ tokens, period, spent }: BudgetMeterProps) {
  if (spent === undefined) return <span>{`${formatNumber(tokens)} tokens ${PERIOD_WORDS[period]}`}</span>;
  const text = `${formatNumber(spent)} of ${formatNumber(tokens)} tokens used ${PERIOD_WORDS[period]}`;
  return (
    <span class="budget">
      <meter min={0} max={tokens} low={tokens * 0.75} high={tokens * 0.9} optimum={0} value={Math.min(spent, tokens)} aria-label={text} />
      <span>{text}</span>
    </span>
  );
}
