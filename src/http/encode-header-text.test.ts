import { describe, expect, it } from 'vitest';
import { encodeHeaderText } from './encode-header-text.ts';

// RFC 9110 §5.5: visible ASCII, with spaces and tabs only between two visible characters.
const fieldValue = /^(?:[\x21-\x7e](?:[\x20\x09\x21-\x7e]*[\x21-\x7e])?)?$/;

describe('encodeHeaderText', () => {
  it.each([
    ['openai', 'openai'],
    ['My Provider (EU) #2', 'My Provider (EU) #2'],
    ['100%', '100%25'],
    ['café', 'caf%C3%A9'],
    ['日本語プロバイダ', '%E6%97%A5%E6%9C%AC%E8%AA%9E%E3%83%97%E3%83%AD%E3%83%90%E3%82%A4%E3%83%80'],
    ['مزوّد عربي', '%D9%85%D8%B2%D9%88%D9%91%D8%AF %D8%B9%D8%B1%D8%A8%D9%8A'],
    ['👩‍💻 coder', '%F0%9F%91%A9%E2%80%8D%F0%9F%92%BB coder'],
    [' edges ', '%20edges%20'],
    ['tab\there\r\nnul\0', 'tab%09here%0D%0Anul%00'],
    ['\u00ff\u0100\u007f', '%C3%BF%C4%80%7F'],
    ['\ud800 high, low \udc00', '%EF%BF%BD high, low %EF%BF%BD'],
    ['\udc00\ud800', '%EF%BF%BD%EF%BF%BD'], // reversed pair: two unpaired surrogates
    ['', ''],
  ])('%j → %j', (text, header) => {
    expect(encodeHeaderText(text)).toBe(header);
  });

  it('gives a value HTTP allows and Headers accepts for every code point, and decodeURIComponent reads it back', () => {
    const headers = new Headers();
    const wrong: string[] = [];
    for (let codePoint = 0; codePoint <= 0x10ffff; codePoint += codePoint < 0x3000 ? 1 : 97) {
      const text = ` a${String.fromCodePoint(codePoint)}b `;
      const header = encodeHeaderText(text);
      headers.set('x-name', header);
      const wellFormed = codePoint < 0xd800 || codePoint > 0xdfff;
      if (!fieldValue.test(header) || decodeURIComponent(header) !== (wellFormed ? text : ' a\ufffdb ')) wrong.push(codePoint.toString(16));
    }
    expect(wrong).toEqual([]);
  });
});
