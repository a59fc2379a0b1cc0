import type { z } from 'zod';
import { ValidationError } from '../../errors/api-error.ts';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.ts';
import { convertToAnthropicTools } from './convert-to-anthropic-tools.ts';
import { openAIChatRequestSchema } from './openai-chat-api.ts';

/**
 * Anthropic requires max_tokens where OpenAI does not; this is used when the client sets no limit.
 * https://docs.anthropic.com/en/api/messages#body-max-tokens
 */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

/**
 * An OpenAI Chat Completions request body → an Anthropic Messages request body.
 * `provider_id` and `model` are the caller's business; `upstreamModel` is what Anthropic gets.
 * Fields with no Anthropic meaning (logprobs, seed, response_format, ...) are dropped, not passed on.
 *
 * OpenAI: https://platform.openai.com/docs/api-reference/chat/create
 * Anthropic: https://docs.anthropic.com/en/api/messages
 */
export function convertToAnthropicRequest(body: Record<string, unknown>, upstreamModel: string): Record<string, unknown> {
  const parsed = openAIChatRequestSchema.safeParse(body);
  if (!parsed.success) throw toValidationError(parsed.error);
  const request = parsed.data;

  // An Anthropic message has exactly one answer; more choices cannot be produced.
  if (request.n !== undefined && request.n !== null && request.n !== 1) {
    throw new ValidationError('Anthropic models return one choice: n must be 1', { field: 'n' });
  }

  const { system, messages } = convertToAnthropicMessages(request.messages);
  const anthropicRequest: Record<string, unknown> = {
    model: upstreamModel,
    max_tokens: request.max_completion_tokens ?? request.max_tokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS,
    messages,
  };
  if (system !== undefined) anthropicRequest.system = system;

  const { tools, tool_choice } = convertToAnthropicTools(request);
  if (tools !== undefined) anthropicRequest.tools = tools;
  if (tool_choice !== undefined) anthropicRequest.tool_choice = tool_choice;

  // https://docs.anthropic.com/en/api/messages#body-stop-sequences
  const stop = request.stop;
  if (typeof stop === 'string') {
    anthropicRequest.stop_sequences = [stop];
  } else if (stop !== undefined && stop !== null && stop.length > 0) {
    anthropicRequest.stop_sequences = stop;
  }

  if (request.temperature !== undefined && request.temperature !== null) anthropicRequest.temperature = request.temperature;
  if (request.top_p !== undefined && request.top_p !== null) anthropicRequest.top_p = request.top_p;
  if (request.stream !== undefined && request.stream !== null) anthropicRequest.stream = request.stream;

  // OpenAI's end-user identifier has its Anthropic counterpart in metadata.user_id.
  // https://docs.anthropic.com/en/api/messages#body-metadata-user-id
  if (request.user !== undefined && request.user !== null && request.user !== '') {
    anthropicRequest.metadata = { user_id: request.user };
  }

  return anthropicRequest;
}

/** The first zod issue, named by its place in the client's body, like `messages[2].content`. */
function toValidationError(error: z.ZodError): ValidationError {
  const issues = error.issues.map((issue) => {
    const { path, message } = explainIssue(issue, []);
    return { field: formatPath(path), message };
  });
  const first = issues[0];
  return new ValidationError(
    first === undefined ? 'Invalid chat completion request' : `Invalid chat completion request: ${first.field}: ${first.message}`,
    { field: first?.field, issues },
  );
}

/**
 * A union failure ("Invalid input" on `content`) says little; when one alternative got further
 * into the value than the others (the array branch reaching `content[1].type`), its issue is the
 * one the client needs to read. Nested issue paths are relative to the union's own path.
 */
function explainIssue(issue: z.core.$ZodIssue, parentPath: readonly PropertyKey[]): { path: PropertyKey[]; message: string } {
  const path = [...parentPath, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    let deepest: z.core.$ZodIssue | undefined;
    let tied = false;
    for (const branch of issue.errors) {
      const candidate = branch[0];
      if (candidate === undefined) continue;
      if (deepest === undefined || candidate.path.length > deepest.path.length) {
        deepest = candidate;
        tied = false;
      } else if (candidate.path.length === deepest.path.length) {
        tied = true;
      }
    }
    if (deepest !== undefined && !tied && deepest.path.length > 0) return explainIssue(deepest, path);
  }
  return { path, message: issue.message };
}

function formatPath(path: readonly PropertyKey[]): string {
  let formatted = '';
  for (const key of path) {
    if (typeof key === 'number') formatted += `[${key}]`;
    else formatted += formatted === '' ? String(key) : `.${String(key)}`;
  }
  return formatted === '' ? '(body)' : formatted;
}
