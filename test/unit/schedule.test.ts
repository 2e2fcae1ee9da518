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
    expect(runs.map(iso)).toEqual(['2025-03-29T08:00:00.000Z', '2025-03-30T07:00:00.000Z', '2025-03-31T07:00:00.000Z', '2025-04-01T07:00:00.000Z']);
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
    expect(runs.map(iso)).toEqual(['2025-01-31T09:00:00.000Z', '2025-02-28T09:00:00.000Z', '2025-03-31T09:00:00.000Z', '2025-04-30T09:00:00.000Z']);
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
    expect(describeCadence({ kind: 'weekly', weekday: 'fri', hour: 16, minute: 5, timezone: 'UTC' })).toBe('weekly on Friday at 16:05 (UTC)');
    expect(periodKey(new Date('2025-01-15T08:00:00Z'))).toBe('2025-01-15T08:00:00.000Z');
  });
});
