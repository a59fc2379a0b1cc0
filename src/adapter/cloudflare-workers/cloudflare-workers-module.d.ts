// The one class this adapter takes from the workerd built-in module `cloudflare:workers`, declared
// by hand for the same reason as worker-bindings.ts (the official types are global and clash with
// the DOM lib). Only the members rate-limit-counter.ts, usage-ledger-object.ts and target-rests-object.ts use.

declare module 'cloudflare:workers' {
  interface SqlStorageCursor<T> {
    toArray(): T[];
    one(): T;
  }

  interface SqlStorage {
    exec<T = Record<string, string | number | null>>(query: string, ...bindings: unknown[]): SqlStorageCursor<T>;
  }

  /** SQLite storage's synchronous key-value API. */
  interface SyncKvStorage {
    get<T = unknown>(key: string): T | undefined;
    put<T>(key: string, value: T): void;
    delete(key: string): boolean;
    list<T = unknown>(options?: { prefix?: string }): Iterable<[string, T]>;
  }

  interface DurableObjectStorage {
    readonly sql: SqlStorage;
    readonly kv: SyncKvStorage;
    /** Runs the function as one transaction: everything it wrote, or nothing if it throws. */
    transactionSync<T>(run: () => T): T;
    deleteAll(): Promise<void>;
    getAlarm(): Promise<number | null>;
    setAlarm(scheduledTime: number): Promise<void>;
  }

  interface DurableObjectState {
    readonly storage: DurableObjectStorage;
  }

  export abstract class DurableObject<Env = unknown> {
    protected ctx: DurableObjectState;
    protected env: Env;
    constructor(ctx: DurableObjectState, env: Env);
  }
}
