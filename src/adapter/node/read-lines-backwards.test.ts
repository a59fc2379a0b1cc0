import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLinesBackwards } from './read-lines-backwards.ts';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'lines-backwards-'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

async function linesOf(content: string, end: number | 'size', chunkBytes: number) {
  const path = join(folder, `${crypto.randomUUID()}.txt`);
  await writeFile(path, content);
  const handle = await open(path, 'r');
  try {
    const lines = [];
    for await (const line of readLinesBackwards(handle, end === 'size' ? Buffer.byteLength(content) : end, chunkBytes)) lines.push(line);
    return lines;
  } finally {
    await handle.close();
  }
}

describe('readLinesBackwards', () => {
  // Multi-byte characters straddle the chunk boundaries at every chunk size below.
  const content = 'first line\nzweite Zeile – ä\n\n{"json":"ünïcødé ✓"}\nlast\n';
  const expected = [
    { start: Buffer.byteLength('first line\nzweite Zeile – ä\n\n{"json":"ünïcødé ✓"}\n'), text: 'last' },
    { start: Buffer.byteLength('first line\nzweite Zeile – ä\n\n'), text: '{"json":"ünïcødé ✓"}' },
    { start: Buffer.byteLength('first line\nzweite Zeile – ä\n'), text: '' },
    { start: Buffer.byteLength('first line\n'), text: 'zweite Zeile – ä' },
    { start: 0, text: 'first line' },
  ];

  it.each([1, 2, 3, 7, 16, 64 * 1024])('gives every line last first, with its byte offset, in chunks of %i bytes', async (chunkBytes) => {
    expect(await linesOf(content, 'size', chunkBytes)).toEqual(expected);
  });

  it('starts before the line at `end`', async () => {
    expect(await linesOf(content, expected[1]!.start, 5)).toEqual(expected.slice(2));
    expect(await linesOf(content, 0, 5)).toEqual([]);
  });

  it('skips a line too long to be one of the ledger\'s, and reads on', async () => {
    const long = 'x'.repeat(1024 * 1024 + 10);
    expect(await linesOf(`a\n${long}\nb\n`, 'size', 64 * 1024)).toEqual([
      { start: 2 + long.length + 1, text: 'b' },
      { start: 0, text: 'a' },
    ]);
  });
});
