import { GatewayError, type GatewayClient, type ImportConflictPolicy, type ProviderImportResult } from 'llm-gateway-client';
import { useState } from 'preact/hooks';
import { errorMessage } from '../ui/error-message.ts';
import { ErrorSummary } from '../ui/error-summary.tsx';
import { Field } from '../ui/field.tsx';
import { ModalDialog } from '../ui/modal-dialog.tsx';
import { useFormProblems } from '../ui/use-form-problems.ts';
import { checkImportEntries, describeEntry } from './check-import-entries.ts';
import { parseImportEntries } from './import-entries.ts';

// Moving a web UI's providers (keys included) into the gateway in one call: paste, see what a
// dry run would do, then import. Every entry is checked first, as "Add provider" checks its form,
// and every problem is listed at once; entries are counted from 1 everywhere. All or nothing, as
// the gateway does it. Once imported, the pasted text (which holds the keys) is cleared.

export interface ImportDialogProps {
  gateway: GatewayClient;
  onImported: () => void;
  onClose: () => void;
}

export function ImportDialog({ gateway, onImported, onClose }: ImportDialogProps) {
  const [text, setText] = useState('');
  const [onConflict, setOnConflict] = useState<ImportConflictPolicy>('fail');
  const [busy, setBusy] = useState(false);
  const problems = useFormProblems({ entries: 'Providers (JSON array)' });
  const [result, setResult] = useState<ProviderImportResult>();

  const send = async (dryRun: boolean) => {
    setResult(undefined);
    const parsed = parseImportEntries(text);
    if (!parsed.ok) return problems.report({ entries: parsed.message });
    const entries = parsed.entries as unknown as Array<Record<string, unknown>>;
    const found = checkImportEntries(entries);
    if (found.length > 0) return problems.report({ entries: found.join('\n') });
    problems.clear();
    setBusy(true);
    try {
      const answer = await gateway.providers.import(parsed.entries, { onConflict, dryRun });
      setResult(answer);
      if (!dryRun) {
        setText('');
        onImported();
      }
    } catch (error) {
      problems.report({ entries: describeImportError(error, entries) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <ModalDialog title="Import providers" onClose={onClose}>
      <form ref={problems.form} noValidate onSubmit={(event) => event.preventDefault()}>
        <Field label="Providers (JSON array)" hint='Each entry as "Add provider" takes it: {"name", "baseUrl", "apiKey", "routingMethod", "customHeaders"}.' error={problems.errors.entries}>
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
        <ErrorSummary problems={problems.problems} />
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

/**
 * The gateway's refusal of one entry, numbered as the checks above number entries (from 1; the
 * gateway's own message counts from 0, so its `issue` is shown instead when there is one).
 */
function describeImportError(error: unknown, entries: Array<Record<string, unknown>>): string {
  const message = errorMessage(error);
  if (!(error instanceof GatewayError) || typeof error.details?.index !== 'number') return message;
  const { index, field, issue } = error.details;
  const what =
    error.code === 'CONFLICT'
      ? 'a provider with this name exists; choose "skip that entry" or "replace the stored provider" under "When a name exists" to import anyway'
      : typeof issue === 'string'
        ? issue
        : message;
  return `${describeEntry(index, entries[index])}: ${typeof field === 'string' ? `${field}: ` : ''}${what}`;
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
