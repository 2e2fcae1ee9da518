import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/server.js';
import { call, ph, start } from './helpers.js';

describe('accounts: organizations, projects, users', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await start();
  });
  afterAll(() => emulator.close());

  it('lists the connection account projects with numeric ids', async () => {
    const acme = await call(emulator, ph('/api/projects/'), { connection: 'conn_acme' });
    expect(acme.body).toMatchObject({ count: 2, next: null, previous: null });
    expect(acme.body.results.map((p: any) => [p.id, p.name])).toEqual([
      [1001, 'Acme Web'],
      [1002, 'Acme Mobile'],
    ]);
    expect(acme.body.results[0]).toMatchObject({
      timezone: 'UTC',
      organization: expect.any(String),
      api_token: expect.stringMatching(/^phc_/),
    });
    const globex = await call(emulator, ph('/api/projects/'), { connection: 'conn_globex' });
    expect(globex.body.results.map((p: any) => p.id)).toEqual([2001]);
  });

  it('resolves @current to the first project, under projects and environments', async () => {
    for (const path of ['/api/projects/@current/', '/api/environments/@current/', '/api/projects/1001']) {
      const res = await call(emulator, ph(path), { connection: 'conn_acme' });
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(1001);
    }
    expect((await call(emulator, ph('/api/projects/@current/'), { connection: 'conn_globex' })).body.name).toBe('Globex Storefront');
  });

  it("forbids another account's project and 404s an unknown one", async () => {
    const other = await call(emulator, ph('/api/projects/2001/feature_flags/'), { connection: 'conn_acme' });
    expect(other.status).toBe(403);
    expect(other.body).toMatchObject({ type: 'authentication_error', code: 'permission_denied' });
    expect((await call(emulator, ph('/api/projects/9999/'), { connection: 'conn_acme' })).status).toBe(404);
    expect((await call(emulator, ph('/api/projects/abc/'), { connection: 'conn_acme' })).status).toBe(404);
  });

  it('describes the current user and organization', async () => {
    const me = await call(emulator, ph('/api/users/@me/'), { connection: 'conn_acme' });
    expect(me.body).toMatchObject({
      email: 'ana@acme.com',
      first_name: 'Ana',
      team: { id: 1001, name: 'Acme Web' },
      organization: { name: 'Acme Inc' },
    });
    const org = await call(emulator, ph('/api/organizations/@current/'), { connection: 'conn_globex' });
    expect(org.body).toMatchObject({ name: 'Globex', slug: 'globex', projects: [{ id: 2001, name: 'Globex Storefront' }] });
    const byId = await call(emulator, ph(`/api/organizations/${org.body.id}/projects/`), { connection: 'conn_globex' });
    expect(byId.body.results[0].id).toBe(2001);
  });

  it('rejects methods a route does not support with drf 405', async () => {
    const res = await call(emulator, ph('/api/users/@me/'), { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.body).toMatchObject({ type: 'invalid_request', code: 'method_not_allowed' });
  });

  it('keeps seeded ids stable across restarts', async () => {
    const again = await start();
    try {
      const a = await call(emulator, ph('/api/projects/1001/feature_flags/?limit=100'));
      const b = await call(again, ph('/api/projects/1001/feature_flags/?limit=100'));
      const ids = (r: any) => r.body.results.map((f: any) => [f.id, f.key]);
      expect(ids(b)).toEqual(ids(a));
      const me = (e: Emulator) => call(e, ph('/api/users/@me/')).then((r) => [r.body.uuid, r.body.organization.id]);
      expect(await me(again)).toEqual(await me(emulator));
    } finally {
      await again.close();
    }
  });
});
