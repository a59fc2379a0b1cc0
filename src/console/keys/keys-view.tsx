import type { AccessKey, CreatedAccessKey, GatewayClient, Provider } from 'llm-gateway-client';
import { useEffect, useState } from 'preact/hooks';
import { AlertText } from '../ui/alert-text.tsx';
import { BudgetMeter } from '../ui/budget-meter.tsx';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { errorMessage } from '../ui/error-message.ts';
import { formatNumber } from '../ui/format-number.ts';
import { formatUtc } from '../ui/format-utc.ts';
import { formatWindow } from '../ui/format-window.ts';
import { ViewHeading } from '../ui/view-heading.tsx';
import { describeScope } from './describe-scope.ts';
import { KeyForm } from './key-form.tsx';
import { loadSpentTokens } from './load-spent-tokens.ts';
import { NewKeyNotice } from './new-key-notice.tsx';

// Access keys, for the admin: create one (its secret shown once), see each by its name and hint
// with its scope (provider names), limits, budget used and expiry, edit, disable or enable it,
// delete it. Times are UTC, as budget periods are.

type Dialog = { kind: 'create' } | { kind: 'edit'; key: AccessKey } | { kind: 'delete'; key: AccessKey };

export function KeysView({ gateway }: { gateway: GatewayClient }) {
  const [keys, setKeys] = useState<AccessKey[]>();
  const [providers, setProviders] = useState<Provider[]>([]);
  const [spent, setSpent] = useState<Map<string, number>>(new Map());
  const [loadError, setLoadError] = useState<string>();
  const [rowError, setRowError] = useState<{ id: string; message: string }>();
  const [dialog, setDialog] = useState<Dialog>();
  const [created, setCreated] = useState<CreatedAccessKey>();
  const close = () => setDialog(undefined);

  const readSpent = async (list: AccessKey[]) => {
    try {
      setSpent(await loadSpentTokens(gateway, list, new Date()));
    } catch (error) {
      setLoadError(`Could not read what the budgets used: ${errorMessage(error)}`);
    }
  };
  const load = async () => {
    setLoadError(undefined);
    try {
      const [list, known] = await Promise.all([gateway.keys.list(), gateway.providers.list()]);
      setKeys(list);
      setProviders(known);
      void readSpent(list);
    } catch (error) {
      setLoadError(errorMessage(error));
    }
  };
  useEffect(() => void load(), []);

  const replace = (key: AccessKey) => {
    const list = (keys ?? []).some((each) => each.id === key.id) ? (keys ?? []).map((each) => (each.id === key.id ? key : each)) : [...(keys ?? []), key];
    setKeys(list);
    void readSpent(list);
  };
  const toggle = async (key: AccessKey) => {
    setRowError(undefined);
    try {
      replace(await gateway.keys.update(key.id, { disabled: !key.disabled }));
    } catch (error) {
      setRowError({ id: key.id, message: errorMessage(error) });
    }
  };
  const names = new Map(providers.map((provider) => [provider.id, provider.name]));

  return (
    <section class="panel" aria-labelledby="keys-title">
      <div class="panel-head">
        <ViewHeading id="keys-title">Access keys</ViewHeading>
        <div class="actions">
          <button type="button" class="primary" onClick={() => setDialog({ kind: 'create' })}>
            Create key
          </button>
          <button type="button" onClick={() => void load()}>
            Refresh
          </button>
        </div>
      </div>
      <p class="hint">Give each app or person a key of its own: it can be limited, watched and revoked alone. The Connect view shows how to use one.</p>
      {created && <NewKeyNotice created={created} onDone={() => setCreated(undefined)} />}
      <AlertText message={loadError} />
      {keys === undefined && !loadError && <p role="status">Loading keys…</p>}
      {keys?.length === 0 && <p>No access keys yet.</p>}
      {keys !== undefined && keys.length > 0 && (
        <table class="stack-on-narrow" role="table" aria-labelledby="keys-title">
          <thead role="rowgroup">
            <tr role="row">
              {['Name', 'Key', 'Scope', 'Rate limit', 'Budget', 'Expires', 'Last used', 'Actions'].map((heading) => (
                <th role="columnheader" scope="col" key={heading}>
                  {heading}
                </th>
              ))}
            </tr>
          </thead>
          <tbody role="rowgroup">
            {keys.map((key) => (
              <tr role="row" key={key.id}>
                <td role="cell" data-label="Name">
                  <strong>{key.name}</strong>
                  {stateOf(key) && (
                    <>
                      {' '}
                      <span class="badge">{stateOf(key)}</span>
                    </>
                  )}
                </td>
                <td role="cell" data-label="Key">
                  <code>{key.keyHint}</code>
                </td>
                <td role="cell" data-label="Scope">
                  {describeScope(key.providers?.map((id) => names.get(id) ?? `deleted provider ${id.slice(0, 8)}`) ?? null, key.models)}
                </td>
                <td role="cell" data-label="Rate limit">
                  {key.rateLimit ? `${formatNumber(key.rateLimit.requests)} requests ${formatWindow(key.rateLimit.windowMs)}` : 'none'}
                </td>
                <td role="cell" data-label="Budget">
                  {key.budget ? <BudgetMeter budget={key.budget} spentTokens={spent.get(key.id)} spentUsd={key.spent.usd} /> : 'none'}
                </td>
                <td role="cell" data-label="Expires">
                  {key.expiresAt ? formatUtc(key.expiresAt) : 'never'}
                </td>
                <td role="cell" data-label="Last used">
                  {key.lastUsedAt ? formatUtc(key.lastUsedAt) : 'never'}
                </td>
                <td role="cell" data-label="Actions">
                  <div class="row-actions">
                    <button type="button" onClick={() => setDialog({ kind: 'edit', key })}>
                      Edit
                    </button>
                    <button type="button" onClick={() => void toggle(key)}>
                      {key.disabled ? 'Enable' : 'Disable'}
                    </button>
                    <button type="button" class="danger" onClick={() => setDialog({ kind: 'delete', key })}>
                      Delete
                    </button>
                  </div>
                  {rowError?.id === key.id && <AlertText message={rowError.message} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {(dialog?.kind === 'create' || dialog?.kind === 'edit') && (
        <KeyForm
          gateway={gateway}
          providers={providers}
          accessKey={dialog.kind === 'edit' ? dialog.key : undefined}
          onClose={close}
          onSaved={(key) => {
            replace(key);
            close();
          }}
          onCreated={(key) => {
            const { key: _secret, ...listed } = key;
            replace(listed);
            setCreated(key);
            close();
          }}
        />
      )}
      {dialog?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete key ${dialog.key.name}?`}
          message="Apps using this key are refused from now on. This cannot be undone; to stop it for a while, disable it instead."
          confirmLabel="Delete"
          onClose={close}
          onConfirm={async () => {
            await gateway.keys.delete(dialog.key.id);
            setKeys((list = []) => list.filter((each) => each.id !== dialog.key.id));
            if (created?.id === dialog.key.id) setCreated(undefined);
            close();
          }}
        />
      )}
    </section>
  );
}

/** "disabled", "expired", or nothing for a usable key. */
function stateOf(key: AccessKey): string | undefined {
  if (key.disabled) return 'disabled';
  if (key.expiresAt !== null && Date.parse(key.expiresAt) <= Date.now()) return 'expired';
  return undefined;
}
