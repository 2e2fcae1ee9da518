import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/posthog/errors.js';
import { columnKind, typesFor } from '../../src/hogql/columns.js';
import { explainRunError, explainUpstreamError } from '../../src/hogql/explain.js';
import { formatCell, isDayBuckets, rowFormatter } from '../../src/hogql/format.js';
import { applyLimit } from '../../src/hogql/limit.js';
import { QueryRunError } from '../../src/hogql/run.js';
import { caretSnippet, checkSyntax, withStraightQuotes } from '../../src/hogql/syntax.js';

const utc = { timeZone: 'UTC' };

describe('ClickHouse types', () => {
  it('reads through Nullable and LowCardinality', () => {
    expect(columnKind('UInt64')).toBe('integer');
    expect(columnKind('Nullable(Int32)')).toBe('integer');
    expect(columnKind('Float64')).toBe('float');
    expect(columnKind('Decimal(18, 2)')).toBe('float');
    expect(columnKind("DateTime64(6, 'UTC')")).toBe('datetime');
    expect(columnKind("Nullable(DateTime('America/New_York'))")).toBe('datetime');
    expect(columnKind('Date')).toBe('date');
    expect(columnKind('LowCardinality(Nullable(String))')).toBe('string');
    expect(columnKind('Array(String)')).toBe('array');
    expect(columnKind('UUID')).toBe('uuid');
    expect(columnKind('Bool')).toBe('bool');
    expect(columnKind(undefined)).toBe('other');
  });

  it('aligns PostHog’s [name, type] pairs (or bare names) with the columns', () => {
    expect(
      typesFor(
        ['a', 'b'],
        [
          ['a', 'String'],
          ['b', 'UInt64'],
        ],
      ),
    ).toEqual(['String', 'UInt64']);
    expect(typesFor(['a', 'b'], ['String'])).toEqual(['String', '']);
    expect(typesFor(['a'], null)).toEqual(['']);
  });
});

describe('cells', () => {
  it('groups digits, including 64-bit values sent as text', () => {
    expect(formatCell(1234567, 'integer', utc)).toBe('1,234,567');
    expect(formatCell('18446744073709551615', 'integer', utc)).toBe('18,446,744,073,709,551,615');
    expect(formatCell(-1234.5678, 'float', utc)).toBe('-1,234.57');
    expect(formatCell(0.012345, 'float', utc)).toBe('0.0123');
  });

  it('puts DateTimes on the reader’s clock, whatever offset PostHog used', () => {
    expect(formatCell('2026-03-04T17:05:09.123000Z', 'datetime', { timeZone: 'America/Los_Angeles' })).toBe('2026-03-04 09:05:09');
    expect(formatCell('2026-03-04T18:05:09+01:00', 'datetime', { timeZone: 'Europe/Berlin' })).toBe('2026-03-04 18:05:09');
    expect(formatCell('2026-07-01 12:00:00', 'datetime', { timeZone: 'Asia/Tokyo' })).toBe('2026-07-01 21:00:00');
  });

  it('keeps day buckets as calendar dates', () => {
    const days = ['2026-03-04T00:00:00Z', '2026-03-05T00:00:00Z', null];
    expect(isDayBuckets(days)).toBe(true);
    expect(isDayBuckets(['2026-03-04T00:00:00Z', '2026-03-04T13:00:00Z'])).toBe(false);
    const format = rowFormatter(
      ["DateTime64(6, 'UTC')"],
      days.map((d) => [d]),
      { timeZone: 'America/Los_Angeles' },
    );
    expect(format(['2026-03-04T00:00:00Z'])).toEqual(['2026-03-04']);
  });

  it('shortens JSON and long text, and keeps every cell non-empty', () => {
    const json = JSON.stringify({ $browser: 'Chrome', $os: 'Mac OS X', $current_url: 'https://acme.com/pricing?utm_source=newsletter' });
    const cell = formatCell(json, 'string', utc);
    expect(cell.length).toBe(60);
    expect(cell.endsWith('…')).toBe(true);
    expect(formatCell({ a: [1, 2] }, 'map', utc)).toBe('{"a":[1,2]}');
    expect(formatCell('x'.repeat(500), 'string', utc)).toHaveLength(80);
    expect(formatCell('line one\nline two', 'string', utc)).toBe('line one line two');
    expect(formatCell('', 'string', utc)).toBe('""');
    expect(formatCell(null, 'integer', utc)).toBe('null');
  });
});

describe('syntax check', () => {
  it('reports PostHog’s message with a 1-based position and a caret under the token', async () => {
    const check = await checkSyntax('SELECT event,\n  count(\nFROM events');
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problem.line).toBe(3);
    // The parser stops at `events`: `count( FROM` could still be an expression until then.
    expect(check.problem.column).toBe(6);
    expect(check.problem.message).toContain('no viable alternative');
    expect(caretSnippet(check.problem)).toBe('FROM events\n     ^^^^^^');
  });

  it('windows a long line around the problem', async () => {
    const query = `SELECT ${Array.from({ length: 40 }, (_, i) => `a${i}`).join(', ')} FROM events WHERE x = = 1`;
    const check = await checkSyntax(query);
    if (check.ok) throw new Error('expected a syntax error');
    const [line, caret] = caretSnippet(check.problem).split('\n');
    expect(line!.length).toBeLessThanOrEqual(74);
    expect(line![caret!.indexOf('^')]).toBe('=');
  });

  it('tells whether the query carries its own LIMIT', async () => {
    expect(await checkSyntax('SELECT 1 LIMIT 3')).toEqual({ ok: true, hasLimit: true, isUnion: false });
    expect(await checkSyntax('SELECT 1 UNION ALL SELECT 2')).toEqual({ ok: true, hasLimit: false, isUnion: true });
  });

  it('straightens curly quotes only when that is what makes the query parse', async () => {
    const curly = 'SELECT count() FROM events WHERE event = \u2018$pageview\u2019';
    const fixed = await withStraightQuotes(curly, await checkSyntax(curly));
    expect(fixed).toMatchObject({ query: "SELECT count() FROM events WHERE event = '$pageview'", straightened: true, check: { ok: true } });
    const inString = "SELECT 'it\u2019s fine'";
    expect(await withStraightQuotes(inString, await checkSyntax(inString))).toMatchObject({ query: inString, straightened: false });
  });
});

describe('--limit', () => {
  it('adds LIMIT N+1 on its own line, safe from a trailing comment', async () => {
    const limited = await applyLimit('SELECT event FROM events -- all of them', { hasLimit: false, isUnion: false }, 10);
    expect(limited).toEqual({ query: 'SELECT event FROM events -- all of them\nLIMIT 11', probe: 11, note: null });
    expect((await checkSyntax(limited.query)).ok).toBe(true);
  });

  it('wraps a UNION, and leaves a query with its own LIMIT alone', async () => {
    const union = await applyLimit('SELECT 1 UNION ALL SELECT 2;', { hasLimit: false, isUnion: true }, 1);
    expect(union.query).toBe('SELECT * FROM (\nSELECT 1 UNION ALL SELECT 2\n) LIMIT 2');
    expect((await checkSyntax(union.query)).ok).toBe(true);
    const own = await applyLimit('SELECT 1 LIMIT 3', { hasLimit: true, isUnion: false }, 1);
    expect(own.query).toBe('SELECT 1 LIMIT 3');
    expect(own.note).toContain('--limit was ignored');
  });
});

describe('failure lines', () => {
  const upstream = (init: Partial<ConstructorParameters<typeof UpstreamError>[0]>) =>
    new UpstreamError({ kind: 'posthog_validation', method: 'POST', path: '/api/projects/1/query/', ...init });

  it('gives PostHog’s detail and what to do next', () => {
    expect(explainUpstreamError(upstream({ detail: 'Unknown table "nope".' }))).toBe(
      'PostHog could not run the query: Unknown table "nope". Fix it and run it again (`/ph query` alone opens the editor).',
    );
    expect(explainUpstreamError(upstream({ detail: 'OFFSET is not allowed' }))).toContain('Page by time instead');
    expect(explainUpstreamError(upstream({ detail: 'Query exceeds max execution time' }))).toContain('it ran too long');
    expect(explainUpstreamError(upstream({ kind: 'posthog_throttled', status: 429, retryAfterSeconds: 12 }))).toContain(
      'Try again in 12 s',
    );
    expect(explainUpstreamError(upstream({ kind: 'timeout' }))).toContain('did not answer in time');
    expect(explainUpstreamError(upstream({ detail: '<!channel> boom' }))).toContain('&lt;!channel&gt;');
  });

  it('explains our own timeout with the limit that applied', () => {
    expect(explainRunError(new QueryRunError('timeout', 'x', 5000), 5)).toContain('still running after 5 s');
    expect(explainRunError(new QueryRunError('failed', 'Division by zero', 10), 60)).toContain('Division by zero');
  });
});
