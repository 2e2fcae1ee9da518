import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RESPONSE_URL_TTL_MS, startFakeSlack, type FakeSlack } from '../../src/fake-slack/index.js';
import { clientFor } from './helpers.js';

let fake: FakeSlack;

beforeAll(async () => {
  fake = await startFakeSlack();
});

beforeEach(() => {
  fake.reset();
});

afterAll(async () => {
  await fake.close();
});

/** Posts the way Bolt's `respond()` does: JSON, no auth. */
async function respond(url: string, body: Record<string, unknown>): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

describe('response_url', () => {
  it('is minted on the fake server', () => {
    expect(fake.responseUrl().startsWith(`${fake.url}/response/`)).toBe(true);
    expect(fake.responseUrl()).not.toBe(fake.responseUrl());
  });

  it('accepts 5 posts and answers the 6th with 404 used_url, recording all six', async () => {
    const url = fake.responseUrl({ channel: 'C1', user: 'U1' });
    const statuses: number[] = [];
    for (let i = 1; i <= 6; i += 1) statuses.push((await respond(url, { text: `#${i}` })).status);

    expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
    expect(fake.responses.map((r) => r.use)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(fake.responses.at(-1)).toMatchObject({ ok: false, error: 'used_url', status: 404, body: { text: '#6' } });
  });

  it('expires 30 minutes after minting on the fake clock', async () => {
    const url = fake.responseUrl();
    fake.advanceClock(RESPONSE_URL_TTL_MS + 1);
    const res = await respond(url, { text: 'late' });
    expect(res).toEqual({ status: 404, json: { ok: false, error: 'expired_url' } });
  });

  it('posts ephemeral by default and in_channel on request', async () => {
    const url = fake.responseUrl({ channel: 'C1', user: 'U1' });
    await respond(url, { text: 'only you' });
    await respond(url, { text: 'everyone', response_type: 'in_channel' });

    expect(fake.messages('C1', { viewer: 'U1' }).map((m) => m.text)).toEqual(['only you', 'everyone']);
    expect(fake.messages('C1', { viewer: 'U2' }).map((m) => m.text)).toEqual(['everyone']);
  });

  it('replace_original after a slash command replaces the earlier response; delete_original removes it', async () => {
    const url = fake.responseUrl({ channel: 'C1', user: 'U1' });
    await respond(url, { text: 'Loading…' });
    await respond(url, { replace_original: true, text: 'Done', blocks: [{ type: 'divider' }] });
    expect(fake.messages('C1')).toMatchObject([{ text: 'Done', blocks: [{ type: 'divider' }], ephemeralTo: 'U1' }]);

    await respond(url, { delete_original: true });
    expect(fake.messages('C1')).toEqual([]);
  });

  it('replace_original after a button click replaces the clicked message', async () => {
    const client = clientFor(fake);
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'Apply these changes?' });
    const url = fake.responseUrl({ channel: 'C1', user: 'U1', messageTs: String(posted.ts) });

    await respond(url, { replace_original: true, text: 'Applied', response_type: 'in_channel' });
    expect(fake.messages('C1')).toMatchObject([{ ts: posted.ts, text: 'Applied' }]);
    expect(fake.messages('C1')[0]?.ephemeralTo).toBeUndefined();
  });

  it('rejects invalid blocks with 400 and still records the post', async () => {
    const url = fake.responseUrl();
    const res = await respond(url, { blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] });
    expect(res).toEqual({ status: 400, json: { ok: false, error: 'invalid_blocks' } });
    expect(fake.responses).toMatchObject([{ ok: false, error: 'invalid_blocks' }]);
  });

  it('can be made to fail once with failNext("response_url")', async () => {
    fake.failNext('response_url', { status: 500, error: 'internal_error' });
    const url = fake.responseUrl();
    expect((await respond(url, { text: 'a' })).status).toBe(500);
    expect((await respond(url, { text: 'b' })).status).toBe(200);
  });
});
