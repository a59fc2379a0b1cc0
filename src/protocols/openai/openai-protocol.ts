import { ProviderError } from '../../errors/api-error.ts';
import { scrubSecrets } from '../../upstream/scrub-secrets.ts';
import { buildUpstreamHeaders } from '../build-upstream-headers.ts';
import { DONE_FRAME, frameData, type ChatProtocol, type StreamTranslator, type TokenUsage } from '../chat-protocol.ts';
import { measureDeltaText } from './measure-delta-text.ts';
import { openAIErrorSchema, openAIModelListSchema } from './openai-api.ts';

// OpenAI Chat Completions and every server that speaks it (Z.ai, OpenRouter, Groq, Ollama, vLLM).
// This is the hot path: the request is re-serialised once (provider_id out, model rewritten) and
// the answer is handed on as the upstream wrote it, after a check that it is JSON.

export const openAIProtocol: ChatProtocol = {
  chatRequest(provider, apiKey, body, upstreamModel) {
    // The gateway's own routing fields are never forwarded.
    const { provider_id: _providerId, models: _fallbacks, ...forwarded } = body;
    forwarded.model = upstreamModel;
    // The usage ledger needs every stream's token counts; the usage chunk this adds is dropped
    // again for a client that did not ask for it (createStreamTranslator below).
    if (body.stream === true) forwarded.stream_options = { ...(body.stream_options as object | null | undefined), include_usage: true };
    return {
      url: `${provider.baseUrl}/chat/completions`,
      headers: buildUpstreamHeaders(provider, {
        'content-type': 'application/json',
        accept: body.stream === true ? 'text/event-stream' : 'application/json',
        ...bearer(apiKey),
      }),
      body: JSON.stringify(forwarded),
    };
  },

  convertResponse(text) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ProviderError('The provider\'s answer is not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || !('choices' in parsed)) {
      throw new ProviderError(scrubSecrets(errorMessageFrom(parsed) ?? 'The provider\'s answer is not a chat completion'));
    }
    const usage = 'usage' in parsed ? (parsed.usage as TokenUsage | null) : undefined;
    return { body: text, usage: usage ?? undefined };
  },

  createStreamTranslator(context): StreamTranslator {
    let done = false;
    let finished = false;
    let usage: TokenUsage | undefined;
    let textBytes = 0;
    return {
      get done() {
        return done;
      },
      get finished() {
        return finished || done;
      },
      get usage() {
        return usage;
      },
      get textBytes() {
        return textBytes;
      },
      onEvent(data, event) {
        if (done) return '';
        if (data === '[DONE]') {
          done = true;
          return DONE_FRAME;
        }
        // Every chunk carries "finish_reason":null until the one that ends a choice.
        if (!finished && data.includes('"finish_reason"') && finishReasonPattern.test(data)) finished = true;
        // Only the chunk that carries counts is parsed (every other one says "usage":null, or
        // nothing). OpenAI sends it last, with no choices; some compatible servers put it on the
        // last content chunk instead, which is kept whatever the client asked.
        if (data.includes('"usage":{')) {
          const parsed = safeJson(data) as { usage?: TokenUsage | null; choices?: unknown[] } | undefined;
          if (parsed?.usage) {
            const { prompt_tokens, completion_tokens, prompt_tokens_details, completion_tokens_details } = parsed.usage;
            usage = { prompt_tokens, completion_tokens, prompt_tokens_details, completion_tokens_details };
          }
          if (!context.includeUsage && Array.isArray(parsed?.choices) && parsed.choices.length === 0) return '';
        }
        // Some OpenAI-compatible servers report failures after a 200, either as an `error` event
        // or as a data line holding {"error":...}. Only those lines are parsed.
        if (event === 'error' || (data.startsWith('{"error"') || (data.includes('"error"') && !data.includes('"choices"')))) {
          let parsed: unknown;
          try {
            parsed = JSON.parse(data);
          } catch {
            parsed = undefined;
          }
          const message = errorMessageFrom(parsed);
          if (event === 'error' || message !== undefined) {
            throw new ProviderError(scrubSecrets(message ?? 'The provider reported an error mid-stream'), { upstreamStatus: 200 });
          }
        }
        textBytes += measureDeltaText(data);
        return frameData(data);
      },
      onEnd() {
        if (done) return '';
        // An answer cut off before its end (no finish_reason, no [DONE]) is a failure, never a
        // complete answer to hand on or cache.
        if (!finished) throw new ProviderError('The provider\'s stream ended before its answer was complete', { truncated: true });
        // Several OpenAI-compatible servers end without [DONE] after the finish_reason; the client still gets it.
        done = true;
        return DONE_FRAME;
      },
    };
  },

  modelsRequest(provider, apiKey) {
    return {
      url: `${provider.baseUrl}/models`,
      headers: buildUpstreamHeaders(provider, { accept: 'application/json', ...bearer(apiKey) }),
    };
  },

  parseModels(text) {
    const result = openAIModelListSchema.safeParse(safeJson(text));
    if (!result.success) throw new ProviderError('The provider\'s model list is not in the expected format');
    return result.data.data;
  },

  errorMessage(text) {
    return errorMessageFrom(safeJson(text)) ?? (text.length > 0 && text.length < 300 && !text.trimStart().startsWith('<') ? text.trim() : undefined);
  },
};

/** The credential header; none for a provider without a key (Ollama, vLLM, LM Studio). */
export function bearer(apiKey: string | undefined): { authorization?: string } {
  return apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` };
}

/** A finish_reason that is a string, not null, however the server spaces its JSON. */
const finishReasonPattern = /"finish_reason"\s*:\s*"/;

function errorMessageFrom(value: unknown): string | undefined {
  // Gemini's OpenAI-compatible endpoint wraps its error in a one-element array.
  const result = openAIErrorSchema.safeParse(Array.isArray(value) ? value[0] : value);
  if (!result.success) return fastApiDetail(value);
  const error = result.data.error;
  return typeof error === 'string' ? error : error.message;
}

/** FastAPI's validation answer, which OpenAI-compatible servers built on it send (vLLM's 422): `{detail: [{loc, msg}]}`. */
function fastApiDetail(value: unknown): string | undefined {
  const detail = (value as { detail?: unknown } | null)?.detail;
  if (typeof detail === 'string') return detail;
  if (!Array.isArray(detail)) return undefined;
  const parts = detail.flatMap((item: { loc?: unknown; msg?: unknown }) =>
    typeof item?.msg === 'string' ? [Array.isArray(item.loc) ? `${item.loc.join('.')}: ${item.msg}` : item.msg] : [],
  );
  return parts.length > 0 ? parts.join('; ') : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
