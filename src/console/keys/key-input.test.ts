import { expect, it } from 'vitest';
import { toCreateKeyInput } from './key-input.ts';

const empty = { name: 'app', providers: '', models: '', budgetTokens: '', budgetPeriod: 'month' as const };

it('leaves out what was left empty: no limit', () => {
  expect(toCreateKeyInput(empty)).toEqual({ name: 'app' });
  expect(toCreateKeyInput({ ...empty, providers: ' , ', models: '\n' })).toEqual({ name: 'app' });
});

it('turns comma or newline separated lists into arrays and the budget into a number with its period', () => {
  expect(toCreateKeyInput({ name: 'app', providers: 'openai, anthropic', models: 'openai/gpt-4o*\nanthropic/claude-*', budgetTokens: ' 5000 ', budgetPeriod: 'day' })).toEqual({
    name: 'app',
    providers: ['openai', 'anthropic'],
    models: ['openai/gpt-4o*', 'anthropic/claude-*'],
    budget: { tokens: 5000, period: 'day' },
  });
});

it('passes a budget that is not a number on, for the gateway to refuse beside its field', () => {
  expect(toCreateKeyInput({ ...empty, budgetTokens: 'lots' }).budget).toEqual({ tokens: Number.NaN, period: 'month' });
});
