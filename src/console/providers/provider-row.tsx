import type { GatewayClient, Provider } from 'llm-gateway-client';
import { useState } from 'preact/hooks';
import type { Permissions } from '../session/permissions-of.ts';
import { errorMessage } from '../ui/error-message.ts';
import { runCheck, type CheckName, type CheckOutcome } from './provider-checks.ts';

// One provider: what it is (never its key, only the hint) and what this caller may do with it
// (the client token checks and lists models; Test, Edit and Delete are the admin's). The answer
// of the last check stays in the row, under its buttons.

export interface ProviderRowProps {
  gateway: GatewayClient;
  provider: Provider;
  permissions: Permissions;
  onEdit: () => void;
  onDelete: () => void;
}

type Outcome = CheckOutcome | { ok: false; text: string; failed: true };

export function ProviderRow({ gateway, provider, permissions, onEdit, onDelete }: ProviderRowProps) {
  const checks: CheckName[] = permissions.manageProviders ? ['Check', 'Test', 'Models'] : ['Check', 'Models'];
  const [running, setRunning] = useState<CheckName>();
  const [outcome, setOutcome] = useState<Outcome>();

  const run = async (check: CheckName) => {
    setRunning(check);
    setOutcome(undefined);
    try {
      setOutcome(await runCheck(gateway, provider, check));
    } catch (error) {
      setOutcome({ ok: false, text: errorMessage(error), failed: true });
    } finally {
      setRunning(undefined);
    }
  };

  return (
    <tr role="row">
      <td role="cell" data-label="Name">
        <strong>{provider.name}</strong>
      </td>
      <td role="cell" data-label="Base URL" class="url">
        {provider.baseUrl}
      </td>
      <td role="cell" data-label="Protocol">
        {provider.routingMethod}
      </td>
      <td role="cell" data-label="Key">
        {provider.apiKeyHint === null ? 'no key' : <code>{provider.apiKeyHint}</code>}
      </td>
      <td role="cell" data-label="Actions">
        <div class="row-actions">
          {checks.map((check) => (
            <button type="button" key={check} disabled={running !== undefined} onClick={() => run(check)}>
              {check}
            </button>
          ))}
          {permissions.manageProviders && (
            <>
              <button type="button" onClick={onEdit}>
                Edit
              </button>
              <button type="button" class="danger" onClick={onDelete}>
                Delete
              </button>
            </>
          )}
        </div>
        {running && <p role="status">{running}…</p>}
        {outcome && (
          <div class={outcome.ok ? 'outcome ok' : 'outcome failed'} role={'failed' in outcome ? 'alert' : 'status'}>
            <p>{outcome.text}</p>
            {'models' in outcome && outcome.models && (
              <ul class="models">
                {outcome.models.map((id) => (
                  <li key={id}>{id}</li>
                ))}
              </ul>
            )}
          </div>
        )}
      </td>
    </tr>
  );
}
