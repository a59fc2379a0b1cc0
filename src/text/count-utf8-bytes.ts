// The UTF-8 length of a string without encoding it (no TextEncoder buffer per call): 1 byte below
// U+0080, 2 below U+0800, 4 for a surrogate pair (2 per half), 3 for the rest.

export function countUtf8Bytes(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    bytes += code < 0x80 ? 1 : code < 0x800 || (code >= 0xd800 && code <= 0xdfff) ? 2 : 3;
  }
  return bytes;
}
