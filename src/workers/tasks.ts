/**
 * What the worker pool can be asked to do. Pure data in and out (structured clone): the worker imports the code that
 * does the work, the event loop only ships the inputs.
 */
import type { ChartInput } from '../charts/spec.js';
import type { SyntaxCheck } from '../hogql/syntax-problem.js';
import type { Message } from '../../views/blocks.js';
import type { ResultModel } from '../hogql/result-model.js';

export interface Tasks {
  /** PostHog's HogQL parser (WASM) over one query text. */
  syntax: { input: { query: string }; output: SyntaxCheck };
  /** A Vega-Lite chart drawn to SVG text. */
  svg: { input: { chart: ChartInput }; output: string };
  /** The same chart rasterised to PNG. */
  png: { input: { chart: ChartInput }; output: Uint8Array };
  /** A big result's table: does it fit the message, and the message itself (src/hogql/result-model.ts, views/query.ts). */
  tableFits: { input: { model: ResultModel }; output: boolean };
  resultMessage: { input: { model: ResultModel }; output: Message };
  /** Some rows of a query result as CSV bytes; `head`: the first part, with the BOM and header line. */
  csv: { input: { columns: string[]; rows: unknown[][]; head: boolean }; output: Uint8Array };
}

export type TaskKind = keyof Tasks;
export type TaskMessage = { [K in TaskKind]: { kind: K } & Tasks[K]['input'] }[TaskKind];
