import type { GatewayClient, Provider } from 'llm-gateway-client';
import { useState } from 'preact/hooks';
import { ErrorSummary } from '../ui/error-summary.tsx';
import { errorMessage, fieldOfError } from '../ui/error-message.ts';
import { Field } from '../ui/field.tsx';
import { ModalDialog } from '../ui/modal-dialog.tsx';
import { useFormProblems } from '../ui/use-form-problems.ts';
import { checkProviderForm, providerFields, type ProviderField, type ProviderFormText } from './check-provider-form.ts';
import { formatCustomHeaders } from './custom-headers-text.ts';
import { formatPricing } from './pricing-text.ts';
import { providerPresets, type ProviderPreset } from 'llm-gateway-client/presets';

// Add a provider (from a preset, or by hand) or edit one. The whole form is checked before it is
// sent, every mistake shown at once beside its field and read out in the summary, and the focus
// goes to the first; what only the gateway can know comes back the same way. On edit, an empty
// API key keeps the stored one.

const LABELS: Record<ProviderField, string> = { name: 'Name', baseUrl: 'Base URL', routingMethod: 'Protocol', apiKey: 'API key', customHeaders: 'Custom headers', pricing: 'Pricing' };

export interface ProviderFormProps {
  gateway: GatewayClient;
  /** The provider to edit; absent to add one. */
  provider?: Provider | undefined;
  onSaved: (provider: Provider) => void;
  onClose: () => void;
}

export function ProviderForm({ gateway, provider, onSaved, onClose }: ProviderFormProps) {
  const [form, setForm] = useState<ProviderFormText>({
    name: provider?.name ?? '',
    baseUrl: provider?.baseUrl ?? '',
    routingMethod: provider?.routingMethod ?? 'openai',
    apiKey: '',
    customHeaders: formatCustomHeaders(provider?.customHeaders ?? {}),
    pricing: formatPricing(provider?.pricing ?? {}),
  });
  const [preset, setPreset] = useState<ProviderPreset>();
  const [busy, setBusy] = useState(false);
  const problems = useFormProblems(LABELS);
  const edit = (change: Partial<ProviderFormText>) => setForm((current) => ({ ...current, ...change }));

  const choosePreset = (id: string) => {
    const chosen = providerPresets.find((each) => each.id === id);
    setPreset(chosen);
    if (chosen === undefined) return;
    setForm((current) => ({
      // The preset's id as the name, unless one was typed (a previous preset's was not).
      name: current.name === '' || current.name === preset?.id ? chosen.id : current.name,
      baseUrl: chosen.baseUrl,
      routingMethod: chosen.routingMethod,
      apiKey: current.apiKey,
      customHeaders: formatCustomHeaders(chosen.headers),
      pricing: current.pricing,
    }));
  };

  const save = async () => {
    const checked = checkProviderForm(form, { editing: provider !== undefined, keyRequired: preset?.apiKey === 'required' });
    if (!checked.ok) return problems.report(checked.errors);
    setBusy(true);
    problems.clear();
    try {
      onSaved(provider ? await gateway.providers.update(provider.id, checked.input) : await gateway.providers.create(checked.input));
    } catch (error) {
      problems.report({ [fieldOfError(error, providerFields) ?? 'form']: errorMessage(error) });
      setBusy(false);
    }
  };

  const keyHint = provider
    ? provider.apiKeyHint === null
      ? 'No key stored: none is sent. Leave empty to keep it that way.'
      : `Leave empty to keep the stored key (${provider.apiKeyHint}).`
    : preset?.apiKey === 'none'
      ? `${preset.label} needs no key: leave it empty.`
      : preset?.apiKey === 'optional'
        ? 'Only if the server was started with one; else leave it empty.'
        : 'Stored encrypted; the console never shows it again. Leave empty for a server that needs none.';
  const presetHint = preset
    ? [preset.note, preset.local ? 'On your own machine or network: the gateway reaches it only with ALLOW_PRIVATE_UPSTREAMS=true (or its host:port in that list).' : undefined].filter(Boolean).join(' ') || `Base URL and protocol as ${preset.label} documents them.`
    : 'Fills in the base URL and protocol of a known service.';

  return (
    <ModalDialog title={provider ? `Edit ${provider.name}` : 'Add provider'} onClose={onClose}>
      <form
        ref={problems.form}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        {!provider && providerPresets.length > 0 && (
          <Field label="Preset" hint={presetHint}>
            {(control) => (
              <select {...control} value={preset?.id ?? ''} onChange={(event) => choosePreset(event.currentTarget.value)}>
                <option value="">Other: fill in by hand</option>
                {providerPresets.map((each) => (
                  <option key={each.id} value={each.id}>
                    {each.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field label="Name" hint="Used in model names: <name>/<model>." error={problems.errors.name}>
          {(control) => <input {...control} type="text" autocomplete="off" value={form.name} onInput={(event) => edit({ name: event.currentTarget.value })} />}
        </Field>
        <Field label="Base URL" hint="e.g. https://api.openai.com/v1 or https://api.anthropic.com" error={problems.errors.baseUrl}>
          {(control) => <input {...control} type="text" inputMode="url" autocomplete="off" spellcheck={false} value={form.baseUrl} onInput={(event) => edit({ baseUrl: event.currentTarget.value })} />}
        </Field>
        <Field label="Protocol" error={problems.errors.routingMethod}>
          {(control) => (
            <select {...control} value={form.routingMethod} onChange={(event) => edit({ routingMethod: event.currentTarget.value as ProviderFormText['routingMethod'] })}>
              <option value="openai">openai</option>
              <option value="anthropic">anthropic</option>
            </select>
          )}
        </Field>
        <Field label="API key" hint={keyHint} error={problems.errors.apiKey}>
          {(control) => <input {...control} type="password" autocomplete="new-password" spellcheck={false} value={form.apiKey} onInput={(event) => edit({ apiKey: event.currentTarget.value })} />}
        </Field>
        <Field label="Custom headers" hint="Optional. One per line, as Name: value." error={problems.errors.customHeaders}>
          {(control) => <textarea {...control} rows={3} spellcheck={false} value={form.customHeaders} onInput={(event) => edit({ customHeaders: event.currentTarget.value })} />}
        </Field>
        <Field label="Pricing" hint="Optional. Dollars per million tokens, one model pattern per line: pattern = input, output[, cached input[, cache write]]. * matches any characters; the longest pattern wins." error={problems.errors.pricing}>
          {(control) => <textarea {...control} rows={3} spellcheck={false} placeholder="gpt-4o* = 2.50, 10" value={form.pricing} onInput={(event) => edit({ pricing: event.currentTarget.value })} />}
        </Field>
        <ErrorSummary problems={problems.problems} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            Save
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
