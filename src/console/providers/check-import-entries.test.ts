import { expect, it } from 'vitest';
import { checkImportEntries, describeEntry } from './check-import-entries.ts';

const good = { name: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-1', routingMethod: 'openai' };

it('finds nothing wrong with entries "Add provider" would take, a keyless local server included', () => {
  expect(checkImportEntries([good, { name: 'ollama', baseUrl: 'http://127.0.0.1:11434/v1', routingMethod: 'openai', customHeaders: { 'X-Title': 'app' } }])).toEqual([]);
});

it('names every entry with a problem, counted from 1 with its name, and each of its fields in plain words', () => {
  expect(
    checkImportEntries([
      good,
      { name: 'broken', baseUrl: 'ftp://127.0.0.1/files', routingMethod: 'gemini', apiKey: 'sk-1' },
      { baseUrl: 'https://example.com', routingMethod: 'openai', customHeaders: ['X-Title'] },
    ]),
  ).toEqual([
    'Entry 2 (broken): baseUrl: Enter a whole address starting with https:// (or http:// for a server on your own network). routingMethod: Choose the protocol the provider speaks: openai or anthropic.',
    'Entry 3: name: Give the provider a name: it is the first part of its model names, as in openai/gpt-4o. customHeaders: Write the headers as an object of names and text values, such as {"X-Title": "My app"}.',
  ]);
});

it('describes an entry the way the gateway\'s details.index is shown', () => {
  expect(describeEntry(0, { name: ' alpha ' })).toBe('Entry 1 (alpha)');
  expect(describeEntry(4, undefined)).toBe('Entry 5');
});
