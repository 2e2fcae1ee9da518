/**
 * Maton's limit: N requests per second per API key. A sliding one-second log per key, on a monotonic clock (never
 * the emulator's injectable data clock, which tests may freeze).
 */

export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until a slot frees up; at least 1 when refused. */
  retryAfterSeconds: number;
}

export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly perSecond: number,
    private readonly monotonicMs: () => number = () => performance.now(),
  ) {}

  check(key: string): RateDecision {
    if (this.perSecond <= 0) return { allowed: true, retryAfterSeconds: 0 };
    const now = this.monotonicMs();
    const log = (this.hits.get(key) ?? []).filter((t) => t > now - 1000);
    if (log.length >= this.perSecond) {
      this.hits.set(key, log);
      const oldest = log[0] ?? now;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + 1000 - now) / 1000)) };
    }
    log.push(now);
    this.hits.set(key, log);
    return { allowed: true, retryAfterSeconds: 0 };
  }

  reset(): void {
    this.hits.clear();
  }
}
