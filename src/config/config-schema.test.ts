import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config-schema.ts';

describe('configuration', () => {
  it('has working defaults for an empty environment', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({ PORT: 3000, HOST: 'localhost', ALLOWED_ORIGINS: ['http://localhost:5173'], PROVIDERS_FILE: './data/providers.json', LOG_LEVEL: 'info' });
  });

  it('names each bad variable and never echoes a secret value', () => {
    try {
      parseConfig({ PORT: 'eighty', PROVIDER_ENCRYPTION_KEY: 'sk-CANARY-short', RATE_LIMIT_MAX_REQUESTS: '-1', LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      for (const name of ['PORT', 'PROVIDER_ENCRYPTION_KEY', 'RATE_LIMIT_MAX_REQUESTS', 'LOG_LEVEL']) expect(message).toContain(name);
      expect(message).not.toContain('sk-CANARY');
    }
  });

  it('accepts only exact origins in ALLOWED_ORIGINS', () => {
    expect(parseConfig({ ALLOWED_ORIGINS: 'https://a.example, http://localhost:5173' }).ALLOWED_ORIGINS).toEqual(['https://a.example', 'http://localhost:5173']);
    expect(() => parseConfig({ ALLOWED_ORIGINS: 'https://a.example/path' })).toThrow(/ALLOWED_ORIGINS/);
    expect(() => parseConfig({ ALLOWED_ORIGINS: '*' })).toThrow(/ALLOWED_ORIGINS/);
  });
});
