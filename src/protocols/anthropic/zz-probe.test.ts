import { it } from 'vitest';
import { convertToAnthropicRequest } from '/work/main/src/protocols/anthropic/convert-to-anthropic-request.ts';
it('probe', () => {
  for (const body of [
    { messages: [{ role: 'function', name: 'f', content: 'x' }] },
    { messages: [{ role: 'user', content: [{ type: 'video', url: 'x' }] }] },
    { messages: [{ role: 'user', content: 42 }] },
    { messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'custom' }] },
  ]) {
    try { convertToAnthropicRequest(body as never, 'm'); } catch (e) { console.log(JSON.stringify((e as {toJSON(): unknown}).toJSON())); }
  }
});
