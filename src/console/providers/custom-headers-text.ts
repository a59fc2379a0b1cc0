// Custom headers as people write them, one `Name: value` per line, and back. Only the shape is
// checked here; what HTTP allows in a name or a value is the gateway's to say (it answers with
// details.field "customHeaders.<name>").

export type ParsedHeaders = { ok: true; headers: Record<string, string> } | { ok: false; message: string };

export function parseCustomHeaders(text: string): ParsedHeaders {
  const headers: Record<string, string> = {};
  const seen = new Set<string>();
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    const name = colon === -1 ? '' : line.slice(0, colon).trim();
    if (name === '') return { ok: false, message: `Line ${index + 1}: write each header as Name: value` };
    if (seen.has(name.toLowerCase())) return { ok: false, message: `Line ${index + 1}: ${name} is given twice` };
    seen.add(name.toLowerCase());
    headers[name] = line.slice(colon + 1).trim();
  }
  return { ok: true, headers };
}

export function formatCustomHeaders(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');
}
