import { describe, expect, it } from 'vitest';
import { cohortFilters, describeCohortFilters } from '../../src/cohorts/criteria.js';
import { trendsChartInput } from '../../src/insights/chart.js';
import { trendsDefinition, trendSummaries } from '../../src/insights/trends.js';
import { quoteArg } from '../../src/lookups/named.js';
import { tokenize } from '../../src/registry/tokenize.js';

describe('quoteArg', () => {
  it('gives one token that reads back unchanged, whatever the text', () => {
    for (const text of ['growth', 'paging board', 'say "hi"', `it's "quoted"`, '--offset', '$pageview', 'a’b “c”']) {
      const tokens = tokenize(quoteArg(text));
      expect(tokens).toHaveLength(1);
      if (!(text.includes('"') && text.includes("'"))) expect(tokens[0]!.value).toBe(text);
    }
  });
});

describe('cohort criteria', () => {
  it('reads nested trees, negation and counts as a sentence', () => {
    const tree = {
      properties: {
        type: 'OR',
        values: [
          {
            type: 'AND',
            values: [
              { key: 'email', type: 'person', value: 'acme.com', operator: 'icontains' },
              { key: 'plan', type: 'person', value: ['pro', 'enterprise'], operator: 'exact' },
            ],
          },
          {
            type: 'AND',
            values: [
              {
                key: 'purchase',
                type: 'behavioral',
                value: 'performed_event_multiple',
                operator: 'gte',
                operator_value: 3,
                time_value: 2,
                time_interval: 'week',
                negation: true,
              },
            ],
          },
        ],
      },
    };
    expect(describeCohortFilters(tree)).toBe(
      '(email contains “acme.com” and plan is one of “pro”, “enterprise”) or not performed “purchase” at least 3 times in the last 2 weeks',
    );
    expect(describeCohortFilters(null)).toBeNull();
  });

  it('builds the filters PostHog stores for the form’s condition', () => {
    expect(cohortFilters({ kind: 'property', key: 'age', operator: 'gt', value: '30' })).toEqual({
      properties: {
        type: 'OR',
        values: [{ type: 'AND', values: [{ key: 'age', type: 'person', operator: 'gt', value: 30, negation: false }] }],
      },
    });
  });
});

describe('trends for charts', () => {
  const source = {
    kind: 'TrendsQuery' as const,
    series: [{ kind: 'EventsNode', event: '$pageview', math: 'dau' }],
    interval: 'day',
    dateRange: { date_from: '-14d' },
    breakdownFilter: { breakdown: 'utm.source' },
  };
  const result = [
    {
      label: '$pageview',
      count: 5,
      data: [2, 3],
      days: ['2026-03-01', '2026-03-02'],
      breakdown_value: 'google',
      action: { name: '$pageview' },
    },
    {
      label: '$pageview',
      count: 1,
      data: [1, null],
      days: ['2026-03-01', '2026-03-02'],
      breakdown_value: '$$_posthog_breakdown_null_$$',
      action: { name: '$pageview' },
    },
  ];

  it('labels breakdown series, and PostHog’s "none" marker', () => {
    expect(trendSummaries(result).map((s) => [s.label, s.total, s.latest])).toEqual([
      ['google', 5, 3],
      ['(none)', 1, 0],
    ]);
    expect(trendSummaries({ not: 'a trend' })).toEqual([]);
    expect(trendsDefinition(source)).toBe('$pageview · Unique users · daily · last 14 days · by utm.source');
  });

  it('draws lines per series, with field names Vega-Lite will not read as paths', () => {
    const input = trendsChartInput({ name: 'DAU', source, series: trendSummaries(result) });
    expect(input).toMatchObject({ kind: 'line', x: 'Date', y: 'Unique users', series: 'utm source', title: 'DAU' });
    expect(input.rows).toContainEqual({ Date: '2026-03-02', 'Unique users': 3, 'utm source': 'google' });
    const single = trendsChartInput({
      name: 'Today',
      source,
      series: trendSummaries(result).map((s) => ({ ...s, data: [s.total], days: ['2026-03-02'] })),
    });
    expect(single).toMatchObject({ kind: 'bar', x: 'Series' });
  });
});
