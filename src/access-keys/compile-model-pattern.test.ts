import { describe, expect, it } from 'vitest';
import { compileModelPattern } from './compile-model-pattern.ts';

// The regular expression the matcher replaces: the same answers, without its backtracking.
const asRegExp = (pattern: string) => new RegExp(`^${pattern.split('*').map((text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'is');

describe('compileModelPattern', () => {
  it.each([
    ['openai/gpt-4o*', 'openai/gpt-4o-mini', true],
    ['openai/gpt-4o*', 'openai/gpt-4o', true],
    ['openai/gpt-4o*', 'openai/gpt-4', false],
    ['OpenAI/GPT-*', 'openai/gpt-x', true],
    ['openrouter/*/*-*-*:free', 'openrouter/meta/llama-3-8b:free', true],
    ['openrouter/*/*-*-*:free', 'openrouter/meta/llama-3-8b', false],
    ['a/*x*x', 'a/xx', true],
    ['a/*x*x', 'a/x', false],
    ['a/x*x', 'a/x', false],
    ['a/*', 'a/', true],
    ['a/**', 'a/', true],
    ['a/b', 'a/b', true],
    ['a/b', 'a/bb', false],
    ['a/*b', 'a/line\nb', true],
    ['a/ab*ba', 'a/aba', false],
    ['a/ab*ba', 'a/abba', true],
    ['a/.+', 'a/xx', false],
    ['a/.+', 'a/.+', true],
  ])('%s against %j is %s', (pattern, name, expected) => {
    expect(compileModelPattern(pattern)(name)).toBe(expected);
    expect(asRegExp(pattern).test(name)).toBe(expected);
  });

  it('answers as the regular expression did for every pattern and name over a small alphabet', () => {
    // A fixed sequence, so a failure can be replayed.
    let seed = 25;
    const next = (limit: number) => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % limit;
    const draw = (alphabet: string, length: number) => Array.from({ length }, () => alphabet[next(alphabet.length)]).join('');
    for (let round = 0; round < 20_000; round++) {
      const pattern = draw('ab-*', next(8));
      const name = draw('ab-', next(12));
      expect(compileModelPattern(pattern)(name), `${pattern} / ${name}`).toBe(asRegExp(pattern).test(name));
    }
  });
});
