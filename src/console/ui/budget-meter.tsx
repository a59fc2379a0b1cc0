import type { AccessKey } from 'llm-gateway-client';
import { formatNumber, formatUsd } from './format-number.ts';

// How much of a budget is used in its current period, per unit it sets (tokens, US dollars), as a
// bar with its figures in words beside it (the words are what a screen reader reads; the bar is a
// native <meter>).

const PERIOD_WORDS = { day: 'today (UTC day)', month: 'this month (UTC)', total: 'in total' } as const;

export interface BudgetMeterProps {
  budget: NonNullable<AccessKey['budget']>;
  /** Undefined while it is being read. */
  spentTokens: number | undefined;
  spentUsd: number | undefined;
}

function Meter({ limit, spent, words }: { limit: number; spent: number; words: string }) {
  return (
    <span class="budget">
      <meter min={0} max={limit} low={limit * 0.75} high={limit * 0.9} optimum={0} value={Math.min(spent, limit)} aria-label={words} />
      <span>{words}</span>
    </span>
  );
}

export function BudgetMeter({ budget, spentTokens, spentUsd }: BudgetMeterProps) {
  const period = PERIOD_WORDS[budget.period];
  const { tokens, usd } = budget;
  return (
    <>
      {tokens !== undefined &&
        (spentTokens === undefined ? (
          <span>{`${formatNumber(tokens)} tokens ${period}`}</span>
        ) : (
          <Meter limit={tokens} spent={spentTokens} words={`${formatNumber(spentTokens)} of ${formatNumber(tokens)} tokens used ${period}`} />
        ))}
      {usd !== undefined &&
        (spentUsd === undefined ? (
          <span>{`${formatUsd(usd * 1e9)} ${period}`}</span>
        ) : (
          <Meter limit={usd} spent={spentUsd} words={`${formatUsd(Math.round(spentUsd * 1e9))} of ${formatUsd(usd * 1e9)} used ${period}`} />
        ))}
    </>
  );
}
