import { describe, expect, it } from 'vitest';
import { checkMessage } from '../../src/fake-slack/block-kit.js';
import { blockTextLength, fitMessage, LIMITS } from '../../views/blocks.js';
import { resultFitsTable, resultMessage, type ResultModel } from '../../src/hogql/result-model.js';
import { runningMessage } from '../../views/query.js';
import { TABLE_LIMITS, tableBlock } from '../../views/table.js';

type Table = { type: 'table'; rows: Array<Array<{ type: string; text: string }>>; column_settings: Array<{ align: string }> };

function model(rows: unknown[][], columns = ['event', 'count()'], types = ['String', 'UInt64']): ResultModel {
  return {
    query: 'SELECT event, count() FROM events GROUP BY event',
    columns,
    types,
    rows,
    hasMore: false,
    fetchLimit: null,
    elapsedMs: 420,
    timeZone: 'UTC',
  };
}

const tableIn = (blocks: unknown[] | undefined) => (blocks ?? []).find((b) => (b as { type: string }).type === 'table') as Table;

describe('tableBlock', () => {
  it('keeps the header and as many rows as the limits allow', () => {
    const rows = Array.from({ length: 500 }, (_, i) => [`e${i}`, String(i)]);
    const fitted = tableBlock({ header: ['event', 'n'], rows, align: ['left', 'right'] }, 100_000);
    expect(fitted.rowsShown).toBe(TABLE_LIMITS.rows - 1);
    const block = fitted.block as unknown as Table;
    expect(block.rows).toHaveLength(TABLE_LIMITS.rows);
    expect(block.rows[0]!.map((c) => c.text)).toEqual(['event', 'n']);
    expect(block.column_settings).toEqual([{ align: 'left' }, { align: 'right' }]);
  });

  it('stops at the text budget and at 20 columns', () => {
    const header = Array.from({ length: 30 }, (_, i) => `c${i}`);
    const rows = Array.from({ length: 50 }, () => header.map(() => 'x'.repeat(40)));
    const fitted = tableBlock({ header, rows, align: header.map(() => 'left') }, 5_000);
    expect(fitted.columnsShown).toBe(20);
    expect(fitted.textLength).toBeLessThanOrEqual(5_000);
    const headerText = header.slice(0, 20).join('').length;
    expect(fitted.rowsShown).toBe(Math.floor((5_000 - headerText) / (20 * 40)));
  });
});

describe('resultMessage', () => {
  it('numbers align right with separators, text left; one table, last', () => {
    const message = resultMessage(
      model([
        ['$pageview', 123456],
        ['signed_up', 7],
      ]),
    );
    const table = tableIn(message.blocks);
    expect(table.rows.map((r) => r.map((c) => c.text))).toEqual([
      ['event', 'count()'],
      ['$pageview', '123,456'],
      ['signed_up', '7'],
    ]);
    expect(table.column_settings.map((c) => c.align)).toEqual(['left', 'right']);
    expect(message.blocks?.at(-1)).toBe(table);
    expect(resultFitsTable(model([['a', 1]]))).toBe(true);
  });

  it('a 50,000-row result stays inside every Block Kit limit and says how much it shows', () => {
    const rows = Array.from({ length: 50_000 }, (_, i) => [
      `https://acme.com/some/long/path/${i}?utm_source=newsletter&utm_medium=email`,
      i,
    ]);
    const m = { ...model(rows), csv: { name: 'query-result.csv', permalink: 'https://files.example/F1' } };
    const message = resultMessage(m);
    expect(resultFitsTable(m)).toBe(false);
    expect(checkMessage(message)).toBeUndefined();
    expect(blockTextLength(message.blocks ?? [])).toBeLessThanOrEqual(LIMITS.messageTextBudget);
    expect(fitMessage(message)).toEqual(message);
    const shown = tableIn(message.blocks).rows.length - 1;
    expect(JSON.stringify(message.blocks)).toContain(
      `Showing ${shown} of 50,000 rows. The full result is in <https://files.example/F1|query-result.csv>`,
    );
  });

  it('escapes the query so it cannot ping or break out of its code block', () => {
    const message = resultMessage({ ...model([['a', 1]]), query: "SELECT '<!channel>' ``` AS x" });
    const json = JSON.stringify(message.blocks);
    expect(json).toContain('&lt;!channel&gt;');
    expect(json).not.toContain("'<!channel>'");
    expect(json.match(/```/g)).toHaveLength(2);
  });

  it('says when PostHog has more rows, and in which zone times are', () => {
    const message = resultMessage({
      ...model([['2026-03-04T17:05:09Z']], ['timestamp'], ["DateTime64(6, 'UTC')"]),
      hasMore: true,
      fetchLimit: 100,
      timeZone: 'Europe/Berlin',
    });
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('the limit was 100');
    expect(text).toContain('Times in Europe/Berlin');
    expect(tableIn(message.blocks).rows[1]![0]!.text).toBe('2026-03-04 18:05:09');
  });

  it('an empty result says so, without a table', () => {
    const message = resultMessage(model([]));
    expect(tableIn(message.blocks)).toBeUndefined();
    expect(JSON.stringify(message.blocks)).toContain('no rows');
  });
});

describe('runningMessage', () => {
  it('shows the elapsed time and a Cancel button carrying project and query id', () => {
    const message = runningMessage({ query: 'SELECT 1', elapsedMs: 15_400, cancelValue: '1001:abc' });
    expect(message.text).toBe('HogQL: Still running… 15 s');
    expect(JSON.stringify(message.blocks)).toContain('"value":"1001:abc"');
    expect(checkMessage(message)).toBeUndefined();
  });
});
