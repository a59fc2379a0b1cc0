import type { GatewayClient, Route } from 'llm-gateway-client';
import { useEffect, useState } from 'preact/hooks';
import { AlertText } from '../ui/alert-text.tsx';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { errorMessage } from '../ui/error-message.ts';
import { formatNumber } from '../ui/format-number.ts';
import { ViewHeading } from '../ui/view-heading.tsx';
import { RouteForm } from './route-form.tsx';

// Routes, for the admin: one model name that several deployments serve. Each row shows the name
// clients send, its strategy and its targets with their weights; add, edit and delete, with the
// targets picked from the providers' models.

type Dialog = { kind: 'create' } | { kind: 'edit'; route: Route } | { kind: 'delete'; route: Route };

const STRATEGY_NAMES = { weighted: 'Weighted', 'least-busy': 'Least busy', 'lowest-latency': 'Lowest latency' } as const;

export function RoutesView({ gateway }: { gateway: GatewayClient }) {
  const [routes, setRoutes] = useState<Route[]>();
  const [models, setModels] = useState<string[]>([]);
  const [loadError, setLoadError] = useState<string>();
  const [dialog, setDialog] = useState<Dialog>();
  const close = () => setDialog(undefined);

  const load = async () => {
    setLoadError(undefined);
    try {
      const [list, available] = await Promise.all([gateway.routes.list(), gateway.models()]);
      setRoutes(list);
      setModels(available.data.filter((model) => model.owned_by !== 'route').map((model) => model.id));
    } catch (error) {
      setLoadError(errorMessage(error));
    }
  };
  useEffect(() => void load(), []);

  const replace = (route: Route) =>
    setRoutes((list = []) => (list.some((each) => each.id === route.id) ? list.map((each) => (each.id === route.id ? route : each)) : [...list, route]));

  return (
    <section class="panel" aria-labelledby="routes-title">
      <div class="panel-head">
        <ViewHeading id="routes-title">Routes</ViewHeading>
        <div class="actions">
          <button type="button" class="primary" onClick={() => setDialog({ kind: 'create' })}>
            Add route
          </button>
          <button type="button" onClick={() => void load()}>
            Refresh
          </button>
        </div>
      </div>
      <p class="hint">A route is a model name of your own that several deployments serve: clients send its name as their model, and the gateway spreads the requests, fails over and keeps away from rate-limited targets.</p>
      <AlertText message={loadError} />
      {routes === undefined && !loadError && <p role="status">Loading routes…</p>}
      {routes?.length === 0 && <p>No routes yet.</p>}
      {routes !== undefined && routes.length > 0 && (
        <table class="stack-on-narrow" role="table" aria-labelledby="routes-title">
          <thead role="rowgroup">
            <tr role="row">
              {['Name', 'Strategy', 'Targets', 'Actions'].map((heading) => (
                <th role="columnheader" scope="col" key={heading}>
                  {heading}
                </th>
              ))}
            </tr>
          </thead>
          <tbody role="rowgroup">
            {routes.map((route) => (
              <tr role="row" key={route.id}>
                <td role="cell" data-label="Name">
                  <code>{route.name}</code>
                </td>
                <td role="cell" data-label="Strategy">
                  {STRATEGY_NAMES[route.strategy]}
                </td>
                <td role="cell" data-label="Targets">
                  <ul class="plain">
                    {route.targets.map((target) => (
                      <li key={target.model}>
                        <code>{target.model}</code>
                        {route.strategy === 'weighted' || route.strategy === 'least-busy' ? ` × ${formatNumber(target.weight)}` : ''}
                      </li>
                    ))}
                  </ul>
                </td>
                <td role="cell" data-label="Actions">
                  <div class="row-actions">
                    <button type="button" aria-label={`Edit route ${route.name}`} onClick={() => setDialog({ kind: 'edit', route })}>
                      Edit
                    </button>
                    <button type="button" class="danger" aria-label={`Delete route ${route.name}`} onClick={() => setDialog({ kind: 'delete', route })}>
                      Delete
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {(dialog?.kind === 'create' || dialog?.kind === 'edit') && (
        <RouteForm
          gateway={gateway}
          models={models}
          route={dialog.kind === 'edit' ? dialog.route : undefined}
          onClose={close}
          onSaved={(route) => {
            replace(route);
            close();
          }}
        />
      )}
      {dialog?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete route ${dialog.route.name}?`}
          message="Clients that send this name as their model are refused from then on. The providers and their models stay as they are."
          confirmLabel="Delete"
          onClose={close}
          onConfirm={async () => {
            await gateway.routes.delete(dialog.route.id);
            setRoutes((list = []) => list.filter((each) => each.id !== dialog.route.id));
            close();
          }}
        />
      )}
    </section>
  );
}
