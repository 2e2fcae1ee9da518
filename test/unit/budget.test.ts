/**
 * The shared budget's parts on the in-memory store: the fair queue (interactive first, round-robin by workspace),
 * the slot rate (one turn per slot, whichever instance asks), and the query slots (per-person and per-workspace caps
 * answered at once with BusyError; a project's 3 at a time wait their turn).
 */
import { describe, expect, it } from 'vitest';
import { memoryBackend } from '../../src/budget/backend.js';
import { FairQueue } from '../../src/budget/fair-queue.js';
import { BusyError, isBusyError, QuerySlots } from '../../src/budget/query-slots.js';
import { SharedRate } from '../../src/budget/rate.js';
import { systemClock } from '../../src/limiter.js';
import { withRequest } from '../../src/request-context.js';

describe('FairQueue', () => {
  it('serves interactive waiters before scheduled ones, round-robin between workspaces', () => {
    const q = new FairQueue();
    const served: string[] = [];
    const w = (name: string) => ({ resolve: () => served.push(name) });
    q.push('scheduled', 'T1', w('s1'));
    for (let i = 1; i <= 3; i += 1) q.push('interactive', 'T1', w(`a${i}`));
    q.push('interactive', 'T2', w('b1'));
    q.push('interactive', 'T3', w('c1'));
    expect(q.size).toBe(6);
    while (q.size > 0) q.shift()?.resolve();
    expect(served).toEqual(['a1', 'b1', 'c1', 'a2', 'a3', 's1']);
  });
});

describe('SharedRate', () => {
  it('gives one turn per slot across two instances on one store', async () => {
    const backend = memoryBackend();
    const a = new SharedRate({ backend, name: 'm', slotMs: 40, clock: systemClock });
    const b = new SharedRate({ backend, name: 'm', slotMs: 40, clock: systemClock });
    const at: number[] = [];
    await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).take().then(() => at.push(performance.now()))));
    // 12 turns in 40 ms slots, never two in one slot: the span is at least 10 slots.
    expect(at.at(-1)! - at[0]!).toBeGreaterThanOrEqual(10 * 40 - 20);
  });

  it('serves a quiet workspace next, not after a flooding one', async () => {
    const rate = new SharedRate({ backend: memoryBackend(), name: 'm', slotMs: 20, clock: systemClock });
    const turns: string[] = [];
    const take = (team: string) => withRequest({ kind: 'test', teamId: team }, () => rate.take()).then(() => turns.push(team));
    const flood = Array.from({ length: 12 }, () => take('T1'));
    const other = take('T2');
    await Promise.all([...flood, other]);
    // T2 queued after T1's twelve, yet went second (round-robin), not last.
    expect(turns.indexOf('T2')).toBe(1);
  });
});

describe('QuerySlots', () => {
  it('refuses a fourth query of one person at once, lets a colleague run, and frees the slot on release', async () => {
    const slots = new QuerySlots({ backend: memoryBackend(), clock: systemClock, perProject: 10 });
    const as =
      (user: string) =>
      <T>(work: () => Promise<T>) =>
        withRequest({ kind: 'command', teamId: 'T1', userId: user }, work);
    const ana = as('UANA');
    const held = [
      await ana(() => slots.acquire('c1', 1)),
      await ana(() => slots.acquire('c1', 1)),
      await ana(() => slots.acquire('c1', 1)),
    ];
    const refused = await ana(() => slots.acquire('c1', 1)).catch((e: unknown) => e);
    expect(isBusyError(refused)).toBe(true);
    expect((refused as BusyError).message).toBe(
      'You already have 3 queries running. Wait for them to finish (or cancel one), then try again.',
    );
    const colleague = await as('UMAX')(() => slots.acquire('c1', 1));
    await held[0]!();
    const again = await ana(() => slots.acquire('c1', 1));
    await Promise.all([...held.slice(1), colleague, again].map((release) => release()));
  });

  it('holds a project at 3 running queries: the fourth waits for a release instead of failing', async () => {
    const slots = new QuerySlots({ backend: memoryBackend(), clock: systemClock });
    const run = (user: string) => withRequest({ kind: 'command', teamId: 'T1', userId: user }, () => slots.acquire('c1', 7));
    const first = await Promise.all([run('U1'), run('U2'), run('U3')]);
    let fourthIn = false;
    const fourth = run('U4').then((release) => {
      fourthIn = true;
      return release;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fourthIn).toBe(false);
    await first[0]!();
    await (await fourth)();
    expect(fourthIn).toBe(true);
    await Promise.all(first.slice(1).map((release) => release()));
  });

  it('does not cap scheduled work per person: schedules are paced by the scheduler', async () => {
    const slots = new QuerySlots({ backend: memoryBackend(), clock: systemClock, perProject: 10 });
    const releases = await Promise.all(
      Array.from({ length: 5 }, () =>
        withRequest({ kind: 'delivery', teamId: 'T1', userId: 'UANA', priority: 'scheduled' }, () => slots.acquire('c1', 1)),
      ),
    );
    expect(releases).toHaveLength(5);
  });
});

describe('the budget in Redis (REDIS_URL)', async () => {
  const { openBudgetBackend } = await import('../../src/budget/backend.js');
  const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const reachable = await new Promise<boolean>((resolve) => {
    import('node:net').then(({ connect }) => {
      const u = new URL(url);
      const socket = connect(Number(u.port || 6379), u.hostname);
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
  });
  it.skipIf(!reachable)('shares one rate between two replicas through Redis', async () => {
    const [x, y] = await Promise.all([
      openBudgetBackend({ databaseUrl: ':memory:', redisUrl: url }),
      openBudgetBackend({ databaseUrl: ':memory:', redisUrl: url }),
    ]);
    try {
      expect(x.kind).toBe('redis');
      const name = `redis-test-${Date.now()}`;
      const a = new SharedRate({ backend: x, name, slotMs: 40, clock: systemClock });
      const b = new SharedRate({ backend: y, name, slotMs: 40, clock: systemClock });
      const at: number[] = [];
      await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).take().then(() => at.push(performance.now()))));
      expect(at.at(-1)! - at[0]!).toBeGreaterThanOrEqual(8 * 40 - 20);
    } finally {
      await Promise.all([x.close(), y.close()]);
    }
  });
});
