/**
 * `GET /metrics` (Prometheus text, prom-client) and `GET /readyz` (database reachable, migrations applied) through
 * the real HTTP server, beside `/healthz`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPoolQueueDepth } from '../../src/metrics.js';
import { Rig, textOf } from '../rig/harness.js';

let rig: Rig;
const url = (path: string) => rig.appUrl.replace('/slack/events', path);

beforeAll(async () => {
  rig = await Rig.start();
}, 30_000);
afterAll(async () => {
  await rig?.close();
});

/** The value of one series in Prometheus text, or 0 when absent. */
function sample(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && labels.split(',').every((pair) => l.includes(pair)));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('GET /metrics', () => {
  it('counts acks, handler time and Maton requests by status, and shows the worker pool queue depth', async () => {
    const before = await (await fetch(url('/metrics'))).text();
    expect(textOf(await rig.ask('whoami'))).toContain('Acme');
    setPoolQueueDepth(4);
    const res = await fetch(url('/metrics'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const after = await res.text();
    expect(sample(after, 'hogbot_ack_seconds_count', 'kind="slack"')).toBeGreaterThan(
      sample(before, 'hogbot_ack_seconds_count', 'kind="slack"'),
    );
    expect(sample(after, 'hogbot_handler_seconds_count', 'kind="command",outcome="ok"')).toBeGreaterThan(
      sample(before, 'hogbot_handler_seconds_count', 'kind="command",outcome="ok"'),
    );
    expect(sample(after, 'hogbot_upstream_requests_total', 'service="maton",status="200"')).toBeGreaterThan(
      sample(before, 'hogbot_upstream_requests_total', 'service="maton",status="200"'),
    );
    expect(after).toMatch(/^hogbot_worker_pool_queue_depth 4$/m);
    expect(after).toContain('# TYPE hogbot_deliveries_total counter');
    expect(after).toContain('# TYPE hogbot_rate_limited_total counter');
    // No secret in an unauthenticated answer.
    for (const secret of rig.config.secrets) expect(after).not.toContain(secret);
  });

  it('counts 429s from Maton', async () => {
    rig.emulator.faults.inject({ kind: 'rate_limit', times: 1, path: '/users/@me' });
    const before = await (await fetch(url('/metrics'))).text();
    await rig.ask('whoami');
    const after = await (await fetch(url('/metrics'))).text();
    expect(sample(after, 'hogbot_rate_limited_total', 'service="maton"')).toBeGreaterThan(
      sample(before, 'hogbot_rate_limited_total', 'service="maton"'),
    );
  });
});

describe('GET /readyz', () => {
  it('answers 200 with the database reachable and every migration applied', async () => {
    const res = await fetch(url('/readyz'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, database: 'ok', pendingMigrations: [] });
    expect((await fetch(url('/healthz'))).status).toBe(200);
  });

  it('answers 503 when the database is gone, without saying where it is', async () => {
    await rig.store.close();
    const res = await fetch(url('/readyz'));
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body).toEqual({ ok: false, database: 'unreachable', pendingMigrations: [] });
    expect(JSON.stringify(body)).not.toContain(rig.config.databaseUrl);
  });
});
