import type { GatewayClient } from 'llm-gateway-client';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ConnectForm } from './connect-form.tsx';
import { createConsoleClient } from './connection/create-console-client.ts';
import { probeConnection, type Probe } from './connection/probe-connection.ts';
import { forgetToken, readToken, saveToken } from './connection/token-storage.ts';
import { KeysView } from './keys/keys-view.tsx';
import { PlaygroundView } from './playground/playground-view.tsx';
import { ProvidersView } from './providers/providers-view.tsx';
import { AlertText } from './ui/alert-text.tsx';
import { ErrorBoundary } from './ui/error-boundary.tsx';
import { ModalBackgroundContext, type ModalBackground } from './ui/modal-background.ts';
import { UsageView } from './usage/usage-view.tsx';

// The console: connect (only when the gateway asks for a token), then every view on one page,
// each in its own region with its own errors.

type Phase = { kind: 'checking' } | Probe;

export function App() {
  const gateway = useMemo(() => createConsoleClient(), []);
  const [phase, setPhase] = useState<Phase>({ kind: 'checking' });
  const [covered, setCovered] = useState(0);
  const background = useMemo<ModalBackground>(() => ({ cover: () => setCovered((count) => count + 1), uncover: () => setCovered((count) => count - 1) }), []);

  const check = async () => {
    setPhase({ kind: 'checking' });
    const probe = await probeConnection(gateway);
    // A stored token the gateway now refuses (rotated, or another gateway's): ask again.
    if (probe.kind === 'needs-token' && readToken() === undefined) setPhase({ kind: 'needs-token', message: '' });
    else {
      if (probe.kind === 'needs-token') forgetToken();
      setPhase(probe);
    }
  };
  useEffect(() => void check(), []);

  const connect = async (token: string) => {
    const probe = await probeConnection(createConsoleClient(() => token));
    if (probe.kind === 'connected') {
      saveToken(token);
      setPhase(probe);
    } else setPhase(probe.kind === 'needs-token' ? probe : { kind: 'needs-token', message: probe.message });
  };
  const disconnect = () => {
    forgetToken();
    void check();
  };

  return (
    <ModalBackgroundContext.Provider value={background}>
      <div class="shell" inert={covered > 0} aria-hidden={covered > 0 ? 'true' : undefined}>
        <header class="top">
          <h1>LLM Gateway</h1>
          {phase.kind === 'connected' && (
            <nav aria-label="Views">
              <a href="#providers">Providers</a>
              <a href="#playground">Playground</a>
              <a href="#keys">Keys</a>
              <a href="#usage">Usage</a>
            </nav>
          )}
          {phase.kind === 'connected' && readToken() !== undefined && (
            <button type="button" onClick={disconnect}>
              Disconnect
            </button>
          )}
        </header>
        <main>{body(phase, gateway, connect, check)}</main>
      </div>
    </ModalBackgroundContext.Provider>
  );
}

function body(phase: Phase, gateway: GatewayClient, connect: (token: string) => Promise<void>, retry: () => Promise<void>) {
  switch (phase.kind) {
    case 'checking':
      return <p role="status">Connecting to the gateway…</p>;
    case 'needs-token':
      return <ConnectForm error={phase.message || undefined} onConnect={connect} />;
    case 'unreachable':
      return (
        <section class="panel" aria-labelledby="unreachable-title">
          <h2 id="unreachable-title">The gateway did not answer</h2>
          <AlertText message={phase.message} />
          <button type="button" onClick={() => void retry()}>
            Retry
          </button>
        </section>
      );
    case 'connected':
      return <Views gateway={gateway} />;
  }
}

function Views({ gateway }: { gateway: GatewayClient }) {
  // What one view changed that another shows: providers feed the model list and the usage
  // labels; a finished chat adds usage.
  const [providersRevision, setProvidersRevision] = useState(0);
  const [usageRevision, setUsageRevision] = useState(0);
  return (
    <>
      <ErrorBoundary label="Providers">
        <ProvidersView gateway={gateway} onChange={() => setProvidersRevision((revision) => revision + 1)} />
      </ErrorBoundary>
      <ErrorBoundary label="Playground">
        <PlaygroundView gateway={gateway} providersRevision={providersRevision} onAnswered={() => setUsageRevision((revision) => revision + 1)} />
      </ErrorBoundary>
      <ErrorBoundary label="Keys">
        <KeysView gateway={gateway} />
      </ErrorBoundary>
      <ErrorBoundary label="Usage">
        <UsageView gateway={gateway} revision={providersRevision + usageRevision} />
      </ErrorBoundary>
    </>
  );
}
