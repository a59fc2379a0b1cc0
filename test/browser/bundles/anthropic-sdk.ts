import Anthropic from '@anthropic-ai/sdk';
import type { Connection } from './connection.ts';
import { expose } from './expose.ts';

// The official Anthropic SDK, against the gateway's /messages route: baseURL is the gateway's
// /api (the SDK appends /v1/messages) and the gateway token goes as authToken (a bearer token).

const clientFor = (connection: Connection) =>
  new Anthropic({ baseURL: connection.baseURL, authToken: connection.token, dangerouslyAllowBrowser: true, maxRetries: 0 });

const hi = [{ role: 'user' as const, content: 'Hi' }];

export const anthropicSdk = {
  async create(connection: Connection, model: string) {
    const message = await clientFor(connection).messages.create({ model, max_tokens: 64, messages: hi });
    return { content: message.content, stopReason: message.stop_reason };
  },

  async stream(connection: Connection, model: string) {
    const stream = clientFor(connection).messages.stream({ model, max_tokens: 64, messages: hi });
    const pieces: string[] = [];
    stream.on('text', (piece) => pieces.push(piece));
    const final = await stream.finalMessage();
    return { pieces, content: final.content, stopReason: final.stop_reason };
  },
};

expose('anthropic', anthropicSdk);
