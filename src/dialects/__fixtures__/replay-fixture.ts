import type { DialectStreamEncoder } from '../dialect.ts';

// A recorded stream (one event's data per line) fed to a dialect's encoder the way the chat
// service hands it on: one SSE frame per upstream event, then [DONE]. Generated ids are replaced by
// numbered placeholders, in the order they first appear, so expectations can be exact.

export function chatFramesOf(fixture: string): string[] {
  const frames = fixture.split('\n').filter((line) => line.trim() !== '').map((line) => `data: ${line}\n\n`);
  return [...frames, 'data: [DONE]\n\n'];
}

export function encodeAll(encoder: DialectStreamEncoder, frames: readonly string[]): string {
  let text = '';
  for (const frame of frames) text += encoder.encode(frame);
  return text;
}

export function withStableIds(text: string): string {
  const seen = new Map<string, string>();
  return text.replace(/\b(msg|fc|resp)_[0-9a-f]{48}(?:[0-9a-f]{4})?\b/g, (id, prefix: string) => {
    if (!seen.has(id)) seen.set(id, `${prefix}_${[...seen.keys()].filter((known) => known.startsWith(`${prefix}_`)).length + 1}`);
    return seen.get(id)!;
  });
}
