/**
 * A trends insight drawn as a PNG, delivered where Slack will show it. An image block can't point at a file uploaded
 * without a channel (Slack answers `invalid_blocks`, "invalid slack file": only the bot can see such a file;
 * slackapi/python-slack-sdk#1658, java-slack-sdk#1349). So: with PUBLIC_URL, the card's image block points at a signed
 * URL on Hogbot's own server (src/images/); without it, the PNG is shared as a file where the answer goes: the channel
 * for a `--share`d answer, else the caller's DM with the bot (a private answer must not post to the channel).
 */
import { escapeMrkdwn } from '../../views/blocks.js';
import { mathLabel } from '../../views/insights.js';
import { ChartError, type ChartInput, renderChart } from '../charts/render.js';
import { postFiles } from '../hogql/files.js';
import { publishImage } from '../images/publish.js';
import type { CommandContext } from '../registry/command.js';
import { breakdownOf, type SeriesNumbers, type TrendsSource } from './trends.js';

const MAX_CHART_SERIES = 8;

/** Vega-Lite reads `.` and `[]` in field names as paths; keep labels that are used as field names plain. */
const field = (text: string) => text.replace(/[.[\]\\]/g, ' ').trim() || 'value';

/** The rows and encoding of the chart; pure, so it can be checked without rendering. */
export function trendsChartInput(m: { name: string; source: TrendsSource; series: SeriesNumbers[] }): ChartInput {
  const first = m.source.series[0];
  const y = field(m.source.series.length === 1 ? mathLabel(first?.math, first?.math_property) : 'Value');
  const shown = m.series.slice(0, MAX_CHART_SERIES);
  const buckets = Math.max(...shown.map((s) => s.data.length));
  if (buckets <= 1) {
    // One bucket is a bar per series, not a line of one point.
    return { kind: 'bar', x: 'Series', y, rows: shown.map((s) => ({ Series: s.label, [y]: s.total })), title: m.name };
  }
  const x = m.source.interval === 'hour' ? 'Time' : 'Date';
  const seriesField = shown.length > 1 ? field(breakdownOf(m.source) ?? 'Series') : undefined;
  const rows = shown.flatMap((s) =>
    s.days.map((day, i) => ({ [x]: day, [y]: s.data[i] ?? 0, ...(seriesField ? { [seriesField]: s.label } : {}) })),
  );
  return { kind: 'line', x, y, ...(seriesField ? { series: seriesField } : {}), rows, title: m.name };
}

export type ChartOutcome = { imageUrl: string; altText: string } | { note: string };

/** Renders and uploads the chart; a failure becomes a note on the card, never a failed command. */
export async function chartTrends(
  ctx: CommandContext,
  m: { name: string; shortId: string; source: TrendsSource; series: SeriesNumbers[] },
): Promise<ChartOutcome> {
  const series = m.series;
  const input = trendsChartInput({ name: m.name, source: m.source, series });
  const altText = `${input.kind === 'line' ? 'Line' : 'Bar'} chart of ${input.y} for ${m.name}: ${series
    .slice(0, MAX_CHART_SERIES)
    .map((s) => `${s.label} ${s.total}`)
    .join(', ')}`;
  let png: Buffer;
  try {
    png = await renderChart(input);
  } catch (error) {
    if (error instanceof ChartError) return { note: `Nothing to draw: ${error.message}` };
    throw error;
  }
  const filename = `insight-${m.shortId}.png`;
  try {
    const imageUrl = await publishImage({ config: ctx.config, store: ctx.store, teamId: ctx.teamId, now: () => ctx.now() }, png);
    if (imageUrl) return { imageUrl, altText };
  } catch (error) {
    // The store refused: sharing the file still shows the chart.
    ctx.logger.warn(`insight chart could not be stored for its URL: ${(error as Error).message}`);
  }
  const where = ctx.share && ctx.channelId ? 'channel' : 'dm';
  try {
    await postFiles(
      ctx.slack,
      { where, userId: ctx.userId, channelId: ctx.channelId },
      [{ filename, title: m.name, bytes: png, altText: altText.slice(0, 1000) }],
      `Chart of *${escapeMrkdwn(m.name)}*`,
    );
    return { note: where === 'channel' ? 'The chart is posted in this channel.' : 'The chart is in your DM with Hogbot.' };
  } catch (error) {
    ctx.logger.warn(`insight chart upload failed: ${(error as Error).message}`);
    return {
      note: 'The chart could not be shared in Slack (does Hogbot have the files:write scope, and is it in this channel?). The numbers are below.',
    };
  }
}
