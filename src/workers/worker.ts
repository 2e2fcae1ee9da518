/**
 * The pool's worker: one entry point, each kind of task importing its code on first use (a worker that only ever
 * checks syntax never loads Vega).
 */
import { Piscina } from 'piscina';
import { createRequire } from 'node:module';
import type { MessagePort } from 'node:worker_threads';
import type { TaskMessage } from './tasks.js';

/**
 * require(), not import(): on Node 20, tsx's ESM hooks are not active in worker threads, its require() hook is (see
 * pool.ts), so a dynamic import() of a .ts module fails here while require() loads it.
 */
const load = createRequire(import.meta.url);

export default async function work(task: TaskMessage & { started?: MessagePort }): Promise<unknown> {
  const started = () => {
    // Tells the pool the work itself begins: its time limit runs from here, not from when the task was queued or
    // while this worker loaded its code.
    task.started?.postMessage('started');
    task.started?.close();
  };
  switch (task.kind) {
    case 'syntax': {
      const { readyParser } = load('../hogql/parse.ts') as typeof import('../hogql/parse.js');
      const parse = await readyParser();
      started();
      return parse(task.query);
    }
    case 'svg': {
      started();
      const { drawSvg } = load('../charts/draw.ts') as typeof import('../charts/draw.js');
      return drawSvg(task.chart);
    }
    case 'png': {
      started();
      const { drawPng } = load('../charts/draw.ts') as typeof import('../charts/draw.js');
      return moved(await drawPng(task.chart));
    }
    case 'tableFits': {
      started();
      const { resultFitsTable } = load('../hogql/result-model.ts') as typeof import('../hogql/result-model.js');
      return resultFitsTable(task.model);
    }
    case 'resultMessage': {
      started();
      const { resultMessage } = load('../hogql/result-model.ts') as typeof import('../hogql/result-model.js');
      return resultMessage(task.model);
    }
    case 'csv': {
      started();
      const { csvPart } = load('../hogql/csv.ts') as typeof import('../hogql/csv.js');
      return moved(csvPart(task.columns, task.rows, task.head));
    }
  }
}

/** Hands the bytes' memory to the main thread instead of copying them. */
function moved(bytes: Uint8Array): unknown {
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
  return Piscina.move(own);
}
