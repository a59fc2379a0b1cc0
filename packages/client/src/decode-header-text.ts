// The gateway sends text a user chose (a provider's name) in a header percent-encoded as UTF-8,
// since a header carries bytes (src/http/encode-header-text.ts on the server; README, "Names in
// any script"). A value that is not valid percent-encoding (a gateway older than the encoding,
// with a "%" in a name) is given as it came.

export function decodeHeaderText(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
