import { encodeHeaderText } from './encode-header-text.ts';

// A list of names a user chose (provider names) as one header value: each name encoded as
// encodeHeaderText does (percent-encoded UTF-8 outside printable ASCII), and its commas too, so
// the comma can separate them. Read back by splitting on "," and decodeURIComponent of each.

export function encodeHeaderList(names: readonly string[]): string {
  return names.map((name) => encodeHeaderText(name).replaceAll(',', '%2C')).join(',');
}
