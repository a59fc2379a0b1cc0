import type { CreatedAccessKey } from 'llm-gateway-client';
import { useRef, useState } from 'preact/hooks';
import { copyText } from '../ui/copy-text.ts';

// The new key's secret, shown this once: the gateway keeps only its hash. It lives in this
// component's memory only, so Done (or a reload) removes it from the page for good.

export function NewKeyNotice({ created, onDone }: { created: CreatedAccessKey; onDone: () => void }) {
  const secret = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState<'copied' | 'selected'>();
  return (
    <div class="new-key" role="status" aria-label="New key">
      <p>
        Key <strong>{created.name}</strong> created. Copy it now: it is shown only this once. <a href="#/connect">Connect</a> shows how an app uses it.
      </p>
      <code ref={secret} class="secret">
        {created.key}
      </code>
      <div class="actions">
        <button type="button" class="primary" onClick={async () => setCopied(await copyText(created.key, secret.current!))}>
          Copy key
        </button>
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
      {copied === 'copied' && <p>Copied to the clipboard.</p>}
      {copied === 'selected' && <p>The clipboard is not available here: the key is selected, press Ctrl+C (⌘C) to copy it.</p>}
    </div>
  );
}
