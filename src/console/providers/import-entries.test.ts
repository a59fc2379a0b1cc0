import { expect, it } from 'vitest';
import { parseImportEntries } from './import-entries.ts';

it('takes a JSON array of objects and leaves their fields to the gateway', () => {
  const entries = [{ name: 'a', baseUrl: 'http://127.0.0.1:1/v1', apiKey: 'k', routingMethod: 'openai' }, { name: 'b', extra: true }];
  expect(parseImportEntries(JSON.stringify(entries))).toEqual({ ok: true, entries });
});

it('refuses what is not a non-empty array of objects, saying which', () => {
  expect(parseImportEntries('{"providers": []}')).toEqual({ ok: false, message: 'Paste a JSON array of providers: [{"name": …, "baseUrl": …, "apiKey": …, "routingMethod": …}]' });
  expect(parseImportEntries('[]')).toEqual({ ok: false, message: 'The array is empty: nothing to import' });
  expect(parseImportEntries('[{"name": "a"}, null]')).toEqual({ ok: false, message: 'Entry 2 is not an object' });
  expect(parseImportEntries('[{"name": "a"}, []]')).toEqual({ ok: false, message: 'Entry 2 is not an object' });
  const broken = parseImportEntries('[{"name": ');
  expect(broken.ok).toBe(false);
  expect(!broken.ok && broken.message.startsWith('Not valid JSON: ')).toBe(true);
});
