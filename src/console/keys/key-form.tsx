import type { CreatedAccessKey, GatewayClient } from 'llm-gateway-client';
import { useState } from 'preact/hooks';
import { AlertText } from '../ui/alert-text.tsx';
import { errorMessage, fieldOfError } from '../ui/error-message.ts';
import { Field } from '../ui/field.tsx';
import { ModalDialog } from '../ui/modal-dialog.tsx';
import { toCreateKeyInput, type KeyFormText } from './key-input.ts';

// Create an access key: a name, and optionally the providers and models it may use and a token
// budget. The gateway's validation error is shown beside the field it names.

const fields = ['name', 'providers', 'models', 'budget'] as const;
type Errors = Partial<Record<(typeof fields)[number] | 'form', string>>;

export interface KeyFormProps {
  gateway: GatewayClient;
  onCreated: (key: CreatedAccessKey) => void;
  onClose: () => void;
}

export function KeyForm({ gateway, onCreated, onClose }: KeyFormProps) {
  const [form, setForm] = useState<KeyFormText>({ name: '', providers: '', models: '', budgetTokens: '', budgetPeriod: 'month' });
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const edit = (change: Partial<KeyFormText>) => setForm((current) => ({ ...current, ...change }));

  const create = async () => {
    setBusy(true);
    setErrors({});
    try {
      onCreated(await gateway.keys.create(toCreateKeyInput(form)));
    } catch (error) {
      setErrors({ [fieldOfError(error, fields) ?? 'form']: errorMessage(error) });
      setBusy(false);
    }
  };

  return (
    <ModalDialog title="Create key" onClose={onClose}>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void create();
        }}
      >
        <Field label="Name" hint="Who or what uses it." error={errors.name}>
          {(control) => <input {...control} type="text" autocomplete="off" value={form.name} onInput={(event) => edit({ name: event.currentTarget.value })} />}
        </Field>
        <Field label="Allowed providers" hint="Optional. Provider names or ids, comma-separated; empty: all." error={errors.providers}>
          {(control) => <input {...control} type="text" autocomplete="off" value={form.providers} onInput={(event) => edit({ providers: event.currentTarget.value })} />}
        </Field>
        <Field label="Allowed models" hint="Optional. Patterns like openai/gpt-4o*, comma-separated; empty: all." error={errors.models}>
          {(control) => <input {...control} type="text" autocomplete="off" value={form.models} onInput={(event) => edit({ models: event.currentTarget.value })} />}
        </Field>
        <div class="field-pair">
          <Field label="Token budget" hint="Optional. Prompt plus completion tokens." error={errors.budget}>
            {(control) => <input {...control} type="text" inputMode="numeric" autocomplete="off" value={form.budgetTokens} onInput={(event) => edit({ budgetTokens: event.currentTarget.value })} />}
          </Field>
          <Field label="Per">
            {(control) => (
              <select {...control} value={form.budgetPeriod} onChange={(event) => edit({ budgetPeriod: event.currentTarget.value as KeyFormText['budgetPeriod'] })}>
                <option value="day">day</option>
                <option value="month">month</option>
                <option value="total">in total</option>
              </select>
            )}
          </Field>
        </div>
        <AlertText message={errors.form} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            Create key
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
