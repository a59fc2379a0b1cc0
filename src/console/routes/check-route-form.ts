import type { CreateRouteInput, Route, RouteStrategy } from 'llm-gateway-client';

// The route form's text and its check before anything is sent: a name without `/`, 1 to 20
// targets each picked from the model list, no target twice, weights that are positive numbers.
// What the gateway checks again (the providers exist, the name is free) comes back by field.

export const routeFields = ['name', 'targets', 'strategy'] as const;
export type RouteField = (typeof routeFields)[number];

export interface RouteFormText {
  name: string;
  strategy: RouteStrategy;
  targets: Array<{ model: string; weight: string }>;
}

export function routeFormText(route: Route | undefined): RouteFormText {
  if (!route) return { name: '', strategy: 'weighted', targets: [{ model: '', weight: '1' }] };
  return { name: route.name, strategy: route.strategy, targets: route.targets.map((target) => ({ model: target.model, weight: String(target.weight) })) };
}

export type RouteFormCheck = { ok: true; input: CreateRouteInput } | { ok: false; errors: Partial<Record<RouteField, string>> };

export function checkRouteForm(form: RouteFormText): RouteFormCheck {
  const errors: Partial<Record<RouteField, string>> = {};
  const name = form.name.trim();
  if (name === '') errors.name = 'Give the route a name: clients send it as their model.';
  else if (name.includes('/')) errors.name = 'A route name may not contain "/" (that is how provider models are named).';
  else if (name.length > 64) errors.name = 'At most 64 characters.';
  const targets: CreateRouteInput['targets'] = [];
  const seen = new Set<string>();
  for (const [index, target] of form.targets.entries()) {
    const weight = Number(target.weight.trim());
    if (target.model === '') errors.targets ??= `Pick a model for target ${index + 1}.`;
    else if (seen.has(target.model)) errors.targets ??= `Target ${index + 1} repeats ${target.model}.`;
    else if (target.weight.trim() === '' || !Number.isFinite(weight) || weight <= 0) errors.targets ??= `The weight of target ${index + 1} must be a number above 0.`;
    seen.add(target.model);
    targets.push({ model: target.model, weight });
  }
  if (form.targets.length === 0) errors.targets = 'Add at least one target.';
  else if (form.targets.length > 20) errors.targets = 'At most 20 targets.';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, input: { name, strategy: form.strategy, targets } };
}
