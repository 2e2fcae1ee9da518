import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/server.js';
import { FIXED_NOW, call, offsetOf, ph, start } from './helpers.js';

const FLAGS = ph('/api/projects/1001/feature_flags/');

describe('feature flags', () => {
  let emulator: Emulator;
  let now = FIXED_NOW;
  beforeAll(async () => {
    emulator = await start({ clock: () => now });
  });
  afterAll(() => emulator.close());
  beforeEach(() => {
    emulator.reset();
    now = FIXED_NOW;
  });

  it('paginates with a full us.posthog.com next URL whose offset the client must read', async () => {
    const first = await call(emulator, `${FLAGS}?limit=3`);
    expect(first.body.count).toBe(8);
    expect(first.body.results).toHaveLength(3);
    expect(first.body.previous).toBeNull();
    const next = new URL(first.body.next);
    expect(next.origin).toBe('https://us.posthog.com');
    expect(next.pathname).toBe('/api/projects/1001/feature_flags/');
    expect(offsetOf(first.body.next)).toBe(3);

    const keys: string[] = first.body.results.map((f: any) => f.key);
    let page = first;
    while (page.body.next) {
      page = await call(emulator, `${FLAGS}?limit=3&offset=${offsetOf(page.body.next)}`);
      keys.push(...page.body.results.map((f: any) => f.key));
    }
    expect(keys).toHaveLength(8);
    expect(new Set(keys).size).toBe(8);
    expect(keys).not.toContain('legacy-export');
    expect(page.body.previous).toContain('offset=3');
  });

  it('filters by search and active', async () => {
    const search = await call(emulator, `${FLAGS}?search=DARK`);
    expect(search.body.results.map((f: any) => f.key)).toEqual(['dark-mode']);
    const inactive = await call(emulator, `${FLAGS}?active=false`);
    expect(inactive.body.results.every((f: any) => f.active === false)).toBe(true);
    expect(inactive.body.results.map((f: any) => f.key)).toContain('checkout-redesign');
  });

  it('serves a flag with its read-only rollout and experiment links', async () => {
    const dark = emulator.state.flag(1001, 'dark-mode');
    const res = await call(emulator, `${FLAGS}${dark?.id}/`);
    expect(res.body).toMatchObject({ key: 'dark-mode', active: true, rollout_percentage: 100, is_simple_flag: true, version: 1 });
    const onboarding = await call(emulator, `${FLAGS}${emulator.state.flag(1001, 'new-onboarding-flow')?.id}/`);
    expect(onboarding.body.experiment_set).toHaveLength(1);
    expect(onboarding.body.filters.multivariate.variants.map((v: any) => v.key)).toEqual(['control', 'test']);
  });

  it('validates keys on create: required, format, uniqueness', async () => {
    const missing = await call(emulator, FLAGS, { body: { name: 'x' } });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ type: 'validation_error', code: 'required', detail: 'This field is required.', attr: 'key' });

    const bad = await call(emulator, FLAGS, { body: { key: 'has space' } });
    expect(bad.body).toMatchObject({ type: 'validation_error', code: 'invalid_key', attr: 'key' });

    const dup = await call(emulator, FLAGS, { body: { key: 'dark-mode' } });
    expect(dup.body).toEqual({
      type: 'validation_error',
      code: 'unique',
      detail: 'There is already a feature flag with this key.',
      attr: 'key',
    });

    const badFilters = await call(emulator, FLAGS, {
      body: {
        key: 'mv',
        filters: {
          groups: [{ rollout_percentage: 100 }],
          multivariate: {
            variants: [
              { key: 'a', rollout_percentage: 60 },
              { key: 'b', rollout_percentage: 30 },
            ],
          },
        },
      },
    });
    expect(badFilters.status).toBe(400);
    expect(badFilters.body.attr).toBe('filters');
  });

  it('creates, then patches filters and active, bumping version and updated_at on every write', async () => {
    const created = await call(emulator, FLAGS, {
      body: { key: 'new_checkout', name: 'New checkout', filters: { groups: [{ rollout_percentage: 10 }] } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key: 'new_checkout', active: true, version: 1, rollout_percentage: 10, deleted: false });
    expect(created.body.created_by.email).toBe('ana@acme.com');
    const url = `${FLAGS}${created.body.id}/`;

    now = new Date(FIXED_NOW.getTime() + 60_000);
    const filters = { ...created.body.filters, groups: [{ ...created.body.filters.groups[0], rollout_percentage: 50 }] };
    const rolled = await call(emulator, url, { method: 'PATCH', body: { filters } });
    expect(rolled.body).toMatchObject({ version: 2, rollout_percentage: 50 });
    expect(rolled.body.updated_at).not.toBe(created.body.updated_at);

    now = new Date(FIXED_NOW.getTime() + 120_000);
    const off = await call(emulator, url, { method: 'PATCH', body: { active: false } });
    expect(off.body).toMatchObject({ version: 3, active: false, rollout_percentage: 50 });
    expect(off.body.updated_at > rolled.body.updated_at).toBe(true);
    expect(emulator.state.flag(1001, 'new_checkout')?.active).toBe(false);

    // A PATCH with filters but no groups keeps the current filters (PostHog quirk).
    const kept = await call(emulator, url, { method: 'PATCH', body: { filters: { payloads: {} } } });
    expect(kept.body.rollout_percentage).toBe(50);
  });

  it('leaves a flag untouched when a PATCH fails validation', async () => {
    const flag = emulator.state.flag(1001, 'dark-mode');
    const res = await call(emulator, `${FLAGS}${flag?.id}/`, { method: 'PATCH', body: { active: false, key: 'beta-dashboard' } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('unique');
    expect(flag).toMatchObject({ active: true, version: 1 });
  });

  it('refuses hard delete with 405 and soft-deletes through PATCH', async () => {
    const flag = emulator.state.flag(1001, 'checkout-redesign');
    const url = `${FLAGS}${flag?.id}/`;
    const hard = await call(emulator, url, { method: 'DELETE' });
    expect(hard.status).toBe(405);
    expect(hard.body).toMatchObject({ type: 'invalid_request', code: 'method_not_allowed' });
    expect(hard.body.detail).toContain('"deleted"');

    const soft = await call(emulator, url, { method: 'PATCH', body: { deleted: true } });
    expect(soft.status).toBe(200);
    expect(soft.body.deleted).toBe(true);
    // Like PostHog, only the list hides soft-deleted flags: retrieve and PATCH still work (that is how a delete is undone).
    const fetched = await call(emulator, url);
    expect(fetched.status).toBe(200);
    expect(fetched.body.deleted).toBe(true);
    const list = await call(emulator, `${FLAGS}?limit=100`);
    expect(list.body.results.map((f: any) => f.key)).not.toContain('checkout-redesign');
    // Its key is free again.
    expect((await call(emulator, FLAGS, { body: { key: 'checkout-redesign' } })).status).toBe(201);
  });

  it('will not soft-delete a flag a running experiment uses', async () => {
    const flag = emulator.state.flag(1001, 'new-onboarding-flow');
    const res = await call(emulator, `${FLAGS}${flag?.id}/`, { method: 'PATCH', body: { deleted: true } });
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain('linked to running experiment(s)');
  });

  it('answers a malformed JSON body with a PostHog parse_error', async () => {
    const res = await call(emulator, FLAGS, { raw: '{"key": ', headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ type: 'invalid_request', code: 'parse_error', attr: null });
  });

  it('rejects a body that is not an object', async () => {
    const res = await call(emulator, FLAGS, { body: ['dark-mode'] });
    expect(res.status).toBe(400);
    expect(res.body.attr).toBe('non_field_errors');
  });

  it('keeps each project to its own flags', async () => {
    const mobile = await call(emulator, ph('/api/projects/1002/feature_flags/'));
    expect(mobile.body.results.map((f: any) => f.key).sort()).toEqual(['mobile-push-v2', 'offline-mode']);
    const wrongProject = await call(emulator, ph(`/api/projects/1002/feature_flags/${emulator.state.flag(1001, 'dark-mode')?.id}/`));
    expect(wrongProject.status).toBe(404);
  });
});
