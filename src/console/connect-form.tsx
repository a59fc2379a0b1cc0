import { useState } from 'preact/hooks';
import { Field } from './ui/field.tsx';

// Asked only when the gateway refuses the console without a token. The token is checked before
// it is kept; a refused one is not stored anywhere.

export interface ConnectFormProps {
  /** The gateway's message when a token was refused. */
  error: string | undefined;
  onConnect: (token: string) => Promise<void>;
}

export function ConnectForm({ error, onConnect }: ConnectFormProps) {
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <section class="panel connect" aria-labelledby="connect-title">
      <h2 id="connect-title">Connect to the gateway</h2>
      <p>This gateway needs a bearer token: the admin token to manage providers and keys, or an access key for the playground and its own usage.</p>
      <form
        noValidate
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          try {
            await onConnect(token.trim());
          } finally {
            setBusy(false);
          }
        }}
      >
        <Field label="Access token" hint="Kept in this tab only (sessionStorage) until you disconnect or close it." error={error}>
          {(control) => (
            <input {...control} type="password" autocomplete="off" spellcheck={false} value={token} onInput={(event) => setToken(event.currentTarget.value)} />
          )}
        </Field>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            Connect
          </button>
        </div>
      </form>
    </section>
  );
}
