import { describe, expect, it } from 'vitest';
import type { DemoDataset, DemoEvent } from '../../src/emulator/dataset-types.js';
import { ReplyError } from '../../src/emulator/http.js';
import { BREAKDOWN_NULL, computeTrends } from '../../src/emulator/resources/trends.js';

/** Midday in UTC is 04:00 in Los Angeles (PST, no DST in February): day buckets must follow the project's zone. */
const NOW = new Date('2026-02-10T12:00:00Z');
const opts = { now: NOW, timezone: 'America/Los_Angeles' };

let n = 0;
const event = (name: string, personId: string, at: string, properties: Record<string, unknown> = {}): DemoEvent => ({
  uuid: `e${(n += 1)}`,
  event: name,
  distinctId: personId,
  personId,
  timestamp: new Date(at),
  properties,
  elementsChain: '',
});

const dataset: DemoDataset = {
  persons: [
    { id: 'p1', distinctIds: ['p1'], properties: { plan: 'pro' }, createdAt: new Date('2026-01-01T00:00:00Z'), isIdentified: true },
    { id: 'p2', distinctIds: ['p2'], properties: { plan: 'free' }, createdAt: new Date('2026-01-01T00:00:00Z'), isIdentified: true },
  ],
  events: [
    event('$pageview', 'p1', '2026-02-09T07:59:00Z', { $browser: 'Chrome', $session_id: 's1' }), // Feb 8, 23:59 in LA
    event('$pageview', 'p1', '2026-02-09T08:01:00Z', { $browser: 'Safari', $session_id: 's2' }), // Feb 9, 00:01
    event('$pageview', 'p2', '2026-02-09T09:00:00Z', { $browser: 'Chrome', $session_id: 's3' }), // Feb 9
    event('$pageview', 'p2', '2026-02-10T10:00:00Z', { $session_id: 's4' }), // Feb 10, no browser
    event('purchase', 'p2', '2026-02-10T11:00:00Z', { amount: 40 }),
    event('purchase', 'p1', '2026-02-10T11:30:00Z', { amount: 10 }),
    event('$pageview', 'p1', '2026-01-20T12:00:00Z', { $browser: 'Chrome' }), // before the range
  ],
  sessions: [],
};

const trends = (source: Record<string, unknown>) =>
  computeTrends({ kind: 'TrendsQuery', interval: 'day', dateRange: { date_from: '-2d' }, ...source }, dataset, opts);
const pageviews = (math: string, extra: Record<string, unknown> = {}) =>
  trends({ series: [{ kind: 'EventsNode', event: '$pageview', math }], ...extra });

describe('TrendsQuery over the dataset', () => {
  it('buckets days in the project’s timezone, from the start of the relative day', () => {
    const [series] = pageviews('total');
    expect(series).toMatchObject({ days: ['2026-02-08', '2026-02-09', '2026-02-10'], data: [1, 2, 1], count: 4, label: '$pageview' });
  });

  it('counts unique users, weekly actives (looking back past the range) and sessions', () => {
    expect(pageviews('dau')[0]!.data).toEqual([1, 2, 1]);
    // Feb 8 looks back to Feb 2 and so does not see January; Feb 9 and 10 see both people.
    expect(pageviews('weekly_active')[0]!.data).toEqual([1, 2, 2]);
    expect(pageviews('monthly_active')[0]!.data).toEqual([1, 2, 2]);
    expect(pageviews('unique_session')[0]!.data).toEqual([1, 2, 1]);
  });

  it('sums a numeric property', () => {
    const [series] = trends({ series: [{ kind: 'EventsNode', event: 'purchase', math: 'sum', math_property: 'amount' }] });
    expect(series!.data).toEqual([0, 0, 50]);
  });

  it('breaks down by an event or a person property, largest first, with a marker for "none"', () => {
    const byBrowser = pageviews('total', { breakdownFilter: { breakdown: '$browser', breakdown_type: 'event' } });
    expect(byBrowser.map((s) => [s.breakdown_value, s.data])).toEqual([
      ['Chrome', [1, 1, 0]],
      [BREAKDOWN_NULL, [0, 0, 1]],
      ['Safari', [0, 1, 0]],
    ]);
    const byPlan = pageviews('dau', { breakdownFilter: { breakdown: 'plan', breakdown_type: 'person' } });
    expect(byPlan.map((s) => [s.breakdown_value, s.data])).toEqual([
      ['free', [0, 1, 1]],
      ['pro', [1, 1, 0]],
    ]);
  });

  it('filters series by property, and counts hours', () => {
    const chrome = pageviews('total', { properties: [{ key: '$browser', value: 'Chrome', operator: 'exact', type: 'event' }] });
    expect(chrome[0]!.data).toEqual([1, 1, 0]);
    const hourly = trends({
      series: [{ kind: 'EventsNode', event: 'purchase', math: 'total' }],
      interval: 'hour',
      dateRange: { date_from: '-3h' },
    });
    expect(hourly[0]!.days).toEqual(['2026-02-10 01:00:00', '2026-02-10 02:00:00', '2026-02-10 03:00:00', '2026-02-10 04:00:00']);
    // 11:00Z and 11:30Z are 03:00 and 03:30 in Los Angeles.
    expect(hourly[0]!.data).toEqual([0, 0, 2, 0]);
  });

  it('answers a 400 for what PostHog would reject', () => {
    const reject = (source: Record<string, unknown>) => {
      try {
        trends(source);
      } catch (error) {
        return error instanceof ReplyError ? error.reply.status : 'other';
      }
      return 'accepted';
    };
    expect(reject({ series: [] })).toBe(400);
    expect(reject({ series: [{ kind: 'EventsNode', event: 'x', math: 'p99' }] })).toBe(400);
    expect(reject({ series: [{ kind: 'EventsNode', event: 'x', math: 'sum' }] })).toBe(400);
    expect(reject({ series: [{ kind: 'EventsNode', event: 'x' }], interval: 'fortnight' })).toBe(400);
  });
});
