import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNodeScript } from '../support/build-node-script.ts';
import { SHELL_TASK_ANSWER_PREFIX } from '../support/fake-upstream/scenarios.ts';
import type { CodingAgentName } from './coding-agents.ts';
import { PROVIDER_KEY, type SessionConfig, type SessionReport } from './session-report.ts';

// Claude Code and Codex, the real CLIs from npm (pinned in package.json), as a user runs them:
// each pointed at the gateway with an access key, given a task that takes one shell command and
// then an answer, on a model of an openai-protocol provider (the fake upstream's `shell-task`,
// which calls the client's own shell tool, then quotes what it printed). Both are native
// binaries that no Node-level guard can hold: each session runs in a network namespace with
// only loopback (run-in-netns.sh), with the gateway and the fake upstream inside it.

const root = new URL('../../', import.meta.url).pathname;
const isRoot = process.getuid?.() === 0;
let folder: string;

beforeAll(async () => {
  if (!isRoot) return;
  folder = await mkdtemp(join(tmpdir(), 'gateway-cli-'));
  buildNodeScript('src/adapter/node/server.ts', join(folder, 'server.mjs'));
  buildNodeScript('test/cli/run-cli-session.ts', join(folder, 'session.mjs'));
});
afterAll(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
});

async function runSession(agent: CodingAgentName): Promise<SessionReport> {
  const sessionFolder = await mkdtemp(join(folder, `${agent}-`));
  const config: SessionConfig = {
    agent,
    binFolder: join(root, 'node_modules/.bin'),
    serverScript: join(folder, 'server.mjs'),
    folder: sessionFolder,
    reportFile: join(sessionFolder, 'report.json'),
  };
  await writeFile(join(sessionFolder, 'config.json'), JSON.stringify(config));
  const child = spawn(join(root, 'test/cli/run-in-netns.sh'), [process.execPath, join(folder, 'session.mjs'), join(sessionFolder, 'config.json')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`the ${agent} session failed (${code}): ${output}`);
  return JSON.parse(await readFile(config.reportFile, 'utf8')) as SessionReport;
}

const bodyOf = (text: string) => JSON.parse(text) as Record<string, any>;

function expectNoSecretLeaked(report: SessionReport) {
  expect(report.gatewayLog).not.toContain(PROVIDER_KEY);
  expect(report.gatewayLog).not.toContain(report.keySecret);
  expect(report.stdout + report.stderr).not.toContain(PROVIDER_KEY);
}

describe.skipIf(!isRoot)(`coding agents through the gateway${isRoot ? '' : ' (skipped: not root, and each CLI needs a network namespace of its own: unshare --net)'}`, () => {
  it('Claude Code (claude -p) runs its Bash tool and answers, over /messages translated to Chat Completions; the ledger has both turns under its key', async () => {
    const report = await runSession('claude-code');
    expect(report.interfaces).toEqual(['lo']);
    expect(report.exitCode, report.stderr).toBe(0);
    const result = JSON.parse(report.stdout);
    expect(result).toMatchObject({ type: 'result', subtype: 'success', is_error: false, num_turns: 2, result: `${SHELL_TASK_ANSWER_PREFIX}\n${report.nonce}` });

    // What Claude Code sent: Anthropic Messages with its betas, thinking, context management and
    // a system turn inside `messages`; the second request carries the Bash result.
    expect(report.exchanges.map((exchange) => [exchange.method, exchange.path, exchange.status, exchange.responseHeaders['x-gateway-provider']])).toEqual([
      ['POST', '/api/v1/messages?beta=true', 200, report.providerName],
      ['POST', '/api/v1/messages?beta=true', 200, report.providerName],
    ]);
    const [first, second] = report.exchanges.map((exchange) => bodyOf(exchange.body));
    expect(report.exchanges[0]!.headers.authorization).toBe(`Bearer ${report.keySecret}`);
    expect(report.exchanges[0]!.headers['anthropic-beta']).toContain('claude-code-20250219');
    expect(first).toMatchObject({ model: `${report.providerName}/shell-task`, stream: true, thinking: { type: 'adaptive' }, context_management: expect.any(Object) });
    expect(first!.messages.map((message: { role: string }) => message.role)).toEqual(['user', 'system']);
    expect(first!.tools.map((tool: { name: string }) => tool.name)).toContain('Bash');
    const toolUse = second!.messages.at(-2).content.find((block: { type: string }) => block.type === 'tool_use');
    const toolResult = second!.messages.at(-1).content.find((block: { type: string }) => block.type === 'tool_result');
    expect(toolUse).toMatchObject({ id: expect.stringMatching(/^toolu_call_/), name: 'Bash', input: { command: 'cat note.txt', description: 'Print note.txt' } });
    expect(toolResult).toMatchObject({ tool_use_id: toolUse.id, content: report.nonce });

    // What the provider got: Chat Completions with the provider's key, the tool call's id as
    // the provider made it, and the command's output as the tool message.
    expect(report.upstreamRequests.map((request) => [request.method, request.path, request.headers.authorization])).toEqual([
      ['POST', '/openai/v1/chat/completions', `Bearer ${PROVIDER_KEY}`],
      ['POST', '/openai/v1/chat/completions', `Bearer ${PROVIDER_KEY}`],
    ]);
    const upstreamSecond = bodyOf(report.upstreamRequests[1]!.body);
    expect(upstreamSecond.messages.slice(-2)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: toolUse.id.slice('toolu_'.length), type: 'function', function: { name: 'Bash', arguments: '{"command":"cat note.txt","description":"Print note.txt"}' } }] },
      { role: 'tool', tool_call_id: toolUse.id.slice('toolu_'.length), content: report.nonce },
    ]);

    // The operator's ledger: both requests under the key Claude Code used, with the tokens Claude Code itself counted.
    expect(result.usage).toMatchObject({ input_tokens: 84 + 19 });
    expect(report.usageByKey).toMatchObject({ data: [{ key: report.keyId, model: 'shell-task', requests: 2, errors: 0, promptTokens: 84 + 19, completionTokens: result.usage.output_tokens }] });
    expectNoSecretLeaked(report);
  });

  it('Codex (codex exec) runs its shell tool and answers, over /responses translated to Chat Completions; the ledger has both turns under its key', async () => {
    const report = await runSession('codex');
    expect(report.interfaces).toEqual(['lo']);
    expect(report.exitCode, report.stderr).toBe(0);
    const events = report.stdout.trim().split('\n').map((line) => JSON.parse(line));
    const completedItems = events.filter((event) => event.type === 'item.completed').map((event) => event.item);
    expect(completedItems.find((item) => item.type === 'command_execution')).toMatchObject({ command: expect.stringContaining('cat note.txt'), aggregated_output: `${report.nonce}\n`, exit_code: 0, status: 'completed' });
    const answer = completedItems.find((item) => item.type === 'agent_message');
    expect(answer.text.startsWith(`${SHELL_TASK_ANSWER_PREFIX}\n`)).toBe(true);
    expect(answer.text).toContain(`\nOutput:\n${report.nonce}\n`);
    const turn = events.find((event) => event.type === 'turn.completed');

    // What Codex sent: Responses with store:false and the whole history each turn, its hosted
    // web_search tool (left out, and named in X-Gateway-Dropped-Tools) and a namespace of functions.
    expect(report.exchanges.map((exchange) => [exchange.method, exchange.path, exchange.status, exchange.responseHeaders['x-gateway-provider'], exchange.responseHeaders['x-gateway-dropped-tools']])).toEqual([
      ['POST', '/api/v1/responses', 200, report.providerName, 'web_search'],
      ['POST', '/api/v1/responses', 200, report.providerName, 'web_search'],
    ]);
    expect(report.exchanges[0]!.headers.authorization).toBe(`Bearer ${report.keySecret}`);
    const [first, second] = report.exchanges.map((exchange) => bodyOf(exchange.body));
    expect(first).toMatchObject({ model: `${report.providerName}/shell-task`, stream: true, store: false });
    expect(first!.tools.map((tool: { type: string }) => tool.type)).toEqual(expect.arrayContaining(['function', 'namespace', 'web_search']));
    const [call, output] = second!.input.slice(-2);
    expect(call).toMatchObject({ type: 'function_call', name: 'exec_command', arguments: '{"cmd":"cat note.txt"}', call_id: expect.stringMatching(/^call_/) });
    expect(output).toMatchObject({ type: 'function_call_output', call_id: call.call_id, output: expect.stringContaining(report.nonce) });

    // What the provider got: function tools only (the namespace flattened, web_search left out).
    expect(report.upstreamRequests.map((request) => [request.method, request.path, request.headers.authorization])).toEqual([
      ['POST', '/openai/v1/chat/completions', `Bearer ${PROVIDER_KEY}`],
      ['POST', '/openai/v1/chat/completions', `Bearer ${PROVIDER_KEY}`],
    ]);
    const upstreamFirst = bodyOf(report.upstreamRequests[0]!.body);
    expect(upstreamFirst.tools.every((tool: { type: string }) => tool.type === 'function')).toBe(true);
    expect(upstreamFirst.tools.map((tool: { function: { name: string } }) => tool.function.name)).toContain('exec_command');
    const upstreamSecond = bodyOf(report.upstreamRequests[1]!.body);
    expect(upstreamSecond.messages.slice(-2)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: call.call_id, type: 'function', function: { name: 'exec_command', arguments: '{"cmd":"cat note.txt"}' } }] },
      { role: 'tool', tool_call_id: call.call_id, content: output.output },
    ]);

    expect(turn.usage).toMatchObject({ input_tokens: 84 + 19 });
    expect(report.usageByKey).toMatchObject({ data: [{ key: report.keyId, model: 'shell-task', requests: 2, errors: 0, promptTokens: 84 + 19, completionTokens: turn.usage.output_tokens }] });
    expectNoSecretLeaked(report);
  });
});
