import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// How a user points each coding agent at the gateway (the README's section "Use it from Claude
// Code, Codex and the SDKs" says the same), plus every switch that keeps it from calling home.
// Each gets a fresh home folder, so nothing of the machine's own configuration is read.

export type CodingAgentName = 'claude-code' | 'codex';

export interface AgentSetup {
  /** The project's node_modules/.bin. */
  binFolder: string;
  /** The gateway's origin as the agent sees it (http://127.0.0.1:PORT). */
  origin: string;
  /** The access key the agent uses. */
  key: string;
  /** `<provider>/<model>` for the task. */
  model: string;
  /** `<provider>/<model>` for an agent's small side requests. */
  smallModel: string;
  home: string;
  prompt: string;
}

export interface AgentCommand {
  executable: string;
  args: string[];
  env: Record<string, string>;
}

export const codingAgents: Record<CodingAgentName, (setup: AgentSetup) => Promise<AgentCommand>> = {
  // https://docs.anthropic.com/en/docs/claude-code/settings#environment-variables
  async 'claude-code'({ binFolder, origin, key, model, smallModel, home, prompt }) {
    // Print mode asks nobody: the one tool the task needs is allowed up front.
    const args = ['-p', prompt, '--output-format', 'json', '--allowedTools', 'Bash'];
    return {
      ...(await claudeCodeLauncher(binFolder, args)),
      env: {
        HOME: home,
        ANTHROPIC_BASE_URL: `${origin}/api`,
        ANTHROPIC_AUTH_TOKEN: key,
        ANTHROPIC_MODEL: model,
        ANTHROPIC_DEFAULT_HAIKU_MODEL: smallModel,
        ANTHROPIC_SMALL_FAST_MODEL: smallModel,
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        DISABLE_AUTOUPDATER: '1',
        DISABLE_TELEMETRY: '1',
        DISABLE_ERROR_REPORTING: '1',
      },
    };
  },

  // https://github.com/openai/codex/blob/main/docs/config.md
  async codex({ binFolder, origin, key, model, home, prompt }) {
    const codexHome = join(home, '.codex');
    await mkdir(codexHome, { recursive: true });
    await writeFile(
      join(codexHome, 'config.toml'),
      [
        `model = ${JSON.stringify(model)}`,
        'model_provider = "gateway"',
        'check_for_update_on_startup = false',
        '',
        '[model_providers.gateway]',
        'name = "llm-gateway"',
        `base_url = ${JSON.stringify(`${origin}/api/v1`)}`,
        'env_key = "GATEWAY_KEY"',
        'wire_api = "responses"',
        '',
        '[analytics]',
        'enabled = false',
        '',
        '[feedback]',
        'enabled = false',
        '',
        '[otel]',
        'exporter = "none"',
        '',
        '[features]',
        'plugins = false',
        '',
      ].join('\n'),
    );
    return {
      executable: join(binFolder, 'codex'),
      args: ['exec', '--json', '--skip-git-repo-check', prompt],
      env: { HOME: home, CODEX_HOME: codexHome, GATEWAY_KEY: key },
    };
  },
};

/**
 * `claude` is the native binary that the package's postinstall copies over a placeholder script.
 * Where install scripts did not run (npm ci with scripts off), the package's own fallback launcher
 * starts the same binary from its platform package.
 */
async function claudeCodeLauncher(binFolder: string, args: string[]): Promise<Pick<AgentCommand, 'executable' | 'args'>> {
  const bin = join(binFolder, 'claude');
  if ((await stat(bin)).size > 1024 * 1024) return { executable: bin, args };
  return { executable: process.execPath, args: [join(binFolder, '../@anthropic-ai/claude-code/cli-wrapper.cjs'), ...args] };
}
