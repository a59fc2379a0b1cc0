// What "Connect your app" shows: the gateway's base URL filled into a short working example for
// each kind of client, each reading an access key from the LLM_GATEWAY_KEY environment variable
// (never the shared token, and never a secret written into the page). Claude Code and the
// Anthropic SDK append /v1/messages to their base URL, so theirs is the gateway's /api; Codex
// speaks the Responses API (wire_api = "responses").

export interface Snippet {
  title: string;
  /** Where it goes: a file, a shell. */
  where: string;
  text: string;
}

export const KEY_VARIABLE = 'LLM_GATEWAY_KEY';

/** A value inside single quotes in a POSIX shell. */
const shellQuoted = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;

export function buildSnippets(apiBase: string, model: string): Snippet[] {
  const anthropicBase = apiBase.replace(/\/v1\/?$/, '');
  const js = JSON.stringify;
  const chatBody = JSON.stringify({ model, messages: [{ role: 'user', content: 'Hello' }] });
  return [
    {
      title: 'OpenAI SDK',
      where: 'TypeScript or JavaScript (npm install openai)',
      text: `import OpenAI from 'openai';

const openai = new OpenAI({ baseURL: ${js(apiBase)}, apiKey: process.env.${KEY_VARIABLE} });
const answer = await openai.chat.completions.create({
  model: ${js(model)},
  messages: [{ role: 'user', content: 'Hello' }],
});
console.log(answer.choices[0].message.content);`,
    },
    {
      title: 'Anthropic SDK',
      where: 'TypeScript or JavaScript (npm install @anthropic-ai/sdk)',
      text: `import Anthropic from '@anthropic-ai/sdk';

// The SDK adds /v1/messages to the base URL.
const anthropic = new Anthropic({ baseURL: ${js(anthropicBase)}, authToken: process.env.${KEY_VARIABLE} });
const message = await anthropic.messages.create({
  model: ${js(model)},
  max_tokens: 1024,
  messages: [{ role: 'user', content: 'Hello' }],
});
console.log(message.content);`,
    },
    {
      title: 'AI SDK',
      where: 'TypeScript or JavaScript (npm install ai @ai-sdk/openai)',
      text: `import { createOpenAI } from '@ai-sdk/openai';
import { generateText } from 'ai';

const gateway = createOpenAI({ baseURL: ${js(apiBase)}, apiKey: process.env.${KEY_VARIABLE} });
const { text } = await generateText({ model: gateway.chat(${js(model)}), prompt: 'Hello' });
console.log(text);`,
    },
    {
      title: 'curl',
      where: 'a shell',
      text: `curl ${shellQuoted(`${apiBase}/chat/completions`)} \\
  -H "Authorization: Bearer $${KEY_VARIABLE}" \\
  -H 'Content-Type: application/json' \\
  -d ${shellQuoted(chatBody)}`,
    },
    {
      title: 'Claude Code',
      where: 'a shell, then run claude',
      text: `export ANTHROPIC_BASE_URL=${shellQuoted(anthropicBase)}
export ANTHROPIC_AUTH_TOKEN="$${KEY_VARIABLE}"
export ANTHROPIC_MODEL=${shellQuoted(model)}
claude`,
    },
    {
      title: 'Codex',
      where: '~/.codex/config.toml, then run codex',
      text: `model = ${js(model)}
model_provider = "llm-gateway"

[model_providers.llm-gateway]
name = "LLM Gateway"
base_url = ${js(apiBase)}
env_key = "${KEY_VARIABLE}"
wire_api = "responses"`,
    },
  ];
}
