import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, jsonSchema, streamText, tool } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBehaviourTarget } from '#target';
import { HELLO_TEXT, tokenPieces } from '../support/fake-upstream/scenarios.ts';
import { createTestProvider, upstreamRequestsFor, type TestProvider } from '../support/providers.ts';
import { CLIENT_TOKEN, type Target } from '../support/target.ts';

// The Vercel AI SDK as its users run it: @ai-sdk/anthropic (Anthropic Messages) and
// @ai-sdk/openai's default provider (the Responses API), each against an openai and an anthropic
// provider, on both runtimes.

let target: Target;
const providers = {} as Record<'openai' | 'anthropic', TestProvider>;

beforeAll(async () => {
  target = await startBehaviourTarget();
  providers.openai = await createTestProvider(target, 'openai');
  providers.anthropic = await createTestProvider(target, 'anthropic');
});
afterAll(() => target.close());

const models = { openai: 'gpt-test', anthropic: 'claude-test' } as const;
const clients = {
  // Its default base URL ends in /v1 and it posts to {baseURL}/messages with x-api-key.
  '@ai-sdk/anthropic': (model: string) => createAnthropic({ baseURL: target.apiBase, apiKey: CLIENT_TOKEN, fetch: target.rawFetch })(model),
  // openai(model): the Responses API, the provider's default.
  '@ai-sdk/openai': (model: string) => createOpenAI({ baseURL: target.apiBase, apiKey: CLIENT_TOKEN, fetch: target.rawFetch })(model),
};

const weather = tool({ description: 'The weather in a city', inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }) });
const time = tool({ description: 'The time in a zone', inputSchema: jsonSchema<{ timezone: string }>({ type: 'object', properties: { timezone: { type: 'string' } }, required: ['timezone'] }) });

describe('@ai-sdk/openai over several turns', () => {
  it('continues a conversation whose earlier answer it sends back by reference (store on, its default)', async () => {
    const sent: string[] = [];
    const capturing: typeof fetch = (input, init) => {
      sent.push(String(init?.body ?? ''));
      return target.rawFetch(input, init);
    };
    const model = createOpenAI({ baseURL: target.apiBase, apiKey: CLIENT_TOKEN, fetch: capturing })(`${providers.openai.name}/gpt-test`);
    const first = await generateText({ model, prompt: 'Hi', maxRetries: 0 });
    const second = await generateText({ model, messages: [{ role: 'user', content: 'Hi' }, ...first.response.messages, { role: 'user', content: 'echo: More?' }], maxRetries: 0 });
    expect(second.text).toBe('echo: More?');
    // The AI SDK sends the earlier answer as a reference to its item, which the gateway resolves from its stored response.
    const [answer] = first.response.messages[0]!.content as unknown as Array<{ providerOptions: { openai: { itemId: string } } }>;
    expect(JSON.parse(sent[1]!).input[1]).toEqual({ type: 'item_reference', id: answer!.providerOptions.openai.itemId });
    const [received] = (await upstreamRequestsFor(target, providers.openai)).slice(-1);
    expect(JSON.parse(received!.body).messages).toEqual([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: HELLO_TEXT },
      { role: 'user', content: 'echo: More?' },
    ]);
  });
});

describe.each(Object.keys(clients) as Array<keyof typeof clients>)('%s', (client) => {
  describe.each(['openai', 'anthropic'] as const)('against an %s provider', (protocol) => {
    const model = () => clients[client](`${providers[protocol].name}/${models[protocol]}`);

    it('generateText: the text and the usage', async () => {
      const result = await generateText({ model: model(), prompt: 'Hi', maxRetries: 0 });
      expect(result.text).toBe(HELLO_TEXT);
      expect(result.finishReason).toBe('stop');
      expect(result.usage.outputTokens).toBe(tokenPieces(HELLO_TEXT).length);
    });

    it('streamText: the text piece by piece', async () => {
      let failure: unknown;
      const result = streamText({ model: model(), prompt: 'Hi', maxRetries: 0, onError: ({ error }) => void (failure = error) });
      const pieces: string[] = [];
      for await (const piece of result.textStream) pieces.push(piece);
      expect(failure).toBeUndefined();
      expect(pieces.join('')).toBe(HELLO_TEXT);
      expect(await result.finishReason).toBe('stop');
    });

    it('streamText with tools: both calls, their inputs whole', async () => {
      const result = streamText({ model: clients[client](`${providers[protocol].name}/tools`), prompt: 'Weather and time in Paris?', tools: { get_weather: weather, get_time: time }, maxRetries: 0 });
      const calls = (await result.toolCalls).map((call) => ({ name: call.toolName, input: call.input }));
      expect(calls).toEqual([
        { name: 'get_weather', input: { city: 'Paris' } },
        { name: 'get_time', input: { timezone: 'Europe/Paris' } },
      ]);
      expect(await result.finishReason).toBe('tool-calls');
    });
  });
});
