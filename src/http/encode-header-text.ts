// Text a user chose (a provider's name) as an HTTP header value. A header carries bytes, and both
// runtimes refuse, at the moment it is set, any character above U+00FF (and CR, LF, NUL): a name
// such as "日本語" used to throw after the upstream had answered, turning a paid answer into a 500.
// So every character outside printable ASCII, and "%" itself, is sent as its UTF-8 bytes in
// percent-encoding (decodeURIComponent reads it back), and a plain ASCII name reads as it is.
// Total: an unpaired surrogate (only a record stored behind the API's back can hold one) is sent
// as U+FFFD, so nothing here can throw.

// Printable ASCII but "%", and a space unless it is the first or last character (HTTP trims those).
const escaped = /[^\x20-\x24\x26-\x7e]|^ | $/gu;
const unpairedSurrogate = /\p{Cs}/u;
const REPLACEMENT_CHARACTER = '%EF%BF%BD';

export function encodeHeaderText(text: string): string {
  return text.replace(escaped, (character) => (unpairedSurrogate.test(character) ? REPLACEMENT_CHARACTER : encodeURIComponent(character)));
}
