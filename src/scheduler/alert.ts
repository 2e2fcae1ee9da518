/**
 * Threshold alerts: a HogQL query returning one number, checked every hour or day. An alert speaks twice per
 * episode: when the condition starts to hold and when it clears; while it holds, it stays quiet.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { formatNumber } from '../hogql/format.js';
import { runHogQL } from '../hogql/run.js';
import type { PostHogClient } from '../posthog/client.js';
import type { AlertRow } from '../../views/alert.js';
import type { ScheduleRecord } from '../store/schedules.js';
import type { Cadence } from './cadence.js';
import { type ChartModel, chartFromHistory } from './charts.js';

export const alertSpecSchema = z.object({
  hogql: z.string().min(1).max(5000),
  direction: z.enum(['above', 'below']),
  threshold: z.number().finite(),
  every: z.enum(['hour', 'day']),
});
export type AlertSpec = z.infer<typeof alertSpecSchema>;

export const HISTORY_LENGTH = 24;

const pointSchema = z.object({ at: z.string(), value: z.number() });

export const alertStateSchema = z.object({
  firing: z.boolean(),
  /** Oldest first, at most HISTORY_LENGTH. */
  values: z.array(pointSchema),
  lastError: z.string().nullable(),
});
export type AlertState = z.infer<typeof alertStateSchema>;

export const INITIAL_ALERT_STATE: AlertState = { firing: false, values: [], lastError: null };

export function readAlertState(value: unknown): AlertState {
  const parsed = alertStateSchema.safeParse(value);
  return parsed.success ? parsed.data : INITIAL_ALERT_STATE;
}

/** Hourly on the hour; daily at 09:00 in the creator's time zone. */
export function alertCadence(every: AlertSpec['every'], timezone: string): Cadence {
  return every === 'hour' ? { kind: 'hourly', minute: 0, timezone } : { kind: 'daily', hour: 9, minute: 0, timezone };
}

export function conditionHolds(spec: Pick<AlertSpec, 'direction' | 'threshold'>, value: number): boolean {
  return spec.direction === 'above' ? value > spec.threshold : value < spec.threshold;
}

export type AlertTransition = 'started' | 'cleared' | 'holding' | 'quiet';

/** The state after one check, and whether to say something. Pure. */
export function nextAlertState(
  spec: Pick<AlertSpec, 'direction' | 'threshold'>,
  state: AlertState,
  point: { at: string; value: number },
): { state: AlertState; transition: AlertTransition } {
  const holds = conditionHolds(spec, point.value);
  const values = [...state.values, point].slice(-HISTORY_LENGTH);
  const transition: AlertTransition = holds ? (state.firing ? 'holding' : 'started') : state.firing ? 'cleared' : 'quiet';
  return { state: { firing: holds, values, lastError: null }, transition };
}

export class AlertValueError extends Error {
  override readonly name = 'AlertValueError';
}

/** The first cell of the first row as a number; anything else is the query's fault, said plainly. */
export function singleNumber(columns: readonly string[], rows: readonly unknown[][]): number {
  const cell = rows[0]?.[0];
  const value = typeof cell === 'number' ? cell : typeof cell === 'string' && cell.trim() !== '' ? Number(cell) : Number.NaN;
  if (rows.length === 0) throw new AlertValueError('The query returned no rows; an alert needs exactly one number.');
  if (!Number.isFinite(value))
    throw new AlertValueError(
      `The query's first cell${columns[0] ? ` (${columns[0]})` : ''} is not a number; an alert needs exactly one number.`,
    );
  return value;
}

export async function measure(posthog: PostHogClient, projectId: number | '@current', hogql: string): Promise<number> {
  const { result } = await runHogQL(posthog, { projectId, query: hogql, queryId: randomUUID(), deadlineMs: 60_000 });
  return singleNumber(result.columns, result.results);
}

export function formatValue(value: number): string {
  return formatNumber(value, Number.isInteger(value) ? 'integer' : 'float');
}

export function describeCondition(spec: Pick<AlertSpec, 'direction' | 'threshold'>): string {
  return `${spec.direction} ${formatValue(spec.threshold)}`;
}

export function alertChart(title: string, spec: Pick<AlertSpec, 'direction' | 'threshold'>, values: AlertState['values']): ChartModel {
  return {
    ...chartFromHistory(title, values, { value: spec.threshold, label: `threshold ${formatValue(spec.threshold)}` }),
    xTitle: 'checked at (UTC)',
    size: { width: 480, height: 200 },
  };
}

/** A stored alert as lists and App Home show it. */
export function alertRow(s: ScheduleRecord): AlertRow {
  const spec = alertSpecSchema.safeParse(s.spec).data;
  const state = readAlertState(s.state);
  const last = state.values.at(-1);
  return {
    id: s.id,
    title: s.title,
    channelId: s.channelId,
    hogql: spec?.hogql ?? '',
    condition: spec ? describeCondition(spec) : 'unreadable',
    every: spec?.every ?? 'hour',
    paused: s.paused,
    firing: state.firing,
    lastValue: last ? formatValue(last.value) : null,
    lastError: state.lastError,
    nextRunAt: s.nextRunAt,
  };
}
