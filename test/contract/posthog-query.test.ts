/**
 * Contract: PostHog's async query API and error bodies as Hogbot reads them, checked against the emulator over HTTP.
 * - posthog/api/query.py, QueryViewSet.create / retrieve / destroy: POST with `refresh: "async"` and `client_query_id`
 *   answers 202 `{query_status}` whose `id` is the client_query_id (Hogbot polls `query_status.id`, falling back to its
 *   own id); GET /query/{id}/ answers 202 while running and 200 with `query_status.results` when complete; DELETE cancels.
 * - drf-exceptions-hog (posthog/exceptions.py): PostHog's errors carry `{type, code, detail, attr}`; the Maton gateway's
 *   own failures (e.g. a grant it cannot refresh, 500) carry no drf `type`, which is how Hogbot tells them apart.
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

const QUERY = '/api/projects/1001/query/';

describe('async query (emulator mirrors posthog/api/query.py)', () => {
  it('202 with a query_status whose id is the client_query_id, then 200 with results', async () => {
    const id = 'contractquery0001';
    const posted = await call(emulator, ph(QUERY), {
      body: { query: { kind: 'HogQLQuery', query: 'SELECT 1' }, refresh: 'async', client_query_id: id },
    });
    expect([200, 202]).toContain(posted.status);
    expect(posted.body.query_status).toMatchObject({ id, complete: expect.any(Boolean) });
    let status = posted;
    for (let i = 0; i < 100 && status.body.query_status?.complete !== true; i += 1) {
      await new Promise((r) => setTimeout(r, 20));
      status = await call(emulator, ph(`${QUERY}${id}/`));
      expect([200, 202]).toContain(status.status);
    }
    expect(status.body.query_status).toMatchObject({ id, complete: true });
    expect(status.body.query_status.results.results).toEqual([[1]]);
    expect((await call(emulator, ph(`${QUERY}${id}/`), { method: 'DELETE' })).status).toBe(204);
  });
});

describe('error bodies', () => {
  it('PostHog errors carry drf-exceptions-hog {type, code, detail, attr}', async () => {
    const bad = await call(emulator, ph('/api/projects/1001/feature_flags/'), { body: { key: 'bad key' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ type: 'validation_error', code: expect.any(String), detail: expect.any(String), attr: 'key' });
  });

  it('the gateway’s own 500 (grant it cannot refresh) carries no drf type', async () => {
    emulator.faults.inject({ kind: 'grant_expired', times: 1 });
    const failed = await call(emulator, ph('/api/projects/1001/feature_flags/'));
    expect(failed.status).toBe(500);
    expect(failed.body?.type).toBeUndefined();
  });
});
