/**
 * `/ph query` end to end: PostHog's parser first (a typo never leaves the bot), then the query in async mode with a
 * "Running…" message and Cancel button shown meanwhile, then one table, plus the CSV and chart as files when asked
 * for or when the result is larger than a message.
 *
 * Slack allows 5 posts per response_url: the interim message, at most two "still running" updates, and the answer
 * (a shared answer costs two: it deletes the ephemeral interim and posts anew).
 */
import { randomUUID } from 'node:crypto';
import type { Message } from '../../views/blocks.js';
import { runningMessage, type SharedFile, syntaxErrorText } from '../../views/query.js';
import { type ChartKind, renderChart } from '../charts/render.js';
import { CommandError } from '../errors.js';
import { isUpstreamError } from '../posthog/errors.js';
import type { PostHogClient } from '../posthog/client.js';
import type { CommandContext } from '../registry/command.js';
import { chartData } from './chart-data.js';
import { buildCsv } from './csv-file.js';
import { explainRunError, explainUpstreamError } from './explain.js';
import { type OutgoingFile, postFiles } from './files.js';
import { applyLimit } from './limit.js';
import { fitsTable, resultView } from './result-view.js';
import { isQueryRunError, type RunOutcome, runHogQL } from './run.js';
import { track, untrack } from './running.js';
import { caretSnippet, checkSyntax, withStraightQuotes } from './syntax.js';
import { callerTimeZone } from '../slack/profile.js';
import { slackErrorCode } from '../slack-error.js';

export const DEFAULT_TIMEOUT_SECONDS = 120;
/** When to replace "Running…" with the elapsed time (two updates, to stay inside the response_url budget). */
const PROGRESS_AT_MS = [3_000, 15_000];
const PROGRESS_WAIT_MS = 5_000;
export const CSV_NAME = 'query-result.csv';
const STRAIGHTENED = 'Slack had turned some quotes into curly ones; the query ran with straight quotes.';
export const CHART_NAME = 'query-chart.png';

export interface QueryRequest {
  query: string;
  /** Default: the workspace's project. */
  projectId?: number | '@current';
  limit?: number;
  chart?: ChartKind;
  timeoutSeconds?: number;
}

export async function runQueryFlow(ctx: CommandContext, req: QueryRequest): Promise<Message> {
  const [projectId, posthog] = await Promise.all([req.projectId ?? ctx.projectId(), ctx.posthog()]);
  // The query's slot first (or, at once, "you have too many running"): one person's flood then waits at their own cap
  // instead of filling the parser pool's queue that every workspace shares.
  const release = await posthog.querySlot?.(projectId);
  try {
    return await checkAndRun(ctx, req, projectId, posthog);
  } finally {
    await release?.();
  }
}

async function checkAndRun(
  ctx: CommandContext,
  req: QueryRequest,
  projectId: number | '@current',
  posthog: PostHogClient,
): Promise<Message> {
  const typed = await checkSyntax(req.query);
  const { query, check, straightened } = await withStraightQuotes(req.query, typed);
  if (!check.ok) throw new CommandError(syntaxErrorText(check.problem, caretSnippet(check.problem)));
  const limited = await applyLimit(query, check, req.limit);
  const queryId = randomUUID().replaceAll('-', '');
  const cancelValue = `${projectId}:${queryId}`;
  const timeoutSeconds = req.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  const timeZone = callerTimeZone(ctx);
  const controller = track(queryId);
  // The interim message goes out while the query runs; later updates chain on it so Slack gets them in order.
  let shown = quietly(ctx, ctx.progress(runningMessage({ query, elapsedMs: 0, cancelValue })));
  const pending = [...PROGRESS_AT_MS];
  const onPoll = (elapsedMs: number) => {
    if (pending.length === 0 || elapsedMs < pending[0]!) return;
    while (pending.length > 0 && elapsedMs >= pending[0]!) pending.shift();
    shown = shown.then(() => quietly(ctx, ctx.progress(runningMessage({ query, elapsedMs, cancelValue }))));
  };
  try {
    const outcome = await runHogQL(posthog, {
      projectId,
      query: limited.query,
      queryId,
      deadlineMs: timeoutSeconds * 1000,
      signal: controller.signal,
      onPoll,
      slotHeld: true,
    });
    const notes = [...(straightened ? [STRAIGHTENED] : []), ...(limited.note ? [limited.note] : [])];
    return await present(ctx, { ...req, query }, outcome, { probe: limited.probe, notes, timeZone: await timeZone });
  } catch (error) {
    if (isQueryRunError(error)) throw new CommandError(explainRunError(error, timeoutSeconds));
    if (isUpstreamError(error)) throw new CommandError(explainUpstreamError(error));
    throw error;
  } finally {
    untrack(queryId);
    // The answer must land after the interim message it replaces, but a Slack that hangs must not hold it forever.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([shown, new Promise((resolve) => (timer = setTimeout(resolve, PROGRESS_WAIT_MS)))]);
    clearTimeout(timer);
  }
}

async function present(
  ctx: CommandContext,
  req: QueryRequest,
  outcome: RunOutcome,
  extra: { probe: number | null; notes: string[]; timeZone: string },
): Promise<Message> {
  const { columns, types } = outcome.result;
  let rows = outcome.result.results;
  let hasMore = outcome.result.hasMore === true;
  let fetchLimit = hasMore ? outcome.result.limit : null;
  if (extra.probe !== null && req.limit !== undefined && rows.length > req.limit) {
    rows = rows.slice(0, req.limit);
    hasMore = true;
    fetchLimit = req.limit;
  }
  const notes = [...extra.notes];
  const model = {
    query: req.query,
    columns,
    types,
    rows,
    hasMore,
    fetchLimit,
    elapsedMs: outcome.elapsedMs,
    timeZone: extra.timeZone,
    notes,
  };

  const files: OutgoingFile[] = [];
  if (!(await fitsTable(model))) {
    // Encoded in the worker pool: a 50,000-row CSV is tens of milliseconds of string work.
    files.push({
      filename: CSV_NAME,
      title: `HogQL result (${rows.length.toLocaleString('en-US')} rows)`,
      bytes: await buildCsv(columns, rows),
    });
  }
  if (req.chart && rows.length > 0) {
    const chart = chartData(req.chart, columns, types, rows, extra.timeZone);
    if (chart.note) notes.push(chart.note);
    try {
      const png = await renderChart(chart.input);
      files.push({ filename: CHART_NAME, title: chart.input.title, bytes: png, altText: `${req.chart} chart of ${chart.input.title}` });
    } catch (error) {
      // The table is still worth having; say why the picture is missing.
      ctx.logger.warn('query: chart rendering failed', error);
      notes.push('Hogbot could not draw this chart; the table below has the numbers.');
    }
  }
  if (files.length === 0) return resultView(model);

  let posted: Array<SharedFile> = [];
  // A shared answer is in the channel, so its files are too; a private one keeps them in the DM with Hogbot.
  const to = { where: ctx.share && ctx.channelId ? ('channel' as const) : ('dm' as const), userId: ctx.userId, channelId: ctx.channelId };
  try {
    posted = await postFiles(ctx.slack, to, files, `Files for your HogQL query (${rows.length.toLocaleString('en-US')} rows).`);
  } catch (error) {
    ctx.logger.warn('query: could not upload result files', error);
    notes.push(
      `Hogbot could not upload ${files.map((f) => f.filename).join(' and ')} (${slackErrorCode(error) ?? 'Slack refused the upload'}). Ask an admin to check the app's files:write scope.`,
    );
  }
  return resultView({
    ...model,
    csv: posted.find((f) => f.name === CSV_NAME) ?? null,
    chart: posted.find((f) => f.name === CHART_NAME) ?? null,
    filesWhere: to.where,
  });
}

/** The interim message is a courtesy: failing to show it must not fail the query. */
function quietly(ctx: CommandContext, work: Promise<void>): Promise<void> {
  return work.catch((error: unknown) => ctx.logger.warn('query: could not show progress', error));
}
