import type { GatewayClient, Session } from 'llm-gateway-client';
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { AlertText } from '../ui/alert-text.tsx';
import { BudgetMeter } from '../ui/budget-meter.tsx';
import { errorMessage } from '../ui/error-message.ts';
import { formatNumber } from '../ui/format-number.ts';
import { formatUtc } from '../ui/format-utc.ts';
import { formatWindow } from '../ui/format-window.ts';
import { ViewHeading } from '../ui/view-heading.tsx';
import { describeScope } from './describe-scope.ts';

// For an access key: what it may use and how much of its budget is left, from GET /session, asked
// again when the view opens so the budget is current (read only: only the admin changes keys).

export function OwnKeyView({ gateway, session: connected }: { gateway: GatewayClient; session: Session }) {
  const [session, setSession] = useState(connected);
  const [loadError, setLoadError] = useState<string>();
  useEffect(() => {
    gateway.session().then(setSession, (error: unknown) => setLoadError(errorMessage(error)));
  }, []);
  const rows: Array<[string, ComponentChildren]> = [
    ['Name', session.keyName ?? ''],
    ['Scope', describeScope(session.scopes?.providers?.map((provider) => provider.name) ?? null, session.scopes?.models ?? null)],
    ['Rate limit', session.rateLimit ? `${formatNumber(session.rateLimit.requests)} requests ${formatWindow(session.rateLimit.windowMs)}` : 'none'],
    ['Budget', session.budget ? <BudgetMeter budget={session.budget} spentTokens={session.budget.spent.tokens} spentUsd={session.budget.spent.usd} /> : 'none'],
    ['Expires', session.expiresAt ? formatUtc(session.expiresAt) : 'never'],
  ];
  return (
    <section class="panel" aria-labelledby="own-key-title">
      <ViewHeading id="own-key-title">Your key</ViewHeading>
      <p class="hint">What this access key may use. Only the gateway's admin can change it.</p>
      <AlertText message={loadError} />
      <dl class="facts">
        {rows.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
