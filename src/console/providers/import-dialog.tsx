import { GatewayError, type GatewayClient, type ImportConflictPolicy, type ProviderImportResult } from 'llm-gateway-client';
import { useState } from 'preact/hooks';
import { AlertText } from '../ui/alert-text.tsx';
import { errorMessage } from '../ui/error-message.ts';
import { Field } from '../ui/field.tsx';
import { ModalDialog } from '../ui/modal-dialog.tsx';
import { parseImportEntries } from './import-entries.ts';

// Moving a web UI's providers (keys included) into the gateway in one call: paste, see what a
// dry run would do, then import. All or nothing, as the gateway does it. Once imported, the
// pasted text (which holds the keys) is cleared from the page.

export interface ImportDialogProps {
  gateway: GatewayClient;
  onImported: () => void;
  onClose: () => void;
}

export function ImportDialog({ gateway, onImported, onClose }: ImportDialogProps) {
  const [text, setText] = useState('');
  const [onConflict, setOnConflict] = useState<ImportConflictPolicy>('fail');
  const [busy, setBusy] = useState(false);
  const [entriesError, setEntriesError] = useState<string>();
  const [result, setResult] = useState<ProviderImportResult>();

  const send = async (dryRun: boolean) => {
    setResult(undefined);
    const parsed = parseImportEntries(text);
    if (!parsed.ok) return setEntriesError(parsed.message);
    setEntriesError(undefined);
    setBusy(true);
    try {
      const answer = await gateway.providers.import(parsed.entries, { onConflict, dryRun });
      setResult(answer);
      if (!dryRun) {
        setText('');
        onImported();
      }
    } catch (error) {
      setEntriesError(describeImportError(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <ModalDialog title="Import providers" onClose={onClose}>
      <form noValidate onSubmit={(event) => event.preventDefault()}>
        <Field label="Providers (JSON array)" hint='Each entry as "Add provider" takes it: {"name", "baseUrl", "apiKey", "routingMethod", "customHeaders"}.' error={entriesError}>
          {(control) => <textarea {...control} rows={8} spellcheck={false} class="code" value={text} onInput={(event) => setText(event.currentTarget.value)} />}
        </Field>
        <Field label="When a name exists">
          {(control) => (
            <select {...control} value={onConflict} onChange={(event) => setOnConflict(event.currentTarget.value as ImportConflictPolicy)}>
              <option value="fail">fail: import nothing</option>
              <option value="skip">skip that entry</option>
              <option value="replace">replace the stored provider</option>
            </select>
          )}
        </Field>
        <div class="actions">
          <button type="button" disabled={busy} onClick={() => send(true)}>
            Dry run
          </button>
          <button type="button" class="primary" disabled={busy} onClick={() => send(false)}>
            Import
          </button>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </form>
      {result && <ImportResultList result={result} />}
    </ModalDialog>
  );
}

/** The gateway's message, and which entry and field it is about (entries counted from 1). */
function describeImportError(error: unknown): string {
  const message = errorMessage(error);
  if (!(error instanceof GatewayError)) return message;
  const { index, field } = error.details ?? {};
  const where = [typeof index === 'number' ? `entry ${index + 1}` : '', typeof field === 'string' ? `field ${field}` : ''].filter(Boolean).join(', ');
  return where ? `${message} (${where})` : message;
}

function ImportResultList({ result }: { result: ProviderImportResult }) {
  const verb = result.dryRun ? { created: 'Would create', replaced: 'Would replace', skipped: 'Would skip' } : { created: 'Created', replaced: 'Replaced', skipped: 'Skipped' };
  return (
    <section class="import-result" role="status" aria-label="Import result">
      <p>{result.dryRun ? 'Dry run: nothing was stored.' : 'Imported.'}</p>
      <ul>
        <li>
          {verb.created} {result.created.length}
          {result.created.length > 0 && `: ${result.created.map((provider) => provider.name).join(', ')}`}
        </li>
        <li>
          {verb.replaced} {result.replaced.length}
          {result.replaced.length > 0 && `: ${result.replaced.map((provider) => provider.name).join(', ')}`}
        </li>
        <li>
          {verb.skipped} {result.skipped.length}
          {result.skipped.length > 0 && `: ${result.skipped.map((entry) => `${entry.name} (${entry.reason})`).join(', ')}`}
        </li>
      </ul>
    </section>
  );
}
