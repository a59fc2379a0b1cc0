import type { AccessKey, CreatedAccessKey, GatewayClient, Provider } from 'llm-gateway-client';
import { useState } from 'preact/hooks';
import { errorMessage, fieldOfError } from '../ui/error-message.ts';
import { ErrorSummary } from '../ui/error-summary.tsx';
import { Field } from '../ui/field.tsx';
import { formatWindow } from '../ui/format-window.ts';
import { ModalDialog } from '../ui/modal-dialog.tsx';
import { useFormProblems } from '../ui/use-form-problems.ts';
import { checkKeyForm, keyFields, keyFormText, type KeyField, type KeyFormText } from './check-key-form.ts';

// Create an access key, or edit one: its name, the providers (by name) and models it may use, a
// rate limit, a token budget, an expiry day (UTC) and, on edit, whether it is disabled. The whole
// form is checked before it is sent; every mistake shows beside its field, is read out in the
// summary, and the focus goes to the first.

const LABELS: Record<KeyField, string> = { name: 'Name', providers: 'Allowed providers', models: 'Allowed models', rateLimit: 'Requests', budget: 'Token budget', expiresAt: 'Expires on (UTC)' };
const WINDOWS = [1000, 60_000, 3_600_000, 86_400_000];

export interface KeyFormProps {
  gateway: GatewayClient;
  /** Every provider, to choose from by name. */
  providers: Provider[];
  /** The key to edit; absent to create one. */
  accessKey?: AccessKey | undefined;
  /** Create: the answer, with the secret. */
  onCreated: (key: CreatedAccessKey) => void;
  onSaved: (key: AccessKey) => void;
  onClose: () => void;
}

export function KeyForm({ gateway, providers, accessKey, onCreated, onSaved, onClose }: KeyFormProps) {
  const previous = keyFormText(accessKey);
  const [form, setForm] = useState<KeyFormText>(previous);
  const [busy, setBusy] = useState(false);
  const problems = useFormProblems(LABELS);
  const edit = (change: Partial<KeyFormText>) => setForm((current) => ({ ...current, ...change }));
  const today = new Date().toISOString().slice(0, 10);
  // A provider deleted since the key was scoped to it stays listed (by its id) until unticked.
  const choices = [...providers.map((provider) => ({ id: provider.id, label: provider.name })), ...form.providers.filter((id) => !providers.some((provider) => provider.id === id)).map((id) => ({ id, label: `deleted provider ${id.slice(0, 8)}` }))];
  const windows = WINDOWS.includes(form.rateWindowMs) ? WINDOWS : [...WINDOWS, form.rateWindowMs];

  const save = async () => {
    const checked = checkKeyForm(form, { editing: accessKey !== undefined, today, previous });
    if (!checked.ok) return problems.report(checked.errors);
    setBusy(true);
    problems.clear();
    try {
      if (accessKey) onSaved(await gateway.keys.update(accessKey.id, checked.input));
      else onCreated(await gateway.keys.create(checked.input));
    } catch (error) {
      problems.report({ [fieldOfError(error, keyFields) ?? 'form']: errorMessage(error) });
      setBusy(false);
    }
  };

  return (
    <ModalDialog title={accessKey ? `Edit key ${accessKey.name}` : 'Create key'} onClose={onClose}>
      <form
        ref={problems.form}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <Field label="Name" hint="Who or what uses it." error={problems.errors.name}>
          {(control) => <input {...control} type="text" autocomplete="off" value={form.name} onInput={(event) => edit({ name: event.currentTarget.value })} />}
        </Field>
        <fieldset class="choices" aria-describedby="key-providers-hint" aria-invalid={problems.errors.providers ? 'true' : undefined}>
          <legend>Allowed providers</legend>
          <p id="key-providers-hint" class="hint">
            None ticked: every provider, those added later included.
            {problems.errors.providers && <span class="field-error"> {problems.errors.providers}</span>}
          </p>
          {choices.length === 0 && <p class="hint">No providers yet.</p>}
          {choices.map((choice) => (
            <label key={choice.id}>
              <input
                type="checkbox"
                checked={form.providers.includes(choice.id)}
                onChange={(event) => edit({ providers: event.currentTarget.checked ? [...form.providers, choice.id] : form.providers.filter((id) => id !== choice.id) })}
              />
              {choice.label}
            </label>
          ))}
        </fieldset>
        <Field label="Allowed models" hint="Optional. Patterns like openai/gpt-4o*, one per line or comma-separated; empty: every model." error={problems.errors.models}>
          {(control) => <textarea {...control} rows={2} spellcheck={false} value={form.models} onInput={(event) => edit({ models: event.currentTarget.value })} />}
        </Field>
        <div class="field-pair">
          <Field label="Requests" hint="Optional rate limit; empty: only the gateway's own." error={problems.errors.rateLimit}>
            {(control) => <input {...control} type="text" inputMode="numeric" autocomplete="off" value={form.rateRequests} onInput={(event) => edit({ rateRequests: event.currentTarget.value })} />}
          </Field>
          <Field label="Rate window">
            {(control) => (
              <select {...control} value={form.rateWindowMs} onChange={(event) => edit({ rateWindowMs: Number(event.currentTarget.value) })}>
                {windows.map((windowMs) => (
                  <option key={windowMs} value={windowMs}>
                    {formatWindow(windowMs)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <div class="field-pair">
          <Field label="Token budget" hint="Optional. Prompt plus completion tokens, such as 1,000,000." error={problems.errors.budget}>
            {(control) => <input {...control} type="text" inputMode="numeric" autocomplete="off" value={form.budgetTokens} onInput={(event) => edit({ budgetTokens: event.currentTarget.value })} />}
          </Field>
          <Field label="Dollar budget (US$)" hint="Optional. What its requests may cost, such as 20." error={problems.errors.budget}>
            {(control) => <input {...control} type="text" inputMode="decimal" autocomplete="off" value={form.budgetUsd} onInput={(event) => edit({ budgetUsd: event.currentTarget.value })} />}
          </Field>
          <Field label="Budget period">
            {(control) => (
              <select {...control} value={form.budgetPeriod} onChange={(event) => edit({ budgetPeriod: event.currentTarget.value as KeyFormText['budgetPeriod'] })}>
                <option value="day">per UTC day</option>
                <option value="month">per UTC month</option>
                <option value="total">in total</option>
              </select>
            )}
          </Field>
        </div>
        <Field label="Expires on (UTC)" hint="Optional. The key stops working at 00:00 UTC that day." error={problems.errors.expiresAt}>
          {(control) => <input {...control} type="date" value={form.expiresOn} onInput={(event) => edit({ expiresOn: event.currentTarget.value })} />}
        </Field>
        {accessKey && (
          <label class="check">
            <input type="checkbox" checked={form.disabled} onChange={(event) => edit({ disabled: event.currentTarget.checked })} />
            Disabled: refuse this key until it is enabled again
          </label>
        )}
        <ErrorSummary problems={problems.problems} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {accessKey ? 'Save' : 'Create key'}
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
