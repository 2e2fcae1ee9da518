/**
 * A result's message, built off the event loop when the result is big. The table shows at most TABLE_LIMITS.rows
 * rows, but formatting them (time zones, number formats, fitting Slack's text budget) is several milliseconds; for a
 * big result only those first rows and the row count cross to the worker. Small results are built here: the round
 * trip would cost more than the work.
 */
import type { Message } from '../../views/blocks.js';
import { type ResultModel, resultFitsTable, resultMessage } from './result-model.js';
import { TABLE_LIMITS } from '../../views/table.js';
import { sharedPool } from '../workers/pool.js';

const isBig = (m: ResultModel) => m.rows.length > TABLE_LIMITS.rows;
const head = (m: ResultModel): ResultModel => ({ ...m, rows: m.rows.slice(0, TABLE_LIMITS.rows), totalRows: m.rows.length });

export async function fitsTable(m: ResultModel): Promise<boolean> {
  return isBig(m) ? sharedPool().run('tableFits', { model: head(m) }) : resultFitsTable(m);
}

export async function resultView(m: ResultModel): Promise<Message> {
  return isBig(m) ? sharedPool().run('resultMessage', { model: head(m) }) : resultMessage(m);
}
