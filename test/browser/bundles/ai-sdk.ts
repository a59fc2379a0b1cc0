import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText } from 'ai';
import type { Connection } from './connection.ts';
import { expose } from './expose.ts';

// The Vercel AI SDK with its OpenAI provider. openai.chat(model) speaks Chat Completions (the
// provider's default, openai(model), speaks the Responses API: test/behaviour/ai-sdk.test.ts).

const modelFor = (connection: Connection, model: string) => createOpenAI({ baseURL: connection.baseURL, apiKey: connection.token }).chat(model);

export const aiSdk = {
  async generateText(connection: Connection, model: string) {
    const result = await generateText({ model: modelFor(connection, model), prompt: 'Hi', maxRetries: 0 });
    return { text: result.text, finishReason: result.finishReason };
  },

  async streamText(connection: Connection, model: string) {
    let failure: unknown;
    const result = streamText({ model: modelFor(connection, model), prompt: 'Hi', maxRetries: 0, onError: ({ error }) => void (failure = error) });
    const pieces: string[] = [];
    for await (const piece of result.textStream) pieces.push(piece);
    if (failure !== undefined) throw failure;
    return { pieces, finishReason: await result.finishReason };
  },
};

expose('ai-sdk', aiSdk);
