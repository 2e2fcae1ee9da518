/**
 * Rates shared by every replica through rate-limiter-flexible, as time slots: a slot of `slotMs` admits one request,
 * whichever replica claims it first (the slot's key is consumed in the shared store). One request per slot bounds
 * any sliding second, which is how Maton counts, at `ceil(1000 / slotMs) + 1` requests; 120 ms slots keep that at
 * 10 with 80 ms to spare for jitter between the turn and the arrival (a busy event loop, the network), i.e.
 * about 8.3 requests per second on average.
 *
 * Priority across replicas: an interactive request may claim a slot as soon as it opens; scheduled work tries
 * `scheduledLagMs` later, so whichever replica has a person waiting wins the slot.
 */
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { LimiterClock } from '../limiter.js';
import { currentRequest } from '../request-context.js';
import type { BudgetBackend } from './backend.js';
import { FairQueue } from './fair-queue.js';

/** Slot keys cycle through at least this many names, so the store holds a bounded number of rows per rate. */
const MIN_SLOT_CYCLE = 20;

export interface SlotRateOptions {
  backend: BudgetBackend;
  /** e.g. `maton`: one shared key for the whole account. */
  name: string;
  slotMs: number;
  clock: LimiterClock;
  /** Default 20 ms. */
  scheduledLagMs?: number;
  /** Called when a request had to wait for its slot (metrics). */
  onWait?: (ms: number) => void;
}

/** A slot key must outlive its slot (whole seconds: Redis's expiry) and be gone before its name comes round again. */
function slotLimiter(backend: BudgetBackend, name: string, slotMs: number): { limiter: RateLimiterAbstract; cycle: number } {
  if (!(slotMs >= 1)) throw new RangeError('slotMs must be at least 1');
  const duration = Math.max(1, Math.ceil((2 * slotMs) / 1000));
  const cycle = Math.max(MIN_SLOT_CYCLE, Math.ceil((duration * 1000) / slotMs) + 2);
  return { limiter: backend.limiter({ keyPrefix: `slot_${name}`, points: 1, duration }), cycle };
}

/** True when this slot was ours; a store failure the insurance limiter could not cover counts as ours (local pace). */
async function claimSlot(limiter: RateLimiterAbstract, key: string): Promise<boolean> {
  try {
    await limiter.consume(key, 1);
    return true;
  } catch (error) {
    return !(error instanceof RateLimiterRes);
  }
}

/** One account-wide rate (Maton), queued fairly per workspace inside this process. */
export class SharedRate {
  private readonly queue = new FairQueue();
  private readonly limiter: RateLimiterAbstract;
  private readonly cycle: number;
  private pumping = false;
  private readonly lag: number;

  constructor(private readonly o: SlotRateOptions) {
    ({ limiter: this.limiter, cycle: this.cycle } = slotLimiter(o.backend, o.name, o.slotMs));
    this.lag = o.scheduledLagMs ?? 20;
  }

  /** Resolves when this request may be sent. Uses the current request's workspace and priority. */
  take(): Promise<void> {
    const scope = currentRequest();
    const queuedAt = this.o.clock.now();
    return new Promise<void>((resolve) => {
      this.queue.push(scope?.priority ?? 'interactive', scope?.teamId ?? '-', {
        resolve: () => {
          this.o.onWait?.(this.o.clock.now() - queuedAt);
          resolve();
        },
      });
      void this.pump();
    });
  }

  get queued(): number {
    return this.queue.size;
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let priority = this.queue.peekPriority(); priority; priority = this.queue.peekPriority()) {
        const now = this.o.clock.now();
        const slot = Math.floor(now / this.o.slotMs);
        const slotStart = slot * this.o.slotMs;
        if (priority === 'scheduled' && now - slotStart < this.lag) {
          await this.o.clock.sleep(slotStart + this.lag - now);
          continue;
        }
        if (await claimSlot(this.limiter, `${this.o.name}:${slot % this.cycle}`)) {
          this.queue.shift()?.resolve();
          // Our slot is used: the next can't be ours before it opens.
          await this.o.clock.sleep(Math.max(0, slotStart + this.o.slotMs - this.o.clock.now()));
          continue;
        }
        await this.o.clock.sleep(Math.max(1, slotStart + this.o.slotMs - this.o.clock.now()));
      }
    } finally {
      this.pumping = false;
    }
  }
}

/** Per-key rates (Slack: about one post per second per channel), each key's waiters in arrival order. */
export class SharedKeyedRate {
  private readonly limiter: RateLimiterAbstract;
  private readonly cycle: number;
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly o: Omit<SlotRateOptions, 'scheduledLagMs'>) {
    ({ limiter: this.limiter, cycle: this.cycle } = slotLimiter(o.backend, o.name, o.slotMs));
  }

  take(key: string): Promise<void> {
    const before = this.tails.get(key) ?? Promise.resolve();
    const mine = before.then(() => this.acquire(key));
    const tail = mine.catch(() => {});
    this.tails.set(key, tail);
    // Forget the key once its line is empty: channels come and go, the map must not grow with them.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return mine;
  }

  get size(): number {
    return this.tails.size;
  }

  private async acquire(key: string): Promise<void> {
    const queuedAt = this.o.clock.now();
    for (;;) {
      const now = this.o.clock.now();
      const slot = Math.floor(now / this.o.slotMs);
      if (await claimSlot(this.limiter, `${this.o.name}:${key}:${slot % this.cycle}`)) {
        this.o.onWait?.(this.o.clock.now() - queuedAt);
        return;
      }
      await this.o.clock.sleep(Math.max(1, (slot + 1) * this.o.slotMs - this.o.clock.now()));
    }
  }
}
