import type { GatewayClient, Session } from 'llm-gateway-client';
import type { VNode } from 'preact';
import { ConnectView } from '../connect/connect-view.tsx';
import { KeysView } from '../keys/keys-view.tsx';
import { OwnKeyView } from '../keys/own-key-view.tsx';
import { PlaygroundView } from '../playground/playground-view.tsx';
import { ProvidersView } from '../providers/providers-view.tsx';
import { RoutesView } from '../routes/routes-view.tsx';
import type { Permissions } from '../session/permissions-of.ts';
import { UsageView } from '../usage/usage-view.tsx';
import type { ViewEntry } from './pick-view.ts';

// The console's views, one per concern, in the order of the navigation; each with its URL
// (#/<path>), the callers that may use it, and what it shows. A new view (routes, logs, cost) is
// one more entry here.

export interface ViewContext {
  gateway: GatewayClient;
  session: Session;
  permissions: Permissions;
}

export interface ConsoleView extends ViewEntry {
  label: string;
  render(context: ViewContext): VNode;
}

export const consoleViews: readonly ConsoleView[] = [
  {
    path: 'providers',
    label: 'Providers',
    allowed: (can) => can.readProviders,
    render: ({ gateway, permissions }) => <ProvidersView gateway={gateway} permissions={permissions} />,
  },
  {
    path: 'playground',
    label: 'Playground',
    allowed: () => true,
    render: ({ gateway, permissions }) => <PlaygroundView gateway={gateway} permissions={permissions} />,
  },
  {
    path: 'keys',
    label: 'Keys',
    allowed: (can) => can.manageKeys || can.ownKey,
    render: ({ gateway, session, permissions }) => (permissions.manageKeys ? <KeysView gateway={gateway} /> : <OwnKeyView gateway={gateway} session={session} />),
  },
  {
    path: 'routes',
    label: 'Routes',
    allowed: (can) => can.manageRoutes,
    render: ({ gateway }) => <RoutesView gateway={gateway} />,
  },
  {
    path: 'usage',
    label: 'Usage',
    allowed: (can) => can.usage !== 'none',
    render: ({ gateway, session, permissions }) => <UsageView gateway={gateway} session={session} scope={permissions.usage === 'all' ? 'all' : 'own'} />,
  },
  {
    path: 'connect',
    label: 'Connect',
    allowed: () => true,
    render: ({ gateway, permissions }) => <ConnectView gateway={gateway} permissions={permissions} />,
  },
];
