import { access } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { StorageUnavailableError } from '../../errors/api-error.ts';
import { commandLine } from './command-line.ts';
import { GENERATED_KEY_FILE } from './encryption-secret.ts';
import { FileLockedError } from './file-lock.ts';
import { openJsonFileBackend } from './json-file-backend.ts';
import { StoreFileError } from './json-file-provider-store.ts';
import { otherGatewaysOn } from './redis/connected-gateways.ts';
import { copyToRedis, CopyRefusedError, readDataFolder } from './redis/copy-to-redis.ts';
import { openRedisBackend } from './redis/redis-backend.ts';
import { redactRedisUrl, RedisStartupError } from './redis/redis-connection.ts';

// `npm run migrate-store [-- --replace]`: copies the data folder (PROVIDERS_FILE's folder) into
// REDIS_URL under REDIS_KEY_PREFIX. The folder is locked while it is read, so no server writes it
// meanwhile (stop the JSON-file server first). See redis/copy-to-redis.ts for what is copied.

const cli = commandLine('migrate-store');
// Declared with its type, so TypeScript knows a call to it does not return.
const fail: (message: string) => never = cli.fail;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((arg) => arg !== '--replace');
  if (unknown.length > 0) fail(`unknown argument ${unknown[0]}; the only option is --replace.`);
  const replace = args.includes('--replace');
  const config = cli.config();
  if (config.REDIS_URL === undefined) fail('set REDIS_URL to the Redis to copy into (redis://host:port[/db]).');
  const { logger } = cli;
  const providersFile = resolve(config.PROVIDERS_FILE);
  const dataFolder = dirname(providersFile);

  const source = await openJsonFileBackend({ providersFile, logger, responseCacheMaxBytes: 1024 }).catch((error: unknown) => {
    if (error instanceof FileLockedError || error instanceof StoreFileError) fail(error.message);
    throw error;
  });
  try {
    const contents = await readDataFolder({ providersFile, dataFolder, providers: await source.providers.list(), accessKeys: await source.accessKeys.list(), routes: await source.routes.list() });
    if (contents.providers.length === 0 && contents.accessKeys.length === 0 && contents.usageFiles.length === 0) {
      fail(`${dataFolder} holds no providers, access keys or usage: nothing to copy (is PROVIDERS_FILE right?).`);
    }
    const target = await openRedisBackend({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, logger, clientName: 'llm-gateway-migrate-store' }).catch((error: unknown) => {
      if (error instanceof RedisStartupError) fail(error.message);
      throw error;
    });
    try {
      if (replace && (await otherGatewaysOn(target.connection)) > 0) fail('gateways are connected to REDIS_URL: stop them before --replace deletes what they serve.');
      const result = await copyToRedis(contents, target, { replace, logger });
      const where = `${redactRedisUrl(config.REDIS_URL)} under the prefix ${config.REDIS_KEY_PREFIX}`;
      const what = `${result.providers} provider(s) with their encrypted keys and the salt as stored, ${result.accessKeys} access key(s), ${contents.routes?.length ?? 0} route(s) and ${result.usageRecords} usage record(s)`;
      process.stdout.write(result.outcome === 'copied' ? `Copied ${what} from ${dataFolder} to ${where}.\n` : `Nothing to do: ${where} already holds this copy of ${dataFolder} (${what}).\n`);
      if (await access(join(dataFolder, GENERATED_KEY_FILE)).then(() => true, () => false)) {
        process.stdout.write(`The keys were encrypted with the key generated into ${join(dataFolder, GENERATED_KEY_FILE)}: start every gateway on Redis with PROVIDER_ENCRYPTION_KEY set to its contents.\n`);
      }
    } finally {
      await target.close();
    }
  } catch (error) {
    if (error instanceof CopyRefusedError) fail(error.message);
    if (error instanceof StorageUnavailableError) fail(`Redis stopped answering (${error.message}); run again with --replace to start over.`);
    throw error;
  } finally {
    await source.close();
  }
}

await main();
