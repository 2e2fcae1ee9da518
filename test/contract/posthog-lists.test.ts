/**
 * Contract: which PostHog lists can search, read from PostHog's source, checked against the emulator over HTTP.
 * - posthog/api/dashboards/dashboard.py, DashboardsViewSet.safely_get_queryset: filters on tags and exclude_generated;
 *   no `search`, so `?search=` is ignored and every dashboard comes back.
 * - posthog/api/action.py, ActionViewSet (posthog.com/docs/api/actions: `format`, `limit`, `offset` only): `?search=`
 *   is ignored.
 * - products/experiments/backend (ExperimentViewSet.safely_get_queryset, `name__icontains=search`): experiment search
 *   matches the name only, not the flag key or description.
 * - posthog/api/feature_flag.py, FeatureFlagViewSet: flag search matches key or name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/server.js';
import { call, ph, start } from '../emulator/helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await start();
});
afterAll(async () => {
  await emulator?.close();
});

const names = (body: { results: Array<{ name?: string; key?: string }> }) => body.results.map((r) => r.name ?? r.key);

describe('PostHog list search (emulator mirrors PostHog)', () => {
  it('dashboards: DashboardsViewSet has no search filter, so ?search= returns every dashboard', async () => {
    const all = await call(emulator, ph('/api/projects/1001/dashboards/'));
    const searched = await call(emulator, ph('/api/projects/1001/dashboards/?search=growth'));
    expect(searched.status).toBe(200);
    expect(searched.body.count).toBe(all.body.count);
    expect(names(searched.body)).toContain('Marketing');
  });

  it('actions: ActionViewSet takes format, limit and offset only, so ?search= returns every action', async () => {
    const all = await call(emulator, ph('/api/projects/1001/actions/'));
    const searched = await call(emulator, ph('/api/projects/1001/actions/?search=purchase'));
    expect(searched.body.count).toBe(all.body.count);
    expect(names(searched.body)).toContain('Signed up');
  });

  it('experiments: search matches the name (name__icontains), not the feature flag key', async () => {
    const byName = await call(emulator, ph('/api/projects/1001/experiments/?search=onboarding'));
    expect(names(byName.body)).toEqual(['New onboarding flow']);
    const byKey = await call(emulator, ph('/api/projects/1001/experiments/?search=new-onboarding-flow'));
    expect(byKey.body.results).toEqual([]);
  });

  it('feature flags: search matches key or name', async () => {
    const byKey = await call(emulator, ph('/api/projects/1001/feature_flags/?search=dark-mode'));
    expect(names(byKey.body)).toContain('Dark mode for the web app');
  });
});
