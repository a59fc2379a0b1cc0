import type { GatewayClient } from 'llm-gateway-client';
import { useEffect, useRef, useState } from 'preact/hooks';
import { apiBase } from '../connection/create-console-client.ts';
import type { Permissions } from '../session/permissions-of.ts';
import { copyText } from '../ui/copy-text.ts';
import { Field } from '../ui/field.tsx';
import { ViewHeading } from '../ui/view-heading.tsx';
import { buildSnippets, KEY_VARIABLE, type Snippet } from './build-snippets.ts';

// "Connect your app": the gateway's base URL and a snippet per client (the openai SDK, the
// Anthropic SDK, the AI SDK, curl, Claude Code, Codex) for a model this caller may use, each
// taking an access key from the environment.

const EXAMPLE_MODEL = 'openai/gpt-4o-mini';

export function ConnectView({ gateway, permissions }: { gateway: GatewayClient; permissions: Permissions }) {
  const base = apiBase();
  const baseShown = useRef<HTMLElement>(null);
  const [models, setModels] = useState<string[]>([]);
  const [model, setModel] = useState(EXAMPLE_MODEL);
  useEffect(() => {
    gateway.models().then(
      (list) => {
        const ids = list.data.map((entry) => entry.id);
        setModels(ids);
        if (ids[0] !== undefined) setModel(ids[0]);
      },
      // Without the list the examples keep a sample model name.
      () => undefined,
    );
  }, []);

  return (
    <section class="panel" aria-labelledby="connect-title">
      <ViewHeading id="connect-title">Connect your app</ViewHeading>
      <p>
        Base URL: <code ref={baseShown}>{base}</code> <CopyButton text={base} label="base URL" shown={baseShown} />
      </p>
      <p>
        Any OpenAI-compatible client works with this base URL and a model named <code>&lt;provider name&gt;/&lt;model&gt;</code>. Each example reads an access key (<code>gwk_…</code>)
        from the <code>{KEY_VARIABLE}</code> environment variable: <code>export {KEY_VARIABLE}=gwk_…</code>.{' '}
        {permissions.manageKeys && (
          <>
            Create one per app in <a href="#/keys">Keys</a>, rather than handing out the gateway's token.
          </>
        )}
        {permissions.ownKey && 'Use the access key you connected with.'}
        {!permissions.manageKeys && !permissions.ownKey && 'Ask the gateway\'s admin for an access key of your own.'}
      </p>
      <p class="hint">In a web page: the page's origin must be in the gateway's ALLOWED_ORIGINS, and the OpenAI and Anthropic SDKs need dangerouslyAllowBrowser: true.</p>
      {models.length > 0 && (
        <Field label="Model for the examples">
          {(control) => (
            <select {...control} value={model} onChange={(event) => setModel(event.currentTarget.value)}>
              {models.map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {buildSnippets(base, model).map((snippet) => (
        <SnippetBlock key={snippet.title} snippet={snippet} />
      ))}
    </section>
  );
}

function SnippetBlock({ snippet }: { snippet: Snippet }) {
  const shown = useRef<HTMLPreElement>(null);
  const id = `snippet-${snippet.title.toLowerCase().replaceAll(' ', '-')}`;
  return (
    <section class="snippet" aria-labelledby={id}>
      <div class="snippet-head">
        <h3 id={id}>{snippet.title}</h3>
        <span class="hint">{snippet.where}</span>
        <CopyButton text={snippet.text} label={snippet.title} shown={shown} />
      </div>
      <pre ref={shown}>
        <code>{snippet.text}</code>
      </pre>
    </section>
  );
}

/** `shown`: the element that shows the text, selected when the clipboard cannot be written. */
function CopyButton({ text, label, shown }: { text: string; label: string; shown: { current: HTMLElement | null } }) {
  const [state, setState] = useState<'copied' | 'selected'>();
  return (
    <>
      <button type="button" class="copy" aria-label={`Copy ${label}`} onClick={async () => setState(await copyText(text, shown.current!))}>
        Copy
      </button>
      <span role="status" class="copy-state">
        {state === 'copied' ? 'Copied.' : state === 'selected' ? 'Selected: press Ctrl+C.' : ''}
      </span>
    </>
  );
}
