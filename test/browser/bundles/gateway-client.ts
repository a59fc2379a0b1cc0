import { createGatewayClient, GatewayError } from 'llm-gateway-client';
import type { Connection } from './connection.ts';
import { expose } from './expose.ts';

// llm-gateway-client as a web UI uses it: what the console is built on, in the same browser.

const clientFor = (connection: Connection) => createGatewayClient({ baseUrl: connection.baseURL, token: connection.token });
const hi = [{ role: 'user' as const, content: 'Hi' }];

/** What a UI shows of a failure: the GatewayError's fields. */
function describeFailure(error: unknown) {
  if (!(error instanceof GatewayError)) throw error;
  return { status: error.status, code: error.code, message: error.message, details: error.details ?? null, retryAfterSeconds: error.retryAfterSeconds ?? null };
}

export const gatewayClient = {
  async complete(connection: Connection, model: string) {
    const completion = await clientFor(connection).chat({ model, messages: hi });
    return { text: completion.choices[0]?.message.content, usage: completion.usage };
  },

  async stream(connection: Connection, model: string) {
    const pieces: string[] = [];
    let finishReason: string | null | undefined;
    for await (const chunk of clientFor(connection).streamChat({ model, messages: hi })) {
      const piece = chunk.choices[0]?.delta.content;
      if (piece) pieces.push(piece);
      finishReason = chunk.choices[0]?.finish_reason ?? finishReason;
    }
    return { pieces, finishReason };
  },

  /** Streams until `chunks` text pieces arrived, then aborts as a Stop button would. */
  async abortAfter(connection: Connection, model: string, chunks: number) {
    const controller = new AbortController();
    const pieces: string[] = [];
    let ended = 'completed';
    try {
      for await (const chunk of clientFor(connection).streamChat({ model, messages: hi }, { signal: controller.signal })) {
        const piece = chunk.choices[0]?.delta.content;
        if (piece) pieces.push(piece);
        if (pieces.length === chunks) controller.abort();
      }
    } catch (error) {
      ended = (error as Error).name;
    }
    return { pieces, ended };
  },

  async failure(connection: Connection, model: string, stream: boolean) {
    try {
      if (stream) for await (const _chunk of clientFor(connection).streamChat({ model, messages: hi }));
      else await clientFor(connection).chat({ model, messages: hi });
      return undefined;
    } catch (error) {
      return describeFailure(error);
    }
  },

  async models(connection: Connection) {
    return (await clientFor(connection).models()).data.map((model) => model.id);
  },

  /** Create, read, update, import and delete, as a providers view does. */
  async manageProviders(connection: Connection, baseUrl: string, name: string) {
    const gateway = clientFor(connection);
    const created = await gateway.providers.create({ name, baseUrl, apiKey: 'sk-CANARY-browser-client-1234', routingMethod: 'openai' });
    const renamed = await gateway.providers.update(created.id, { name: `${name}-renamed` });
    const listed = (await gateway.providers.list()).some((provider) => provider.id === created.id);
    const health = await gateway.providers.health(created.id);
    const imported = await gateway.providers.import([{ name: `${name}-imported`, baseUrl, apiKey: 'sk-CANARY-browser-import-5678', routingMethod: 'openai' }], { dryRun: true });
    const invalid = await gateway.providers.create({ name: `${name}-bad`, baseUrl: 'not a url', apiKey: 'sk-x', routingMethod: 'openai' }).then(() => undefined, describeFailure);
    await gateway.providers.delete(created.id);
    const afterDelete = await gateway.providers.get(created.id).then(() => undefined, describeFailure);
    return { hint: created.apiKeyHint, renamed: renamed.name, listed, health: health.status, circuit: health.circuit, importedNames: imported.created.map((provider) => provider.name), dryRun: imported.dryRun, invalid, afterDelete };
  },

  /** The same question twice with a TTL: where each answer came from. */
  async cached(connection: Connection, model: string, question: string) {
    const statuses: Array<string | null> = [];
    const providers: Array<string | null> = [];
    const onResponse = (info: { cacheStatus: string | null; provider: string | null }) => {
      statuses.push(info.cacheStatus);
      providers.push(info.provider);
    };
    const request = { model, messages: [{ role: 'user' as const, content: question }] };
    const first = await clientFor(connection).chat(request, { cacheTtlSeconds: 60, onResponse });
    const second = await clientFor(connection).chat(request, { cacheTtlSeconds: 60, onResponse });
    return { statuses, providers, same: JSON.stringify(first) === JSON.stringify(second) };
  },
};

expose('gateway-client', gatewayClient);
