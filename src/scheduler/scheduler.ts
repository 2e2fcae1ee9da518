/**
 * The loop that turns due schedules into deliveries, inside the app process. Each tick claims what is due in the
 * store (exactly once per schedule and period, whichever replica asks first), runs it, and records the outcome.
 * After downtime only the latest missed period is delivered, marked late; the older ones are counted as skipped.
 * While a tick finds a full batch due, the next tick starts at once (the scheduler drains, at the pace the shared
 * budget allows) instead of waiting for the interval; each replica claims its own batches, so they share the work.
 *
 * @example
 * const scheduler = createScheduler({ store, now: () => new Date(), run: runtime.run, logger });
 * scheduler.start();      // ticks every 30 s
 * await scheduler.stop(); // waits for the tick in progress (SIGTERM)
 */
import type { Claim, PeriodPlan, ScheduleRecord } from '../store/schedules.js';
import type { Store } from '../store/store.js';
import { observeDelivery } from '../metrics.js';
import { withRequest } from '../request-context.js';
import { CadenceError, cadenceSchema, latestOccurrence, nextOccurrence, occurrencesBetween, periodKey } from './cadence.js';

export interface SchedulerLogger {
  info(...parts: unknown[]): void;
  warn(...parts: unknown[]): void;
  error(...parts: unknown[]): void;
}

/** What a run reports back; thrown errors count as failed deliveries. */
export interface RunResult {
  ok: boolean;
  /** One line for `digest show` / `alert list` ("posted 4 messages", "value 12, firing"). */
  summary: string;
  detail?: unknown;
}

export type Runner = (claim: Claim) => Promise<RunResult>;

export interface SchedulerOptions {
  store: Pick<Store, 'schedules'>;
  now: () => Date;
  run: Runner;
  logger: SchedulerLogger;
  /** Default 30 s. */
  intervalMs?: number;
  /** Schedules claimed per tick. Default 20. */
  batchSize?: number;
  /** Runs at once within a tick. Default 10: the shared budget, not this, paces Maton and Slack. */
  concurrency?: number;
  /** A claim unfinished after this long is presumed dead (its replica crashed) and run again once. Default 15 min. */
  leaseMs?: number;
  /** A delivery later than this after its time is marked late. Default 5 min. */
  lateAfterMs?: number;
}

export interface TickReport {
  at: Date;
  /** A full batch was claimed: more may be due, so the loop ticks again at once. */
  full?: boolean;
  runs: Array<{ scheduleId: string; kind: string; periodKey: string; late: boolean; skipped: number; ok: boolean; summary: string }>;
}

export interface Scheduler {
  /** One pass: claim what is due now and run it. Tests call this with a fake clock. */
  tick(): Promise<TickReport>;
  start(): void;
  /** Stops ticking and waits for the tick in progress. */
  stop(): Promise<void>;
}

const MAX_ATTEMPTS = 2;
const DAY_MS = 86_400_000;

/** Which period a due schedule delivers now, and when it is next due. Pure. */
export function planPeriod(schedule: Pick<ScheduleRecord, 'cadence' | 'nextRunAt'>, now: Date, lateAfterMs = 5 * 60_000): PeriodPlan {
  const cadence = cadenceSchema.safeParse(schedule.cadence);
  try {
    if (!cadence.success) throw new CadenceError('unreadable cadence');
    const latest = latestOccurrence(cadence.data, now);
    // Everything due since nextRunAt; all but the newest are skipped.
    const missed = occurrencesBetween(cadence.data, new Date(schedule.nextRunAt.getTime() - 1), latest, 10_000);
    const skipped = Math.max(0, missed.length - 1);
    return {
      periodKey: periodKey(latest),
      nextRunAt: nextOccurrence(cadence.data, latest),
      late: skipped > 0 || now.getTime() - latest.getTime() > lateAfterMs,
      skipped,
    };
  } catch (error) {
    if (!(error instanceof CadenceError)) throw error;
    // A cadence that can't be computed (a time zone this runtime no longer knows, a hand-edited row): claim a one-off
    // period so the run reports the problem, and look again in a day instead of failing every tick.
    return { periodKey: `${INVALID_PERIOD}${now.toISOString()}`, nextRunAt: new Date(now.getTime() + DAY_MS), late: false, skipped: 0 };
  }
}

/** Period keys of runs whose cadence could not be computed start with this. */
export const INVALID_PERIOD = 'invalid:';

export function createScheduler(opts: SchedulerOptions): Scheduler {
  const intervalMs = opts.intervalMs ?? 30_000;
  const batchSize = opts.batchSize ?? 20;
  const concurrency = Math.max(1, opts.concurrency ?? 10);
  const leaseMs = opts.leaseMs ?? 15 * 60_000;
  const lateAfterMs = opts.lateAfterMs ?? 5 * 60_000;
  const { schedules } = opts.store;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<unknown> | null = null;
  let stopped = true;

  async function runOne(claim: Claim): Promise<TickReport['runs'][number]> {
    const { schedule, delivery } = claim;
    let result: RunResult;
    try {
      // A scheduled scope: its Maton requests take what interactive commands leave, queued by its workspace.
      result = await withRequest({ kind: 'delivery', teamId: schedule.teamId, priority: 'scheduled' }, () => opts.run(claim));
    } catch (error) {
      opts.logger.error(`scheduler: ${schedule.kind} ${schedule.id} (${delivery.periodKey}) failed:`, error);
      result = { ok: false, summary: 'failed: internal error' };
    }
    observeDelivery(schedule.kind, result.ok ? 'sent' : 'failed');
    const finishedAt = opts.now();
    try {
      await schedules.finishDelivery(schedule.id, delivery.periodKey, result.ok ? 'sent' : 'failed', finishedAt, {
        summary: result.summary,
        ...(result.detail === undefined ? {} : { detail: result.detail }),
      });
    } catch (error) {
      opts.logger.error(`scheduler: could not record the delivery of ${schedule.id} (${delivery.periodKey}):`, error);
    }
    return {
      scheduleId: schedule.id,
      kind: schedule.kind,
      periodKey: delivery.periodKey,
      late: delivery.late,
      skipped: delivery.skipped,
      ok: result.ok,
      summary: result.summary,
    };
  }

  async function tick(): Promise<TickReport> {
    const now = opts.now();
    const stale = await schedules.reclaimStale(now, new Date(now.getTime() - leaseMs), MAX_ATTEMPTS);
    const due = await schedules.claimDue(now, batchSize, (s) => planPeriod(s, now, lateAfterMs));
    const claims = [...stale, ...due];
    const runs: TickReport['runs'] = [];
    // A small pool: different channels go out together, one slow digest does not hold up the rest.
    let next = 0;
    const worker = async () => {
      while (next < claims.length) {
        const claim = claims[next]!;
        next += 1;
        runs.push(await runOne(claim));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, claims.length) }, worker));
    for (const run of runs) {
      if (run.skipped > 0)
        opts.logger.info(
          `scheduler: ${run.kind} ${run.scheduleId} caught up: delivered ${run.periodKey} late, skipped ${run.skipped} older period(s)`,
        );
    }
    return { at: now, runs, full: due.length >= batchSize };
  }

  /** Ticks never overlap: the next one is scheduled when the previous finishes. */
  function loop(): void {
    if (stopped) return;
    let again = false;
    running = tick()
      .then((report) => {
        again = report.full === true;
      })
      .catch((error) => opts.logger.error('scheduler: tick failed:', error))
      .finally(() => {
        running = null;
        if (stopped) return;
        timer = setTimeout(loop, again ? 0 : intervalMs);
        timer.unref?.();
      });
  }

  return {
    tick,
    start() {
      if (!stopped) return;
      stopped = false;
      loop();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
