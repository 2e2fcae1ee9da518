/**
 * The worker pool (issue 12): heavy work runs on its threads with identical results, its queue is bounded with a
 * typed "busy" answer, and a task over its time limit is stopped by terminating its worker.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { renderChart } from '../../src/charts/render.js';
import { buildCsv } from '../../src/hogql/csv-file.js';
import { toCsv } from '../../src/hogql/csv.js';
import { fitsTable, resultView } from '../../src/hogql/result-view.js';
import { resultFitsTable, resultMessage } from '../../src/hogql/result-model.js';
import { PoolBusyError, TaskTimeoutError } from '../../src/workers/errors.js';
import { closeSharedPool, createWorkerPool, sharedPool } from '../../src/workers/pool.js';

afterAll(async () => {
  await closeSharedPool();
});

/** Exponential for PostHog's parser: many seconds, whatever the machine. */
const nestedCalls = (levels: number) => `SELECT ${'f(x, '.repeat(levels)}1${')'.repeat(levels)}`;

/** Shallow nested calls through the pool's one worker (see the time-limit test). */
async function primeNesting(pool: {
  run(kind: 'syntax', input: { query: string }, opts?: { timeoutMs?: number }): Promise<unknown>;
}): Promise<void> {
  for (const levels of [3, 6]) await pool.run('syntax', { query: nestedCalls(levels) }, { timeoutMs: 20_000 });
}

const SLOW_QUERY = `SELECT ${'f(x, '.repeat(9)}1${')'.repeat(9)}`;

describe('worker pool', () => {
  it('builds a big CSV in slices on the pool, byte for byte what toCsv builds', async () => {
    const rows = Array.from({ length: 5_003 }, (_, i) => [
      i,
      i % 7 === 0 ? '=cmd()' : `row ${i}, "quoted"`,
      i % 11 === 0 ? null : { n: i },
    ]);
    const before = sharedPool().completed();
    const bytes = await buildCsv(['n', 'text', 'json'], rows);
    expect(bytes.equals(toCsv(['n', 'text', 'json'], rows))).toBe(true);
    // 5,003 rows in slices of 2,000: three tasks ran on the pool.
    expect(sharedPool().completed() - before).toBe(3);
  });

  it('formats a big result’s table on the pool, identical to the in-process message', async () => {
    const start = Date.UTC(2026, 2, 1);
    const rows = Array.from({ length: 3_000 }, (_, i) => [
      `e${i % 9}`,
      new Date(start + i * 3_600_000).toISOString().replace('Z', ''),
      i * 1_000.5,
    ]);
    const model = {
      query: 'SELECT event, timestamp, n FROM events',
      columns: ['event', 'timestamp', 'n'],
      types: ['String', "DateTime64(6, 'UTC')", 'Float64'],
      rows,
      hasMore: true,
      fetchLimit: 3_000,
      elapsedMs: 1_234,
      timeZone: 'America/Los_Angeles',
      notes: ['a note'],
    };
    const before = sharedPool().completed();
    expect(await fitsTable(model)).toBe(resultFitsTable(model));
    const withCsv = { ...model, csv: { name: 'query-result.csv', permalink: 'https://files.example/F1' } };
    expect(await resultView(withCsv)).toEqual(resultMessage(withCsv));
    expect(sharedPool().completed() - before).toBe(2);
  });

  it('draws charts on the pool, and the event loop keeps ticking meanwhile', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => ({ day: `2026-01-${String((i % 28) + 1).padStart(2, '0')}`, n: i, s: `s${i % 5}` }));
    const before = sharedPool().completed();
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 5);
    const png = await renderChart({ kind: 'bar', x: 'day', y: 'n', series: 's', rows, title: 'Bars' });
    clearInterval(timer);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(sharedPool().completed() - before).toBe(1);
    expect(ticks).toBeGreaterThan(0);
  });

  it('terminates a task that runs over its time limit, and its replacement worker answers', async () => {
    const pool = createWorkerPool({ threads: 1 });
    try {
      // The parser's time on deep nesting depends on what it parsed before (ANTLR adapts its predictions as it goes): a
      // fresh parser can get through 9 nested calls in well under a second, one that has met shallower nesting first needs
      // seconds to minutes. Shallow nesting first, as users type it, makes the slow path the one measured.
      await primeNesting(pool);
      const started = performance.now();
      await expect(pool.run('syntax', { query: SLOW_QUERY }, { timeoutMs: 300 })).rejects.toBeInstanceOf(TaskTimeoutError);
      // The limit runs from the task's start (after the worker loaded its parser); generous bound for a busy machine.
      expect(performance.now() - started).toBeLessThan(15_000);
      await expect(pool.run('syntax', { query: 'SELECT 1' }, { timeoutMs: 10_000 })).resolves.toEqual({
        ok: true,
        hasLimit: false,
        isUnion: false,
      });
    } finally {
      await pool.close();
    }
  }, 40_000);

  it('refuses work past its queue bound with PoolBusyError ("Hogbot is busy, try again in a minute.")', async () => {
    const pool = createWorkerPool({ threads: 1, maxQueue: 1 });
    try {
      // Warm: the one worker is up, so capacity is exactly one running task plus one queued.
      await pool.run('syntax', { query: 'SELECT 1' });
      const tasks = Array.from({ length: 3 }, () => pool.run('syntax', { query: SLOW_QUERY }));
      for (const t of tasks) t.catch(() => undefined);
      const refused = await tasks[2]!.then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(PoolBusyError);
      expect((refused as Error).message).toBe('Hogbot is busy, try again in a minute.');
      expect(pool.queued()).toBe(1);
    } finally {
      await pool.close();
    }
  }, 40_000);

  // Memory (issue 12): a render worker that has drawn holds Vega and resvg (~55 MB); the render lane keeps none idle.
  it('with minThreads 0 starts no thread until work comes, and lets it go after the idle timeout', async () => {
    const pool = createWorkerPool({ threads: 1, minThreads: 0, idleTimeoutMs: 300 });
    try {
      expect(pool.threads()).toBe(0);
      expect(await pool.run('syntax', { query: 'SELECT 1' })).toMatchObject({ ok: true });
      expect(pool.threads()).toBe(1);
      const deadline = Date.now() + 10_000;
      while (pool.threads() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(pool.threads()).toBe(0);
      // And a later task gets a fresh thread.
      expect(await pool.run('syntax', { query: 'SELECT 2' })).toMatchObject({ ok: true });
    } finally {
      await pool.close();
    }
  }, 40_000);
});
