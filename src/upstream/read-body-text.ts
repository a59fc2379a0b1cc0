import { ProviderError } from '../errors/api-error.ts';
import type { UpstreamResponse } from './upstream-client.ts';

type ReadableBody = Pick<UpstreamResponse, 'header' | 'body' | 'discard'>;

/** Reads a whole upstream body, refusing to buffer more than maxBytes. */
export async function readBodyText(response: ReadableBody, maxBytes: number): Promise<string> {
  const declared = Number(response.header('content-length'));
  if (declared > maxBytes) {
    response.discard();
    throw new ProviderError('The provider\'s answer is larger than this server accepts', { limitBytes: maxBytes });
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      response.discard();
      throw new ProviderError('The provider\'s answer is larger than this server accepts', { limitBytes: maxBytes });
    }
    chunks.push(chunk);
  }
  if (chunks.length === 1) return decoder.decode(chunks[0]);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return decoder.decode(joined);
}

const decoder = new TextDecoder();
