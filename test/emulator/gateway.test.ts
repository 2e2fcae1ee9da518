import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/server.js';
import { call, ph, start } from './helpers.js';

describe('Maton gateway', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await start();
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  it('rejects a missing or wrong API key with a gateway-shaped 401', async () => {
    for (const key of [null, 'wrong-key']) {
      const res = await call(emulator, ph('/api/projects/'), { key });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHORIZED');
      expect(res.body).not.toHaveProperty('type');
    }
    expect((await call(emulator, '/connections', { key: null })).status).toBe(401);
  });

  it('lists connections with app and status filters', async () => {
    const all = await call(emulator, '/connections?app=posthog&status=ACTIVE');
    expect(all.status).toBe(200);
    expect(all.body.connections.map((c: any) => c.connection_id)).toEqual(['conn_acme', 'conn_globex']);
    expect(all.body.connections[0]).toMatchObject({ status: 'ACTIVE', app: 'posthog', method: 'OAUTH2', metadata: {} });
    expect(all.body.connections[0]).not.toHaveProperty('accountId');
    expect((await call(emulator, '/connections?status=PENDING')).body.connections).toEqual([]);
    expect((await call(emulator, '/connections?app=slack')).body.connections).toEqual([]);
  });

  it('uses the oldest active connection by default and the Maton-Connection header otherwise', async () => {
    const byDefault = await call(emulator, ph('/api/organizations/@current/'));
    expect(byDefault.body.name).toBe('Acme Inc');
    const globex = await call(emulator, ph('/api/organizations/@current/'), { connection: 'conn_globex' });
    expect(globex.body.name).toBe('Globex');
    expect(emulator.requests.at(-1)?.connectionId).toBe('conn_globex');
    expect(emulator.requests.at(-2)?.connectionId).toBe('conn_acme');
  });

  it('answers 400 for an unknown, pending or deleted connection, and when none is active', async () => {
    const unknown = await call(emulator, ph('/api/projects/'), { connection: 'conn_nope' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('NO_CONNECTION');

    const created = await call(emulator, '/connections', { body: { app: 'posthog' } });
    const pending = await call(emulator, ph('/api/projects/'), { connection: created.body.connection.connection_id });
    expect(pending.status).toBe(400);

    expect((await call(emulator, '/connections/conn_globex', { method: 'DELETE' })).status).toBe(200);
    expect((await call(emulator, ph('/api/projects/'), { connection: 'conn_globex' })).status).toBe(400);
    expect((await call(emulator, '/connections/conn_globex')).status).toBe(404);

    await call(emulator, '/connections/conn_acme', { method: 'DELETE' });
    const none = await call(emulator, ph('/api/projects/'));
    expect(none.status).toBe(400);
    expect(none.body).not.toHaveProperty('type');
  });

  it('creates a PENDING connection whose authorize page makes it ACTIVE with its own account', async () => {
    const created = await call(emulator, '/connections', { body: { app: 'posthog' } });
    expect(created.status).toBe(200);
    const connection = created.body.connection;
    expect(connection.status).toBe('PENDING');
    expect(connection.url.startsWith(`${emulator.url}/_emulator/authorize?session_token=`)).toBe(true);

    const page = await fetch(connection.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('you can close this tab');

    const after = await call(emulator, `/connections/${connection.connection_id}`);
    expect(after.body.connection.status).toBe('ACTIVE');
    const projects = await call(emulator, ph('/api/projects/'), { connection: connection.connection_id });
    expect(projects.body.results.map((p: any) => p.id)).toEqual([3001]);
    // The default stays the oldest active connection.
    expect((await call(emulator, ph('/api/projects/@current/'))).body.id).toBe(1001);
  });

  it('can authorize a new connection onto an existing account (reconnecting after an expired grant)', async () => {
    const created = await call(emulator, '/connections', { body: { app: 'posthog' } });
    await fetch(`${created.body.connection.url}&account=acme`);
    const projects = await call(emulator, ph('/api/projects/'), { connection: created.body.connection.connection_id });
    expect(projects.body.results.map((p: any) => p.name)).toEqual(['Acme Web', 'Acme Mobile']);
  });

  it('rejects creating a connection for another app', async () => {
    const res = await call(emulator, '/connections', { body: { app: 'hubspot' } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('hubspot');
  });

  it('fails like an expired OAuth grant (500, gateway body) when a connection is marked so', async () => {
    emulator.state.expireGrant('conn_acme');
    const res = await call(emulator, ph('/api/projects/'), { connection: 'conn_acme' });
    expect(res.status).toBe(500);
    expect(res.body.error.message).toContain('invalid_grant');
    expect(res.body).not.toHaveProperty('type');
    expect((await call(emulator, ph('/api/projects/'), { connection: 'conn_globex' })).status).toBe(200);

    const cleared = await call(emulator, '/_emulator/connections/conn_acme/grant', { body: { expired: false } });
    expect(cleared.body.grant_expired).toBe(false);
    expect((await call(emulator, ph('/api/projects/'), { connection: 'conn_acme' })).status).toBe(200);
  });

  it('answers unknown paths with 404 (PostHog shape under /posthog, gateway shape elsewhere)', async () => {
    const posthog = await call(emulator, ph('/api/projects/1001/nothing_here/'));
    expect(posthog.status).toBe(404);
    expect(posthog.body).toEqual({ type: 'invalid_request', code: 'not_found', detail: 'Not found.', attr: null });
    const gateway = await call(emulator, '/elsewhere');
    expect(gateway.status).toBe(404);
    expect(gateway.body.error.code).toBe('NOT_FOUND');
  });

  it('records requests without the Authorization header', async () => {
    emulator.requests.length = 0;
    await call(emulator, ph('/api/projects/1001/feature_flags/?search=dark'), { connection: 'conn_acme', body: undefined });
    const [recorded] = emulator.requests;
    expect(recorded).toMatchObject({
      method: 'GET',
      path: '/posthog/api/projects/1001/feature_flags/',
      query: { search: 'dark' },
      connectionId: 'conn_acme',
      status: 200,
    });
    expect(recorded?.headers).not.toHaveProperty('authorization');
    expect(recorded?.headers['maton-connection']).toBe('conn_acme');
  });
});

describe('Maton rate limit', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await start({ rateLimitPerSecond: 3 });
  });
  afterAll(() => emulator.close());

  it('answers 429 with Retry-After once a key exceeds its per-second budget', async () => {
    // Concurrent, so all of them land inside one second even on a busy machine.
    const results = await Promise.all(Array.from({ length: 8 }, () => call(emulator, ph('/api/users/@me/'))));
    const statuses = results.map((r) => r.status);
    const limited = results.find((r) => r.status === 429);
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited?.body.error.code).toBe('RATE_LIMIT_EXCEEDED');
    // Requests with a bad key are refused before the limiter and do not count.
    expect((await call(emulator, ph('/api/users/@me/'), { key: 'nope' })).status).toBe(401);
  });
});
