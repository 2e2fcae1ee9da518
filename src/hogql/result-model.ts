/**
 * A HogQL result as received, turned into what views/query.ts shows: the first rows' cells formatted for a reader (time
 * zone, number formats), each column's alignment, and whether any column shows clock times. Pure; runs on the worker
 * pool for a big result (src/hogql/result-view.ts decides).
 */
import type { Message } from '../../views/blocks.js';
import { type ResultViewModel, resultViewFits, resultViewMessage } from '../../views/query.js';
import { TABLE_LIMITS } from '../../views/table.js';
import { columnKind, isNumericKind } from './columns.js';
import { isDayBuckets, rowFormatter } from './format.js';

/** The result as received: what the view shows (ResultViewModel) but raw rows and types in place of formatted cells. */
export interface ResultModel extends Omit<ResultViewModel, 'totalRows' | 'cells' | 'align' | 'clockTimes'> {
  types: string[];
  /** Every row received (only the first ones are rendered), or only the first ones when `totalRows` is given. */
  rows: unknown[][];
  /** How many rows there are when `rows` holds only the first TABLE_LIMITS.rows (a big result formatted off the loop). */
  totalRows?: number;
}

export function resultViewModel(m: ResultModel): ResultViewModel {
  const { rows, types, totalRows, ...rest } = m;
  // The table never shows more than its row limit less the header: only those rows are formatted.
  const shownRows = rows.slice(0, TABLE_LIMITS.rows - 1);
  const format = rowFormatter(types, shownRows, { timeZone: m.timeZone });
  const kinds = types.map(columnKind);
  return {
    ...rest,
    totalRows: totalRows ?? rows.length,
    cells: shownRows.map(format),
    align: kinds.map((kind) => (isNumericKind(kind) ? 'right' : 'left')),
    // Day buckets show the date alone, so only other datetime columns need the reader's zone named.
    clockTimes: kinds.some((kind, i) => kind === 'datetime' && !isDayBuckets(shownRows.map((r) => r[i]))),
  };
}

/** Whether the whole result fits in the message's table (if not, the full result goes out as a CSV file). */
export const resultFitsTable = (m: ResultModel): boolean => resultViewFits(resultViewModel(m));

export const resultMessage = (m: ResultModel): Message => resultViewMessage(resultViewModel(m));
