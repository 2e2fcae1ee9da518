/**
 * Token buckets that keep Hogbot inside its neighbours' limits: about one message per second per Slack channel, and
 * Maton's 10 requests per second per account. Time comes from an injected clock so tests run it forward.
 *
 * @example
 * const maton = new TokenBucket({ ratePerSecond: 10, burst: 10, clock: systemClock });
 * await maton.take(); // resolves at once, or when the next token is due
 */

import { openBudgetBackend } from './budget/backend.js';
import { QuerySlots } from './budget/query-slots.js';
import { SharedKeyedRate, SharedRate } from './budget/rate.js';

export interface LimiterClock {
  /** Epoch milliseconds. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: LimiterClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface BucketOptions {
  ratePerSecond: number;
  /** Tokens available at once after a quiet spell. Default: one second's worth (at least 1). */
  burst?: number;
  clock: LimiterClock;
}

/**
 * Callers reserve the next token before waiting, so the balance may go negative: concurrent callers queue in
 * arrival order without polling, each sleeping exactly until its own token is due.
 */
export class TokenBucket {
  readonly ratePerSecond: number;
  readonly burst: number;
  private tokens: number;
  private updatedAt: number;

  constructor(private readonly options: BucketOptions) {
    if (!(options.ratePerSecond > 0)) throw new RangeError('ratePerSecond must be positive');
    this.ratePerSecond = options.ratePerSecond;
    this.burst = Math.max(1, options.burst ?? Math.ceil(options.ratePerSecond));
    this.tokens = this.burst;
    this.updatedAt = options.clock.now();
  }

  /** Reserves one token and returns how long to wait for it (0 when one is available now). */
  reserve(): number {
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.ratePerSecond) * 1000);
  }

  async take(): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await this.options.clock.sleep(wait);
  }

  /** True when a full bucket: nothing reserved, nothing to remember. */
  isIdle(): boolean {
    this.refill();
    return this.tokens >= this.burst;
  }

  private refill(): void {
    const now = this.options.clock.now();
    const elapsed = Math.max(0, now - this.updatedAt);
    this.updatedAt = now;
    this.tokens = Math.min(this.burst, this.tokens + (elapsed / 1000) * this.ratePerSecond);
  }
}

/** One bucket per key (a Slack channel), created on first use and forgotten once idle. */
export class KeyedLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly options: BucketOptions,
    private readonly maxIdleKeys = 1000,
  ) {}

  async take(key: string): Promise<void> {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxIdleKeys) this.forgetIdle();
      bucket = new TokenBucket(this.options);
      this.buckets.set(key, bucket);
    }
    await bucket.take();
  }

  get size(): number {
    return this.buckets.size;
  }

  private forgetIdle(): void {
    for (const [key, bucket] of this.buckets) if (bucket.isIdle()) this.buckets.delete(key);
  }
}

/** Waits for a turn under a rate (a TokenBucket here, or the replicas' shared budget in src/budget). */
export interface RateGate {
  take(): Promise<void>;
}

export interface KeyedRateGate {
  take(key: string): Promise<void>;
}

/** The limits one Hogbot process shares between its commands, scheduler and event handlers. */
export interface Limits {
  /** chat.postMessage and file shares, keyed by channel id. */
  slackChannel: KeyedRateGate;
  /** Every request through the Maton gateway. */
  maton: RateGate;
  /** Concurrent HogQL queries per project, person and workspace (src/budget/query-slots.ts); none: unlimited. */
  querySlots?: QuerySlots;
  /** Releases what the limits hold (the shared budget's database or Redis connection). */
  close?: () => Promise<void>;
}

export interface LimitsOptions {
  clock?: LimiterClock;
  /** Default 1 (Slack: "about one message per second per channel", short bursts allowed). */
  slackPerChannelPerSecond?: number;
  /** Default 10 (Maton: 10 requests per second per account). */
  matonPerSecond?: number;
}

export function createLimits(opts: LimitsOptions = {}): Limits {
  const clock = opts.clock ?? systemClock;
  const slackRate = opts.slackPerChannelPerSecond ?? 1;
  const matonRate = opts.matonPerSecond ?? 10;
  return {
    // Slack tolerates short bursts; three lets a digest's title and first items go out together.
    slackChannel: new KeyedLimiter({ ratePerSecond: slackRate, burst: 3, clock }),
    maton: new TokenBucket({ ratePerSecond: matonRate, burst: matonRate, clock }),
  };
}

/** A fetch that takes a token from `bucket` before every request: wraps the gateway's network. */
export function limitedFetch(inner: typeof fetch, bucket: RateGate): typeof fetch {
  return async (input, init) => {
    await bucket.take();
    return inner(input, init);
  };
}

/** How the shared budget is paced; the defaults are the real services' limits. */
export interface BudgetOptions {
  databaseUrl: string;
  redisUrl?: string | null;
  clock?: LimiterClock;
  /** Maton: default 120 ms per request (at most 10 in any sliding second, see src/budget/rate.ts). */
  matonSlotMs?: number;
  /** Slack chat.postMessage: default 1000 ms per post per channel. */
  slackSlotMs?: number;
  onMatonWait?: (ms: number) => void;
}

/**
 * The limits every replica shares (PostgreSQL DATABASE_URL or REDIS_URL; with SQLite, this process's memory):
 * Maton's 10 requests per second per account, Slack's post per second per channel, PostHog's 3 concurrent queries
 * per project, and the per-person and per-workspace query caps.
 */
export async function openBudget(opts: BudgetOptions): Promise<Limits> {
  const clock = opts.clock ?? systemClock;
  const backend = await openBudgetBackend({ databaseUrl: opts.databaseUrl, redisUrl: opts.redisUrl ?? null });
  return {
    maton: new SharedRate({
      backend,
      name: 'maton',
      slotMs: opts.matonSlotMs ?? 120,
      clock,
      ...(opts.onMatonWait && { onWait: opts.onMatonWait }),
    }),
    slackChannel: new SharedKeyedRate({ backend, name: 'slack', slotMs: opts.slackSlotMs ?? 1000, clock }),
    querySlots: new QuerySlots({ backend, clock }),
    close: () => backend.close(),
  };
}

let shared: Limits | undefined;

/**
 * The process's limits on the system clock: Slack's per-channel pace and Maton's per-account rate hold for everything
 * one process sends, whichever part sends it (the app, its scheduler, a command's "Run now").
 */
export function sharedLimits(): Limits {
  shared ??= createLimits();
  return shared;
}

/** The app installs its budget here, so a "Run now" started from a command draws on the same one. */
export function setSharedLimits(limits: Limits): void {
  shared = limits;
}
