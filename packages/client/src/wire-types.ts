import type * as z from 'zod';
import type {
  AccessKey,
  CacheStatus,
  ChatCompletion,
  ChatCompletionChunk,
  ChatRequest,
  CreateAccessKeyInput,
  CreatedAccessKey,
  CreateRouteInput,
  EmbeddingList,
  EmbeddingsRequest,
  ErrorCode,
  Health,
  ImportConflictPolicy,
  LogPage,
  LogRow,
  LogsQuery,
  ModelList,
  Provider,
  ProviderHealth,
  ProviderImportRequest,
  ProviderImportResult,
  ProviderModels,
  ProviderPricing,
  ProviderTestResult,
  Route,
  RouteStrategy,
  RouteTarget,
  Session,
  SessionRole,
  TokenRates,
  UpdateAccessKeyInput,
  UpdateRouteInput,
  UsageGrouping,
  UsageQuery,
  UsageReport,
  UsageRow,
  providerTestBodySchema,
} from '../../../src/api/index.ts';
import type { createProviderSchema, updateProviderSchema } from '../../../src/providers/provider-schemas.ts';
import type { MessageAnswer, messagesRequestSchema } from '../../../src/dialects/messages/messages-api.ts';
import type { ResponseObject, responsesRequestSchema } from '../../../src/dialects/responses/responses-api.ts';

// The wire shapes the client sends and receives, taken from the zod schemas the server validates
// with (`import type`: no zod code reaches the bundle, and a changed schema changes these types).
// Request bodies are the schemas' input types, answers their output types.

export type {
  AccessKey,
  CacheStatus,
  ChatCompletion,
  ChatCompletionChunk,
  ChatRequest,
  CreateAccessKeyInput,
  CreatedAccessKey,
  CreateRouteInput,
  EmbeddingList,
  EmbeddingsRequest,
  ErrorCode,
  Health,
  ImportConflictPolicy,
  LogPage,
  LogRow,
  LogsQuery,
  ModelList,
  Provider,
  ProviderHealth,
  ProviderImportResult,
  ProviderModels,
  ProviderPricing,
  ProviderTestResult,
  Route,
  RouteStrategy,
  RouteTarget,
  Session,
  SessionRole,
  TokenRates,
  UpdateAccessKeyInput,
  UpdateRouteInput,
  UsageGrouping,
  UsageQuery,
  UsageReport,
  UsageRow,
};

/** What POST /providers takes. */
export type ProviderInput = z.input<typeof createProviderSchema>;
/** What PUT /providers/:id takes: any subset of ProviderInput; `apiKey`, when given, replaces the key. */
export type ProviderChanges = z.input<typeof updateProviderSchema>;
/** POST /providers/:id/test: with `model`, a one-token chat call; without, the model list. */
export type ProviderTestOptions = z.input<typeof providerTestBodySchema>;
/** POST /providers/import, besides the entries themselves. */
export type ProviderImportOptions = Omit<ProviderImportRequest, 'providers'>;

/** POST /messages: Anthropic's request, `model` as `<provider>/<model>`. */
export type MessagesRequest = z.input<typeof messagesRequestSchema>;
/** Anthropic's Message object. */
export type Message = MessageAnswer;
/** One event of Anthropic's stream (message_start, content_block_delta, ..., message_stop). https://docs.anthropic.com/en/docs/build-with-claude/streaming */
export type MessageStreamEvent = { type: string } & Record<string, unknown>;
/** POST /responses: OpenAI's Responses request, `model` as `<provider>/<model>`. */
export type ResponsesRequest = z.input<typeof responsesRequestSchema>;
export type { ResponseObject };
/** One event of the Responses stream, with its sequence_number. https://platform.openai.com/docs/api-reference/responses-streaming */
export type ResponseStreamEvent = { type: string; sequence_number: number } & Record<string, unknown>;
