/**
 * When scheduled work is due: pure functions from a cadence ("daily at 09:00 Europe/Berlin") and an instant to the
 * occurrences around it. Wall-clock times are kept in the schedule's time zone, so 09:00 Berlin is 08:00 UTC in winter
 * and 07:00 UTC in summer.
 *
 * @example nextOccurrence({ kind: 'daily', hour: 9, minute: 0, timezone: 'Europe/Berlin' }, new Date('2025-01-15T07:00Z'))
 *   // 2025-01-15T08:00:00.000Z
 */
import { TZDate } from '@date-fns/tz';
import { z } from 'zod';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const clock = { hour: z.number().int().min(0).max(23), minute: z.number().int().min(0).max(59), timezone: z.string().min(1) };

export const cadenceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('hourly'), minute: clock.minute, timezone: clock.timezone }),
  z.object({ kind: z.literal('daily'), ...clock }),
  z.object({ kind: z.literal('weekly'), weekday: z.enum(WEEKDAYS), ...clock }),
  // A day past the month's end (31 in April) falls on its last day.
  z.object({ kind: z.literal('monthly'), day: z.number().int().min(1).max(31), ...clock }),
]);
export type Cadence = z.infer<typeof cadenceSchema>;

export class CadenceError extends Error {
  override readonly name = 'CadenceError';
}

export function isValidTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

interface LocalDay {
  year: number;
  month: number;
  day: number;
  weekday: number;
}

const HOUR_MS = 3_600_000;
// Monthly on the 31st looks back at most ~2 months; anything longer means a bug, not a schedule.
const MAX_DAYS_SCANNED = 120;

function localDay(instant: number, timezone: string, offsetDays = 0): LocalDay {
  const at = new TZDate(instant, timezone);
  // Noon avoids DST edges when stepping whole days.
  const noon = new TZDate(at.getFullYear(), at.getMonth(), at.getDate() + offsetDays, 12, 0, timezone);
  return { year: noon.getFullYear(), month: noon.getMonth(), day: noon.getDate(), weekday: noon.getDay() };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

function runsOn(cadence: Exclude<Cadence, { kind: 'hourly' }>, d: LocalDay): boolean {
  switch (cadence.kind) {
    case 'daily':
      return true;
    case 'weekly':
      return WEEKDAYS[d.weekday] === cadence.weekday;
    case 'monthly':
      return d.day === Math.min(cadence.day, daysInMonth(d.year, d.month));
  }
}

/** The instant of the day's run. A time skipped by a DST jump (02:30 on the spring-forward day) runs an hour later. */
function instantOn(cadence: Exclude<Cadence, { kind: 'hourly' }>, d: LocalDay): number {
  return new TZDate(d.year, d.month, d.day, cadence.hour, cadence.minute, cadence.timezone).getTime();
}

function check(cadence: Cadence): void {
  if (!isValidTimezone(cadence.timezone)) throw new CadenceError(`Unknown time zone "${cadence.timezone}"`);
}

/** The instant at `minute` past the local hour that holds `t`, in `timezone`. */
function thisHourAt(t: number, minute: number, timezone: string): number {
  const local = new TZDate(t, timezone);
  return new TZDate(local.getFullYear(), local.getMonth(), local.getDate(), local.getHours(), minute, timezone).getTime();
}

/** The first occurrence strictly after `after`. */
export function nextOccurrence(cadence: Cadence, after: Date): Date {
  check(cadence);
  const t = after.getTime();
  if (cadence.kind === 'hourly') {
    const candidate = thisHourAt(t, cadence.minute, cadence.timezone);
    return new Date(candidate > t ? candidate : candidate + HOUR_MS);
  }
  for (let i = -1; i <= MAX_DAYS_SCANNED; i += 1) {
    const day = localDay(t, cadence.timezone, i);
    if (!runsOn(cadence, day)) continue;
    const at = instantOn(cadence, day);
    if (at > t) return new Date(at);
  }
  throw new CadenceError('No occurrence found');
}

/** The latest occurrence at or before `at`. */
export function latestOccurrence(cadence: Cadence, at: Date): Date {
  check(cadence);
  const t = at.getTime();
  if (cadence.kind === 'hourly') {
    const candidate = thisHourAt(t, cadence.minute, cadence.timezone);
    return new Date(candidate <= t ? candidate : candidate - HOUR_MS);
  }
  for (let i = 1; i >= -MAX_DAYS_SCANNED; i -= 1) {
    const day = localDay(t, cadence.timezone, i);
    if (!runsOn(cadence, day)) continue;
    const instant = instantOn(cadence, day);
    if (instant <= t) return new Date(instant);
  }
  throw new CadenceError('No occurrence found');
}

/** The occurrence before `occurrence`: where the period that ends at `occurrence` starts. */
export function previousOccurrence(cadence: Cadence, occurrence: Date): Date {
  return latestOccurrence(cadence, new Date(occurrence.getTime() - 1));
}

/** Occurrences in (from, to], oldest first, at most `limit` (the newest ones when there are more). */
export function occurrencesBetween(cadence: Cadence, from: Date, to: Date, limit = 1000): Date[] {
  const newestFirst: Date[] = [];
  let cursor = latestOccurrence(cadence, to);
  while (cursor.getTime() > from.getTime() && newestFirst.length < limit) {
    newestFirst.push(cursor);
    cursor = previousOccurrence(cadence, cursor);
  }
  return newestFirst.reverse();
}

/** One key per occurrence: the delivery record is unique on (schedule, key). */
export function periodKey(occurrence: Date): string {
  return occurrence.toISOString();
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "daily at 09:00 (Europe/Berlin)", "weekly on Monday at 09:00 (UTC)", "monthly on day 1 at 08:30 (…)". */
export function describeCadence(cadence: Cadence): string {
  const time = `${pad('hour' in cadence ? cadence.hour : 0)}:${pad(cadence.minute)}`;
  switch (cadence.kind) {
    case 'hourly':
      return `every hour at :${pad(cadence.minute)} (${cadence.timezone})`;
    case 'daily':
      return `daily at ${time} (${cadence.timezone})`;
    case 'weekly':
      return `weekly on ${WEEKDAY_NAMES[cadence.weekday]} at ${time} (${cadence.timezone})`;
    case 'monthly':
      return `monthly on day ${cadence.day} at ${time} (${cadence.timezone})`;
  }
}

export const WEEKDAY_NAMES: Record<Weekday, string> = {
  sun: 'Sunday',
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
};

/** Reads "mon", "Monday", "thurs"... (at least three letters of a weekday's name). */
export function parseWeekday(text: string): Weekday | null {
  const wanted = text.trim().toLowerCase();
  if (wanted.length < 3) return null;
  const found = WEEKDAYS.find((key) => WEEKDAY_NAMES[key].toLowerCase().startsWith(wanted));
  return found ?? null;
}

/** Reads "09:00", "9:30", "9", "9am", "5pm", "17h". */
export function parseTimeOfDay(text: string): { hour: number; minute: number } | null {
  const m = /^(\d{1,2})(?::(\d{2}))?\s*(am|pm|h)?$/i.exec(text.trim());
  if (!m) return null;
  let hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  const suffix = m[3]?.toLowerCase();
  if (suffix === 'am' || suffix === 'pm') {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (suffix === 'pm' ? 12 : 0);
  }
  if (hour > 23 || minute > 59) return null;
  return { hour, minute };
}
