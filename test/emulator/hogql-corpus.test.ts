/**
 * HogQL queries from PostHog's docs (posthog.com/docs/sql, /docs/sql/expressions, /docs/product-analytics/hogql,
 * /docs/data/sessions) run against the fixed fixture in fixtures/hogql-fixture.ts. Expected values were counted by
 * hand from that fixture's tables (see the comments next to each expectation).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHogQLEngine, type HogQLEngine } from '../../src/emulator/hogql/engine.js';
import { HogQLError, isHogQLError } from '../../src/emulator/hogql/errors.js';
import { FIXTURE_NOW, buildFixture, eventUuid } from './fixtures/hogql-fixture.js';

let engine: HogQLEngine;

beforeAll(async () => {
  engine = await createHogQLEngine(buildFixture());
});

afterAll(() => engine.close());

const run = (query: string, options: Parameters<HogQLEngine['execute']>[1] = {}) => engine.execute(query, { now: FIXTURE_NOW, ...options });

async function failure(query: string, options: Parameters<HogQLEngine['execute']>[1] = {}): Promise<HogQLError> {
  try {
    await run(query, options);
  } catch (error) {
    if (isHogQLError(error)) return error;
    throw error;
  }
  throw new Error(`expected ${query} to fail`);
}

describe('docs corpus', () => {
  it('counts events by name (the query API example)', async () => {
    const r = await run('SELECT event, COUNT() FROM events GROUP BY event ORDER BY COUNT() DESC, event');
    // 29 pageviews, 10 autocaptures, 9 purchases, 5 pageleaves, 5 sign-ups, 2 identifies.
    expect(r.results).toEqual([
      ['$pageview', 29],
      ['$autocapture', 10],
      ['purchase', 9],
      ['$pageleave', 5],
      ['signed_up', 5],
      ['$identify', 2],
    ]);
    expect(r.columns).toEqual(['event', 'COUNT()']);
    expect(r.types).toEqual([
      ['event', 'String'],
      ['COUNT()', 'UInt64'],
    ]);
  });

  it('finds the most popular first-pageview URLs (the SQL insight example, with {filters})', async () => {
    const r = await run(`
      SELECT properties.$current_url AS current_url, count() AS url_count
      FROM events
      WHERE event = '$pageview'
        AND (distinct_id, timestamp) IN (
          SELECT distinct_id, min(timestamp) FROM events WHERE event = '$pageview' GROUP BY distinct_id
        )
        AND {filters}
      GROUP BY current_url
      ORDER BY url_count DESC`);
    // 11 distinct ids; only d1's first pageview (event 6) is /docs, the other ten land on the home page.
    expect(r.results).toEqual([
      ['https://acme.com/', 10],
      ['https://acme.com/docs', 1],
    ]);
  });

  it('does arithmetic on numeric properties (the "Screen MegaPixels" example)', async () => {
    const r = await run(
      "SELECT round(properties.amount * 2 / 10, 1) AS `fifth of amount` FROM events WHERE event = 'purchase' ORDER BY `fifth of amount`",
    );
    expect(r.results.map((row) => row[0])).toEqual([1, 3, 4.9, 6, 12, 15.1, 24, 50, 100]);
    expect(r.columns).toEqual(['fifth of amount']);
  });

  it('selects * with a backticked property filter', async () => {
    const r = await run("SELECT * FROM events WHERE properties.`$browser` = 'Firefox' ORDER BY timestamp");
    expect(r.columns).toEqual([
      'uuid',
      'event',
      'properties',
      'timestamp',
      'distinct_id',
      'elements_chain',
      'created_at',
      '$session_id',
      '$window_id',
    ]);
    // Firefox users: P2 (events 10-16) and P7 (40-42).
    expect(r.results).toHaveLength(10);
    expect(r.results[0]?.slice(0, 5)).toEqual([eventUuid(10), '$pageview', expect.any(String), '2026-11-14T11:00:00Z', 'd2']);
    expect(JSON.parse(r.results[0]?.[2] as string)).toMatchObject({ $browser: 'Firefox', $current_url: 'https://acme.com/' });
  });

  it('breaks down with multiIf', async () => {
    const r = await run(
      "SELECT multiIf(properties.$browser == 'Chrome', 'chromium', properties.$browser == 'Safari', 'webkit', 'other') AS engine, count() FROM events GROUP BY engine ORDER BY engine",
    );
    // Chrome: P1 9 + P4 4 + P5 8 + P9 6 + P10 6 = 33; Safari: P3 6 + P6 5 + P8 6 = 17; Firefox: 10.
    expect(r.results).toEqual([
      ['chromium', 33],
      ['other', 10],
      ['webkit', 17],
    ]);
  });

  it('computes a ratio with sumIf', async () => {
    const r = await run(
      "SELECT sumIf(1, properties.$browser = 'Chrome') / sumIf(1, properties.$browser = 'Safari' or properties.$browser = 'Chrome') FROM events",
    );
    expect(r.results).toEqual([[33 / 50]]);
    expect(r.types[0]?.[1]).toBe('Float64');
  });

  it('filters recent events with dateDiff and now()', async () => {
    // now = 12:00 on the 20th; events 33 (11:00, 60 minutes) and 34 (11:05) qualify.
    const r = await run("SELECT count() FROM events WHERE dateDiff('minute', timestamp, now()) <= 60");
    expect(r.results).toEqual([[2]]);
  });

  it('bins by time of day with toHour (the expressions-page example, as written)', async () => {
    const r = await run(
      "SELECT multiIf(5 >= toHour(timestamp) and toHour(timestamp) < 12, 'morning', 12 >= toHour(timestamp) and toHour(timestamp) < 17, 'afternoon', 'night') AS part_of_day, count() FROM events GROUP BY part_of_day ORDER BY part_of_day",
    );
    // The doc's conditions read "hour <= 5" and "hour <= 12": no event is before 06:00; 14 are at 13:00 or later.
    expect(r.results).toEqual([
      ['afternoon', 46],
      ['night', 14],
    ]);
  });

  it('reads person properties through the lazy person join', async () => {
    const r = await run(
      "SELECT person.properties.email AS email, count() AS c FROM events WHERE event = 'purchase' GROUP BY email ORDER BY c DESC, email",
    );
    expect(r.results).toEqual([
      ['cara@acme.com', 2],
      ['eve@acme.com', 2],
      ['ana@acme.com', 1],
      ['ben@beta.io', 1],
      ['hana@acme.com', 1],
      ['ivan@beta.io', 1],
      [null, 1],
    ]);
    expect(r.types[0]).toEqual(['email', 'Nullable(String)']);
  });

  it('counts persons with a non-null person property', async () => {
    const r = await run('SELECT count(DISTINCT person_id) FROM events WHERE person.properties.email IS NOT NULL');
    expect(r.results).toEqual([[9]]);
  });

  it('extracts URL sections with a regular expression', async () => {
    const r = await run(
      "SELECT extract(properties.$current_url, 'acme\\\\.com/([a-z]+)') AS section, count() FROM events WHERE event = '$pageview' GROUP BY section ORDER BY section",
    );
    expect(r.results).toEqual([
      ['', 12],
      ['blog', 4],
      ['docs', 6],
      ['pricing', 7],
    ]);
  });

  it("breaks down by array values with arrayJoin(JSONExtractArrayRaw(... ?? '[]'))", async () => {
    const r = await run(
      "SELECT arrayJoin(JSONExtractArrayRaw(properties.items ?? '[]')) AS item, count() FROM events GROUP BY item ORDER BY item",
    );
    // hat: events 7, 16, 22, 30, 60; scarf: 7, 46; coat: 21, 30; boots: 30, 34 (raw JSON keeps the quotes).
    expect(r.results).toEqual([
      ['"boots"', 2],
      ['"coat"', 2],
      ['"hat"', 5],
      ['"scarf"', 2],
    ]);
  });

  it('filters on an arrayJoin alias', async () => {
    const r = await run("SELECT arrayJoin(properties.items) AS item, count() FROM events WHERE item != 'hat' GROUP BY item ORDER BY item");
    expect(r.results).toEqual([
      ['boots', 2],
      ['coat', 2],
      ['scarf', 2],
    ]);
  });

  it('aggregates pageviews and unique persons per day over the last 7 days', async () => {
    const r = await run(
      "SELECT toStartOfDay(timestamp) AS d, count(), uniq(person_id) FROM events WHERE event = '$pageview' AND timestamp > now() - INTERVAL 7 DAY GROUP BY d ORDER BY d",
    );
    expect(r.results).toEqual([
      ['2026-11-14T00:00:00Z', 3, 2],
      ['2026-11-15T00:00:00Z', 3, 2],
      ['2026-11-16T00:00:00Z', 2, 2],
      ['2026-11-17T00:00:00Z', 4, 3],
      ['2026-11-18T00:00:00Z', 5, 3],
      ['2026-11-19T00:00:00Z', 4, 4],
      ['2026-11-20T00:00:00Z', 8, 5],
    ]);
    expect(r.types).toEqual([
      ['d', "DateTime64(6, 'UTC')"],
      ['count()', 'UInt64'],
      ['uniq(person_id)', 'UInt64'],
    ]);
  });

  it('queries the sessions table', async () => {
    const r = await run(
      'SELECT count() AS sessions, countIf($is_bounce) AS bounces, max($session_duration), min($session_duration), round(avg($session_duration), 2) FROM sessions',
    );
    // 21 sessions; bounces s9 (5 s), s14 (8 s), s19 (9 s); durations sum to 5172 s.
    expect(r.results).toEqual([[21, 3, 1800, 5, 246.29]]);
  });

  it('reads session properties from events through the lazy session join', async () => {
    const r = await run(
      "SELECT session.$entry_current_url AS entry, count() FROM events WHERE event = 'purchase' GROUP BY entry ORDER BY entry",
    );
    expect(r.results).toEqual([
      ['https://acme.com/', 3],
      ['https://acme.com/blog/a', 1],
      ['https://acme.com/docs', 1],
      ['https://acme.com/pricing', 4],
    ]);
  });

  it('joins persons explicitly with table aliases', async () => {
    const r = await run(
      "SELECT p.properties.plan AS plan, sum(e.properties.amount) AS revenue FROM events e JOIN persons p ON e.person_id = p.id WHERE e.event = 'purchase' GROUP BY plan ORDER BY revenue DESC",
    );
    // enterprise: P5 500 + 250; pro: P1 120 + P3 100 + P8 60; free: P2 30 + P9 15; P10 has no plan: 5.
    expect(r.results).toEqual([
      ['enterprise', 750],
      ['pro', 280],
      ['free', 45],
      [null, 5],
    ]);
  });

  it('filters groups with HAVING on an alias', async () => {
    const r = await run('SELECT distinct_id, count() AS c FROM events GROUP BY distinct_id HAVING c >= 6 ORDER BY c DESC, distinct_id');
    expect(r.results).toEqual([
      ['d5', 8],
      ['d2', 7],
      ['anon-10', 6],
      ['d1', 6],
      ['d3', 6],
      ['d8', 6],
      ['d9', 6],
    ]);
  });

  it('runs CTEs and IN / NOT IN subqueries', async () => {
    const buyers = await run("WITH buyers AS (SELECT DISTINCT person_id FROM events WHERE event = 'purchase') SELECT count() FROM buyers");
    expect(buyers.results).toEqual([[7]]);
    const signedUp = await run("SELECT count() FROM persons WHERE id IN (SELECT person_id FROM events WHERE event = 'signed_up')");
    expect(signedUp.results).toEqual([[5]]);
    const notSignedUp = await run("SELECT count() FROM persons WHERE id NOT IN (SELECT person_id FROM events WHERE event = 'signed_up')");
    expect(notSignedUp.results).toEqual([[5]]);
    const inList = await run("SELECT count() FROM events WHERE event IN ('signed_up', 'purchase')");
    expect(inList.results).toEqual([[14]]);
  });

  it('selects from a subquery', async () => {
    const r = await run(
      'SELECT plan, count() AS persons FROM (SELECT properties.plan AS plan FROM persons) WHERE plan IS NOT NULL GROUP BY plan ORDER BY persons DESC, plan',
    );
    expect(r.results).toEqual([
      ['free', 5],
      ['pro', 3],
      ['enterprise', 1],
    ]);
  });

  it('computes quantiles, medians, sums and averages', async () => {
    const r = await run(
      "SELECT quantile(0.9)(properties.amount), median(properties.amount), sum(properties.amount), avg(properties.amount) FROM events WHERE event = 'purchase'",
    );
    // Sorted amounts: 5 15 24.5 30 60 75.5 120 250 500; p90 interpolates 250 -> 500 at 0.2.
    expect(r.results).toEqual([[300, 60, 1080, 120]]);
  });

  it('truncates to weeks (Sunday start) and months', async () => {
    const weeks = await run('SELECT toStartOfWeek(timestamp) AS w, count() FROM events GROUP BY w ORDER BY w');
    // Saturday the 14th belongs to the week of Sunday the 8th.
    expect(weeks.results).toEqual([
      ['2026-11-08', 7],
      ['2026-11-15', 53],
    ]);
    expect(weeks.types[0]).toEqual(['w', 'Date']);
    const months = await run('SELECT toStartOfMonth(timestamp) AS m, count() FROM events GROUP BY m');
    expect(months.results).toEqual([['2026-11-01', 60]]);
  });

  it('evaluates date functions against the fixed now', async () => {
    expect((await run("SELECT dateDiff('day', min(timestamp), max(timestamp)) FROM events")).results).toEqual([[6]]);
    expect((await run('SELECT count() FROM events WHERE toDate(timestamp) = today()')).results).toEqual([[16]]);
    expect((await run('SELECT count() FROM events WHERE toDate(timestamp) = yesterday()')).results).toEqual([[10]]);
    expect((await run('SELECT count() FROM events WHERE timestamp > now() - INTERVAL 1 DAY')).results).toEqual([[18]]);
    expect((await run('SELECT now(), today()')).results).toEqual([['2026-11-20T12:00:00Z', '2026-11-20']]);
  });

  it('matches with LIKE, ILIKE and NOT LIKE', async () => {
    const r = await run(
      "SELECT countIf(properties.$current_url LIKE '%/blog%'), countIf(properties.$current_url ILIKE '%PRICING%'), countIf(event = '$pageview' AND properties.$current_url NOT LIKE '%/docs%') FROM events",
    );
    expect(r.results).toEqual([[4, 7, 23]]);
  });

  it('handles ifNull and coalesce over missing person properties', async () => {
    const r = await run("SELECT ifNull(person.properties.plan, 'none') AS plan, uniq(person_id) FROM events GROUP BY plan ORDER BY plan");
    expect(r.results).toEqual([
      ['enterprise', 1],
      ['free', 5],
      ['none', 1],
      ['pro', 3],
    ]);
  });

  it('converts time zones and formats dates', async () => {
    const r = await run(
      `SELECT toTimeZone(timestamp, 'America/New_York') AS ny, formatDateTime(timestamp, '%Y-%m-%d %H:%i') AS f, toDate(timestamp), timestamp FROM events WHERE uuid = '${eventUuid(1)}'`,
    );
    expect(r.results).toEqual([['2026-11-14T04:00:00-05:00', '2026-11-14 09:00', '2026-11-14', '2026-11-14T09:00:00Z']]);
    expect(r.types[0]).toEqual(['ny', "DateTime64(6, 'America/New_York')"]);
  });

  it('groups by day in the team time zone', async () => {
    const r = await run("SELECT toStartOfDay(timestamp) AS d, count() FROM events WHERE event = '$pageview' GROUP BY d ORDER BY d", {
      timezone: 'Asia/Tokyo',
    });
    // +9 h moves pageviews at or after 15:00 UTC (events 15, 23, 40, 41) to the next local day.
    expect(r.results).toEqual([
      ['2026-11-14T00:00:00+09:00', 3],
      ['2026-11-15T00:00:00+09:00', 3],
      ['2026-11-16T00:00:00+09:00', 1],
      ['2026-11-17T00:00:00+09:00', 5],
      ['2026-11-18T00:00:00+09:00', 3],
      ['2026-11-19T00:00:00+09:00', 5],
      ['2026-11-20T00:00:00+09:00', 9],
    ]);
    expect((await run('SELECT now()', { timezone: 'Asia/Tokyo' })).results).toEqual([['2026-11-20T21:00:00+09:00']]);
  });

  it('supports window functions', async () => {
    const r = await run(
      "SELECT event, row_number() OVER (PARTITION BY distinct_id ORDER BY timestamp) AS rn FROM events WHERE distinct_id = 'd1' ORDER BY rn",
    );
    expect(r.results).toEqual([
      ['$identify', 1],
      ['signed_up', 2],
      ['$pageview', 3],
      ['purchase', 4],
      ['$pageview', 5],
      ['$pageleave', 6],
    ]);
  });

  it('runs parametric aggregates over a window', async () => {
    const r = await run(
      "SELECT properties.amount, quantile(0.9)(properties.amount) OVER (PARTITION BY distinct_id) AS p90 FROM events WHERE event = 'purchase' AND distinct_id = 'd5' ORDER BY timestamp",
    );
    // d5 bought for 500 (17th) and 250 (20th): the interpolated 0.9 quantile is 250 + 0.9 * 250 = 475.
    expect(r.results).toEqual([
      [500, 475],
      [250, 475],
    ]);
    expect(r.types[1]).toEqual(['p90', 'Nullable(Float64)']);
  });

  it('returns ClickHouse-typed scalars', async () => {
    const r = await run("SELECT 1 = 1, 5 / 2, 'a' || 'b', [1, 2], (1, 'x'), NULL, arrayMap(x -> x * 2, [1, 2, 3])");
    expect(r.results).toEqual([[1, 2.5, 'ab', [1, 2], [1, 'x'], null, [2, 4, 6]]]);
    expect(r.types.map((t) => t[1])).toEqual([
      'UInt8',
      'Float64',
      'String',
      'Array(UInt8)',
      'Tuple(UInt8, String)',
      'Nullable(Nothing)',
      'Array(UInt64)',
    ]);
    expect(r.columns).toEqual([
      'equals(1, 1)',
      'divide(5, 2)',
      "concat('a', 'b')",
      '[1, 2]',
      "tuple(1, 'x')",
      'NULL',
      'arrayMap(x -> multiply(x, 2), [1, 2, 3])',
    ]);
  });

  it('unions selects', async () => {
    const r = await run("SELECT 'persons' AS t, count() AS n FROM persons UNION ALL SELECT 'sessions', count() FROM sessions");
    expect(r.results).toEqual([
      ['persons', 10],
      ['sessions', 21],
    ]);
    expect(r.hasMore).toBeNull();
  });
});

describe('limits and paging', () => {
  it('applies the default limit of 100 and reports hasMore', async () => {
    const r = await run('SELECT uuid FROM events');
    expect(r.results).toHaveLength(60);
    expect(r).toMatchObject({ hasMore: false, limit: 100, offset: 0 });
    expect(r.hogql).toBe('SELECT uuid FROM events LIMIT 101 OFFSET 0');
  });

  it('pages with a smaller limit and says there is more', async () => {
    const r = await run('SELECT uuid FROM events ORDER BY timestamp', { limit: 10 });
    expect(r.results).toHaveLength(10);
    expect(r).toMatchObject({ hasMore: true, limit: 10, offset: 0 });
    expect(r.results[0]).toEqual([eventUuid(1)]);
  });

  it('caps the page size and explicit limits at 50,000', async () => {
    expect((await run('SELECT uuid FROM events', { limit: 1_000_000 })).limit).toBe(50_000);
    const explicit = await run('SELECT uuid FROM events LIMIT 100000');
    expect(explicit.hogql).toBe('SELECT uuid FROM events LIMIT 50000');
    expect(explicit).toMatchObject({ hasMore: null, limit: null, offset: null });
  });

  it('accepts LIMIT with OFFSET', async () => {
    const r = await run('SELECT event FROM events ORDER BY timestamp LIMIT 2 OFFSET 1');
    expect(r.results).toEqual([['$pageview'], ['$autocapture']]);
  });
});

describe('placeholders and literals', () => {
  it('replaces {placeholders} with values', async () => {
    const r = await run('SELECT count() FROM events WHERE event = {name} AND properties.amount >= {min}', {
      values: { name: 'purchase', min: 60 },
    });
    // Purchases of 60, 75.5, 120, 250 and 500.
    expect(r.results).toEqual([[5]]);
    const list = await run('SELECT count() FROM events WHERE event IN {names}', { values: { names: ['signed_up', '$identify'] } });
    expect(list.results).toEqual([[7]]);
  });

  it('names a missing placeholder', async () => {
    const error = await failure('SELECT {nope}', { values: { name: 'x' } });
    expect(error.detail).toContain('{nope}');
  });

  it('keeps injection attempts inside string literals and values', async () => {
    const literal = await run("SELECT count() FROM events WHERE event = 'x''; DROP TABLE events; --'");
    expect(literal.results).toEqual([[0]]);
    const value = await run('SELECT count() FROM events WHERE event = {name}', { values: { name: "purchase' OR '1'='1" } });
    expect(value.results).toEqual([[0]]);
    const quoteInIdentifier = await failure('SELECT `a"; DROP TABLE events; --` FROM events');
    expect(quoteInIdentifier.kind).toBe('unsupported');
    expect((await run('SELECT count() FROM events')).results).toEqual([[60]]);
  });
});

describe('errors', () => {
  it('reports syntax errors with positions', async () => {
    const error = await failure('SELECT event\nFROM events\nWHERE');
    expect(error.kind).toBe('syntax');
    expect(error.detail).toMatch(/no viable alternative/);
    // The input ends at offset 30 (line 3, column 5), where the parser wanted the WHERE condition.
    expect(error.start).toEqual({ line: 3, column: 5, offset: 30 });
  });

  it('names unsupported functions and suggests close matches', async () => {
    expect((await failure('SELECT zzyzx(event) FROM events')).detail).toBe("Unsupported function call 'zzyzx(...)'");
    const typo = await failure('SELECT cuont() FROM events');
    expect(typo.kind).toBe('unsupported');
    expect(typo.detail).toBe("Unsupported function call 'cuont(...)'. Perhaps you meant 'count(...)'?");
  });

  it('names unknown tables and fields', async () => {
    expect((await failure('SELECT * FROM nope')).detail).toBe('Unknown table "nope".');
    expect((await failure('SELECT nope FROM events')).detail).toBe('Unable to resolve field: nope');
  });

  it('checks function arity', async () => {
    expect((await failure("SELECT dateDiff('day', timestamp) FROM events")).detail).toBe(
      "Function 'dateDiff' expects at least 3 arguments, found 2",
    );
  });
});

describe('function gaps', () => {
  it('counts exact distinct values with uniqExact, ignoring NULLs', async () => {
    const r = await run(
      'SELECT uniqExact(person_id), uniqExact(distinct_id), uniqExact(properties.$browser), uniqExact(person.properties.country) FROM events',
    );
    // 10 persons; 11 distinct ids (P1 has d1 and ana-anon); Chrome, Firefox, Safari; US, DE, FR, JP (P7 and P10 have none).
    expect(r.results).toEqual([[10, 11, 3, 4]]);
    expect(r.types.map((t) => t[1])).toEqual(['UInt64', 'UInt64', 'UInt64', 'UInt64']);
    const byEvent = await run('SELECT event, uniqExact(person_id) FROM events GROUP BY event ORDER BY event');
    // $autocapture: everyone but P7; $identify: P1, P8; $pageleave: P1, P2, P4, P6, P9; purchase: P1-3, P5, P8-10;
    // signed_up: P1, P2, P5, P7, P9.
    expect(byEvent.results).toEqual([
      ['$autocapture', 9],
      ['$identify', 2],
      ['$pageleave', 5],
      ['$pageview', 10],
      ['purchase', 7],
      ['signed_up', 5],
    ]);
  });

  it('truncates to the hour with toStartOfHour, in the team time zone', async () => {
    const r = await run(
      'SELECT toStartOfHour(timestamp) AS h, count() FROM events WHERE toDate(timestamp) = today() GROUP BY h ORDER BY h',
    );
    // The 20th: 55-60 at 07:0x, 47-48 at 08:0x, 51-54 at 09:0x, 8-9 at 10:00, 33-34 at 11:0x.
    expect(r.results).toEqual([
      ['2026-11-20T07:00:00Z', 6],
      ['2026-11-20T08:00:00Z', 2],
      ['2026-11-20T09:00:00Z', 4],
      ['2026-11-20T10:00:00Z', 2],
      ['2026-11-20T11:00:00Z', 2],
    ]);
    // India is UTC+05:30: P10's 07:00-07:04 UTC events fall in the local hour starting 12:00.
    const kolkata = await run("SELECT toStartOfHour(timestamp) AS h, count() FROM events WHERE distinct_id = 'anon-10' GROUP BY h", {
      timezone: 'Asia/Kolkata',
    });
    expect(kolkata.results).toEqual([['2026-11-20T12:00:00+05:30', 6]]);
  });

  it('branches with if, taking the else branch when the condition is NULL', async () => {
    const sizes = await run(
      "SELECT if(properties.amount >= 100, 'big', 'small') AS size, count() FROM events WHERE event = 'purchase' GROUP BY size ORDER BY size",
    );
    // 120, 500 and 250 are big; 30, 75.5, 24.5, 60, 15 and 5 are small.
    expect(sizes.results).toEqual([
      ['big', 3],
      ['small', 6],
    ]);
    // US: P1 (9 events), P3 (6), P5 (8). Not US: P2 (7), P4 (4), P6 (5), P8 (6), P9 (6). P7 and P10 have no country:
    // both conditions are NULL for their 9 events, which land in neither sum.
    const us = await run(
      "SELECT sum(if(person.properties.country = 'US', 1, 0)), sum(if(person.properties.country != 'US', 1, 0)) FROM events",
    );
    expect(us.results).toEqual([[23, 28]]);
  });

  it('changes case with lower and upper, keeping NULL', async () => {
    const browsers = await run('SELECT lower(properties.$browser) AS b, count() FROM events GROUP BY b ORDER BY b');
    expect(browsers.results).toEqual([
      ['chrome', 33],
      ['firefox', 10],
      ['safari', 17],
    ]);
    const plans = await run('SELECT upper(person.properties.plan) AS plan, uniqExact(person_id) FROM events GROUP BY plan ORDER BY plan');
    expect(plans.results).toEqual([
      ['ENTERPRISE', 1],
      ['FREE', 5],
      ['PRO', 3],
      [null, 1],
    ]);
    // acme.com persons: P1 (9 events), P3 (6), P5 (8), P8 (6).
    const acme = await run("SELECT countIf(upper(person.properties.email) LIKE '%@ACME.COM'), upper('MiXeD'), lower('MiXeD') FROM events");
    expect(acme.results).toEqual([[29, 'MIXED', 'mixed']]);
  });

  it('converts JSON properties with toInt and toFloat: whole numbers only for toInt, NULL when unparseable', async () => {
    const r = await run(
      "SELECT sum(toInt(properties.amount)), countIf(toInt(properties.amount) IS NULL), sum(toFloat(properties.amount)), countIf(toFloat(properties.$browser) IS NULL) FROM events WHERE event = 'purchase'",
    );
    // 75.5 and 24.5 are not integers: toInt gives NULL; the other seven sum to 980. toFloat keeps all nine (1080).
    expect(r.results).toEqual([[980, 2, 1080, 9]]);
    const types = await run("SELECT toInt(properties.amount), toFloat(properties.amount) FROM events WHERE uuid = '" + eventUuid(7) + "'");
    expect(types.results).toEqual([[120, 120]]);
    expect(types.types.map((t) => t[1])).toEqual(['Nullable(Int64)', 'Nullable(Float64)']);
  });

  it('casts JSON properties with ::', async () => {
    const r = await run(
      "SELECT sum(properties.amount::float), sum(properties.amount::int), countIf(properties.amount::float > 100) FROM events WHERE event = 'purchase'",
    );
    expect(r.results).toEqual([[1080, 980, 3]]);
    const text = await run(
      "SELECT properties.amount::string AS a FROM events WHERE event = 'purchase' AND properties.amount::float < 25 ORDER BY properties.amount::float",
    );
    // 5, 15 and 24.5, as the strings PostHog stores them.
    expect(text.results).toEqual([['5'], ['15'], ['24.5']]);
    const dates = await run("SELECT count() FROM events WHERE timestamp::date = '2026-11-19'::date");
    // The 19th: events 15, 16, 31, 32, 43-46, 49, 50.
    expect(dates.results).toEqual([[10]]);
  });
});
