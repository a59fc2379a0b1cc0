import { ProviderError } from '../../errors/api-error.ts';
import { countUtf8Bytes } from '../../text/count-utf8-bytes.ts';
import { anthropicStreamEventSchema, anthropicStreamEventTypes } from './anthropic-api.ts';
import { convertAnthropicUsage } from './convert-anthropic-usage.ts';
import { createAnthropicValidationError } from './create-anthropic-validation-error.ts';
import { createChatCompletionId } from './create-chat-completion-id.ts';
import { mapAnthropicStopReason, type OpenAIFinishReason } from './map-anthropic-stop-reason.ts';

export interface AnthropicStreamTranslator {
  /**
   * One parsed SSE event from the upstream (its `data`; the event type is also inside it).
   * Returns zero or more serialized OpenAI chat.completion.chunk JSON strings (without the
   * `data: ` prefix). Throws ProviderError on an upstream `error` event or an event that fails
   * validation.
   */
  translate(data: string): string[];
  /**
   * Called when the upstream body ended. Returns the final chunks still owed, and throws
   * ProviderError if the stream ended before message_stop (truncated).
   */
  finish(): string[];
  /** The usage counted so far, in OpenAI's shape (undefined until message_start). */
  usage(): ReturnType<typeof convertAnthropicUsage> | undefined;
  /** Whether the answer is complete (message_delta with its stop reason, or message_stop): its usage is then final. */
  finished(): boolean;
  /** UTF-8 bytes of the text and tool input translated so far (for an estimate when no usage comes). */
  textBytes(): number;
}

/**
 * Anthropic Messages stream events → OpenAI chat.completion.chunk objects, one event at a time.
 *
 * Anthropic: https://docs.anthropic.com/en/docs/build-with-claude/streaming#event-types
 * OpenAI: https://platform.openai.com/docs/api-reference/chat/streaming
 *
 * Mapping:
 * - message_start → the role chunk `{role:'assistant', content:''}` that OpenAI streams open with.
 * - text deltas → `{content}`.
 * - a tool_use block → a tool call opening `{tool_calls:[{index, id, type, function:{name, arguments:''}}]}`,
 *   then its input_json_delta fragments as `{tool_calls:[{index, function:{arguments}}]}`. OpenAI's
 *   `index` counts tool calls only, while Anthropic's block index also counts text and thinking
 *   blocks, so a map from block index to tool call index is kept.
 * - message_delta with a stop_reason → an empty delta carrying finish_reason.
 * - message_stop → with include_usage, the usage chunk (`choices: []`); `usage: null` is then on
 *   every other chunk, as OpenAI documents for stream_options.include_usage.
 *   https://platform.openai.com/docs/api-reference/chat/create#chat-create-stream_options
 * - ping, content_block_stop, thinking and unknown blocks → nothing.
 *
 * This is the hot path: each event costs one JSON.parse and one validation, and each chunk is
 * written as a precomputed head + one JSON.stringify of its variable part + a precomputed tail,
 * in the same key order as OpenAI's own chunks.
 */
export function createAnthropicStreamTranslator(options: {
  model: string;
  created: number;
  includeUsage: boolean;
}): AnthropicStreamTranslator {
  const { includeUsage } = options;
  const usageTail = includeUsage ? ',"usage":null}' : '}';
  const openChoiceTail = `,"logprobs":null,"finish_reason":null}]${usageTail}`;

  // Set at message_start, which carries the message id every chunk repeats.
  let choiceHead = '';
  let usageHead = '';
  let started = false;
  let stopped = false;
  let finishReasonSent = false;
  let finished = false;
  let textBytes = 0;

  const toolCallIndexByBlockIndex = new Map<number, number>();
  let nextToolCallIndex = 0;

  // message_start carries the prompt counts, message_delta the output count; both may carry
  // any of them, and message_delta's counts are cumulative, so the latest non-null value wins.
  // https://docs.anthropic.com/en/docs/build-with-claude/streaming#event-types
  let inputTokens: number | null | undefined;
  let outputTokens: number | null | undefined;
  let cacheCreationInputTokens: number | null | undefined;
  let cacheReadInputTokens: number | null | undefined;

  const currentUsage = () =>
    convertAnthropicUsage({
      input_tokens: inputTokens,
      output_tokens: outputTokens,
      cache_creation_input_tokens: cacheCreationInputTokens,
      cache_read_input_tokens: cacheReadInputTokens,
    });

  const deltaChunk = (deltaJson: string): string => choiceHead + deltaJson + openChoiceTail;

  const finishChunk = (finishReason: OpenAIFinishReason): string =>
    `${choiceHead}{},"logprobs":null,"finish_reason":"${finishReason}"}]${usageTail}`;

  const translate = (data: string): string[] => {
    let raw: unknown;
    try {
      raw = JSON.parse(data);
    } catch {
      throw new ProviderError('Anthropic sent a stream event that is not JSON');
    }
    // New event types may appear at any time and are to be ignored, per Anthropic's versioning policy.
    // https://docs.anthropic.com/en/docs/build-with-claude/streaming#other-events
    if (typeof raw === 'object' && raw !== null) {
      const type = (raw as { type?: unknown }).type;
      if (typeof type === 'string' && !anthropicStreamEventTypes.has(type)) return [];
    }
    const parsed = anthropicStreamEventSchema.safeParse(raw);
    if (!parsed.success) throw createAnthropicValidationError(parsed.error, 'stream event');
    const event = parsed.data;

    if (!started && event.type !== 'message_start' && event.type !== 'ping' && event.type !== 'error') {
      throw new ProviderError(`Anthropic sent ${event.type} before message_start`);
    }

    switch (event.type) {
      case 'message_start': {
        if (started) throw new ProviderError('Anthropic sent a second message_start');
        started = true;
        const message = event.message;
        const head = `{"id":${JSON.stringify(createChatCompletionId(message.id))},"object":"chat.completion.chunk","created":${options.created},"model":${JSON.stringify(options.model)},`;
        choiceHead = `${head}"choices":[{"index":0,"delta":`;
        usageHead = `${head}"choices":[],"usage":`;
        inputTokens = message.usage?.input_tokens;
        outputTokens = message.usage?.output_tokens;
        cacheCreationInputTokens = message.usage?.cache_creation_input_tokens;
        cacheReadInputTokens = message.usage?.cache_read_input_tokens;
        return [deltaChunk('{"role":"assistant","content":""}')];
      }

      case 'content_block_start': {
        const block = event.content_block;
        switch (block.type) {
          case 'text':
            textBytes += countUtf8Bytes(block.text);
            return block.text === '' ? [] : [deltaChunk(`{"content":${JSON.stringify(block.text)}}`)];
          case 'tool_use': {
            const toolCallIndex = nextToolCallIndex++;
            toolCallIndexByBlockIndex.set(event.index, toolCallIndex);
            // Anthropic opens a tool_use block with `input: {}`; the real input follows as input_json_delta.
            return [
              deltaChunk(
                JSON.stringify({
                  tool_calls: [{ index: toolCallIndex, id: block.id, type: 'function', function: { name: block.name, arguments: '' } }],
                }),
              ),
            ];
          }
          case 'thinking':
          case 'redacted_thinking':
          case 'unknown':
            return [];
          default: {
            const unreachable: never = block;
            throw new ProviderError(`Unhandled content block ${JSON.stringify(unreachable)}`);
          }
        }
      }

      case 'content_block_delta': {
        const delta = event.delta;
        switch (delta.type) {
          case 'text_delta':
            textBytes += countUtf8Bytes(delta.text);
            return delta.text === '' ? [] : [deltaChunk(`{"content":${JSON.stringify(delta.text)}}`)];
          case 'input_json_delta': {
            const toolCallIndex = toolCallIndexByBlockIndex.get(event.index);
            // Undefined for the input of a server tool block, which is not a client tool call.
            if (toolCallIndex === undefined || delta.partial_json === '') return [];
            textBytes += countUtf8Bytes(delta.partial_json);
            return [
              deltaChunk(`{"tool_calls":[{"index":${toolCallIndex},"function":{"arguments":${JSON.stringify(delta.partial_json)}}}]}`),
            ];
          }
          case 'thinking_delta':
          case 'signature_delta':
          case 'unknown':
            return [];
          default: {
            const unreachable: never = delta;
            throw new ProviderError(`Unhandled content block delta ${JSON.stringify(unreachable)}`);
          }
        }
      }

      case 'content_block_stop':
      case 'ping':
        return [];

      case 'message_delta': {
        finished = true;
        const usage = event.usage;
        if (usage !== undefined && usage !== null) {
          inputTokens = usage.input_tokens ?? inputTokens;
          outputTokens = usage.output_tokens ?? outputTokens;
          cacheCreationInputTokens = usage.cache_creation_input_tokens ?? cacheCreationInputTokens;
          cacheReadInputTokens = usage.cache_read_input_tokens ?? cacheReadInputTokens;
        }
        const finishReason = mapAnthropicStopReason(event.delta.stop_reason);
        if (finishReason === null || finishReasonSent) return [];
        finishReasonSent = true;
        return [finishChunk(finishReason)];
      }

      case 'message_stop': {
        if (stopped) return [];
        stopped = true;
        finished = true;
        const chunks: string[] = [];
        // Every OpenAI stream ends its choice with a finish_reason, even if no stop_reason came.
        if (!finishReasonSent) {
          finishReasonSent = true;
          chunks.push(finishChunk('stop'));
        }
        if (includeUsage) chunks.push(`${usageHead}${JSON.stringify(currentUsage())}}`);
        return chunks;
      }

      case 'error':
        // Mid-stream failures such as overloaded_error, which would be an HTTP 529 outside a stream.
        // https://docs.anthropic.com/en/docs/build-with-claude/streaming#error-events
        throw new ProviderError(event.error.message, { type: event.error.type });

      default: {
        const unreachable: never = event;
        throw new ProviderError(`Unhandled stream event ${JSON.stringify(unreachable)}`);
      }
    }
  };

  const finish = (): string[] => {
    if (!stopped) {
      throw new ProviderError('The Anthropic stream ended before message_stop', { truncated: true });
    }
    // Everything owed, usage included, was already sent at message_stop.
    return [];
  };

  return { translate, finish, usage: () => (started ? currentUsage() : undefined), finished: () => finished, textBytes: () => textBytes };
}
