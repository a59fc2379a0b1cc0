import type { GatewayClient } from 'llm-gateway-client';

// One streamed answer: its text handed on piece by piece as it arrives, then what the gateway
// reported about it (the provider that served it, from X-Gateway-Provider, which the client
// decodes; tokens, asked for with stream_options.include_usage) and how long the first piece took. A Stop (the signal) ends it with an AbortError, and the client closes the
// connection, so the gateway stops the upstream call.

export interface AnswerStats {
  /** The name of the provider that served the answer (after fallbacks); null if the gateway did not say. */
  provider: string | null;
  promptTokens: number | undefined;
  completionTokens: number | undefined;
  /** From sending the request to the first piece of text; undefined when no text came. */
  firstTokenMs: number | undefined;
  totalMs: number;
}

export interface StreamAnswerOptions {
  model: string;
  message: string;
  signal: AbortSignal;
  onText: (piece: string) => void;
  now?: () => number;
}

export async function streamAnswer(gateway: GatewayClient, options: StreamAnswerOptions): Promise<AnswerStats> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  let firstTokenAt: number | undefined;
  let usage: { prompt_tokens: number; completion_tokens: number } | undefined;
  let provider: string | null = null;
  const request = { model: options.model, messages: [{ role: 'user', content: options.message }], stream_options: { include_usage: true } };
  for await (const chunk of gateway.streamChat(request, { signal: options.signal, onResponse: (info) => void (provider = info.provider) })) {
    const piece = chunk.choices[0]?.delta.content;
    if (piece) {
      firstTokenAt ??= now();
      options.onText(piece);
    }
    if (chunk.usage) usage = chunk.usage;
  }
  return {
    provider,
    promptTokens: usage?.prompt_tokens,
    completionTokens: usage?.completion_tokens,
    firstTokenMs: firstTokenAt === undefined ? undefined : firstTokenAt - started,
    totalMs: now() - started,
  };
}
