/**
 * Charts as PNG for Slack: the spec is built here (spec.ts), the drawing (Vega to SVG, resvg to PNG, see draw.ts)
 * happens in the worker pool, so a chart never holds up the event loop that acks Slack.
 *
 * @example
 * const png = await renderChart({ kind: 'line', x: 'day', y: 'count()', rows, title: 'Pageviews per day' });
 * await ctx.slack.filesUploadV2({ channel_id, file: png, filename: 'chart.png' });
 */
import { sharedPool } from '../workers/pool.js';
import { type ChartInput, ChartError } from './spec.js';

export * from './spec.js';

/** A chart takes well under a second to draw; one still drawing after this is stopped (its worker terminated). */
const DRAW_LIMIT_MS = 30_000;

/** Refused here, typed, rather than as a plain Error from across the thread boundary. */
function drawable(input: ChartInput): void {
  if (input.rows.length === 0) throw new ChartError('There are no rows to chart.');
}

/** The chart as SVG text, drawn in the worker pool. */
export async function renderSvg(input: ChartInput): Promise<string> {
  drawable(input);
  return sharedPool().run('svg', { chart: input }, { timeoutMs: DRAW_LIMIT_MS });
}

/** The chart as PNG, drawn in the worker pool (at twice the plot size, for sharp text). */
export async function renderChart(input: ChartInput): Promise<Buffer> {
  drawable(input);
  const png = await sharedPool().run('png', { chart: input }, { timeoutMs: DRAW_LIMIT_MS });
  return Buffer.from(png.buffer, png.byteOffset, png.byteLength);
}
