// Error answers real services gave, as their users reported them (bodies copied from the issue
// or page named, with any key shortened to what the service itself echoed). The fake upstream
// answers `refuse:<name>` as a model with one of these, so a test can hold the gateway's error
// to what a user of that service would see.

export interface RecordedRefusal {
  status: number;
  body: unknown;
  source: string;
}

export const RECORDED_REFUSALS = {
  // OpenAI echoes the key it got, masked but for its ends.
  'openai-401': {
    status: 401,
    body: {
      error: {
        message:
          'Incorrect API key provided: sk-proj-****************************************************************************************************************************************************************MxYA. You can find your API key at https://platform.openai.com/account/api-keys.',
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      },
    },
    source: 'https://github.com/continuedev/continue/issues/9634',
  },
  'anthropic-401': {
    status: 401,
    body: { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' }, request_id: 'req_011CSHoEeqs5C35K2UUqR7Fy' },
    source: 'https://docs.anthropic.com/en/api/errors',
  },
  'zai-401': {
    status: 401,
    body: { error: { code: '1000', message: 'Authentication Failed' } },
    source: 'https://docs.z.ai/api-reference/errors',
  },
  'zai-401-token': {
    status: 401,
    body: { error: { code: '1002', message: 'Authorization Token非法，请确认Authorization Token正确传递。' } },
    source: 'https://github.com/autohandai/code-cli/issues/456',
  },
  'openrouter-401': {
    status: 401,
    body: { error: { message: 'No auth credentials found', code: 401 } },
    source: 'https://openrouter.ai/docs/api-reference/errors',
  },
  'groq-401': {
    status: 401,
    body: { error: { message: 'Invalid API Key', type: 'invalid_request_error', code: 'invalid_api_key' } },
    source: 'https://github.com/nark/WiredSwift/issues/44',
  },
  // Gemini's OpenAI-compatible endpoint answers a wrong key with 400, in a one-element array.
  'gemini-400-key': {
    status: 400,
    body: [
      {
        error: {
          code: 400,
          message: 'API key not valid. Please pass a valid API key.',
          status: 'INVALID_ARGUMENT',
          details: [
            { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } },
            { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message: 'API key not valid. Please pass a valid API key.' },
          ],
        },
      },
    ],
    source: 'https://github.com/continuedev/continue/issues/8516',
  },
  'openai-400-context': {
    status: 400,
    body: {
      error: {
        message: 'This model\'s maximum context length is 128000 tokens. However, your messages resulted in 130412 tokens. Please reduce the length of the messages.',
        type: 'invalid_request_error',
        param: 'messages',
        code: 'context_length_exceeded',
      },
    },
    source: 'https://platform.openai.com/docs/guides/error-codes',
  },
  'openai-404-model': {
    status: 404,
    body: { error: { message: 'The model `gpt-5-nano-x` does not exist or you do not have access to it.', type: 'invalid_request_error', param: null, code: 'model_not_found' } },
    source: 'https://platform.openai.com/docs/guides/error-codes',
  },
  'openai-413': {
    status: 413,
    body: { error: { message: 'Request too large for gpt-4o in organization org-abc on tokens per min (TPM): Limit 30000, Requested 41235.', type: 'tokens', param: null, code: 'rate_limit_exceeded' } },
    source: 'https://platform.openai.com/docs/guides/rate-limits',
  },
  // A FastAPI-based OpenAI-compatible server (vLLM's) refusing a body it cannot validate.
  'vllm-422': {
    status: 422,
    body: { detail: [{ type: 'missing', loc: ['body', 'messages'], msg: 'Field required', input: {} }] },
    source: 'https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html',
  },
} satisfies Record<string, RecordedRefusal>;

export type RecordedRefusalName = keyof typeof RECORDED_REFUSALS;

export function recordedRefusal(model: string): RecordedRefusal | undefined {
  const name = /^refuse:([a-z0-9-]+)(?:@|$)/.exec(model)?.[1];
  return name !== undefined && name in RECORDED_REFUSALS ? RECORDED_REFUSALS[name as RecordedRefusalName] : undefined;
}
