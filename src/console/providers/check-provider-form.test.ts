import { describe, expect, it } from 'vitest';
import { checkProviderForm, type ProviderFormText } from './check-provider-form.ts';

const valid: ProviderFormText = { name: ' openai ', baseUrl: 'https://api.openai.com/v1 ', routingMethod: 'openai', apiKey: 'sk-test', customHeaders: 'X-Title: My app', pricing: '' };
const adding = { editing: false, keyRequired: true };

describe('the provider form, checked whole', () => {
  it('turns a valid form into what POST /providers takes', () => {
    expect(checkProviderForm(valid, adding)).toEqual({
      ok: true,
      input: { name: 'openai', baseUrl: 'https://api.openai.com/v1', routingMethod: 'openai', apiKey: 'sk-test', customHeaders: { 'X-Title': 'My app' } },
    });
  });

  it('names every mistake at once, in plain words', () => {
    expect(checkProviderForm({ name: 'a/b', baseUrl: 'api.openai.com/v1', routingMethod: 'openai', apiKey: '', customHeaders: 'no colon', pricing: 'gpt-4o* = 2.5' }, adding)).toEqual({
      ok: false,
      errors: {
        name: 'A name cannot contain "/": in a model name the "/" separates the provider from the model.',
        baseUrl: 'Enter a whole address starting with https:// (or http:// for a server on your own network).',
        apiKey: 'Paste the provider\'s API key. It is stored encrypted and never shown again.',
        customHeaders: 'Line 1: write each header as Name: value',
        pricing: 'Line 1: give the input and output prices, then if you wish the cached input and cache write prices (1 given)',
      },
    });
    expect(checkProviderForm({ ...valid, name: '  ', baseUrl: '' }, adding)).toEqual({
      ok: false,
      errors: {
        name: 'Give the provider a name: it is the first part of its model names, as in openai/gpt-4o.',
        baseUrl: 'Enter the address the provider\'s API answers at, such as https://api.openai.com/v1.',
      },
    });
    expect(checkProviderForm({ ...valid, name: 'x'.repeat(65), baseUrl: 'ftp://example.com', apiKey: ' sk ' }, adding)).toEqual({
      ok: false,
      errors: {
        name: 'Use at most 64 characters (this name has 65).',
        baseUrl: 'Enter a whole address starting with https:// (or http:// for a server on your own network).',
        apiKey: 'Remove the spaces or line breaks around the key.',
      },
    });
    expect(checkProviderForm({ ...valid, baseUrl: 'https://user:secret@example.com/v1' }, adding)).toEqual({
      ok: false,
      errors: { baseUrl: 'Leave the user name and password out of the address; the key goes in "API key".' },
    });
  });

  it('sends prices when given; an empty field sends none on add and removes the stored ones (null) on edit', () => {
    expect(checkProviderForm({ ...valid, pricing: 'gpt-4o* = $2.50, $10\nllama3:8b = 0, 0' }, adding)).toEqual({
      ok: true,
      input: {
        name: 'openai',
        baseUrl: 'https://api.openai.com/v1',
        routingMethod: 'openai',
        apiKey: 'sk-test',
        customHeaders: { 'X-Title': 'My app' },
        pricing: { 'gpt-4o*': { input: 2.5, output: 10 }, 'llama3:8b': { input: 0, output: 0 } },
      },
    });
    const blank = checkProviderForm({ ...valid, pricing: ' \n' }, adding);
    expect(blank.ok && Object.keys(blank.input)).toEqual(['name', 'baseUrl', 'routingMethod', 'customHeaders', 'apiKey']);
    expect(checkProviderForm({ ...valid, apiKey: '', pricing: '' }, { editing: true, keyRequired: true })).toEqual({
      ok: true,
      input: { name: 'openai', baseUrl: 'https://api.openai.com/v1', routingMethod: 'openai', customHeaders: { 'X-Title': 'My app' }, pricing: null },
    });
  });

  it('lets the key be empty for a service that needs none, and on edit (the stored key stays)', () => {
    const local = { ...valid, baseUrl: 'http://127.0.0.1:11434/v1', apiKey: '' };
    expect(checkProviderForm(local, { editing: false, keyRequired: false })).toEqual({
      ok: true,
      input: { name: 'openai', baseUrl: 'http://127.0.0.1:11434/v1', routingMethod: 'openai', customHeaders: { 'X-Title': 'My app' } },
    });
    expect(checkProviderForm({ ...valid, apiKey: '' }, { editing: true, keyRequired: true })).toMatchObject({ ok: true });
  });
});
