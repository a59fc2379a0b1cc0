import type { GatewayClient, Provider } from 'llm-gateway-client';
import { useEffect, useState } from 'preact/hooks';
import type { Permissions } from '../session/permissions-of.ts';
import { AlertText } from '../ui/alert-text.tsx';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { errorMessage } from '../ui/error-message.ts';
import { ViewHeading } from '../ui/view-heading.tsx';
import { ImportDialog } from './import-dialog.tsx';
import { ProviderForm } from './provider-form.tsx';
import { ProviderRow } from './provider-row.tsx';

// The providers: the list, and (for the admin) the dialogs that add, edit, delete and import
// them. Every write answers with the stored provider, so the list is updated from the answer (on
// Workers, KV may not list a fresh write at once).

type Dialog = { kind: 'add' } | { kind: 'edit'; provider: Provider } | { kind: 'delete'; provider: Provider } | { kind: 'import' };

export interface ProvidersViewProps {
  gateway: GatewayClient;
  permissions: Permissions;
}

export function ProvidersView({ gateway, permissions }: ProvidersViewProps) {
  const [providers, setProviders] = useState<Provider[]>();
  const [loadError, setLoadError] = useState<string>();
  const [dialog, setDialog] = useState<Dialog>();
  const close = () => setDialog(undefined);

  const load = async () => {
    setLoadError(undefined);
    try {
      setProviders(await gateway.providers.list());
    } catch (error) {
      setLoadError(errorMessage(error));
    }
  };
  useEffect(() => void load(), []);

  const saved = (provider: Provider) => {
    setProviders((list = []) => (list.some((each) => each.id === provider.id) ? list.map((each) => (each.id === provider.id ? provider : each)) : [...list, provider]));
    close();
  };

  return (
    <section class="panel" aria-labelledby="providers-title">
      <div class="panel-head">
        <ViewHeading id="providers-title">Providers</ViewHeading>
        <div class="actions">
          {permissions.manageProviders && (
            <>
              <button type="button" class="primary" onClick={() => setDialog({ kind: 'add' })}>
                Add provider
              </button>
              <button type="button" onClick={() => setDialog({ kind: 'import' })}>
                Import
              </button>
            </>
          )}
          <button type="button" onClick={() => void load()}>
            Refresh
          </button>
        </div>
      </div>
      <AlertText message={loadError} />
      {providers === undefined && !loadError && <p role="status">Loading providers…</p>}
      {providers?.length === 0 && <p>{permissions.manageProviders ? 'No providers yet: add one, or import a JSON array of them.' : 'No providers yet: the admin adds them.'}</p>}
      {providers !== undefined && providers.length > 0 && (
        <table class="stack-on-narrow" role="table" aria-labelledby="providers-title">
          <thead role="rowgroup">
            <tr role="row">
              <th role="columnheader" scope="col">Name</th>
              <th role="columnheader" scope="col">Base URL</th>
              <th role="columnheader" scope="col">Protocol</th>
              <th role="columnheader" scope="col">Key</th>
              <th role="columnheader" scope="col">Actions</th>
            </tr>
          </thead>
          <tbody role="rowgroup">
            {providers.map((provider) => (
              <ProviderRow
                key={provider.id}
                gateway={gateway}
                provider={provider}
                permissions={permissions}
                onEdit={() => setDialog({ kind: 'edit', provider })}
                onDelete={() => setDialog({ kind: 'delete', provider })}
              />
            ))}
          </tbody>
        </table>
      )}
      {dialog?.kind === 'add' && <ProviderForm gateway={gateway} onSaved={saved} onClose={close} />}
      {dialog?.kind === 'edit' && <ProviderForm gateway={gateway} provider={dialog.provider} onSaved={saved} onClose={close} />}
      {dialog?.kind === 'import' && (
        <ImportDialog
          gateway={gateway}
          onClose={close}
          onImported={() => void load()}
        />
      )}
      {dialog?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete ${dialog.provider.name}?`}
          message={`The provider and its stored key are removed; models named ${dialog.provider.name}/… stop working at once.`}
          confirmLabel="Delete"
          onClose={close}
          onConfirm={async () => {
            await gateway.providers.delete(dialog.provider.id);
            setProviders((list = []) => list.filter((each) => each.id !== dialog.provider.id));
            close();
          }}
        />
      )}
    </section>
  );
}
