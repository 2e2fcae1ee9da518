/**
 * A query result as CSV (RFC 4180, CRLF line ends, UTF-8 with a BOM so spreadsheet apps read accents right). Values
 * stay raw: numbers as sent, DateTimes as PostHog's ISO text, JSON as JSON, null as an empty field.
 *
 * Event properties are written by anyone who can reach the site, so text that a spreadsheet would run as a formula
 * (`=`, `+`, `-`, `@`, tab, CR) gets a leading apostrophe (OWASP's advice). Numbers are never touched.
 */
const BOM = Buffer.from('\uFEFF', 'utf8');
const NEEDS_QUOTES = /[",\r\n]/;
/** = + - @ tab CR */
const FORMULA_CODES = new Set([61, 43, 45, 64, 9, 13]);
/** Rows are encoded in slices of about this many characters, so no single giant string is ever built. */
const CHUNK_CHARS = 1 << 20;

export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  let text: string;
  if (typeof value === 'string') text = FORMULA_CODES.has(value.charCodeAt(0)) ? `'${value}` : value;
  else if (typeof value === 'bigint' || typeof value === 'boolean') text = String(value);
  else text = JSON.stringify(value) ?? '';
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(columns: readonly string[], rows: readonly (readonly unknown[])[]): Buffer {
  return csvPart(columns, rows, true);
}

/**
 * Rows as CSV lines; with `head`, preceded by the BOM and the header line. Parts of one result, encoded one after the
 * other, concatenate to exactly its toCsv() (see csv-file.ts, which builds big results this way in the worker pool).
 */
export function csvPart(columns: readonly string[], rows: readonly (readonly unknown[])[], head: boolean): Buffer {
  const chunks: Buffer[] = head ? [BOM] : [];
  let text = head ? `${columns.map(csvField).join(',')}\r\n` : '';
  for (const row of rows) {
    let line = csvField(row[0]);
    for (let c = 1; c < columns.length; c += 1) line += `,${csvField(row[c])}`;
    text += `${line}\r\n`;
    if (text.length >= CHUNK_CHARS) {
      chunks.push(Buffer.from(text, 'utf8'));
      text = '';
    }
  }
  chunks.push(Buffer.from(text, 'utf8'));
  return Buffer.concat(chunks);
}
