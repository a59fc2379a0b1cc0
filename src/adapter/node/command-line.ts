import { ConfigError, parseConfig, type AppConfig } from '../../config/config-schema.ts';
import { createLogger, type Logger } from '../../logging/logger.ts';

// What the maintenance commands (rotate-key, migrate-store) share: one way to stop with a
// message naming the command, the configuration from the environment or that message, and
// warnings on stderr (stdout is the command's answer).

export interface CommandLine {
  fail(message: string): never;
  /** The configuration from process.env; a bad setting ends the command with its message. */
  config(): AppConfig;
  logger: Logger;
}

export function commandLine(name: string): CommandLine {
  const fail = (message: string): never => {
    process.stderr.write(`${name}: ${message}\n`);
    process.exit(1);
  };
  return {
    fail,
    config() {
      try {
        return parseConfig(process.env);
      } catch (error) {
        if (error instanceof ConfigError) fail(error.message);
        throw error;
      }
    },
    logger: createLogger({ level: 'warn', write: (line) => process.stderr.write(`${line}\n`) }),
  };
}
