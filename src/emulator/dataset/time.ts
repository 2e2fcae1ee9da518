/** Time units and the weighted clock that decides when sessions start. */
import * as C from '../dataset-catalog.js';

export const SECOND = 1000;
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** Samples a time in [start, now] weighted by hour of day, day of week and a gentle growth trend. */
export function timeSampler(startMs: number, nowMs: number): (u1: number, u2: number) => number {
  const first = Math.floor(startMs / HOUR) * HOUR;
  const slots = Math.max(1, Math.ceil((nowMs - first) / HOUR));
  const cumulative = new Float64Array(slots);
  const from = new Float64Array(slots);
  const length = new Float64Array(slots);
  let total = 0;
  for (let s = 0; s < slots; s++) {
    const slotStart = Math.max(startMs, first + s * HOUR);
    const slotEnd = Math.min(nowMs, first + (s + 1) * HOUR);
    const date = new Date(first + s * HOUR);
    const trend = 0.85 + (0.3 * (slotStart - startMs)) / Math.max(1, nowMs - startMs);
    const weight =
      (Math.max(0, slotEnd - slotStart) / HOUR) *
      (C.HOUR_WEIGHTS[date.getUTCHours()] ?? 1) *
      (C.DAY_OF_WEEK_WEIGHTS[date.getUTCDay()] ?? 1) *
      trend;
    from[s] = slotStart;
    length[s] = Math.max(0, slotEnd - slotStart);
    cumulative[s] = total += weight;
  }
  return (u1, u2) => {
    const s = total > 0 ? lowerBound(cumulative, u1 * total) : slots - 1;
    return (from[s] as number) + u2 * (length[s] as number);
  };
}

/** First index whose cumulative weight exceeds `value` (weighted sampling over a running total). */
export function lowerBound(cumulative: Float64Array, value: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cumulative[mid] as number) > value) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
