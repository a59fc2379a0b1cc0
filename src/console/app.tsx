import { useEffect, useMemo, useState } from 'preact/hooks';
import { ConnectForm } from './connect-form.tsx';
import { createConsoleClient } from './connection/create-console-client.ts';
import { probeConnection, type Probe } from './connection/probe-connection.ts';
import { forgetToken, readToken, saveToken } from './connection/token-storage.ts';
import { ConsoleShell } from './navigation/console-shell.tsx';
import { AlertText } from './ui/alert-text.tsx';
import { ModalBackgroundContext, type ModalBackground } from './ui/modal-background.ts';

// The console: connect (only when the gateway asks for a token), learn who is connected, then
// the views that caller may use.

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
        {phase.kind === 'connected' ? (
          <ConsoleShell key={phase.session.role + (phase.session.keyId ?? '')} gateway={gateway} session={phase.session} onDisconnect={readToken() === undefined ? undefined : disconnect} />
        ) : (
          <>
            <header class="top">
              <h1>LLM Gateway</h1>
            </header>
            <main>
              {phase.kind === 'checking' && <p role="status">Connecting to the gateway…</p>}
              {phase.kind === 'needs-token' && <ConnectForm error={phase.message || undefined} onConnect={connect} />}
              {phase.kind === 'unreachable' && (
                <section class="panel" aria-labelledby="unreachable-title">
                  <h2 id="unreachable-title">The gateway did not answer</h2>
                  <AlertText message={phase.message} />
                  <button type="button" onClick={() => void check()}>
                    Retry
                  </button>
                </section>
              )}
            </main>
          </>
        )}
      </div>
    </ModalBackgroundContext.Provider>
  );
}
