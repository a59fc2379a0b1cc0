import { expect, it } from 'vitest';
import { checkRouteForm, routeFormText } from './check-route-form.ts';

it('turns the form into what POST /routes takes', () => {
  const form = { name: ' gpt-4o ', strategy: 'least-busy' as const, targets: [{ model: 'openai-1/gpt-4o', weight: '3' }, { model: 'openai-2/gpt-4o', weight: '1.5' }] };
  expect(checkRouteForm(form)).toEqual({ ok: true, input: { name: 'gpt-4o', strategy: 'least-busy', targets: [{ model: 'openai-1/gpt-4o', weight: 3 }, { model: 'openai-2/gpt-4o', weight: 1.5 }] } });
});

it('names every mistake by its field, once per field', () => {
  expect(checkRouteForm({ name: 'a/b', strategy: 'weighted', targets: [{ model: '', weight: '1' }, { model: 'p/m', weight: '0' }] })).toEqual({
    ok: false,
    errors: { name: 'A route name may not contain "/" (that is how provider models are named).', targets: 'Pick a model for target 1.' },
  });
  expect(checkRouteForm({ name: 'r', strategy: 'weighted', targets: [{ model: 'p/m', weight: '1' }, { model: 'p/m', weight: '2' }] })).toEqual({ ok: false, errors: { targets: 'Target 2 repeats p/m.' } });
  expect(checkRouteForm({ name: 'r', strategy: 'weighted', targets: [{ model: 'p/m', weight: 'x' }] })).toEqual({ ok: false, errors: { targets: 'The weight of target 1 must be a number above 0.' } });
  expect(checkRouteForm({ name: '', strategy: 'weighted', targets: [] })).toEqual({ ok: false, errors: { name: 'Give the route a name: clients send it as their model.', targets: 'Add at least one target.' } });
});

it('starts a new route with one empty target, and an edit from the stored route', () => {
  expect(routeFormText(undefined)).toEqual({ name: '', strategy: 'weighted', targets: [{ model: '', weight: '1' }] });
  const route = { id: 'r1', name: 'gpt-4o', strategy: 'lowest-latency' as const, targets: [{ model: 'p/m', weight: 2 }], createdAt: '', updatedAt: '' };
  expect(routeFormText(route)).toEqual({ name: 'gpt-4o', strategy: 'lowest-latency', targets: [{ model: 'p/m', weight: '2' }] });
});
