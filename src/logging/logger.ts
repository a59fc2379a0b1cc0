// Structured JSON logs, one object per line. Callers pass only fields they chose (an allow-list);
// nothing here serialises a request, a body or a header bag.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const severity: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function createLogger(options: { level: LogLevel; write: (line: string) => void; now?: () => number }): Logger {
  const threshold = severity[options.level];
  const now = options.now ?? Date.now;
  const log = (level: Exclude<LogLevel, 'silent'>) =>
    severity[level] < threshold
      ? () => {}
      : (message: string, fields?: LogFields) => {
          options.write(JSON.stringify({ time: new Date(now()).toISOString(), level, message, ...fields }));
        };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
