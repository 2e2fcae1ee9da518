/**
 * Where the shared rate budget lives, so every replica draws on one Maton account's 10 requests per second:
 * PostgreSQL when DATABASE_URL is one (the replicas already share it), Redis when REDIS_URL is set, and this
 * process's memory with SQLite (one process, nothing to share). rate-limiter-flexible does the counting; a store
 * that fails falls back to a per-process memory limiter (its `insuranceLimiter`), so a database blip slows nobody down
 * more than a single replica's own pace would.
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis } from 'rate-limiter-flexible';

export interface LimiterSpec {
  keyPrefix: string;
  points: number;
  /** Seconds a key lives after its first use. */
  duration: number;
}

export interface BudgetBackend {
  readonly kind: 'memory' | 'postgres' | 'redis';
  limiter(spec: LimiterSpec): RateLimiterAbstract;
  close(): Promise<void>;
}

const TABLE = 'hogbot_rate_budget';

/** One process's budget: limiters with the same prefix share their counts, as they would in a shared store. */
export function memoryBackend(): BudgetBackend {
  const limiters = new Map<string, RateLimiterMemory>();
  return {
    kind: 'memory',
    limiter: (spec) => {
      const id = `${spec.keyPrefix}/${spec.points}/${spec.duration}`;
      let limiter = limiters.get(id);
      if (!limiter) limiters.set(id, (limiter = new RateLimiterMemory(spec)));
      return limiter;
    },
    close: async () => {},
  };
}

export interface BudgetBackendOptions {
  databaseUrl: string;
  redisUrl?: string | null;
}

export async function openBudgetBackend(opts: BudgetBackendOptions): Promise<BudgetBackend> {
  if (opts.redisUrl) return redisBackend(opts.redisUrl);
  if (/^postgres(ql)?:\/\//i.test(opts.databaseUrl)) return postgresBackend(opts.databaseUrl);
  return memoryBackend();
}

/** How long startup waits for Redis before the insurance limiters carry on alone (and Redis joins when it can). */
const REDIS_READY_MS = 3_000;

async function redisBackend(url: string): Promise<BudgetBackend> {
  // Fail fast instead of queueing commands while Redis is away: the insurance limiter takes over meanwhile.
  const client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
  client.on('error', () => {});
  // Commands before the connection is ready would all fall to the per-process insurance limiter.
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, REDIS_READY_MS);
    client.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return {
    kind: 'redis',
    limiter: (spec) => new RateLimiterRedis({ ...spec, storeClient: client, insuranceLimiter: new RateLimiterMemory(spec) }),
    close: async () => {
      client.disconnect();
    },
  };
}

async function postgresBackend(databaseUrl: string): Promise<BudgetBackend> {
  // A small pool of its own: budget checks are one short upsert each and must not wait behind the store's queries.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 3 });
  pool.on('error', () => {});
  // Created once here (IF NOT EXISTS, the library's own DDL), so each limiter can skip its own creation round trip.
  await new Promise<void>((resolve, reject) => {
    new RateLimiterPostgres({ storeClient: pool, tableName: TABLE, keyPrefix: 'init', points: 1, duration: 1 }, (error?: unknown) =>
      error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(),
    );
  });
  return {
    kind: 'postgres',
    limiter: (spec) =>
      new RateLimiterPostgres({
        ...spec,
        storeClient: pool,
        tableName: TABLE,
        tableCreated: true,
        clearExpiredByTimeout: true,
        insuranceLimiter: new RateLimiterMemory(spec),
      }),
    close: () => pool.end(),
  };
}
