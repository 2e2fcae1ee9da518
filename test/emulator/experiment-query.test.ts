import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoEvent } from '../../src/emulator/dataset-types.js';
import type { Emulator } from '../../src/emulator/server.js';
import { call, FIXED_NOW, ph, start } from './helpers.js';

const QUERY = ph('/api/projects/1001/query/');

let emulator: Emulator;
beforeAll(async () => {
  emulator = await start();
});
afterAll(() => emulator.close());

const experiment = (id: number) => emulator.state.project(1001)!.experiments.find((e) => e.id === id)!;
const primaryMetric = (id: number) => (experiment(id).metrics as unknown[])[0];
const funnel = (...events: string[]) => ({
  kind: 'ExperimentMetric',
  metric_type: 'funnel',
  series: events.map((event) => ({ kind: 'EventsNode', event })),
});

function ask(experimentId: number | undefined, metric: unknown) {
  return call(emulator, QUERY, { body: { query: { kind: 'ExperimentQuery', metric, experiment_id: experimentId }, refresh: 'blocking' } });
}

/**
 * Per variant, counted straight from the events: each person's events in time order; exposed at their first
 * `$feature_flag_called` for the flag inside [start, end]; `value` reads their events from that moment on.
 */
function expected(experimentId: number, value: (after: DemoEvent[]) => number, endOverride?: Date) {
  const e = experiment(experimentId);
  const start = Date.parse(e.start_date!);
  const end = endOverride?.getTime() ?? (e.end_date ? Date.parse(e.end_date) : FIXED_NOW.getTime());
  const inWindow = emulator.state.dataset(1001).events.filter((ev) => ev.timestamp.getTime() >= start && ev.timestamp.getTime() <= end);
  const byPerson = new Map<string, DemoEvent[]>();
  for (const ev of inWindow) byPerson.set(ev.personId, [...(byPerson.get(ev.personId) ?? []), ev]);
  const rows = new Map<string, { n: number; sum: number; squares: number }>();
  for (const events of byPerson.values()) {
    const first = events.findIndex((ev) => ev.event === '$feature_flag_called' && ev.properties.$feature_flag === e.feature_flag_key);
    if (first < 0) continue;
    const variant = String(events[first]!.properties.$feature_flag_response);
    const v = value(events.slice(first));
    const row = rows.get(variant) ?? { n: 0, sum: 0, squares: 0 };
    rows.set(variant, { n: row.n + 1, sum: row.sum + v, squares: row.squares + v * v });
  }
  return rows;
}

/** 1 when `steps` occur in order (not necessarily adjacent) among `events`. */
const didInOrder = (steps: string[]) => (events: DemoEvent[]) => {
  let i = 0;
  for (const ev of events) if (ev.event === steps[i]) i++;
  return i >= steps.length ? 1 : 0;
};

/** P(X < c * Y) for independent X ~ Beta(ax, bx), Y ~ Beta(ay, by), by numerical integration over a fine grid. */
function betaProbability(x: [number, number], y: [number, number], c: number): number {
  const N = 4000;
  const grid = Array.from({ length: N }, (_, i) => (i + 0.5) / N);
  const density = ([a, b]: [number, number]) => {
    const logs = grid.map((p) => (a - 1) * Math.log(p) + (b - 1) * Math.log(1 - p));
    const top = Math.max(...logs);
    const raw = logs.map((l) => Math.exp(l - top));
    const total = raw.reduce((s, r) => s + r, 0);
    return raw.map((r) => r / total);
  };
  const fx = density(x);
  const cdfX = (t: number) => fx.reduce((s, f, i) => (grid[i]! < t ? s + f : s), 0);
  return density(y).reduce((s, f, i) => s + f * cdfX(c * grid[i]!), 0);
}

describe('ExperimentQuery', () => {
  it('answers a running funnel experiment with PostHog’s Bayesian result over the emulator’s events', async () => {
    const res = await ask(20001, primaryMetric(20001));
    expect(res.status).toBe(200);
    const counts = expected(20001, didInOrder(['$pageview', 'purchase']));
    const control = counts.get('control')!;
    const test = counts.get('test')!;
    expect(res.body.baseline).toEqual({
      key: 'control',
      number_of_samples: control.n,
      sum: control.sum,
      sum_squares: control.sum,
      validation_failures: [],
    });
    expect(res.body.variant_results).toHaveLength(1);
    const [result] = res.body.variant_results;
    expect(result).toMatchObject({
      key: 'test',
      method: 'bayesian',
      number_of_samples: test.n,
      sum: test.sum,
      sum_squares: test.sum,
      validation_failures: [],
    });

    // Beta(1 + conversions, 1 + failures) posteriors: chance that test beats control, and the 95% interval of the lift.
    const post = (r: { n: number; sum: number }): [number, number] => [1 + r.sum, 1 + r.n - r.sum];
    expect(result.chance_to_win).toBeCloseTo(1 - betaProbability(post(test), post(control), 1), 1);
    const [lo, hi] = result.credible_interval;
    expect(betaProbability(post(test), post(control), 1 + lo)).toBeCloseTo(0.025, 1);
    expect(betaProbability(post(test), post(control), 1 + hi)).toBeCloseTo(0.975, 1);
    expect(result.significant).toBe(result.chance_to_win > 0.95 || result.chance_to_win < 0.05);

    // Same counts, same answer.
    expect((await ask(20001, primaryMetric(20001))).body.variant_results).toEqual(res.body.variant_results);
  });

  it('counts a stopped experiment inside its window, steps in order', async () => {
    const res = await ask(20003, funnel('$pageview', 'signed_up'));
    const counts = expected(20003, didInOrder(['$pageview', 'signed_up']));
    const rows = [res.body.baseline, ...res.body.variant_results].map((r: any) => [r.key, r.number_of_samples, r.sum]);
    expect(rows).toEqual(['control', 'test'].map((k) => [k, counts.get(k)!.n, counts.get(k)!.sum]));
    expect(rows.every(([, n]) => (n as number) >= 50)).toBe(true);
    // Exposed persons kept converting after end_date; counting to now would give other numbers.
    const unbounded = expected(20003, didInOrder(['$pageview', 'signed_up']), FIXED_NOW);
    expect(['control', 'test'].map((k) => unbounded.get(k)!.sum)).not.toEqual(['control', 'test'].map((k) => counts.get(k)!.sum));
  });

  it('sums a mean metric per person, with sum_squares', async () => {
    const metric = {
      kind: 'ExperimentMetric',
      metric_type: 'mean',
      source: { kind: 'EventsNode', event: 'purchase', math: 'sum', math_property: 'amount' },
    };
    const res = await ask(20001, metric);
    expect(res.status).toBe(200);
    const counts = expected(20001, (after) =>
      after.filter((ev) => ev.event === 'purchase').reduce((s, ev) => s + Number(ev.properties.amount), 0),
    );
    for (const r of [res.body.baseline, ...res.body.variant_results]) {
      const want = counts.get(r.key)!;
      expect([r.number_of_samples, r.sum, r.sum_squares]).toEqual([want.n, want.sum, want.squares]);
    }
    const [test] = res.body.variant_results;
    expect(test.credible_interval[0]).toBeLessThan(test.credible_interval[1]);
    expect(test.chance_to_win).toBeGreaterThan(0);
    expect(test.chance_to_win).toBeLessThan(1);
  });

  it('reports PostHog’s validation failures instead of statistics when there is too little data', async () => {
    const metric = { ...funnel('purchase'), conversion_window: 1, conversion_window_unit: 'second' };
    const res = await ask(20001, metric);
    expect(res.status).toBe(200);
    expect(res.body.baseline.validation_failures).toEqual(['not-enough-metric-data', 'baseline-mean-is-zero']);
    expect(res.body.variant_results[0]).toMatchObject({ chance_to_win: null, credible_interval: null, significant: null });
    expect(res.body.variant_results[0].validation_failures).toContain('not-enough-metric-data');
  });

  it('answers drafts, unknown experiments and unsupported metrics with PostHog validation errors', async () => {
    const draft = await ask(20002, primaryMetric(20002));
    expect(draft.status).toBe(400);
    expect(draft.body).toMatchObject({ type: 'validation_error', code: 'invalid_input', attr: null });
    expect(draft.body.detail).toContain('not started');

    expect((await ask(99999, funnel('purchase'))).body.detail).toBe('Experiment with id 99999 not found');
    expect((await ask(undefined, funnel('purchase'))).body.detail).toBe('experiment_id is required');
    const ratio = await ask(20001, { kind: 'ExperimentMetric', metric_type: 'ratio' });
    expect(ratio.status).toBe(400);
    expect(ratio.body.detail).toContain('does not support ratio metrics');
    const malformed = await ask(20001, { metric_type: 'funnel' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('parse_error');
  });
});
