import { describe, expect, it } from 'vitest';
import { createLimits, KeyedLimiter, limitedFetch, TokenBucket } from '../../src/limiter.js';
import { ManualClock } from './manual-clock.js';

describe('TokenBucket', () => {
  it('lets a burst through, then spaces requests at the rate', async () => {
    const clock = new ManualClock('2025-01-15T08:00:00Z');
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 10, clock });
    const times: number[] = [];
    for (let i = 0; i < 25; i += 1) {
      await bucket.take();
      times.push(clock.now() - Date.parse('2025-01-15T08:00:00Z'));
    }
    expect(times.slice(0, 10)).toEqual(Array(10).fill(0));
    // After the burst: one every 100 ms.
    expect(times.slice(10)).toEqual(Array.from({ length: 15 }, (_, i) => 100 * (i + 1)));
  });

  it('never allows more than burst + rate x elapsed in any window', async () => {
    const clock = new ManualClock('2025-01-15T08:00:00Z');
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 10, clock });
    const times: number[] = [];
    for (let i = 0; i < 200; i += 1) {
      if (i % 7 === 0) clock.advance(35); // callers arriving irregularly
      await bucket.take();
      times.push(clock.now());
    }
    for (let i = 0; i < times.length; i += 1) {
      const windowEnd = times[i]! + 1000;
      const inWindow = times.filter((t) => t >= times[i]! && t < windowEnd).length;
      expect(inWindow).toBeLessThanOrEqual(10 + 10);
    }
    // Over the whole run the average rate is the configured one.
    const seconds = (times.at(-1)! - times[0]!) / 1000;
    expect(200 / seconds).toBeLessThanOrEqual(10 + 10 / seconds + 0.01);
  });

  it('queues concurrent callers in arrival order, each waiting for its own token', async () => {
    const clock = new ManualClock('2025-01-15T08:00:00Z');
    const bucket = new TokenBucket({ ratePerSecond: 1, burst: 1, clock });
    const waits = [bucket.reserve(), bucket.reserve(), bucket.reserve()];
    expect(waits).toEqual([0, 1000, 2000]);
  });

  it('refills while idle, up to the burst only', () => {
    const clock = new ManualClock('2025-01-15T08:00:00Z');
    const bucket = new TokenBucket({ ratePerSecond: 2, burst: 3, clock });
    for (let i = 0; i < 3; i += 1) expect(bucket.reserve()).toBe(0);
    expect(bucket.reserve()).toBe(500);
    clock.advance(60_000);
    expect(bucket.isIdle()).toBe(true);
    for (let i = 0; i < 3; i += 1) expect(bucket.reserve()).toBe(0);
    expect(bucket.reserve()).toBeGreaterThan(0);
  });

  it('rejects a non-positive rate', () => {
    expect(() => new TokenBucket({ ratePerSecond: 0, clock: new ManualClock('2025-01-01') })).toThrow(RangeError);
  });
});

describe('KeyedLimiter (per Slack channel)', () => {
  it('limits each channel on its own', async () => {
    const clock = new ManualClock('2025-01-15T08:00:00Z');
    const limiter = new KeyedLimiter({ ratePerSecond: 1, burst: 1, clock });
    await limiter.take('C1');
    await limiter.take('C2');
    expect(clock.slept).toEqual([]);
    await limiter.take('C1');
    expect(clock.slept).toEqual([1000]);
  });

  it('forgets idle channels once it holds many', async () => {
    const clock = new ManualClock('2025-01-15T08:00:00Z');
    const limiter = new KeyedLimiter({ ratePerSecond: 1, burst: 1, clock }, 3);
    for (const c of ['C1', 'C2', 'C3']) await limiter.take(c);
    clock.advance(5_000);
    await limiter.take('C4');
    expect(limiter.size).toBe(1);
  });
});

describe('createLimits and limitedFetch', () => {
  it('spaces Maton requests at 10 per second', async () => {
    const clock = new ManualClock('2025-01-15T08:00:00Z');
    const limits = createLimits({ clock });
    const seen: number[] = [];
    const fetch = limitedFetch(async () => {
      seen.push(clock.now());
      return new Response('{}');
    }, limits.maton);
    for (let i = 0; i < 30; i += 1) await fetch('http://127.0.0.1/');
    const elapsed = seen.at(-1)! - seen[0]!;
    // 10 at once, then 20 more at 100 ms each.
    expect(elapsed).toBe(2000);
  });

  it('allows a short burst per channel, then about one message per second', async () => {
    const clock = new ManualClock('2025-01-15T08:00:00Z');
    const limits = createLimits({ clock });
    for (let i = 0; i < 8; i += 1) await limits.slackChannel.take('C0GROWTH001');
    expect(clock.slept).toEqual([1000, 1000, 1000, 1000, 1000]);
  });
});
