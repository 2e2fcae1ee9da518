import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../src/hogql/csv.js';

/** A small RFC 4180 reader, to check the writer against the format rather than against itself. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += ch;
  }
  return rows;
}

describe('toCsv', () => {
  it('writes a BOM, a header and CRLF rows that a CSV reader gets back exactly', () => {
    const rows = [
      ['$pageview', 12, '2026-03-04T17:05:09Z'],
      ['said "hi", then left', 3.5, null],
      ['two\nlines', -4, '{"a":1}'],
    ];
    const bytes = toCsv(['event', 'count()', 'at'], rows);
    const text = bytes.toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(parseCsv(text.slice(1))).toEqual([
      ['event', 'count()', 'at'],
      ['$pageview', '12', '2026-03-04T17:05:09Z'],
      ['said "hi", then left', '3.5', ''],
      ['two\nlines', '-4', '{"a":1}'],
    ]);
  });

  it('writes objects and arrays as JSON', () => {
    expect(csvField({ $browser: 'Chrome' })).toBe('"{""$browser"":""Chrome""}"');
    expect(csvField([1, 'a'])).toBe('"[1,""a""]"');
    expect(csvField(true)).toBe('true');
  });

  it('defuses text a spreadsheet would run as a formula, but never numbers', () => {
    expect(csvField('=HYPERLINK("http://evil")')).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('+1')).toBe("'+1");
    expect(csvField(-5)).toBe('-5');
  });

  it('holds 50,000 rows', () => {
    const rows = Array.from({ length: 50_000 }, (_, i) => [i, `e${i}`]);
    const lines = toCsv(['n', 'e'], rows).toString('utf8').trimEnd().split('\r\n');
    expect(lines).toHaveLength(50_001);
    expect(lines.at(-1)).toBe('49999,e49999');
  });
});
