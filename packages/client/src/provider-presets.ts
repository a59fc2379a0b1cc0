import type { ProviderInput } from './wire-types.ts';

// llm-gateway-client/presets. Known services as data, so a UI can offer "Add OpenRouter" in one click and a script can write
// `providerFromPreset('ollama')`. Each base URL is what the gateway appends `/chat/completions` and
// `/models` to (`openai`) or `/v1/messages` and `/v1/models` to (`anthropic`); the address and
// headers each service documents are checked, preset by preset, in test/behaviour/provider-presets.test.ts.

export interface ProviderPreset {
  /** Also the default provider name, hence the model prefix: `openrouter/meta-llama/llama-3.3-70b-instruct`. */
  id: string;
  label: string;
  baseUrl: string;
  routingMethod: ProviderInput['routingMethod'];
  /** `none`: the server takes no key and none is sent; `optional`: only if the server was started with one. */
  apiKey: 'required' | 'optional' | 'none';
  /** Sent with every call as the provider's customHeaders. */
  headers: Record<string, string>;
  /** On this machine or network: the gateway needs ALLOW_PRIVATE_UPSTREAMS to reach it. */
  local: boolean;
  /** What to change or know before saving. */
  note?: string;
  /** The service's own description of this endpoint. */
  docs: string;
}

const remote = { apiKey: 'required', headers: {}, local: false } as const;
const onThisMachine = { routingMethod: 'openai', headers: {}, local: true } as const;

export const providerPresets: readonly ProviderPreset[] = [
  { id: 'openai', label: 'OpenAI', baseUrl: 'https://api.openai.com/v1', routingMethod: 'openai', ...remote, docs: 'https://platform.openai.com/docs/api-reference/chat' },
  { id: 'anthropic', label: 'Anthropic', baseUrl: 'https://api.anthropic.com', routingMethod: 'anthropic', ...remote, docs: 'https://docs.anthropic.com/en/api/messages' },
  {
    id: 'zai',
    label: 'Z.ai',
    baseUrl: 'https://api.z.ai/api/paas/v4',
    routingMethod: 'openai',
    ...remote,
    // As in Z.ai's own examples: error messages then come in English.
    headers: { 'Accept-Language': 'en-US,en' },
    note: 'A GLM Coding Plan key uses https://api.z.ai/api/coding/paas/v4 instead.',
    docs: 'https://docs.z.ai/api-reference/introduction',
  },
  { id: 'zai-anthropic', label: 'Z.ai (Anthropic protocol)', baseUrl: 'https://api.z.ai/api/anthropic', routingMethod: 'anthropic', ...remote, docs: 'https://docs.z.ai/scenario-example/develop-tools/claude' },
  {
    id: 'openrouter',
    label: 'OpenRouter',
    baseUrl: 'https://openrouter.ai/api/v1',
    routingMethod: 'openai',
    ...remote,
    note: 'Optional headers HTTP-Referer and X-Title put your app in OpenRouter\'s rankings.',
    docs: 'https://openrouter.ai/docs/api-reference/overview',
  },
  { id: 'groq', label: 'Groq', baseUrl: 'https://api.groq.com/openai/v1', routingMethod: 'openai', ...remote, docs: 'https://console.groq.com/docs/openai' },
  {
    id: 'gemini',
    label: 'Google Gemini (OpenAI-compatible)',
    baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai',
    routingMethod: 'openai',
    ...remote,
    docs: 'https://ai.google.dev/gemini-api/docs/openai',
  },
  {
    id: 'azure-openai',
    label: 'Azure OpenAI (v1 API)',
    baseUrl: 'https://YOUR-RESOURCE-NAME.openai.azure.com/openai/v1',
    routingMethod: 'openai',
    ...remote,
    // The v1 API takes the resource key the way the openai SDK sends it (Microsoft's own v1 example
    // is the plain OpenAI client). The older /openai/deployments/<name>/…?api-version= form does
    // not fit: its api-key header is one the gateway owns, and a query cannot precede /chat/completions.
    note: 'Put your resource name into the URL; a model is your deployment\'s name (azure-openai/<deployment>).',
    docs: 'https://learn.microsoft.com/azure/ai-foundry/openai/api-version-lifecycle',
  },
  { id: 'ollama', label: 'Ollama', baseUrl: 'http://localhost:11434/v1', ...onThisMachine, apiKey: 'none', docs: 'https://docs.ollama.com/api/openai-compatibility' },
  {
    id: 'vllm',
    label: 'vLLM',
    baseUrl: 'http://localhost:8000/v1',
    ...onThisMachine,
    apiKey: 'optional',
    note: 'A key only when the server was started with --api-key.',
    docs: 'https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html',
  },
  { id: 'lm-studio', label: 'LM Studio', baseUrl: 'http://localhost:1234/v1', ...onThisMachine, apiKey: 'none', docs: 'https://lmstudio.ai/docs/app/api/endpoints/openai' },
];

export interface PresetOptions {
  /** Defaults to the preset's id. */
  name?: string;
  /** Leave out for a server that needs none. */
  apiKey?: string;
  /** For a server elsewhere than the preset's (another port or host, Azure's resource name). */
  baseUrl?: string;
  /** Added to the preset's own headers. */
  customHeaders?: Record<string, string>;
}

/** What `providers.create` takes for a preset. Throws for an unknown id. */
export function providerFromPreset(id: string, options: PresetOptions = {}): ProviderInput {
  const preset = providerPresets.find((each) => each.id === id);
  if (!preset) throw new Error(`No provider preset ${JSON.stringify(id)}; known: ${providerPresets.map((each) => each.id).join(', ')}`);
  return {
    name: options.name ?? preset.id,
    baseUrl: options.baseUrl ?? preset.baseUrl,
    routingMethod: preset.routingMethod,
    customHeaders: { ...preset.headers, ...options.customHeaders },
    ...(options.apiKey === undefined ? {} : { apiKey: options.apiKey }),
  };
}
