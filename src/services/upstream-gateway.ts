import { EncryptionKeyMismatchError } from '../crypto/encryption-key-mismatch-error.ts';
import { ApiError, type ErrorDetails } from '../errors/api-error.ts';
import { DecryptionError, type KeyCipher } from '../crypto/key-cipher.ts';
import type { AbortSignalLike } from '../http/abort-signal-like.ts';
import { chatProtocols } from '../protocols/chat-protocols.ts';
import type { ChatProtocol, OutboundRequest } from '../protocols/chat-protocol.ts';
import type { ProviderService } from '../providers/provider-service.ts';
import type { ModelsCache, CachedModels } from '../storage/models-cache.ts';
import type { StoredProvider } from '../storage/provider-store.ts';
import { callUpstream, toUpstreamError, type UpstreamCallPolicy, type UpstreamExchange } from '../upstream/call-upstream.ts';
import { readBodyText } from '../upstream/read-body-text.ts';
import { scrubSecrets } from '../upstream/scrub-secrets.ts';

// Everything that talks to a provider on a client's behalf: decrypt the key for the duration of
// one call, check the address again, send, and map a failed answer to the contract's errors.

const ERROR_BODY_LIMIT = 64 * 1024;

export interface UpstreamGatewayOptions {
  providers: ProviderService;
  cipher: KeyCipher;
  modelsCache: ModelsCache;
  call: UpstreamCallPolicy;
  modelsCacheTtlMs: number;
  maxResponseBytes: number;
  now: () => number;
}

export type UpstreamGateway = ReturnType<typeof createUpstreamGateway>;

export function createUpstreamGateway(options: UpstreamGatewayOptions) {
  const { providers, cipher, modelsCache, call, now } = options;

  async function decryptKey(provider: StoredProvider): Promise<string | undefined> {
    if (provider.encryptedApiKey === null) return undefined;
    try {
      return await cipher.decrypt(provider.encryptedApiKey, provider.id);
    } catch (error) {
      if (error instanceof DecryptionError) throw new EncryptionKeyMismatchError();
      throw error;
    }
  }

  /**
   * Sends one request built with the provider's key and returns the exchange once a successful
   * status arrived; any other status becomes the mapped ApiError, with the secrets sent (the key,
   * the custom header values) scrubbed out. `scrub` does the same for what the caller reads later
   * (an error inside a stream).
   */
  async function send(
    provider: StoredProvider,
    /** apiKey: undefined for a provider without a key, which gets no credential header. */
    build: (protocol: ChatProtocol, apiKey: string | undefined) => OutboundRequest,
    method: 'GET' | 'POST',
    signal?: AbortSignalLike,
    policy?: Pick<UpstreamCallPolicy, 'retryRateLimited'>,
  ): Promise<{ exchange: UpstreamExchange; protocol: ChatProtocol; scrub: (text: string) => string }> {
    providers.assertUsable(provider);
    const protocol = chatProtocols[provider.routingMethod];
    const apiKey = await decryptKey(provider);
    // The provider comes from the provider service with its header values opened.
    const secrets = [...(apiKey === undefined ? [] : [apiKey]), ...Object.values(provider.customHeaders)];
    const scrub = (text: string) => scrubSecrets(text, secrets);
    const exchange = await callUpstream({ method, ...build(protocol, apiKey) }, policy ? { ...call, ...policy } : call, signal);
    if (exchange.status >= 200 && exchange.status < 300) return { exchange, protocol, scrub };
    const text = await readBodyText(exchange, ERROR_BODY_LIMIT).catch(() => '');
    exchange.discard();
    throw toUpstreamError(exchange.status, protocol.errorMessage(text), exchange.header('retry-after'), secrets);
  }

  async function fetchModels(provider: StoredProvider, signal?: AbortSignalLike): Promise<CachedModels> {
    const { exchange, protocol } = await send(provider, (protocol, apiKey) => protocol.modelsRequest(provider, apiKey), 'GET', signal);
    const models = protocol.parseModels(await readBodyText(exchange, options.maxResponseBytes));
    const fresh: CachedModels = { data: models, fetchedAt: new Date(now()).toISOString() };
    await modelsCache.set(provider.id, fresh, options.modelsCacheTtlMs);
    return fresh;
  }

  return {
    send,
    readBody: (exchange: UpstreamExchange) => readBodyText(exchange, options.maxResponseBytes),

    /** The provider's model list if a fresh enough one is cached. */
    cachedModels: (provider: StoredProvider): Promise<CachedModels | null> => modelsCache.get(provider.id),

    /** Times one authenticated call; failures are reported, not thrown. */
    async check(probe: () => Promise<unknown>): Promise<{ ok: boolean; latencyMs: number; error?: { code: string; message: string; details?: ErrorDetails } }> {
      const started = now();
      try {
        await probe();
        return { ok: true, latencyMs: now() - started };
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        return { ok: false, latencyMs: now() - started, error: error.toJSON().error };
      }
    },
    fetchModels,
  };
}
