import OpenAI from 'openai';
import type { Connection } from './connection.ts';
import { expose } from './expose.ts';

// The official openai SDK as a web UI would use it.

const clientFor = (connection: Connection) =>
  new OpenAI({ baseURL: connection.baseURL, apiKey: connection.token, dangerouslyAllowBrowser: true, maxRetries: 0 });

const hi = [{ role: 'user' as const, content: 'Hi' }];

export const openaiSdk = {
  async complete(connection: Connection, model: string) {
    const completion = await clientFor(connection).chat.completions.create({ model, messages: hi });
    return { text: completion.choices[0]?.message.content, finishReason: completion.choices[0]?.finish_reason };
  },

  async stream(connection: Connection, model: string) {
    const stream = await clientFor(connection).chat.completions.create({ model, messages: hi, stream: true });
    const pieces: string[] = [];
    let finishReason: string | null | undefined;
    for await (const chunk of stream) {
      const piece = chunk.choices[0]?.delta.content;
      if (piece) pieces.push(piece);
      finishReason = chunk.choices[0]?.finish_reason ?? finishReason;
    }
    return { pieces, finishReason };
  },

  async models(connection: Connection) {
    const list = await clientFor(connection).models.list();
    return list.data.map((model) => model.id);
  },

  /** What a UI can read of a failed call: the SDK's error and the headers CORS lets it see. */
  async failure(connection: Connection, model: string) {
    try {
      await clientFor(connection).chat.completions.create({ model, messages: hi });
      return undefined;
    } catch (error) {
      if (!(error instanceof OpenAI.APIError)) throw error;
      const header = (name: string) => error.headers?.get(name) ?? null;
      return {
        status: error.status,
        code: error.code,
        error: error.error,
        requestId: error.requestID ?? null,
        retryAfter: header('retry-after'),
        rateLimit: { limit: header('ratelimit-limit'), remaining: header('ratelimit-remaining'), reset: header('ratelimit-reset'), policy: header('ratelimit-policy') },
      };
    }
  },

  /** Streams until `chunks` text pieces arrived, then aborts as a Stop button would. */
  async abortAfter(connection: Connection, model: string, chunks: number) {
    const controller = new AbortController();
    const stream = await clientFor(connection).chat.completions.create({ model, messages: hi, stream: true }, { signal: controller.signal });
    const pieces: string[] = [];
    try {
      for await (const chunk of stream) {
        const piece = chunk.choices[0]?.delta.content;
        if (piece) pieces.push(piece);
        if (pieces.length === chunks) controller.abort();
      }
    } catch (error) {
      if (!(error instanceof OpenAI.APIUserAbortError)) throw error;
    }
    return { pieces, aborted: controller.signal.aborted };
  },

  /** A call from a page whose origin the gateway refuses: what the SDK throws. */
  async refused(connection: Connection, model: string) {
    try {
      await clientFor(connection).chat.completions.create({ model, messages: hi });
      return undefined;
    } catch (error) {
      return { name: (error as Error).constructor.name, cause: String((error as { cause?: unknown }).cause) };
    }
  },
};

expose('openai', openaiSdk);
