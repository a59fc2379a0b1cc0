import * as z from 'zod';

// The name a person gives a provider or an access key: any script, any emoji, but only text that
// every store, log line, header and screen can carry as it was typed. Refused at save time:
// - control characters (Unicode Cc: C0, DEL, C1): HTTP cannot carry them and terminals act on them;
// - unpaired surrogates (Cs): they have no UTF-8 form, so a store or a header would hold U+FFFD
//   instead, and two different names could become the same one (a unique index in Redis);
// - line and paragraph separators (Zl, Zp): a line break by another name;
// - bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): they reorder
//   the text around them wherever the name is shown (CVE-2021-42574, "Trojan Source").
// Joiners (U+200D in emoji sequences, U+200C in Persian) and marks stay allowed: scripts need them.

const unsafeCharacter = /[\p{Cc}\p{Cs}\p{Zl}\p{Zp}\u202a-\u202e\u2066-\u2069]/u;

const DISPLAY_NAME_RULE = 'must not contain control characters, unpaired surrogates, line or paragraph separators, or bidirectional controls';

export function displayNameSchema(maxLength: number) {
  return z
    .string()
    .trim()
    .min(1)
    .max(maxLength)
    .refine((name) => !unsafeCharacter.test(name), DISPLAY_NAME_RULE);
}
