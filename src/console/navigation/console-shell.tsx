import type { GatewayClient, Session } from 'llm-gateway-client';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { describeCaller, permissionsOf } from '../session/permissions-of.ts';
import { ErrorBoundary } from '../ui/error-boundary.tsx';
import { consoleViews } from './console-views.tsx';
import { useHashPath } from './hash-path.ts';
import { pickView } from './pick-view.ts';

// The connected console: who is connected, the navigation between the views this caller may
// use, and one view at a time. Opening a view from the navigation moves the keyboard focus to
// its heading, as a new page would.

export interface ConsoleShellProps {
  gateway: GatewayClient;
  session: Session;
  /** Present when a token was entered (a gateway that needs none has nothing to forget). */
  onDisconnect?: (() => void) | undefined;
}

export function ConsoleShell({ gateway, session, onDisconnect }: ConsoleShellProps) {
  const permissions = useMemo(() => permissionsOf(session), [session]);
  const path = useHashPath();
  const view = pickView(consoleViews, path, permissions);
  const main = useRef<HTMLElement>(null);
  const opened = useRef(view.path);

  useEffect(() => {
    // The URL names the view shown, also when the one asked for was not this caller's.
    if (path !== view.path) history.replaceState(null, '', `#/${view.path}`);
    if (opened.current !== view.path) {
      opened.current = view.path;
      main.current?.querySelector<HTMLElement>('.view-heading')?.focus();
    }
  }, [view.path, path]);

  return (
    <>
      <header class="top">
        <h1>LLM Gateway</h1>
        <nav aria-label="Views">
          {consoleViews
            .filter((each) => each.allowed(permissions))
            .map((each) => (
              <a key={each.path} href={`#/${each.path}`} aria-current={each.path === view.path ? 'page' : undefined}>
                {each.label}
              </a>
            ))}
        </nav>
        <p class="caller">
          Connected as <strong>{describeCaller(session)}</strong>
        </p>
        {onDisconnect && (
          <button type="button" onClick={onDisconnect}>
            Disconnect
          </button>
        )}
      </header>
      <main ref={main}>
        <ErrorBoundary key={view.path} label={view.label}>
          {view.render({ gateway, session, permissions })}
        </ErrorBoundary>
      </main>
    </>
  );
}
