import { describe, expect, it } from 'vitest';
import {
  type Cadence,
  CadenceError,
  describeCadence,
  latestOccurrence,
  nextOccurrence,
  occurrencesBetween,
  parseTimeOfDay,
  parseWeekday,
  periodKey,
  previousOccurrence,
} from '../../src/scheduler/cadence.js';
import { createScheduler, INVALID_PERIOD, planPeriod } from '../../src/scheduler/scheduler.js';
import { INITIAL_ALERT_STATE, nextAlertState, singleNumber } from '../../src/scheduler/alert.js';
import { parseChannel, parseScheduleWords } from '../../src/scheduler/inputs.js';
import { openStore } from '../../src/store/open.js';
import { ManualClock } from './manual-clock.js';

const berlin9: Cadence = { kind: 'daily', hour: 9, minute: 0, timezone: 'Europe/Berlin' };
const iso = (d: Date) => d.toISOString();

describe('daily in a time zone', () => {
  it('09:00 Europe/Berlin is 08:00 UTC in winter and 07:00 UTC in summer', () => {
    expect(iso(nextOccurrence(berlin9, new Date('2025-01-15T00:00:00Z')))).toBe('2025-01-15T08:00:00.000Z');
    expect(iso(nextOccurrence(berlin9, new Date('2025-07-15T00:00:00Z')))).toBe('2025-07-15T07:00:00.000Z');
  });

  it('crosses the DST change: the run before and after the spring-forward night', () => {
    // 2025-03-30 02:00 Berlin jumps to 03:00.
    const runs = occurrencesBetween(berlin9, new Date('2025-03-28T12:00:00Z'), new Date('2025-04-01T12:00:00Z'));
    expect(runs.map(iso)).toEqual([
      '2025-03-29T08:00:00.000Z',
      '2025-03-30T07:00:00.000Z',
      '2025-03-31T07:00:00.000Z',
      '2025-04-01T07:00:00.000Z',
    ]);
  });

  it('a time the clocks skip runs an hour later that day, once', () => {
    const gap: Cadence = { kind: 'daily', hour: 2, minute: 30, timezone: 'Europe/Berlin' };
    expect(iso(nextOccurrence(gap, new Date('2025-03-29T12:00:00Z')))).toBe('2025-03-30T01:30:00.000Z');
    expect(iso(nextOccurrence(gap, new Date('2025-03-30T01:30:00Z')))).toBe('2025-03-31T00:30:00.000Z');
  });

  it('is strictly after: at the exact run time, the next one is tomorrow', () => {
    expect(iso(nextOccurrence(berlin9, new Date('2025-01-15T08:00:00Z')))).toBe('2025-01-16T08:00:00.000Z');
    expect(iso(latestOccurrence(berlin9, new Date('2025-01-15T08:00:00Z')))).toBe('2025-01-15T08:00:00.000Z');
    expect(iso(latestOccurrence(berlin9, new Date('2025-01-15T07:59:59Z')))).toBe('2025-01-14T08:00:00.000Z');
    expect(iso(previousOccurrence(berlin9, new Date('2025-01-15T08:00:00Z')))).toBe('2025-01-14T08:00:00.000Z');
  });

  it('works east of UTC across the date line (09:00 Tokyo is the previous UTC day)', () => {
    const tokyo: Cadence = { kind: 'daily', hour: 9, minute: 0, timezone: 'Asia/Tokyo' };
    expect(iso(nextOccurrence(tokyo, new Date('2025-01-15T00:30:00Z')))).toBe('2025-01-16T00:00:00.000Z');
    const la: Cadence = { kind: 'daily', hour: 18, minute: 15, timezone: 'America/Los_Angeles' };
    expect(iso(nextOccurrence(la, new Date('2025-01-15T00:00:00Z')))).toBe('2025-01-15T02:15:00.000Z');
  });
});

describe('weekly, monthly, hourly', () => {
  it('weekly on a weekday', () => {
    const monday: Cadence = { kind: 'weekly', weekday: 'mon', hour: 9, minute: 0, timezone: 'Europe/Berlin' };
    // 2025-01-15 is a Wednesday.
    expect(iso(nextOccurrence(monday, new Date('2025-01-15T12:00:00Z')))).toBe('2025-01-20T08:00:00.000Z');
    expect(iso(latestOccurrence(monday, new Date('2025-01-15T12:00:00Z')))).toBe('2025-01-13T08:00:00.000Z');
  });

  it('monthly, with day 31 falling on the last day of short months', () => {
    const eom: Cadence = { kind: 'monthly', day: 31, hour: 9, minute: 0, timezone: 'UTC' };
    const runs = occurrencesBetween(eom, new Date('2025-01-01T00:00:00Z'), new Date('2025-05-01T00:00:00Z'));
    expect(runs.map(iso)).toEqual([
      '2025-01-31T09:00:00.000Z',
      '2025-02-28T09:00:00.000Z',
      '2025-03-31T09:00:00.000Z',
      '2025-04-30T09:00:00.000Z',
    ]);
    const first: Cadence = { kind: 'monthly', day: 1, hour: 8, minute: 30, timezone: 'Europe/Berlin' };
    expect(iso(nextOccurrence(first, new Date('2025-06-15T00:00:00Z')))).toBe('2025-07-01T06:30:00.000Z');
  });

  it('hourly at a minute past the hour', () => {
    const hourly: Cadence = { kind: 'hourly', minute: 0, timezone: 'UTC' };
    expect(iso(nextOccurrence(hourly, new Date('2025-01-15T08:00:00Z')))).toBe('2025-01-15T09:00:00.000Z');
    expect(iso(nextOccurrence(hourly, new Date('2025-01-15T08:59:59Z')))).toBe('2025-01-15T09:00:00.000Z');
    expect(iso(latestOccurrence(hourly, new Date('2025-01-15T08:59:59Z')))).toBe('2025-01-15T08:00:00.000Z');
    // India is UTC+05:30: "every hour at :00 local" is :30 UTC.
    const india: Cadence = { kind: 'hourly', minute: 0, timezone: 'Asia/Kolkata' };
    expect(iso(nextOccurrence(india, new Date('2025-01-15T08:00:00Z')))).toBe('2025-01-15T08:30:00.000Z');
  });

  it('lists only the newest occurrences past a limit', () => {
    const runs = occurrencesBetween(berlin9, new Date('2025-01-01T00:00:00Z'), new Date('2025-01-20T00:00:00Z'), 2);
    expect(runs.map(iso)).toEqual(['2025-01-18T08:00:00.000Z', '2025-01-19T08:00:00.000Z']);
  });
});

describe('inputs and labels', () => {
  it('rejects an unknown time zone', () => {
    expect(() => nextOccurrence({ ...berlin9, timezone: 'Mars/Olympus' }, new Date())).toThrow(CadenceError);
  });

  it('reads times of day and weekdays as people write them', () => {
    expect(parseTimeOfDay('09:00')).toEqual({ hour: 9, minute: 0 });
    expect(parseTimeOfDay('9')).toEqual({ hour: 9, minute: 0 });
    expect(parseTimeOfDay('5pm')).toEqual({ hour: 17, minute: 0 });
    expect(parseTimeOfDay('12am')).toEqual({ hour: 0, minute: 0 });
    expect(parseTimeOfDay('17:45')).toEqual({ hour: 17, minute: 45 });
    for (const bad of ['24:00', '9:60', '13pm', 'noon', '']) expect(parseTimeOfDay(bad)).toBeNull();
    expect(parseWeekday('Mon')).toBe('mon');
    expect(parseWeekday('thursday')).toBe('thu');
    expect(parseWeekday('th')).toBeNull();
    expect(parseWeekday('funday')).toBeNull();
  });

  it('describes a cadence and keys a period by its instant', () => {
    expect(describeCadence(berlin9)).toBe('daily at 09:00 (Europe/Berlin)');
    expect(describeCadence({ kind: 'weekly', weekday: 'fri', hour: 16, minute: 5, timezone: 'UTC' })).toBe(
      'weekly on Friday at 16:05 (UTC)',
    );
    expect(periodKey(new Date('2025-01-15T08:00:00Z'))).toBe('2025-01-15T08:00:00.000Z');
  });
});

describe('planPeriod: which period a due schedule delivers', () => {
  const due = (nextRunAt: string) => ({ cadence: berlin9, nextRunAt: new Date(nextRunAt) });

  it('on time: this morning’s period, next run tomorrow', () => {
    expect(planPeriod(due('2025-01-15T08:00:00Z'), new Date('2025-01-15T08:00:20Z'))).toEqual({
      periodKey: '2025-01-15T08:00:00.000Z',
      nextRunAt: new Date('2025-01-16T08:00:00Z'),
      late: false,
      skipped: 0,
    });
  });

  it('late after a short outage, with nothing skipped', () => {
    expect(planPeriod(due('2025-01-15T08:00:00Z'), new Date('2025-01-15T11:00:00Z'))).toMatchObject({
      periodKey: '2025-01-15T08:00:00.000Z',
      late: true,
      skipped: 0,
    });
  });

  it('after days down: only the latest period, the older ones counted as skipped', () => {
    expect(planPeriod(due('2025-01-10T08:00:00Z'), new Date('2025-01-15T07:00:00Z'))).toEqual({
      periodKey: '2025-01-14T08:00:00.000Z',
      nextRunAt: new Date('2025-01-15T08:00:00Z'),
      late: true,
      skipped: 4,
    });
  });

  it('an unreadable cadence becomes a one-off period that reports it, retried a day later', () => {
    const plan = planPeriod(
      { cadence: { kind: 'daily', hour: 9, minute: 0, timezone: 'Nowhere/Land' }, nextRunAt: new Date('2025-01-15T08:00:00Z') },
      new Date('2025-01-15T08:00:00Z'),
    );
    expect(plan.periodKey.startsWith(INVALID_PERIOD)).toBe(true);
    expect(plan.nextRunAt).toEqual(new Date('2025-01-16T08:00:00Z'));
  });
});

describe('the scheduler loop', () => {
  it('stops only after the delivery in progress has finished (SIGTERM)', async () => {
    const store = await openStore(':memory:');
    const clock = new ManualClock('2025-01-15T08:00:00Z');
    await store.schedules.createSchedule({
      id: 'dloop01',
      kind: 'digest',
      teamId: 'T1',
      enterpriseId: null,
      channelId: 'C1',
      title: 'Loop',
      cadence: berlin9,
      spec: { items: [{ kind: 'experiments' }] },
      state: null,
      createdBy: 'U1',
      createdAt: clock.date(),
      nextRunAt: clock.date(),
    });
    let entered!: () => void;
    const running = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const runs: string[] = [];
    const scheduler = createScheduler({
      store,
      now: () => clock.date(),
      logger: { info: () => {}, warn: () => {}, error: () => {} },
      intervalMs: 60_000,
      run: async ({ delivery }) => {
        entered();
        await gate;
        runs.push(delivery.periodKey);
        return { ok: true, summary: 'posted 1 message' };
      },
    });
    scheduler.start();
    await running;
    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(runs).toEqual(['2025-01-15T08:00:00.000Z']);
    expect((await store.schedules.listDeliveries('dloop01', 5)).map((d) => d.status)).toEqual(['sent']);
    await store.close();
  });

  it('records a run that throws as a failed delivery and goes on', async () => {
    const store = await openStore(':memory:');
    const clock = new ManualClock('2025-01-15T08:00:00Z');
    for (const id of ['dfail01', 'dgood01']) {
      await store.schedules.createSchedule({
        id,
        kind: 'digest',
        teamId: 'T1',
        enterpriseId: null,
        channelId: 'C1',
        title: id,
        cadence: berlin9,
        spec: { items: [{ kind: 'experiments' }] },
        state: null,
        createdBy: 'U1',
        createdAt: clock.date(),
        nextRunAt: clock.date(),
      });
    }
    const errors: unknown[] = [];
    const scheduler = createScheduler({
      store,
      now: () => clock.date(),
      logger: { info: () => {}, warn: () => {}, error: (...parts) => errors.push(parts) },
      run: async ({ schedule }) => {
        if (schedule.id === 'dfail01') throw new Error('boom');
        return { ok: true, summary: 'fine' };
      },
    });
    const report = await scheduler.tick();
    expect(report.runs.map((r) => [r.scheduleId, r.ok]).sort()).toEqual([
      ['dfail01', false],
      ['dgood01', true],
    ]);
    expect((await store.schedules.listDeliveries('dfail01', 5))[0]).toMatchObject({
      status: 'failed',
      detail: { summary: 'failed: internal error' },
    });
    expect(errors).toHaveLength(1);
    await store.close();
  });
});

describe('alert state', () => {
  const spec = { direction: 'above' as const, threshold: 100 };

  it('speaks when the condition starts and when it clears, never while it holds', () => {
    let state = INITIAL_ALERT_STATE;
    const transitions: string[] = [];
    for (const [i, value] of [50, 150, 200, 120, 80, 90, 101].entries()) {
      const next = nextAlertState(spec, state, { at: `2025-01-15T0${i}:00:00Z`, value });
      transitions.push(next.transition);
      state = next.state;
    }
    expect(transitions).toEqual(['quiet', 'started', 'holding', 'holding', 'cleared', 'quiet', 'started']);
    expect(state.firing).toBe(true);
    expect(state.values.map((v) => v.value)).toEqual([50, 150, 200, 120, 80, 90, 101]);
  });

  it('keeps the last 24 values, and "below" is strict', () => {
    let state = INITIAL_ALERT_STATE;
    for (let i = 0; i < 30; i += 1)
      state = nextAlertState({ direction: 'below', threshold: 10 }, state, { at: String(i), value: 10 }).state;
    expect(state.values).toHaveLength(24);
    expect(state.values[0]!.at).toBe('6');
    expect(state.firing).toBe(false);
  });

  it('reads exactly one number from a result', () => {
    expect(singleNumber(['count()'], [[42]])).toBe(42);
    expect(singleNumber(['count()'], [['18446744073']])).toBe(18446744073);
    expect(() => singleNumber(['event'], [['$pageview']])).toThrow(/not a number/);
    expect(() => singleNumber(['count()'], [])).toThrow(/no rows/);
  });
});

describe('digest schedule words', () => {
  it('reads the one-line form', () => {
    expect(parseScheduleWords('daily 09:00 <#C0GROWTH001|growth> Growth numbers')).toEqual({
      frequency: 'daily',
      hour: 9,
      minute: 0,
      channel: '<#C0GROWTH001|growth>',
      title: 'Growth numbers',
    });
    expect(parseScheduleWords('weekly on Friday at 5pm')).toEqual({ frequency: 'weekly', weekday: 'fri', hour: 17, minute: 0 });
    expect(parseScheduleWords('monthly 31 08:30 Month end')).toEqual({
      frequency: 'monthly',
      day: 31,
      hour: 8,
      minute: 30,
      title: 'Month end',
    });
  });

  it('reads channels as Slack escapes them', () => {
    expect(parseChannel('<#C0GROWTH001|growth>')).toBe('C0GROWTH001');
    expect(parseChannel('<#G0PRIVATE01>')).toBe('G0PRIVATE01');
    expect(() => parseChannel('#growth')).toThrow(/pick the channel/);
  });
});
