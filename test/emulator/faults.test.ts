import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/server.js';
import { call, ph, start } from './helpers.js';

const ME = ph('/api/users/@me/');

describe('fault injection', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await start();
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.faults.clear());

  it('fails the next N matching requests with a PostHog-shaped status, then recovers', async () => {
    emulator.faults.inject({ kind: 'status', status: 503, times: 2, path: '/feature_flags' });
    expect((await call(emulator, ME)).status).toBe(200);
    const flags = ph('/api/projects/1001/feature_flags/');
    const first = await call(emulator, flags);
    expect(first.status).toBe(503);
    expect(first.body).toMatchObject({ type: 'server_error' });
    expect((await call(emulator, flags)).status).toBe(503);
    expect((await call(emulator, flags)).status).toBe(200);
    expect(emulator.requests.at(-2)?.fault).toBe('status');
  });

  it('matches on method', async () => {
    emulator.faults.inject({ kind: 'status', status: 500, method: 'PATCH' });
    expect((await call(emulator, ME)).status).toBe(200);
    const flag = emulator.state.flag(1001, 'dark-mode');
    const res = await call(emulator, ph(`/api/projects/1001/feature_flags/${flag?.id}/`), { method: 'PATCH', body: { active: false } });
    expect(res.status).toBe(500);
    expect(flag?.active).toBe(true);
  });

  it('imitates gateway errors: 429 with Retry-After, 401, 400 no connection, 500 expired grant', async () => {
    emulator.faults.inject({ kind: 'rate_limit', retryAfterSeconds: 7 });
    const limited = await call(emulator, ME);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.body).not.toHaveProperty('type');

    emulator.faults.inject({ kind: 'rate_limit', source: 'posthog', retryAfterSeconds: 3 });
    const throttled = await call(emulator, ME);
    expect(throttled.body).toMatchObject({ type: 'throttled_error', detail: 'Request was throttled. Expected available in 3 seconds.' });

    for (const [kind, status] of [
      ['unauthorized', 401],
      ['no_connection', 400],
      ['grant_expired', 500],
    ] as const) {
      emulator.faults.inject({ kind });
      const res = await call(emulator, ME);
      expect(res.status).toBe(status);
      expect(res.body.error).toEqual({ code: expect.any(String), message: expect.any(String) });
    }
    expect((await call(emulator, ME)).status).toBe(200);
  });

  it('sends a malformed JSON body', async () => {
    emulator.faults.inject({ kind: 'malformed_json' });
    const res = await fetch(emulator.url + ME, { headers: { Authorization: `Bearer ${emulator.apiKey}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    await expect(res.json()).rejects.toThrow(SyntaxError);
  });

  it('resets the connection', async () => {
    emulator.faults.inject({ kind: 'reset' });
    await expect(fetch(emulator.url + ME, { headers: { Authorization: `Bearer ${emulator.apiKey}` } })).rejects.toThrow();
    expect((await call(emulator, ME)).status).toBe(200);
  });

  it('hangs until the client gives up', async () => {
    emulator.faults.inject({ kind: 'hang' });
    const aborted = fetch(emulator.url + ME, { headers: { Authorization: `Bearer ${emulator.apiKey}` }, signal: AbortSignal.timeout(150) });
    await expect(aborted).rejects.toMatchObject({ name: 'TimeoutError' });
    expect((await call(emulator, ME)).status).toBe(200);
  });

  it('delays requests with latency and still answers them', async () => {
    const fault = emulator.faults.latency(30, 1);
    expect(emulator.faults.list()).toEqual([expect.objectContaining({ id: fault.id, kind: 'latency', ms: 30 })]);
    expect((await call(emulator, ME)).status).toBe(200);
    expect(emulator.faults.list()).toEqual([]);
  });

  it('is driven over HTTP too: POST adds, GET lists, DELETE clears', async () => {
    const added = await call(emulator, '/_emulator/faults', {
      body: [
        { kind: 'status', status: 502, times: 'always', path: '/persons' },
        { kind: 'latency', ms: 5 },
      ],
    });
    expect(added.status).toBe(201);
    expect(added.body.faults).toHaveLength(2);
    expect((await call(emulator, ph('/api/projects/1001/persons/'))).status).toBe(502);
    expect((await call(emulator, ph('/api/projects/1001/persons/'))).status).toBe(502);
    expect((await call(emulator, '/_emulator/faults')).body.faults).toHaveLength(1);
    await call(emulator, '/_emulator/faults', { method: 'DELETE' });
    expect((await call(emulator, ph('/api/projects/1001/persons/?limit=1'))).status).toBe(200);

    const invalid = await call(emulator, '/_emulator/faults', { body: { kind: 'explode' } });
    expect(invalid.status).toBe(400);
  });

  it('restores the seed on POST /_emulator/reset', async () => {
    const flag = emulator.state.flag(1001, 'dark-mode');
    await call(emulator, ph(`/api/projects/1001/feature_flags/${flag?.id}/`), { method: 'PATCH', body: { active: false } });
    expect(emulator.state.flag(1001, 'dark-mode')?.active).toBe(false);
    expect((await call(emulator, '/_emulator/reset', { method: 'POST' })).status).toBe(200);
    expect(emulator.state.flag(1001, 'dark-mode')).toMatchObject({ active: true, version: 1, id: flag?.id });
  });
});
