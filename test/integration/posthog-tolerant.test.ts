/**
 * Errors named right and tolerant reading (issue 10). Tolerant reading: an answer lacking a field Hogbot does not use must never become "PostHog sent an answer
 * Hogbot did not understand". Here a running query's status arrives without `results` (and without `id`), as a trimmed
 * QueryStatus may; the query must still complete.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rig, textOf } from '../rig/harness.js';

let rig: Rig;

beforeAll(async () => {
  rig = await Rig.start();
});
afterAll(async () => {
  await rig?.close();
});

describe('an async query status without results', () => {
  it('keeps polling and answers with the table', async () => {
    rig.emulator.faults.inject({
      kind: 'status',
      status: 202,
      method: 'GET',
      path: '/query/',
      body: { query_status: { complete: false } },
      times: 1,
    });
    const from = rig.emulator.requests.length;
    const { ack, responseUrl } = await rig.slash('query SELECT event, count() FROM events GROUP BY event ORDER BY count() DESC LIMIT 3');
    expect(ack.status).toBe(200);
    const reply = await rig.slack.waitForResponse(
      (r) => r.url === responseUrl && !/^HogQL: (Running|Still running)/.test(String(r.body.text ?? '')),
      { timeoutMs: 15_000 },
    );
    expect(textOf(reply)).not.toContain('did not understand');
    expect(JSON.stringify(reply.body.blocks)).toContain('"table"');
    // The trimmed status was really served (a poll happened), and later polls went to the same query id.
    expect(rig.emulator.faults.list()).toHaveLength(0);
    const polls = rig.emulator.requests.slice(from).filter((r) => r.method === 'GET' && r.path.includes('/query/'));
    expect(polls.length).toBeGreaterThanOrEqual(2);
    expect(new Set(polls.map((p) => p.path)).size).toBe(1);
  });
});

describe('a 500 without PostHog’s error body', () => {
  it('says PostHog or the gateway failed, without asserting an expired grant', async () => {
    rig.emulator.faults.inject({
      kind: 'status',
      status: 500,
      body: { error: 'Internal Server Error' },
      path: '/feature_flags/',
      times: 'always',
    });
    try {
      const text = textOf(await rig.ask('flag list'));
      expect(text).toContain('PostHog or the Maton gateway failed (HTTP 500)');
      expect(text).toContain('if it keeps failing');
      expect(text).not.toContain('has expired');
    } finally {
      rig.emulator.faults.clear();
    }
  });

  it('names the expired grant when the gateway says the token could not be refreshed', async () => {
    rig.emulator.faults.inject({ kind: 'grant_expired', path: '/feature_flags/', times: 'always' });
    try {
      expect(textOf(await rig.ask('flag list'))).toContain('authorization behind this connection has expired');
    } finally {
      rig.emulator.faults.clear();
    }
  });
});
