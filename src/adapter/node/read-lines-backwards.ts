import type { FileHandle } from 'node:fs/promises';

// The lines of a file that end before `end`, last first, each with the byte offset it starts at,
// read in fixed-size chunks from the end: the memory used is one chunk and the line being
// assembled, whatever the file's size. `end` must be a line's first byte (or the file's size once
// it ends with a newline). Lines are UTF-8; offsets count bytes.

const NEWLINE = 0x0a;
/** A "line" longer than this is not one of ours (a corrupt file): it is skipped, not assembled. */
const MAX_LINE_BYTES = 1024 * 1024;

export interface FileLine {
  start: number;
  text: string;
}

export async function* readLinesBackwards(handle: FileHandle, end: number, chunkBytes = 64 * 1024): AsyncGenerator<FileLine> {
  const decoder = new TextDecoder();
  let position = end;
  // Bytes from `position` on that belong to a line whose start has not been read yet.
  let carry = Buffer.alloc(0);
  let oversized = false;
  while (position > 0) {
    const size = Math.min(chunkBytes, position);
    position -= size;
    const chunk = Buffer.alloc(size);
    const { bytesRead } = await handle.read(chunk, 0, size, position);
    if (bytesRead !== size) throw new Error('the file shrank while it was read');
    const buffer = carry.length === 0 ? chunk : Buffer.concat([chunk, carry]);
    // `lineEnd` is one past a line's newline (or the end of what was asked for).
    let lineEnd = buffer.length;
    // (A negative offset would make lastIndexOf search from the end again.)
    const previousNewline = () => (lineEnd >= 2 ? buffer.lastIndexOf(NEWLINE, lineEnd - 2) : -1);
    for (let newline = previousNewline(); newline !== -1; newline = previousNewline()) {
      if (!oversized && lineEnd - newline - 2 <= MAX_LINE_BYTES) yield { start: position + newline + 1, text: decoder.decode(buffer.subarray(newline + 1, lineEnd - 1)) };
      oversized = false;
      lineEnd = newline + 1;
    }
    carry = buffer.subarray(0, lineEnd);
    if (carry.length > MAX_LINE_BYTES) {
      oversized = true;
      carry = Buffer.alloc(0);
    }
  }
  if (carry.length > 0 && carry.length <= MAX_LINE_BYTES && !oversized) yield { start: 0, text: decoder.decode(carry.subarray(0, carry[carry.length - 1] === NEWLINE ? -1 : undefined)) };
}
