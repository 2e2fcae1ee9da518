import type { KnownBlock } from './blocks.js';
import { truncate } from './blocks.js';

/**
 * Slack's `table` block: at most 100 rows (the header included) of at most 20 cells, one table per message, shown at
 * the message's bottom. Its cell text counts toward the message's ~10k character budget like any other text.
 */
export const TABLE_LIMITS = { rows: 100, columns: 20, headerText: 40 } as const;

export type Align = 'left' | 'right';

export interface TableInput {
  header: readonly string[];
  /** Already formatted cells (each at least one character, as raw_text requires). */
  rows: readonly (readonly string[])[];
  align: readonly Align[];
}

export interface FittedTable {
  block: KnownBlock;
  /** Data rows in the block (the header is not counted). */
  rowsShown: number;
  columnsShown: number;
  /** Characters of cell text the block carries. */
  textLength: number;
}

const cell = (text: string) => ({ type: 'raw_text' as const, text: text === '' ? ' ' : text });

/** As many leading rows as fit the row limit and `textBudget` characters; never fewer than the header. */
export function tableBlock(input: TableInput, textBudget: number): FittedTable {
  const columns = Math.min(input.header.length, TABLE_LIMITS.columns);
  const header = input.header.slice(0, columns).map((h) => truncate(h, TABLE_LIMITS.headerText));
  let used = header.reduce((n, h) => n + Math.max(1, h.length), 0);
  const rows = [header.map(cell)];
  for (const row of input.rows) {
    if (rows.length >= TABLE_LIMITS.rows) break;
    const cells = row.slice(0, columns);
    const size = cells.reduce((n, c) => n + Math.max(1, c.length), 0);
    if (used + size > textBudget) break;
    rows.push(cells.map(cell));
    used += size;
  }
  const block = {
    type: 'table',
    column_settings: input.align.slice(0, columns).map((align) => ({ align })),
    rows,
  } as KnownBlock;
  return { block, rowsShown: rows.length - 1, columnsShown: columns, textLength: used };
}
