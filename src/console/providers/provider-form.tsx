import type { GatewayClient, Provider, ProviderInput } from 'llm-gateway-client';
import { useState } from 'preact/hooks';
import { AlertText } from '../ui/alert-text.tsx';
import { errorMessage, fieldOfError } from '../ui/error-message.ts';
import { Field } from '../ui/field.tsx';
import { ModalDialog } from '../ui/modal-dialog.tsx';
import { formatCustomHeaders, parseCustomHeaders } from './custom-headers-text.ts';

// Add or edit a provider. Every rule is the gateway's: its validation error is shown beside the
// field that details.field names. On edit, an empty API key keeps the stored one; on add, it means
// the provider has none.

const fields = ['name', 'baseUrl', 'apiKey', 'routingMethod', 'customHeaders'] as const;
type FieldName = (typeof fields)[number];
type Errors = Partial<Record<FieldName | 'form', string>>;

export interface ProviderFormProps {
  gateway: GatewayClient;
  /** The provider to edit; absent to add one. */
  provider?: Provider | undefined;
  onSaved: (provider: Provider) => void;
  onClose: () => void;
}

export function ProviderForm({ gateway, provider, onSaved, onClose }: ProviderFormProps) {
  const [name, setName] = useState(provider?.name ?? '');
  const [baseUrl, setBaseUrl] = useState(provider?.baseUrl ?? '');
  const [routingMethod, setRoutingMethod] = useState<ProviderInput['routingMethod']>(provider?.routingMethod ?? 'openai');
  const [apiKey, setApiKey] = useState('');
  const [headersText, setHeadersText] = useState(formatCustomHeaders(provider?.customHeaders ?? {}));
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);

  const save = async () => {
    const headers = parseCustomHeaders(headersText);
    if (!headers.ok) return setErrors({ customHeaders: headers.message });
    setBusy(true);
    setErrors({});
    try {
      const common = { name, baseUrl, routingMethod, customHeaders: headers.headers };
      const saved = provider
        ? await gateway.providers.update(provider.id, apiKey === '' ? common : { ...common, apiKey })
        : await gateway.providers.create(apiKey === '' ? common : { ...common, apiKey });
      onSaved(saved);
    } catch (error) {
      setErrors({ [fieldOfError(error, fields) ?? 'form']: errorMessage(error) });
      setBusy(false);
    }
  };

  return (
    <ModalDialog title={provider ? `Edit ${provider.name}` : 'Add provider'} onClose={onClose}>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <Field label="Name" hint="Used in model names: <name>/<model>." error={errors.name}>
          {(control) => <input {...control} type="text" autocomplete="off" value={name} onInput={(event) => setName(event.currentTarget.value)} />}
        </Field>
        <Field label="Base URL" hint="e.g. https://api.openai.com/v1 or https://api.anthropic.com" error={errors.baseUrl}>
          {(control) => <input {...control} type="text" inputMode="url" autocomplete="off" spellcheck={false} value={baseUrl} onInput={(event) => setBaseUrl(event.currentTarget.value)} />}
        </Field>
        <Field label="Protocol" error={errors.routingMethod}>
          {(control) => (
            <select {...control} value={routingMethod} onChange={(event) => setRoutingMethod(event.currentTarget.value as ProviderInput['routingMethod'])}>
              <option value="openai">openai</option>
              <option value="anthropic">anthropic</option>
            </select>
          )}
        </Field>
        <Field label="API key" hint={provider ? (provider.apiKeyHint === null ? 'No key stored: none is sent. Leave empty to keep it that way.' : `Leave empty to keep the stored key (${provider.apiKeyHint}).`) : 'Optional for a server that needs none (Ollama, vLLM). Stored encrypted; the console never shows it again.'} error={errors.apiKey}>
          {(control) => <input {...control} type="password" autocomplete="new-password" spellcheck={false} value={apiKey} onInput={(event) => setApiKey(event.currentTarget.value)} />}
        </Field>
        <Field label="Custom headers" hint="Optional. One per line, as Name: value." error={errors.customHeaders}>
          {(control) => <textarea {...control} rows={3} spellcheck={false} value={headersText} onInput={(event) => setHeadersText(event.currentTarget.value)} />}
        </Field>
        <AlertText message={errors.form} />
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
