import { ProviderError } from '../../errors/api-error.ts';
import { buildUpstreamHeaders } from '../build-upstream-headers.ts';
import { DONE_FRAME, type ChatProtocol, type StreamTranslator, type TokenUsage } from '../chat-protocol.ts';
import * as z from 'zod';
import { anthropicErrorSchema } from './anthropic-api.ts';
import { convertFromAnthropicResponse } from './convert-from-anthropic-response.ts';
import { convertToAnthropicRequest } from './convert-to-anthropic-request.ts';
import { createAnthropicStreamTranslator } from './create-anthropic-stream-translator.ts';

// Anthropic Messages behind the OpenAI surface: Anthropic itself and Z.ai's
// Anthropic-compatible endpoint. https://docs.anthropic.com/en/api/messages

// https://docs.anthropic.com/en/api/versioning
export const ANTHROPIC_VERSION = '2023-06-01';

/** The credential header; none for a provider without a key (a local Anthropic-compatible server). */
export function apiKeyHeader(apiKey: string | undefined): { 'x-api-key'?: string } {
  return apiKey === undefined ? {} : { 'x-api-key': apiKey };
}

const anthropicModelListSchema = z.object({
  data: z.array(z.looseObject({ id: z.string() })),
});

export const anthropicProtocol: ChatProtocol = {
  chatRequest(provider, apiKey, body, upstreamModel) {
    return {
      url: `${provider.baseUrl}/v1/messages`,
      headers: buildUpstreamHeaders(provider, {
        'content-type': 'application/json',
        accept: body.stream === true ? 'text/event-stream' : 'application/json',
        'anthropic-version': ANTHROPIC_VERSION,
        ...apiKeyHeader(apiKey),
      }),
      body: JSON.stringify(convertToAnthropicRequest(body, upstreamModel)),
    };
  },

  convertResponse(text, context) {
    const completion = convertFromAnthropicResponse(parseJson(text), context);
    return { body: JSON.stringify(completion), usage: completion.usage as TokenUsage | undefined };
  },

  createStreamTranslator(context): StreamTranslator {
    const translator = createAnthropicStreamTranslator(context);
    let done = false;
    const frame = (chunks: string[]) => {
      let framed = '';
      for (const chunk of chunks) framed += `data: ${chunk}\n\n`;
      return framed;
    };
    return {
      get done() {
        return done;
      },
      get usage() {
        return translator.usage() as TokenUsage | undefined;
      },
      get finished() {
        return translator.finished();
      },
      get textBytes() {
        return translator.textBytes();
      },
      onEvent(data) {
        return done ? '' : frame(translator.translate(data));
      },
      onEnd() {
        if (done) return '';
        const framed = frame(translator.finish());
        done = true;
        return framed + DONE_FRAME;
      },
    };
  },

  modelsRequest(provider, apiKey) {
    return {
      url: `${provider.baseUrl}/v1/models?limit=1000`,
      headers: buildUpstreamHeaders(provider, {
        accept: 'application/json',
        'anthropic-version': ANTHROPIC_VERSION,
        ...apiKeyHeader(apiKey),
      }),
    };
  },

  parseModels(text) {
    const result = anthropicModelListSchema.safeParse(parseJson(text));
    if (!result.success) throw new ProviderError('The provider\'s model list is not in the expected format');
    return result.data.data;
  },

  errorMessage(text) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return undefined;
    }
    const result = anthropicErrorSchema.safeParse(json);
    return result.success ? result.data.error.message : undefined;
  },
};

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ProviderError('The provider\'s answer is not valid JSON');
  }
}
