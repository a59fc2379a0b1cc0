import { expect, it } from 'vitest';
import { buildSnippets } from './build-snippets.ts';

const snippets = buildSnippets('http://127.0.0.1:3000/api/v1', 'openai/gpt-4o-mini');
const text = (title: string) => snippets.find((snippet) => snippet.title === title)!.text;

it('offers one snippet per kind of client', () => {
  expect(snippets.map((snippet) => snippet.title)).toEqual(['OpenAI SDK', 'Anthropic SDK', 'AI SDK', 'curl', 'Claude Code', 'Codex']);
});

it('gives the OpenAI-style clients the API base and the Anthropic-style ones the /api they add /v1/messages to', () => {
  expect(text('OpenAI SDK')).toContain('new OpenAI({ baseURL: "http://127.0.0.1:3000/api/v1", apiKey: process.env.LLM_GATEWAY_KEY })');
  expect(text('AI SDK')).toContain('createOpenAI({ baseURL: "http://127.0.0.1:3000/api/v1", apiKey: process.env.LLM_GATEWAY_KEY })');
  expect(text('Anthropic SDK')).toContain('new Anthropic({ baseURL: "http://127.0.0.1:3000/api", authToken: process.env.LLM_GATEWAY_KEY })');
});

it('configures Claude Code and Codex as they document it, with the key from the environment', () => {
  expect(text('Claude Code')).toBe("export ANTHROPIC_BASE_URL='http://127.0.0.1:3000/api'\nexport ANTHROPIC_AUTH_TOKEN=\"$LLM_GATEWAY_KEY\"\nexport ANTHROPIC_MODEL='openai/gpt-4o-mini'\nclaude");
  expect(text('Codex')).toBe(
    'model = "openai/gpt-4o-mini"\nmodel_provider = "llm-gateway"\n\n[model_providers.llm-gateway]\nname = "LLM Gateway"\nbase_url = "http://127.0.0.1:3000/api/v1"\nenv_key = "LLM_GATEWAY_KEY"\nwire_api = "responses"',
  );
});

it('quotes what goes into a shell', () => {
  expect(text('curl')).toBe(
    "curl 'http://127.0.0.1:3000/api/v1/chat/completions' \\\n  -H \"Authorization: Bearer $LLM_GATEWAY_KEY\" \\\n  -H 'Content-Type: application/json' \\\n  -d '{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}'",
  );
  expect(buildSnippets('http://h/api/v1', "it's/odd").find((snippet) => snippet.title === 'Claude Code')!.text).toContain("export ANTHROPIC_MODEL='it'\\''s/odd'");
});
