/**
 * Heavy work off the event loop: bounded piscina pools of worker threads (two lanes, see below) for parsing, drawing
 * and encoding, so the event loop that acks Slack only does I/O and small work.
 *
 * - Threads: about one per core (at least 1). Queue: bounded; a full queue is answered "busy" (PoolBusyError) rather
 *   than piling work up.
 * - Time limits: a task may be given one, counted from when a worker starts it (not while it waits in the queue). On
 *   expiry the task is aborted, and piscina terminates the worker running it (index.js, run(): "Already running: We
 *   cancel the Worker this is running on"), so a runaway WASM parse is killed, not waited for.
 * - Workers load our TypeScript through tsx, both under `node --import tsx` and under vitest (whose workers do not
 *   carry tsx in their execArgv). On Node 20 only tsx's require() hook is active inside a worker thread (its ESM
 *   hooks are not), so piscina require()s worker.ts and the worker loads its modules with require() too.
 *
 * @example
 * const png = await sharedPool().run('png', { chart }); // Uint8Array
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { PoolBusyError, TaskTimeoutError } from './errors.js';
import type { TaskKind, Tasks } from './tasks.js';

export interface PoolOptions {
  /** Default: the cores available, at least 1. */
  threads?: number;
  /** Threads kept up while idle (default: all; 0: none); the others go after `idleTimeoutMs` without work, giving back their memory. */
  minThreads?: number;
  /** How long a thread above `minThreads` may sit idle before it ends. Default 30 s. */
  idleTimeoutMs?: number;
  /** Tasks that may wait for a thread; more are refused as busy. Default 64. */
  maxQueue?: number;
}

export interface WorkerPool {
  run<K extends TaskKind>(kind: K, input: Tasks[K]['input'], opts?: { timeoutMs?: number }): Promise<Tasks[K]['output']>;
  /** Tasks waiting for a thread. */
  queued(): number;
  /** Tasks finished so far (successfully or not). */
  completed(): number;
  /** Threads up now (busy or idle). */
  threads(): number;
  close(): Promise<void>;
}

const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER = new URL(FROM_SOURCE ? './worker.ts' : './worker.js', import.meta.url);

/** `--import tsx` by absolute URL, so it resolves whatever the working directory. */
function tsxArgs(): string[] {
  if (!FROM_SOURCE) return [];
  return ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href];
}

export function createWorkerPool(opts: PoolOptions = {}): WorkerPool {
  const threads = Math.max(1, opts.threads ?? availableParallelism());
  const piscina = new Piscina({
    filename: WORKER.href,
    // Threads kept up are warm: a worker starts in about 1 s (3 s on a busy machine: tsx, the parser and its warm-up).
    minThreads: Math.min(threads, Math.max(0, opts.minThreads ?? threads)),
    maxThreads: threads,
    idleTimeout: opts.idleTimeoutMs ?? 30_000,
    // The bound is kept below, by count: piscina leaves abortable tasks (ours all are) out of its own maxQueue check.
    maxQueue: 'auto',
    // Tasks are async (dynamic imports, Vega's renderer): workers keep a live event loop between tasks.
    atomics: 'disabled',
    execArgv: tsxArgs(),
    // A runaway task dies with its worker instead of taking the process's memory.
    resourceLimits: { maxOldGenerationSizeMb: 512 },
  });
  const capacity = threads + (opts.maxQueue ?? 64);
  let unsettled = 0;
  return {
    async run(kind, input, { timeoutMs } = {}) {
      if (unsettled >= capacity) throw new PoolBusyError();
      unsettled += 1;
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const started = timeoutMs === undefined ? undefined : new MessageChannel();
      started?.port1.once('message', () => {
        timer = setTimeout(() => controller.abort(new TaskTimeoutError(timeoutMs!)), timeoutMs);
      });
      try {
        const task = { kind, ...input, ...(started && { started: started.port2 }) };
        return await piscina.run(task, { signal: controller.signal, ...(started && { transferList: [started.port2] }) });
      } catch (error) {
        if (controller.signal.aborted) throw controller.signal.reason as TaskTimeoutError;
        throw error;
      } finally {
        unsettled -= 1;
        clearTimeout(timer);
        started?.port1.close();
      }
    },
    queued: () => Math.max(0, unsettled - threads),
    completed: () => piscina.completed,
    threads: () => piscina.threads.length,
    async close() {
      await piscina.destroy();
    },
  };
}

/**
 * Two lanes, so a backlog of drawing never delays a syntax check (which runs on a time limit):
 * - parse: HogQL syntax checks, one thread kept warm and a second one on demand (while a runaway parse's worker is
 *   being replaced, or under a burst); each parse worker holds tsx and the parser, ~25 MB;
 * - render: charts and CSV, one thread fewer than the cores, so the event loop that acks Slack keeps a core to itself.
 *   None is kept while idle: a render worker that has drawn holds Vega and resvg, ~55 MB of the bot's RSS (measured:
 *   104 -> 158 MB after a few charts), given back 30 s after the last drawing; the next chart waits ~1 s for a worker.
 *   (Lowering the workers' priority instead, with piscina's niceIncrement, starved them on a busy shared host: a first
 *   chart took 13 s.)
 */
export type Lane = 'parse' | 'render';
const CORES = availableParallelism();
const LANES: Record<Lane, PoolOptions> = {
  parse: { threads: Math.min(2, CORES), minThreads: 1 },
  render: { threads: Math.max(1, CORES - 1), minThreads: 0 },
};
const shared = new Map<Lane, WorkerPool>();

/** The process's pool for a lane, created on first use. */
export function sharedPool(lane: Lane = 'render'): WorkerPool {
  let pool = shared.get(lane);
  if (!pool) {
    pool = createWorkerPool(LANES[lane]);
    shared.set(lane, pool);
  }
  return pool;
}

/** Stops the process's pools (app stop); a later use starts fresh ones. */
export async function closeSharedPool(): Promise<void> {
  const pools = [...shared.values()];
  shared.clear();
  await Promise.all(pools.map((p) => p.close()));
}
