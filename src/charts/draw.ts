/**
 * Drawing, in the worker pool only (src/workers/worker.ts): a Vega-Lite spec compiled and rendered headless to SVG by
 * Vega (renderer "none": no canvas, no DOM), then rasterised by resvg with the DejaVu fonts, so output is the same on
 * every machine. Tens to hundreds of milliseconds of CPU per chart, which the event loop must not spend.
 */
import { Resvg } from '@resvg/resvg-js';
import { type ChartInput, ChartError, chartSpec, FONT, FONT_DIR } from './spec.js';

// import(), not a static import: the worker loads this file through tsx's require() hook (see src/workers/pool.ts),
// and Vega is ESM with top-level await, which require() cannot load; a native import() of a package can.
let vega: Promise<[typeof import('vega'), typeof import('vega-lite')]> | undefined;
const loadVega = () => (vega ??= Promise.all([import('vega'), import('vega-lite')]));

/** The chart as SVG text (Vega lays out labels with its own text metrics; no canvas needed). */
export async function drawSvg(input: ChartInput): Promise<string> {
  if (input.rows.length === 0) throw new ChartError('There are no rows to chart.');
  const [{ parse, View }, { compile }] = await loadVega();
  const view = new View(parse(compile(chartSpec(input)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export async function drawPng(input: ChartInput): Promise<Buffer> {
  const svg = await drawSvg(input);
  const resvg = new Resvg(svg, {
    font: { fontDirs: [FONT_DIR], loadSystemFonts: false, defaultFontFamily: FONT, sansSerifFamily: FONT },
    fitTo: { mode: 'zoom', value: 2 },
    background: 'white',
  });
  return resvg.render().asPng();
}
