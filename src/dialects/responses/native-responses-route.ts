import { ProviderError } from '../../errors/api-error.ts';
import { bearer } from '../../protocols/openai/openai-protocol.ts';
import { buildUpstreamHeaders } from '../../protocols/build-upstream-headers.ts';
import type { StreamTranslator, TokenUsage } from '../../protocols/chat-protocol.ts';
import { scrubSecrets } from '../../upstream/scrub-secrets.ts';
import { countUtf8Bytes } from '../../text/count-utf8-bytes.ts';
import type { NativeRoute } from '../dialect.ts';

// Responses to a provider that serves the Responses API itself (`responsesApi: true`: OpenAI): the
// request as the client sent it (the model rewritten, the gateway's `models` left out; the
// provider keeps and resolves previous_response_id itself), the answer's bytes as they came, read
// only for the usage in response.completed / response.incomplete / response.failed.
// https://platform.openai.com/docs/api-reference/responses-streaming

interface ResponsesUsage {
  input_tokens?: number;
  output_tokens?: number;
  input_tokens_details?: { cached_tokens?: number | null; cache_write_tokens?: number | null } | null;
  output_tokens_details?: { reasoning_tokens?: number | null } | null;
}

const ENDING_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed']);

export function nativeResponsesRoute(body: Record<string, unknown>): NativeRoute {
  const { models: _fallbacks, ...forwarded } = body;
  return {
    body: forwarded,
    serves: (provider) => provider.routingMethod === 'openai' && provider.responsesApi === true,
    request(provider, apiKey, upstreamModel) {
      return {
        url: `${provider.baseUrl}/responses`,
        headers: buildUpstreamHeaders(provider, {
          'content-type': 'application/json',
          accept: forwarded.stream === true ? 'text/event-stream' : 'application/json',
          ...bearer(apiKey),
        }),
        body: JSON.stringify({ ...forwarded, model: upstreamModel }),
      };
    },
    readAnswer(text) {
      const parsed = safeJson(text) as { object?: unknown; usage?: ResponsesUsage | null; error?: { message?: unknown } | null } | undefined;
      if (parsed?.object !== 'response') {
        const message = typeof parsed?.error?.message === 'string' ? scrubSecrets(parsed.error.message) : 'The provider\'s answer is not a response';
        throw new ProviderError(message);
      }
      return tokenUsage(parsed.usage);
    },
    createStreamReader: readResponseEvents,
  };
}

/** The fields of a Responses stream event the reader looks at. */
type ResponseEventFields = { type?: string; delta?: unknown; response?: { usage?: ResponsesUsage | null } };

function readResponseEvents(): StreamTranslator {
  let done = false;
  let usage: TokenUsage | undefined;
  let events = 0;
  let textBytes = 0;
  return {
    relaysText: true,
    get done() {
      return done;
    },
    // The ending event carries the usage: complete and finished at once.
    get finished() {
      return done;
    },
    get usage() {
      return usage;
    },
    get textBytes() {
      return textBytes;
    },
    onEvent(data, event) {
      events++;
      // Parsed at most once, and only for the events whose fields are read.
      let parsed: ResponseEventFields | undefined | null = null;
      const fields = () => (parsed === null ? (parsed = safeJson(data) as ResponseEventFields | undefined) : parsed);
      const type = event ?? fields()?.type;
      if (type === 'error') throw new ProviderError('The provider reported an error mid-stream', { upstreamStatus: 200 });
      if (type === 'response.output_text.delta' || type === 'response.function_call_arguments.delta') {
        const delta = fields()?.delta;
        if (typeof delta === 'string') textBytes += countUtf8Bytes(delta);
      }
      if (type !== undefined && ENDING_EVENTS.has(type)) {
        done = true;
        usage = tokenUsage(fields()?.response?.usage);
      }
      return '';
    },
    onEnd() {
      if (!done) throw new ProviderError('The provider\'s stream ended before the response was complete');
      return '';
    },
    frameError(error) {
      // The provider's own error event already went to the client as it came.
      if (error.details?.upstreamStatus === 200) return '';
      const body = { type: 'error', code: error.code, message: error.message, param: null, error: { type: 'server_error', code: error.code, message: error.message, param: null }, sequence_number: events };
      return `event: error\ndata: ${JSON.stringify(body)}\n\n`;
    },
  };
}

/** The Responses API's usage in the chat shape the ledger reads. https://platform.openai.com/docs/api-reference/responses/object#responses/object-usage */
function tokenUsage(usage: ResponsesUsage | null | undefined): TokenUsage | undefined {
  if (!usage) return undefined;
  return {
    prompt_tokens: usage.input_tokens,
    completion_tokens: usage.output_tokens,
    prompt_tokens_details: usage.input_tokens_details,
    completion_tokens_details: usage.output_tokens_details,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
