import type { AccessKey, CreatedAccessKey, GatewayClient } from 'llm-gateway-client';
import { useEffect, useState } from 'preact/hooks';
import { AlertText } from '../ui/alert-text.tsx';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { errorMessage } from '../ui/error-message.ts';
import { formatNumber } from '../ui/format-number.ts';
import { KeyForm } from './key-form.tsx';
import { NewKeyNotice } from './new-key-notice.tsx';

// Access keys: create one (its secret shown once), see them all by their hint, delete one.

type Dialog = { kind: 'create' } | { kind: 'delete'; key: AccessKey };

export function KeysView({ gateway }: { gateway: GatewayClient }) {
  const [keys, setKeys] = useState<AccessKey[]>();
  const [loadError, setLoadError] = useState<string>();
  const [dialog, setDialog] = useState<Dialog>();
  const [created, setCreated] = useState<CreatedAccessKey>();
  const close = () => setDialog(undefined);

  const load = async () => {
    setLoadError(undefined);
    try {
      setKeys(await gateway.keys.list());
    } catch (error) {
      setLoadError(errorMessage(error));
    }
  };
  useEffect(() => void load(), []);

  return (
    <section id="keys" class="panel" aria-labelledby="keys-title">
      <div class="panel-head">
        <h2 id="keys-title">Access keys</h2>
        <div class="actions">
          <button type="button" class="primary" onClick={() => setDialog({ kind: 'create' })}>
            Create key
          </button>
        </div>
      </div>
      {created && <NewKeyNotice created={created} onDone={() => setCreated(undefined)} />}
      <AlertText message={loadError} />
      {keys === undefined && !loadError && <p role="status">Loading keys…</p>}
      {keys?.length === 0 && <p>No access keys yet.</p>}
      {keys !== undefined && keys.length > 0 && (
        <table class="stack-on-narrow" role="table" aria-labelledby="keys-title">
          <thead role="rowgroup">
            <tr role="row">
              <th role="columnheader" scope="col">Name</th>
              <th role="columnheader" scope="col">Key</th>
              <th role="columnheader" scope="col">Scope</th>
              <th role="columnheader" scope="col">Budget</th>
              <th role="columnheader" scope="col">Last used</th>
              <th role="columnheader" scope="col">Actions</th>
            </tr>
          </thead>
          <tbody role="rowgroup">
            {keys.map((key) => (
              <tr role="row" key={key.id}>
                <td role="cell" data-label="Name">
                  <strong>{key.name}</strong>
                  {key.disabled && ' (disabled)'}
                </td>
                <td role="cell" data-label="Key">
                  <code>{key.keyHint}</code>
                </td>
                <td role="cell" data-label="Scope">
                  {scopeOf(key)}
                </td>
                <td role="cell" data-label="Budget">
                  {key.budget ? `${formatNumber(key.budget.tokens)} tokens / ${key.budget.period}` : 'none'}
                </td>
                <td role="cell" data-label="Last used">
                  {key.lastUsedAt ? new Date(key.lastUsedAt).toLocaleString() : 'never'}
                </td>
                <td role="cell" data-label="Actions">
                  <button type="button" class="danger" onClick={() => setDialog({ kind: 'delete', key })}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {dialog?.kind === 'create' && (
        <KeyForm
          gateway={gateway}
          onClose={close}
          onCreated={(key) => {
            const { key: _secret, ...listed } = key;
            setKeys((list = []) => [...list, listed]);
            setCreated(key);
            close();
          }}
        />
      )}
      {dialog?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete key ${dialog.key.name}?`}
          message="Apps using this key are refused from now on. This cannot be undone."
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

function scopeOf(key: AccessKey): string {
  const providers = key.providers === null ? 'all providers' : `providers ${key.providers.join(', ')}`;
  const models = key.models === null ? 'all models' : `models ${key.models.join(', ')}`;
  return `${providers}; ${models}`;
}
