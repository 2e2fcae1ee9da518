/**
 * Maton behaviour Hogbot's tenancy rule (src/tenancy.ts) exists for, as the emulator emulates it.
 *
 * Source: Maton's PostHog skill document and CLI manual (summarised in /work/shared/reference/maton-gateway.md):
 * `GET /connections?app=posthog` lists every connection of the API key's account, whoever created it;
 * `POST /connections` makes one more on that same account; without a `Maton-Connection` header the gateway uses "a
 * default connection of that app". One MATON_API_KEY therefore sees, and can read through, every workspace's
 * connection: Maton does not keep Hogbot's workspaces apart, Hogbot must.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/server.js';
import { call, ph, start } from '../emulator/helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await start();
});
afterAll(() => emulator.close());

describe('Maton /connections: one account, every connection (maton-gateway.md, Connections)', () => {
  it('lists connections made by different callers together, and the default reads one of them', async () => {
    const first = await call(emulator, '/connections', { body: { app: 'posthog' } });
    const second = await call(emulator, '/connections', { body: { app: 'posthog' } });
    expect(first.status).toBe(200);
    expect(first.body.connection).toMatchObject({ status: 'PENDING', app: 'posthog' });
    const ids = [first.body.connection.connection_id, second.body.connection.connection_id];
    const listed = (await call(emulator, '/connections?app=posthog')).body.connections.map(
      (c: { connection_id: string }) => c.connection_id,
    );
    expect(listed).toEqual(expect.arrayContaining(['conn_acme', 'conn_globex', ...ids]));

    // No header: the gateway answers from an account's connection all the same (the emulator: the oldest ACTIVE one).
    const byDefault = await call(emulator, ph('/api/organizations/@current/'));
    expect(byDefault.status).toBe(200);
    expect(emulator.requests.at(-1)?.connectionId).toBe('conn_acme');
  });
});
