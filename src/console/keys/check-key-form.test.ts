import type { AccessKey } from 'llm-gateway-client';
import { describe, expect, it } from 'vitest';
import { checkKeyForm, keyFormText, type KeyFormText } from './check-key-form.ts';

const today = '2026-12-07';
const empty = keyFormText();

describe('the access-key form, checked whole', () => {
  it('leaves out what is empty on create: no limit', () => {
    expect(checkKeyForm({ ...empty, name: ' app ' }, { editing: false, today })).toEqual({ ok: true, input: { name: 'app' } });
  });

  it('reads lists, numbers typed as the page shows them, the rate window and a UTC expiry day', () => {
    const form: KeyFormText = { ...empty, name: 'alice', providers: ['p1', 'p2'], models: 'openai/gpt-4o*, anthropic/claude-*\n', rateRequests: '1,000', rateWindowMs: 3_600_000, budgetTokens: '1,000,000', budgetPeriod: 'day', expiresOn: '2027-01-31' };
    expect(checkKeyForm(form, { editing: false, today })).toEqual({
      ok: true,
      input: {
        name: 'alice',
        providers: ['p1', 'p2'],
        models: ['openai/gpt-4o*', 'anthropic/claude-*'],
        rateLimit: { requests: 1000, windowMs: 3_600_000 },
        budget: { tokens: 1_000_000, period: 'day' },
        expiresAt: '2027-01-31T00:00:00.000Z',
      },
    });
  });

  it('sends null for a limit emptied on edit, which removes it, and the disabled flag', () => {
    expect(checkKeyForm({ ...empty, name: 'alice', disabled: true }, { editing: true, today })).toEqual({
      ok: true,
      input: { name: 'alice', providers: null, models: null, rateLimit: null, budget: null, expiresAt: null, disabled: true },
    });
  });

  it('names every mistake at once, in plain words', () => {
    const form: KeyFormText = { ...empty, name: '', models: 'openai/gpt-4o, gpt-4o-mini', rateRequests: '0', budgetTokens: '1,5', expiresOn: '2026-12-07' };
    expect(checkKeyForm(form, { editing: false, today })).toEqual({
      ok: false,
      errors: {
        name: 'Give the key a name: who or what uses it, such as "alice" or "support-bot".',
        models: '"gpt-4o-mini" needs its provider: write it as <provider name>/<model>, such as openai/gpt-4o*.',
        rateLimit: 'Allow between 1 and 1,000,000 requests per window, or leave it empty for no limit.',
        budget: 'Enter a whole number of tokens, such as 1,000,000, or leave it empty for no budget.',
        expiresAt: 'Pick a day after today (2026-12-07, UTC), or leave it empty for a key that does not expire.',
      },
    });
    expect(checkKeyForm({ ...empty, name: 'a', rateRequests: 'many', budgetTokens: '0', expiresOn: '31/01/2027' }, { editing: false, today })).toEqual({
      ok: false,
      errors: {
        rateLimit: 'Enter a whole number of requests, such as 60 or 1,000, or leave it empty for no limit.',
        budget: 'A budget needs at least 1 token; leave it empty for no budget.',
        expiresAt: 'Enter a day as YYYY-MM-DD, or leave it empty for a key that does not expire.',
      },
    });
  });

  it('fills the form from a stored key, its budget grouped as the page shows numbers, and keeps a past expiry that was not changed', () => {
    const key: AccessKey = {
      id: 'k1', name: 'old', keyHint: 'gwk_…abcd', providers: ['p1'], models: ['openai/*'], rateLimit: { requests: 60, windowMs: 60_000 }, budget: { tokens: 2_500_000, period: 'total' }, spent: { usd: 0, tokens: 0 },
      expiresAt: '2026-01-01T00:00:00.000Z', disabled: false, createdAt: '', updatedAt: '', lastUsedAt: null,
    };
    const form = keyFormText(key);
    expect(form).toEqual({ name: 'old', providers: ['p1'], models: 'openai/*', rateRequests: '60', rateWindowMs: 60_000, budgetTokens: '2,500,000', budgetUsd: '', budgetPeriod: 'total', expiresOn: '2026-01-01', disabled: false });
    expect(checkKeyForm(form, { editing: true, today, previous: form })).toEqual({ ok: true, input: {} });
    expect(checkKeyForm({ ...form, budgetTokens: '3,000,000', disabled: true }, { editing: true, today, previous: form })).toEqual({ ok: true, input: { budget: { tokens: 3_000_000, period: 'total' }, disabled: true } });
  });

  it('takes a dollar budget beside or instead of tokens, as people write amounts, and refuses one that is not above 0', () => {
    const today = '2026-12-07';
    expect(checkKeyForm({ ...empty, name: 'team', budgetUsd: '$1,250.50', budgetPeriod: 'month' }, { editing: false, today })).toEqual({ ok: true, input: { name: 'team', budget: { usd: 1250.5, period: 'month' } } });
    expect(checkKeyForm({ ...empty, name: 'team', budgetTokens: '1,000', budgetUsd: '20', budgetPeriod: 'day' }, { editing: false, today })).toEqual({ ok: true, input: { name: 'team', budget: { tokens: 1000, usd: 20, period: 'day' } } });
    for (const budgetUsd of ['twenty', '0', '-5', '2000000']) {
      expect(checkKeyForm({ ...empty, name: 'team', budgetUsd }, { editing: false, today })).toMatchObject({ ok: false, errors: { budget: 'Enter a dollar amount above 0 and up to 1,000,000, such as 20 or 49.50, or leave it empty for no dollar budget.' } });
    }
    expect(keyFormText({ id: 'k', name: 'n', keyHint: 'gwk_…a', providers: null, models: null, rateLimit: null, budget: { usd: 20, period: 'month' }, spent: { usd: 1.5, tokens: 10 }, expiresAt: null, disabled: false, createdAt: '', updatedAt: '', lastUsedAt: null })).toMatchObject({ budgetTokens: '', budgetUsd: '20' });
  });
});
