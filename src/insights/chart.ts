/**
 * A trends insight drawn as a PNG and uploaded to Slack, for an image block. The file is uploaded without a channel:
 * the answer that shows it may be private (ephemeral), and posting it to the channel would share it with everyone.
 */
import { z } from 'zod';
import { mathLabel } from '../../views/insights.js';
import { ChartError, type ChartInput, renderChart } from '../charts/render.js';
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
  const rows = shown.flatMap((s) => s.days.map((day, i) => ({ [x]: day, [y]: s.data[i] ?? 0, ...(seriesField ? { [seriesField]: s.label } : {}) })));
  return { kind: 'line', x, y, ...(seriesField ? { series: seriesField } : {}), rows, title: m.name };
}

const uploadedSchema = z.looseObject({ files: z.array(z.looseObject({ files: z.array(z.looseObject({ id: z.string() })).optional() })) });

export type ChartOutcome = { fileId: string; altText: string } | { note: string };

/** Renders and uploads the chart; a failure becomes a note on the card, never a failed command. */
export async function chartTrends(ctx: CommandContext, m: { name: string; shortId: string; source: TrendsSource; series: SeriesNumbers[] }): Promise<ChartOutcome> {
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
  try {
    const uploaded = uploadedSchema.parse(await ctx.slack.filesUploadV2({ file: png, filename: `insight-${m.shortId}.png`, title: m.name, alt_text: altText.slice(0, 1000) }));
    const fileId = uploaded.files[0]?.files?.[0]?.id;
    if (!fileId) return { note: 'Slack did not return the uploaded chart; the numbers are below.' };
    return { fileId, altText };
  } catch (error) {
    ctx.logger.warn(`insight chart upload failed: ${(error as Error).message}`);
    return { note: 'The chart could not be uploaded to Slack (does Hogbot have the files:write scope?). The numbers are below.' };
  }
}
