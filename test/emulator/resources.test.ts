import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { QueryEngine } from '../../src/emulator/query-engine.js';
import type { Emulator } from '../../src/emulator/server.js';
import { call, ph, start } from './helpers.js';

const P = (path: string) => ph(`/api/projects/1001${path}`);

describe('dashboards, insights, cohorts, actions, annotations, surveys', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await start();
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  it('lists dashboards pinned first and shows tiles on the detail', async () => {
    const list = await call(emulator, P('/dashboards/'));
    expect(list.body.results[0]).toMatchObject({ name: 'Product overview', pinned: true });
    expect(list.body.results.map((d: any) => d.name)).not.toContain('Old KPIs');
    const detail = await call(emulator, P(`/dashboards/${list.body.results[0].id}/`));
    expect(detail.body.tiles.map((t: any) => t.insight.name)).toEqual(['Daily active users', 'Pageviews by browser', 'Signup funnel']);
    expect(detail.body.tiles[0].insight.query.source.kind).toBe('TrendsQuery');
  });

  it('creates a dashboard and an insight on it, then soft-deletes the dashboard', async () => {
    const dashboard = await call(emulator, P('/dashboards/'), { body: { name: 'Launch', description: 'Launch week' } });
    expect(dashboard.status).toBe(201);
    const insight = await call(emulator, P('/insights/'), {
      body: {
        name: 'Signups',
        query: { kind: 'InsightVizNode', source: { kind: 'TrendsQuery', series: [{ kind: 'EventsNode', event: 'signed_up' }] } },
        dashboards: [dashboard.body.id],
      },
    });
    expect(insight.status).toBe(201);
    expect(insight.body.short_id).toMatch(/^[A-Za-z0-9]{8}$/);
    expect((await call(emulator, P(`/insights/?short_id=${insight.body.short_id}`))).body.results[0].id).toBe(insight.body.id);
    expect((await call(emulator, P(`/dashboards/${dashboard.body.id}/`))).body.tiles).toHaveLength(1);

    expect((await call(emulator, P(`/dashboards/${dashboard.body.id}/`), { method: 'DELETE' })).status).toBe(405);
    await call(emulator, P(`/dashboards/${dashboard.body.id}/`), { method: 'PATCH', body: { deleted: true } });
    expect((await call(emulator, P(`/dashboards/${dashboard.body.id}/`))).status).toBe(404);
    expect((await call(emulator, P(`/insights/${insight.body.id}/`))).body.dashboards).toEqual([]);

    const badDashboard = await call(emulator, P('/insights/'), { body: { name: 'x', dashboards: [123] } });
    expect(badDashboard.body).toMatchObject({ attr: 'dashboards', code: 'does_not_exist' });
  });

  it('counts person-property cohorts from the dataset', async () => {
    const cohorts = await call(emulator, P('/cohorts/?search=staff'));
    const staff = cohorts.body.results[0];
    expect(staff.name).toBe('Acme staff');
    expect(staff.count).toBeGreaterThanOrEqual(1);
    expect(staff.count).toBeLessThan(300);
  });

  it('keeps action names unique and soft-deletes actions', async () => {
    const dup = await call(emulator, P('/actions/'), { body: { name: 'Signed up', steps: [{ event: 'signed_up' }] } });
    expect(dup.status).toBe(400);
    expect(dup.body).toMatchObject({ attr: 'name', code: 'unique' });
    const created = await call(emulator, P('/actions/'), {
      body: { name: 'Viewed docs', steps: [{ event: '$pageview', url: '/docs', url_matching: 'contains' }] },
    });
    expect(created.status).toBe(201);
    expect((await call(emulator, P(`/actions/${created.body.id}/`), { method: 'DELETE' })).status).toBe(405);
  });

  it('searches, creates and patches annotations', async () => {
    const search = await call(emulator, P('/annotations/?search=outage'));
    expect(search.body.results.map((a: any) => a.content)).toEqual(['Outage: EU region down for 45 minutes']);
    const created = await call(emulator, P('/annotations/'), { body: { content: 'Shipped v2', date_marker: '2026-03-01T10:00:00Z' } });
    expect(created.body).toMatchObject({ content: 'Shipped v2', scope: 'project', date_marker: '2026-03-01T10:00:00.000000Z' });
    const patched = await call(emulator, P(`/annotations/${created.body.id}/`), { method: 'PATCH', body: { content: 'Shipped v2.0' } });
    expect(patched.body.content).toBe('Shipped v2.0');
    const badDate = await call(emulator, P('/annotations/'), { body: { content: 'x', date_marker: 'yesterday' } });
    expect(badDate.body.attr).toBe('date_marker');
    const badScope = await call(emulator, P('/annotations/'), { body: { content: 'x', scope: 'galaxy' } });
    expect(badScope.body.code).toBe('invalid_choice');
  });

  it('creates surveys with validation and hard-deletes them', async () => {
    const missingType = await call(emulator, P('/surveys/'), { body: { name: 'CSAT', questions: [] } });
    expect(missingType.body).toMatchObject({ attr: 'type', code: 'required' });
    const created = await call(emulator, P('/surveys/'), {
      body: { name: 'CSAT', type: 'popover', questions: [{ type: 'rating', question: 'How did we do?', scale: 5 }] },
    });
    expect(created.status).toBe(201);
    expect(created.body.questions[0].id).toEqual(expect.any(String));
    expect((await call(emulator, P('/surveys/'), { body: { name: 'CSAT', type: 'api', questions: [] } })).body.code).toBe('unique');
    expect((await call(emulator, P(`/surveys/${created.body.id}/`), { method: 'DELETE' })).status).toBe(204);
    expect((await call(emulator, P(`/surveys/${created.body.id}/`))).status).toBe(404);
  });
});

describe('experiments', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await start();
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  it('lists running and draft experiments with their flags', async () => {
    const list = await call(emulator, P('/experiments/'));
    const byKey = Object.fromEntries(list.body.results.map((e: any) => [e.feature_flag_key, e]));
    expect(byKey['new-onboarding-flow']).toMatchObject({
      name: 'New onboarding flow',
      end_date: null,
      feature_flag: { key: 'new-onboarding-flow', active: true },
    });
    expect(byKey['new-onboarding-flow'].start_date).toEqual(expect.any(String));
    expect(byKey['pricing-page-v2']).toMatchObject({ start_date: null, feature_flag: { active: false } });
    expect(byKey['pricing-page-v2'].parameters.feature_flag_variants.map((v: any) => v.key)).toEqual(['control', 'test', 'test-2']);
  });

  it('creates a draft with a new flag, launches it, and keeps its flag key immutable', async () => {
    const created = await call(emulator, P('/experiments/'), { body: { name: 'Bigger buttons', feature_flag_key: 'bigger-buttons' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ start_date: null, feature_flag: { key: 'bigger-buttons', active: false } });
    expect(emulator.state.flag(1001, 'bigger-buttons')?.filters.multivariate).toBeTruthy();

    const url = P(`/experiments/${created.body.id}/`);
    const launched = await call(emulator, url, { method: 'PATCH', body: { start_date: '2026-03-02T12:00:00Z' } });
    expect(launched.body.feature_flag.active).toBe(true);
    expect(emulator.state.flag(1001, 'bigger-buttons')?.version).toBe(2);

    const rekey = await call(emulator, url, { method: 'PATCH', body: { feature_flag_key: 'other' } });
    expect(rekey.status).toBe(400);
    expect((await call(emulator, url, { method: 'DELETE' })).status).toBe(405);
  });

  it('refuses a boolean flag and variants that do not sum to 100', async () => {
    const boolean = await call(emulator, P('/experiments/'), { body: { name: 'x', feature_flag_key: 'dark-mode' } });
    expect(boolean.status).toBe(400);
    const sum = await call(emulator, P('/experiments/'), {
      body: {
        name: 'y',
        feature_flag_key: 'y-flag',
        parameters: {
          feature_flag_variants: [
            { key: 'control', rollout_percentage: 50 },
            { key: 'test', rollout_percentage: 40 },
          ],
        },
      },
    });
    expect(sum.body.attr).toBe('parameters');
  });
});

describe('definitions and query', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await start();
  });
  afterAll(() => emulator.close());

  it('derives event and property definitions from the dataset', async () => {
    const events = await call(emulator, P('/event_definitions/?limit=100'));
    const names = events.body.results.map((e: any) => e.name);
    expect(names).toEqual(expect.arrayContaining(['$pageview', '$autocapture', 'signed_up', 'purchase', '$feature_flag_called']));
    expect((await call(emulator, P('/event_definitions/?search=purch'))).body.results.map((e: any) => e.name)).toEqual(['purchase']);

    const amount = await call(
      emulator,
      P(`/property_definitions/?type=event&search=amount&event_names=${encodeURIComponent('["purchase"]')}`),
    );
    expect(amount.body.results[0]).toMatchObject({
      name: 'amount',
      is_numerical: true,
      property_type: 'Numeric',
      is_seen_on_filtered_events: true,
    });
    const person = await call(emulator, P('/property_definitions/?type=person&search=email'));
    expect(person.body.results.map((p: any) => p.name)).toContain('email');
  });

  it('answers /query/ with a PostHog validation error when queries are switched off', async () => {
    const withoutEngine = await start({ queryEngine: false });
    try {
      const res = await call(withoutEngine, P('/query/'), { body: { query: { kind: 'HogQLQuery', query: 'select 1' } } });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        type: 'validation_error',
        code: 'invalid_input',
        detail: 'HogQL queries are not available in this emulator yet',
        attr: null,
      });
    } finally {
      await withoutEngine.close();
    }
  });

  it('hands /query/ to the engine with the project dataset', async () => {
    const seen: unknown[] = [];
    const engine: QueryEngine = {
      async run(projectId, body, ctx) {
        seen.push(projectId, body, ctx.timezone, ctx.connectionId);
        return { status: 200, body: { results: [[ctx.dataset.events.length]], columns: ['count()'] } };
      },
    };
    const withEngine = await start({ queryEngine: engine });
    try {
      const res = await call(withEngine, ph('/api/environments/@current/query/'), {
        body: { query: { kind: 'HogQLQuery', query: 'select count() from events' } },
      });
      expect(res.status).toBe(200);
      expect(res.body.results[0][0]).toBe(20_000);
      expect(seen).toEqual([1001, { query: { kind: 'HogQLQuery', query: 'select count() from events' } }, 'UTC', 'conn_acme']);
      expect((await call(withEngine, ph('/api/projects/1001/query/abc/'))).status).toBe(404);
    } finally {
      await withEngine.close();
    }
  });
});
