import { describe, expect, it } from 'vitest';
import { ConfigError, configWarnings, parseConfig } from './config-schema.ts';

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

  it('takes ALLOWED_HOSTS as host names without a port, lower-cased; none by default', () => {
    expect(parseConfig({}).ALLOWED_HOSTS).toEqual([]);
    expect(parseConfig({ ALLOWED_HOSTS: 'Gateway.LAN, 192.168.1.20,[fd00::1]' }).ALLOWED_HOSTS).toEqual(['gateway.lan', '192.168.1.20', '[fd00::1]']);
    for (const bad of ['gateway.lan:8080', 'http://gateway.lan', 'user@gateway.lan', 'gateway.lan/path', 'fd00::1', '*']) {
      expect(() => parseConfig({ ALLOWED_HOSTS: bad }), bad).toThrow(/ALLOWED_HOSTS/);
    }
  });

  describe.each(['API_AUTH_TOKEN', 'ADMIN_TOKEN'] as const)('%s with little entropy (fewer than 10 distinct characters)', (variable) => {
    const weak = ['aaaaaaaaaaaaaaaa', 'abcabcabcabcabcabcabc', '0123456780123456781234'];
    it.each(weak)('%s is refused in production, naming the variable and not the value', (token) => {
      expect(() => parseConfig({ NODE_ENV: 'production', [variable]: token })).toThrow(
        new ConfigError([`${variable}: has fewer than 10 distinct characters, so it is easy to guess; use a random one (e.g. \`openssl rand -base64 32\`)`]),
      );
    });

    it.each(weak)('%s is taken with a warning elsewhere', (token) => {
      for (const environment of ['development', 'test', undefined]) {
        const config = parseConfig({ NODE_ENV: environment, [variable]: token });
        expect(config[variable]).toBe(token);
        expect(configWarnings(config)).toEqual([`${variable} has fewer than 10 distinct characters, so it is easy to guess; use a random one (e.g. \`openssl rand -base64 32\`); NODE_ENV=production refuses it`]);
      }
    });

    it('takes a token of 10 distinct characters or more without a word', () => {
      const token = 'abcdefghijabcdefghij';
      expect(parseConfig({ NODE_ENV: 'production', [variable]: token })[variable]).toBe(token);
      expect(configWarnings(parseConfig({ [variable]: token }))).toEqual([]);
    });
  });

  describe.each(['RATE_LIMIT_MAX_REQUESTS', 'OUTBOUND_RATE_LIMIT_MAX_REQUESTS'] as const)('%s', (variable) => {
    it('takes a count, or off (any case) for no limit', () => {
      expect(parseConfig({ [variable]: '250' })[variable]).toBe(250);
      expect(parseConfig({ [variable]: 250 })[variable]).toBe(250);
      expect(parseConfig({ [variable]: '1' })[variable]).toBe(1);
      expect(parseConfig({ [variable]: '1000000' })[variable]).toBe(1_000_000);
      expect(parseConfig({ [variable]: 'off' })[variable]).toBe(false);
      expect(parseConfig({ [variable]: ' OFF ' })[variable]).toBe(false);
    });

    it('keeps its default when unset or empty', () => {
      const fallback = variable === 'RATE_LIMIT_MAX_REQUESTS' ? 100 : 60;
      expect(parseConfig({})[variable]).toBe(fallback);
      expect(parseConfig({ [variable]: '' })[variable]).toBe(fallback);
    });

    it.each(['0', '-1', '1000001', '2.5', '1e3', 'none', 'false', 'unlimited', ' '])('refuses %j with a message naming the variable', (value) => {
      expect(() => parseConfig({ [variable]: value })).toThrow(
        new ConfigError([`${variable}: must be an integer from 1 to 1000000, or "off" for no limit`]),
      );
    });
  });
  it('takes REDIS_URL as redis:// or rediss://, and never echoes one it refuses (it may hold a password)', () => {
    expect(parseConfig({}).REDIS_URL).toBeUndefined();
    expect(parseConfig({}).REDIS_KEY_PREFIX).toBe('llmgw:');
    expect(parseConfig({ REDIS_URL: 'redis://127.0.0.1:6379/2' }).REDIS_URL).toBe('redis://127.0.0.1:6379/2');
    expect(parseConfig({ REDIS_URL: 'rediss://user:pw@redis.internal:6380' }).REDIS_URL).toBe('rediss://user:pw@redis.internal:6380');
    for (const bad of ['http://127.0.0.1:6379', 'redis://', 'redis://127.0.0.1:6379/not-a-db', 'localhost:6379']) {
      expect(() => parseConfig({ REDIS_URL: bad })).toThrow(/REDIS_URL/);
    }
    try {
      parseConfig({ REDIS_URL: 'http://user:sk-CANARY-redis-password@127.0.0.1:6379', REDIS_KEY_PREFIX: 'has space' });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/REDIS_URL[\s\S]*REDIS_KEY_PREFIX/);
      expect((error as Error).message).not.toContain('CANARY');
    }
  });

  it('reads ALLOW_PRIVATE_UPSTREAMS once, into the outbound policy, and names it when an entry is malformed', () => {
    expect(parseConfig({}).ALLOW_PRIVATE_UPSTREAMS).toEqual({ allowPrivate: false, allowedEndpoints: new Set() });
    expect(parseConfig({ ALLOW_PRIVATE_UPSTREAMS: 'true' }).ALLOW_PRIVATE_UPSTREAMS).toEqual({ allowPrivate: true, allowedEndpoints: new Set() });
    expect(parseConfig({ ALLOW_PRIVATE_UPSTREAMS: '127.1:11434, [0::1]:8000' }).ALLOW_PRIVATE_UPSTREAMS).toEqual({ allowPrivate: false, allowedEndpoints: new Set(['127.0.0.1:11434', '[::1]:8000']) });
    expect(() => parseConfig({ ALLOW_PRIVATE_UPSTREAMS: '169.254.169.254:80' })).toThrow(
      'Invalid configuration:\n  - ALLOW_PRIVATE_UPSTREAMS: invalid entry "169.254.169.254:80" (cloud metadata endpoints can never be allowed); expected host:port, e.g. 127.0.0.1:11434 or [::1]:8000',
    );
    expect(() => parseConfig({ ALLOW_PRIVATE_UPSTREAMS: 'yes' })).toThrow(/ALLOW_PRIVATE_UPSTREAMS: invalid entry "yes" \(missing port\)/);
  });
});
