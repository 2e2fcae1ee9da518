/**
 * What a digest holds and how each item is gathered for one period: saved HogQL queries, insights, the flag changes
 * Hogbot audited in the period, and the running experiments. Every item is gathered on its own: one that fails becomes
 * an error item and the others still go out.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { DigestItemView, DigestRow } from '../../views/digest.js';
import { escapeMrkdwn, truncate } from '../../views/blocks.js';
import { projectUrl } from '../../views/links.js';
import { isCommandError } from '../errors.js';
import { experimentSchema, statusOf } from '../experiments/experiment.js';
import { columnKind, isNumericKind } from '../hogql/columns.js';
import { formatNumber, rowFormatter } from '../hogql/format.js';
import { isQueryRunError, runHogQL } from '../hogql/run.js';
import { isUpstreamError } from '../posthog/errors.js';
import { path } from '../posthog/path.js';
import { describeUpstreamError } from '../posthog/translate.js';
import type { CommandContext } from '../registry/command.js';
import type { ScheduleRecord } from '../store/schedules.js';
import type { AuditEntry } from '../store/store.js';
import { cadenceSchema, describeCadence } from './cadence.js';
import { type ChartModel, chartFromRows } from './charts.js';
import { fetchInsight, funnelSteps, InsightNotFoundError, insightChart, insightTitle, latestValues } from './insights.js';

export const MAX_DIGEST_ITEMS = 10;
const QUERY_DEADLINE_MS = 60_000;

export const savedQueryName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/i, 'must be 1-40 letters, digits, - or _ (starting with a letter or digit)')
  .transform((s) => s.toLowerCase());

export const digestItemSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('query'), name: savedQueryName }),
  z.object({ kind: z.literal('insight'), ref: z.string().regex(/^[A-Za-z0-9]{1,32}$/, 'is not an insight id or short id') }),
  z.object({ kind: z.literal('flag_changes') }),
  z.object({ kind: z.literal('experiments') }),
]);
export type DigestItem = z.infer<typeof digestItemSchema>;

export const digestSpecSchema = z.object({ items: z.array(digestItemSchema).min(1).max(MAX_DIGEST_ITEMS) });
export type DigestSpec = z.infer<typeof digestSpecSchema>;

/** A stored digest as lists and App Home show it. */
export function digestRow(s: ScheduleRecord): DigestRow {
  const items = digestSpecSchema.safeParse(s.spec).data?.items ?? [];
  return {
    id: s.id,
    title: s.title,
    channelId: s.channelId,
    schedule: describeCadence(cadenceSchema.safeParse(s.cadence).data ?? { kind: 'daily', hour: 0, minute: 0, timezone: 'UTC' }),
    paused: s.paused,
    nextRunAt: s.nextRunAt,
    lastRunAt: s.lastRunAt,
    lastOutcome: s.lastOutcome,
    items: items.map(describeItem),
  };
}

export function describeItem(item: DigestItem): string {
  switch (item.kind) {
    case 'query':
      return `Saved query ${item.name}`;
    case 'insight':
      return `Insight ${item.ref}`;
    case 'flag_changes':
      return 'Flag changes in the period';
    case 'experiments':
      return 'Running experiments';
  }
}

/** The window a delivery covers: from the previous run to this one. */
export interface Period {
  start: Date;
  end: Date;
  timezone: string;
}

export function periodLabel(p: Period): string {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: p.timezone,
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return `${fmt.format(p.start)} – ${fmt.format(p.end)} (${p.timezone})`;
}

/** What gathering an item produced: its view, and a chart to draw when it is one. */
export interface GatheredItem {
  view: DigestItemView;
  chart?: ChartModel;
}

export interface GatherContext {
  ctx: CommandContext;
  /** A real project id (links can't use `@current`). */
  projectId: number;
  period: Period;
  /** For table cells with times. */
  timeZone: string;
}

/** A PostHog link that opens a HogQL query in a new insight (the app reads the query from the URL's hash). */
export function hogqlUrl(appUrl: string, projectId: number, query: string): string {
  const node = { kind: 'DataTableNode', source: { kind: 'HogQLQuery', query } };
  return projectUrl(appUrl, projectId, `/insights/new#q=${encodeURIComponent(JSON.stringify(node))}`);
}

export async function gatherItem(g: GatherContext, item: DigestItem): Promise<GatheredItem> {
  const title = describeItem(item);
  try {
    switch (item.kind) {
      case 'query':
        return await gatherQuery(g, item.name);
      case 'insight':
        return await gatherInsight(g, item.ref);
      case 'flag_changes':
        return { view: await gatherFlagChanges(g) };
      case 'experiments':
        return { view: await gatherExperiments(g) };
    }
  } catch (error) {
    return { view: { kind: 'error', title, link: null, message: failureText(g.ctx, title, error) } };
  }
}

/** mrkdwn explaining why an item could not be gathered; unexpected errors are logged with a reference. */
export function failureText(ctx: Pick<CommandContext, 'logger'>, label: string, error: unknown): string {
  if (isUpstreamError(error)) return describeUpstreamError(error);
  if (isQueryRunError(error))
    return error.kind === 'timeout'
      ? `The query was still running after ${QUERY_DEADLINE_MS / 1000} s; make it cheaper.`
      : `The query failed: ${escapeMrkdwn(truncate(error.detail, 300))}`;
  if (isCommandError(error) || error instanceof InsightNotFoundError) return escapeMrkdwn(error.message);
  const reference = randomBytes(4).toString('hex');
  ctx.logger.error(`${label} failed (ref ${reference}):`, error);
  return `Hogbot hit an internal error here (reference \`${reference}\`).`;
}

async function gatherQuery(g: GatherContext, name: string): Promise<GatheredItem> {
  const saved = await g.ctx.store.schedules.getQuery(g.ctx.teamId, name);
  const title = `Saved query ${name}`;
  if (!saved)
    return {
      view: {
        kind: 'error',
        title,
        link: null,
        message: `The saved query \`${escapeMrkdwn(name)}\` no longer exists. Save it again with \`/ph query save ${escapeMrkdwn(name)} …\`.`,
      },
    };
  const posthog = await g.ctx.posthog();
  const { result } = await runHogQL(posthog, {
    projectId: g.projectId,
    query: saved.hogql,
    queryId: randomUUID(),
    deadlineMs: QUERY_DEADLINE_MS,
  });
  const link = hogqlUrl(g.ctx.config.posthogAppUrl, g.projectId, saved.hogql);
  const chart = chartFromRows(name, result.columns, result.results);
  if (chart) return { view: { kind: 'chart', title: name, link, summary: chartSummary(chart) }, chart };
  const only = result.results.length === 1 && result.columns.length === 1 ? result.results[0]![0] : undefined;
  if (typeof only === 'number' || (typeof only === 'string' && /^-?\d+(\.\d+)?$/.test(only))) {
    return {
      view: {
        kind: 'number',
        title: name,
        link,
        value: formatNumber(Number(only), Number.isInteger(Number(only)) ? 'integer' : 'float'),
        caption: result.columns[0] ?? '',
      },
    };
  }
  const format = rowFormatter(result.types, result.results, { timeZone: g.timeZone });
  return {
    view: {
      kind: 'table',
      title: name,
      link,
      header: result.columns,
      rows: result.results.map(format),
      align: result.types.map((t) => (isNumericKind(columnKind(t)) ? 'right' : 'left')),
      totalRows: result.results.length,
    },
  };
}

/** One line under a chart: each series' latest value for a time series, the largest bars for categories. */
export function chartSummary(chart: ChartModel): string {
  const fmt = (v: number) => formatNumber(v, Number.isInteger(v) ? 'integer' : 'float');
  if (!chart.xIsTime) {
    const values = chart.series[0]?.values ?? [];
    const top = chart.x
      .map((label, i) => ({ label, value: values[i] ?? null }))
      .filter((p): p is { label: string; value: number } => p.value !== null);
    top.sort((a, b) => b.value - a.value);
    return top
      .slice(0, 3)
      .map((p) => `${p.label}: ${fmt(p.value)}`)
      .join(' · ');
  }
  return latestValues(chart)
    .slice(0, 4)
    .map((v) => `${v.name}: ${v.value === null ? '–' : fmt(v.value)}${v.at ? ` (${v.at.slice(0, 10)})` : ''}`)
    .join(' · ');
}

async function gatherInsight(g: GatherContext, ref: string): Promise<GatheredItem> {
  const posthog = await g.ctx.posthog();
  const insight = await fetchInsight(posthog, g.projectId, ref);
  const title = insightTitle(insight);
  const link = projectUrl(g.ctx.config.posthogAppUrl, g.projectId, `/insights/${encodeURIComponent(insight.short_id)}`);
  const chart = insightChart(insight);
  if (chart) return { view: { kind: 'chart', title, link, summary: chartSummary(chart) }, chart };
  const steps = funnelSteps(insight);
  if (steps) {
    return {
      view: {
        kind: 'table',
        title,
        link,
        header: ['Step', 'Count', 'Conversion'],
        rows: steps.map((s) => [s.name, formatNumber(s.count, 'integer'), `${(s.conversion * 100).toFixed(1)}%`]),
        align: ['left', 'right', 'right'],
        totalRows: steps.length,
      },
    };
  }
  return { view: { kind: 'lines', title, link, lines: [], empty: 'Hogbot can’t draw this kind of insight; open it in PostHog.' } };
}

const FLAG_TYPES = new Set(['feature_flag', 'flag']);
const AUDIT_PAGE = 100;
const AUDIT_MAX_PAGES = 10;

/** Audited flag writes with `at` in [start, end), oldest first. */
export async function flagChangesIn(ctx: Pick<CommandContext, 'store' | 'teamId'>, start: Date, end: Date): Promise<AuditEntry[]> {
  const found: AuditEntry[] = [];
  for (let page = 0; page < AUDIT_MAX_PAGES; page += 1) {
    const rows = await ctx.store.listAudit(ctx.teamId, { limit: AUDIT_PAGE, offset: page * AUDIT_PAGE });
    for (const row of rows) {
      if (row.at >= start && row.at < end && row.outcome === 'done' && FLAG_TYPES.has(row.objectType ?? '')) found.push(row);
    }
    // Newest first: once a page reaches past the start, older pages can only be older.
    if (rows.length < AUDIT_PAGE || rows.some((r) => r.at < start)) break;
  }
  return found.reverse();
}

async function gatherFlagChanges(g: GatherContext): Promise<DigestItemView> {
  const changes = (await flagChangesIn(g.ctx, g.period.start, g.period.end)).filter(
    (c) => c.projectId === null || c.projectId === g.projectId,
  );
  const appUrl = g.ctx.config.posthogAppUrl;
  const lines = changes.slice(0, 25).map((c) => {
    const label = escapeMrkdwn(c.objectLabel ?? c.objectId ?? 'flag');
    const target =
      c.objectId && /^\d+$/.test(c.objectId)
        ? `<${projectUrl(appUrl, g.projectId, `/feature_flags/${c.objectId}`)}|${label}>`
        : `\`${label}\``;
    const when = `<!date^${Math.floor(c.at.getTime() / 1000)}^{date_short_pretty} {time}|${c.at.toISOString().slice(0, 16).replace('T', ' ')} UTC>`;
    return `• ${target}: ${escapeMrkdwn(truncate(c.title, 120))} · <@${c.userId}> · ${when}`;
  });
  if (changes.length > lines.length) lines.push(`_and ${changes.length - lines.length} more_`);
  return {
    kind: 'lines',
    title: 'Flag changes in the period',
    link: projectUrl(appUrl, g.projectId, '/feature_flags'),
    lines,
    empty: 'No flag changes through Hogbot in this period.',
  };
}

async function gatherExperiments(g: GatherContext): Promise<DigestItemView> {
  const posthog = await g.ctx.posthog();
  const { items } = await posthog.collect(path`/api/projects/${g.projectId}/experiments/`, experimentSchema, { maxItems: 200 });
  const running = items.filter((e) => statusOf(e) === 'running' && !e.archived);
  const appUrl = g.ctx.config.posthogAppUrl;
  const now = g.period.end.getTime();
  const lines = running.slice(0, 20).map((e) => {
    const days = e.start_date ? Math.max(0, Math.floor((now - Date.parse(e.start_date)) / 86_400_000)) : null;
    const age = days === null ? '' : ` · running ${days} ${days === 1 ? 'day' : 'days'}`;
    return `• <${projectUrl(appUrl, g.projectId, `/experiments/${e.id}`)}|${escapeMrkdwn(e.name)}> · flag \`${escapeMrkdwn(e.feature_flag_key)}\`${age}`;
  });
  if (running.length > lines.length) lines.push(`_and ${running.length - lines.length} more_`);
  return {
    kind: 'lines',
    title: 'Running experiments',
    link: projectUrl(appUrl, g.projectId, '/experiments'),
    lines,
    empty: 'No experiments are running.',
  };
}
