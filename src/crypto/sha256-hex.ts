// SHA-256 of a text as lower-case hex: how bearer tokens are compared (hashed first, in constant
// time) and how access-key secrets are stored. WebCrypto here; the Node adapter passes
// node:crypto's, which runs on the calling thread, where every crypto.subtle call on Node is a
// thread-pool job (about 25 µs of CPU for the two digests of one token comparison).

export type Sha256Hex = (text: string) => string | Promise<string>;

export const webSha256Hex: Sha256Hex = async (text) => {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
};
