/**
 * The limits our fakes enforce, as the real services do:
 * - Slack chat.postMessage: about one message per second per channel, short bursts allowed; past it HTTP 429
 *   `{"ok":false,"error":"ratelimited"}` with Retry-After (https://docs.slack.dev/apis/web-api/rate-limits, "Posting
 *   messages: 1 per second. Short bursts >1 allowed").
 * - Maton: 10 requests per second per account (one API key), 429 when exceeded (Maton's PostHog skill document, see
 *   /work/shared/reference/maton-gateway.md "Gateway errors").
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { DEFAULT_BOT_TOKEN, type FakeSlack, startFakeSlack } from '../../src/fake-slack/index.js';

let slack: FakeSlack | undefined;
let emulator: Emulator | undefined;
afterEach(async () => {
  await slack?.close();
  await emulator?.close();
  slack = undefined;
  emulator = undefined;
});

async function post(apiUrl: string, channel: string): Promise<Response> {
  return fetch(`${apiUrl}chat.postMessage`, {
    method: 'POST',
    headers: { authorization: `Bearer ${DEFAULT_BOT_TOKEN}`, 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ channel, text: 'hello' }),
  });
}

describe('fake Slack: chat.postMessage per channel (docs.slack.dev/apis/web-api/rate-limits)', () => {
  it('allows a short burst, then answers 429 ratelimited with Retry-After; other channels are unaffected', async () => {
    slack = await startFakeSlack({ tokens: [DEFAULT_BOT_TOKEN], postsPerSecondPerChannel: 1, postBurst: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await post(slack.apiUrl, 'C0LIMIT0001')).status);
    expect(statuses).toEqual([200, 200, 200]);
    const limited = await post(slack.apiUrl, 'C0LIMIT0001');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toEqual({ ok: false, error: 'ratelimited' });
    expect((await post(slack.apiUrl, 'C0LIMIT0002')).status).toBe(200);
  });

  it('is off by default, so other tests post freely', async () => {
    slack = await startFakeSlack({ tokens: [DEFAULT_BOT_TOKEN] });
    const statuses = await Promise.all(Array.from({ length: 6 }, () => post(slack!.apiUrl, 'C0LIMIT0003').then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
  });
});

describe('emulator: Maton 10 requests per second per account (maton-gateway.md, Gateway errors)', () => {
  it('answers requests past 10 within a second 429 with Retry-After', async () => {
    emulator = await startEmulator({ apiKey: 'contract-key-0123456789', rateLimitPerSecond: 10 });
    const answers = await Promise.all(
      Array.from({ length: 14 }, async () => {
        const res = await fetch(`${emulator!.url}/posthog/api/users/@me/`, {
          headers: { authorization: 'Bearer contract-key-0123456789' },
        });
        await res.arrayBuffer();
        return { status: res.status, retryAfter: res.headers.get('retry-after') };
      }),
    );
    const limited = answers.filter((a) => a.status === 429);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(10);
    expect(limited).toHaveLength(4);
    for (const a of limited) expect(Number(a.retryAfter)).toBeGreaterThanOrEqual(1);
  });
});
