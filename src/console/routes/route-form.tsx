import type { GatewayClient, Route, RouteStrategy } from 'llm-gateway-client';
import { useState } from 'preact/hooks';
import { errorMessage, fieldOfError } from '../ui/error-message.ts';
import { ErrorSummary } from '../ui/error-summary.tsx';
import { Field } from '../ui/field.tsx';
import { ModalDialog } from '../ui/modal-dialog.tsx';
import { useFormProblems } from '../ui/use-form-problems.ts';
import { checkRouteForm, routeFields, routeFormText, type RouteField, type RouteFormText } from './check-route-form.ts';

// Create a route, or edit one: its name, its strategy and its targets, each picked from the
// providers' models (GET /models) with its weight. Checked whole before it is sent; the gateway's
// refusals (a name taken, a provider gone) come back beside their field.

const LABELS: Record<RouteField, string> = { name: 'Name', strategy: 'Strategy', targets: 'Targets' };
const STRATEGIES: Array<{ value: RouteStrategy; label: string }> = [
  { value: 'weighted', label: 'Weighted: at random, in proportion to the weights' },
  { value: 'least-busy', label: 'Least busy: fewest requests in flight' },
  { value: 'lowest-latency', label: 'Lowest latency: fastest first token lately' },
];

export interface RouteFormProps {
  gateway: GatewayClient;
  /** `<provider>/<model>` ids to pick targets from. */
  models: string[];
  /** The route to edit; absent to create one. */
  route?: Route | undefined;
  onSaved: (route: Route) => void;
  onClose: () => void;
}

export function RouteForm({ gateway, models, route, onSaved, onClose }: RouteFormProps) {
  const [form, setForm] = useState<RouteFormText>(routeFormText(route));
  const [busy, setBusy] = useState(false);
  const problems = useFormProblems(LABELS);
  const edit = (change: Partial<RouteFormText>) => setForm((current) => ({ ...current, ...change }));
  const editTarget = (index: number, change: Partial<RouteFormText['targets'][number]>) =>
    edit({ targets: form.targets.map((target, at) => (at === index ? { ...target, ...change } : target)) });
  // A stored target no longer in the model list (its provider failed to list, or was renamed) stays choosable.
  const choices = [...new Set([...models, ...form.targets.map((target) => target.model).filter((model) => model !== '')])];

  const save = async () => {
    const checked = checkRouteForm(form);
    if (!checked.ok) return problems.report(checked.errors);
    setBusy(true);
    problems.clear();
    try {
      onSaved(route ? await gateway.routes.update(route.id, checked.input) : await gateway.routes.create(checked.input));
    } catch (error) {
      problems.report({ [fieldOfError(error, routeFields) ?? 'form']: errorMessage(error) });
      setBusy(false);
    }
  };

  return (
    <ModalDialog title={route ? `Edit route ${route.name}` : 'Add route'} onClose={onClose}>
      <form
        ref={problems.form}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <Field label="Name" hint="What clients send as model, such as gpt-4o. No slash." error={problems.errors.name}>
          {(control) => <input {...control} type="text" autocomplete="off" value={form.name} onInput={(event) => edit({ name: event.currentTarget.value })} />}
        </Field>
        <Field label="Strategy" error={problems.errors.strategy}>
          {(control) => (
            <select {...control} value={form.strategy} onChange={(event) => edit({ strategy: event.currentTarget.value as RouteStrategy })}>
              {STRATEGIES.map((strategy) => (
                <option key={strategy.value} value={strategy.value}>
                  {strategy.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <fieldset class="choices" aria-describedby="route-targets-hint" aria-invalid={problems.errors.targets ? 'true' : undefined}>
          <legend>Targets</legend>
          <p id="route-targets-hint" class="hint">
            1 to 20 models that can answer for this name. When one fails before answering, the next serves.
            {problems.errors.targets && <span class="field-error"> {problems.errors.targets}</span>}
          </p>
          {form.targets.map((target, index) => (
            <div class="field-pair" key={index}>
              <Field label={`Target ${index + 1} model`}>
                {(control) => (
                  <select {...control} value={target.model} onChange={(event) => editTarget(index, { model: event.currentTarget.value })}>
                    <option value="">Choose a model…</option>
                    {choices.map((model) => (
                      <option key={model} value={model}>
                        {model}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label={`Target ${index + 1} weight`}>
                {(control) => <input {...control} type="text" inputMode="decimal" autocomplete="off" value={target.weight} onInput={(event) => editTarget(index, { weight: event.currentTarget.value })} />}
              </Field>
              <button type="button" disabled={form.targets.length === 1} onClick={() => edit({ targets: form.targets.filter((_, at) => at !== index) })}>
                Remove target {index + 1}
              </button>
            </div>
          ))}
          <button type="button" disabled={form.targets.length >= 20} onClick={() => edit({ targets: [...form.targets, { model: '', weight: '1' }] })}>
            Add target
          </button>
        </fieldset>
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
