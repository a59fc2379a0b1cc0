import type { CreatedAccessKey } from 'llm-gateway-client';
import { useRef, useState } from 'preact/hooks';

// The new key's secret, shown this once: the gateway keeps only its hash. It lives in this
// component's memory only, so Done (or a reload) removes it from the page for good.

export function NewKeyNotice({ created, onDone }: { created: CreatedAccessKey; onDone: () => void }) {
  const secret = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState<'yes' | 'select'>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied('yes');
    } catch {
      // No clipboard access (an insecure origin, a refused permission): select it for Ctrl+C.
      const range = document.createRange();
      range.selectNodeContents(secret.current!);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
      setCopied('select');
    }
  };
  return (
    <div class="new-key" role="status" aria-label="New key">
      <p>
        Key <strong>{created.name}</strong> created. Copy it now: it is shown only this once.
      </p>
      <code ref={secret} class="secret">
        {created.key}
      </code>
      <div class="actions">
        <button type="button" class="primary" onClick={copy}>
          Copy key
        </button>
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
      {copied === 'yes' && <p>Copied to the clipboard.</p>}
      {copied === 'select' && <p>The clipboard is not available here: the key is selected, press Ctrl+C (⌘C) to copy it.</p>}
    </div>
  );
}
