import { describe, expect, it } from 'vitest';
import { formatCustomHeaders, parseCustomHeaders } from './custom-headers-text.ts';

describe('custom headers as text', () => {
  it('reads one "Name: value" per line, trimming, skipping blank lines, keeping colons in values', () => {
    expect(parseCustomHeaders('X-Title: My app\n\n  HTTP-Referer :  https://example.test:8080/  \r\n')).toEqual({
      ok: true,
      headers: { 'X-Title': 'My app', 'HTTP-Referer': 'https://example.test:8080/' },
    });
    expect(parseCustomHeaders('')).toEqual({ ok: true, headers: {} });
  });

  it('names the line that is not a header, or a name given twice', () => {
    expect(parseCustomHeaders('X-Title: a\nno colon here')).toEqual({ ok: false, message: 'Line 2: write each header as Name: value' });
    expect(parseCustomHeaders(': value')).toEqual({ ok: false, message: 'Line 1: write each header as Name: value' });
    expect(parseCustomHeaders('X-Title: a\nx-title: b')).toEqual({ ok: false, message: 'Line 2: x-title is given twice' });
  });

  it('writes headers back in the same form', () => {
    const headers = { 'X-Title': 'My app', 'X-Empty': '' };
    expect(formatCustomHeaders(headers)).toBe('X-Title: My app\nX-Empty: ');
    expect(parseCustomHeaders(formatCustomHeaders(headers))).toEqual({ ok: true, headers });
  });
});
