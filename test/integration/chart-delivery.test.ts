/**
 * Charts with PUBLIC_URL set: insight answers and unfurls show them in image blocks at signed, expiring URLs on
 * Hogbot's own server (src/images/), which any replica serves from the shared store; query and digest charts stay
 * shared uploads. The fake Slack refuses what real Slack refuses (a channel-less slack_file, a non-http image_url:
 * test/contract/slack-files.test.ts), so "no failed Slack call" here means Slack would show every chart.
 * Without PUBLIC_URL, the same flows are covered in insights/unfurl/query/digest.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHogbot, type Hogbot } from '../../src/app.js';
import { eventCallback, linkSharedEvent, sendToApp } from '../../src/fake-slack/index.js';
import { IMAGE_UNREACHABLE_NOTE } from '../../src/images/fallback.js';
import { imageKey, newImageId, signedImageUrl } from '../../src/images/signing.js';
import { createLogger } from '../../src/logger.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { PLAN_CONFIRM_ACTION } from '../../views/plan.js';
import { ADMIN, buttonValue, CHANNEL, Rig, SIGNING_SECRET, T1, textOf } from '../rig/harness.js';

const PUBLIC = 'https://hogbot.example.test';
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let rig: Rig;
let replica: { hogbot: Hogbot; store: Store; base: string } | null = null;

beforeAll(async () => {
  rig = await Rig.start({ env: { PUBLIC_URL: PUBLIC } });
  await rig.hogbot.scheduler.stop();
  await rig.store.setWorkspaceConnection(T1, 'conn_acme', ADMIN, new Date());
  expect(textOf(await rig.ask('project use 1001'))).toContain('Acme Web');
});
afterAll(async () => {
  await replica?.hogbot.stop().catch(() => undefined);
  await replica?.store.close().catch(() => undefined);
  await rig?.close();
});

/** The app's own address, where Slack would reach PUBLIC_URL. */
const appBase = () => rig.appUrl.replace(/\/slack\/events$/, '');
const local = (url: string, base = appBase()) => url.replace(PUBLIC, base);
const failedCalls = () => rig.slack.calls.filter((c) => !c.ok);

type Block = { type: string; image_url?: string; slack_file?: unknown };
const imageOf = (blocks: unknown) => (blocks as Block[]).find((b) => b.type === 'image');

async function fetchImage(url: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

async function insightImageUrl(): Promise<string> {
  const dau = rig.emulator.state.project(1001)!.insights.find((i) => i.name === 'Daily active users')!;
  const { responseUrl } = await rig.slash(`insight ${dau.short_id}`);
  const card = await rig.slack.waitForResponse((r) => r.url === responseUrl && imageOf(r.body.blocks ?? []) !== undefined, {
    timeoutMs: 20_000,
  });
  expect(card.ok).toBe(true);
  const image = imageOf(card.body.blocks)!;
  expect(image.slack_file).toBeUndefined();
  return image.image_url!;
}

describe('charts with PUBLIC_URL', () => {
  it('an insight answer shows its chart from a signed URL that serves the PNG', async () => {
    const url = await insightImageUrl();
    expect(url).toMatch(new RegExp(`^${PUBLIC}/images/[a-f0-9]{32}\\.png\\?exp=\\d+&sig=[A-Za-z0-9_-]{43}$`));
    const got = await fetchImage(local(url));
    expect(got.status).toBe(200);
    expect(got.type).toBe('image/png');
    expect(got.bytes.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
    // Nothing was uploaded to Slack for it, and Slack accepted the answer.
    expect([...rig.slack.uploads.values()].filter((u) => u.filename.startsWith('insight-'))).toEqual([]);
    expect(failedCalls()).toEqual([]);
  });

  it('refuses a tampered signature or expiry (403), and an expired or unknown image (404)', async () => {
    const url = new URL(local(await insightImageUrl()));
    const sig = url.searchParams.get('sig')!;
    const tamperedSig = new URL(url);
    tamperedSig.searchParams.set('sig', `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`);
    expect((await fetchImage(tamperedSig.toString())).status).toBe(403);
    const stretched = new URL(url);
    stretched.searchParams.set('exp', String(Number(url.searchParams.get('exp')) + 86_400));
    expect((await fetchImage(stretched.toString())).status).toBe(403);
    const unsigned = new URL(url);
    unsigned.searchParams.delete('sig');
    expect((await fetchImage(unsigned.toString())).status).toBe(403);

    const key = imageKey(rig.config)!;
    const now = Date.now();
    // Correctly signed, but past its expiry.
    const id = newImageId();
    await rig.store.images.put({
      id,
      teamId: T1,
      contentType: 'image/png',
      bytes: PNG_MAGIC,
      createdAt: new Date(now - 120_000),
      expiresAt: new Date(now - 60_000),
    });
    expect((await fetchImage(local(signedImageUrl(PUBLIC, key, id, new Date(now - 60_000))))).status).toBe(404);
    // A valid signature whose store row has expired (or never existed).
    expect((await fetchImage(local(signedImageUrl(PUBLIC, key, id, new Date(now + 60_000))))).status).toBe(404);
    expect((await fetchImage(local(signedImageUrl(PUBLIC, key, newImageId(), new Date(now + 60_000))))).status).toBe(404);
    // A key from another deployment signs nothing here.
    expect((await fetchImage(local(signedImageUrl(PUBLIC, Buffer.alloc(32, 7), id, new Date(now + 60_000))))).status).toBe(403);
  });

  it('a second replica on the same store serves an image the first one made', async () => {
    const url = await insightImageUrl();
    const store = await openStore(rig.config.databaseUrl, { logger: createLogger({ secrets: rig.config.secrets, sink: () => {} }) });
    const hogbot = await createHogbot({
      config: rig.config,
      store,
      logger: createLogger({ secrets: rig.config.secrets, sink: () => {} }),
      scheduler: { enabled: false },
      slackClientOptions: { retryConfig: { retries: 0 } },
    });
    const { port } = await hogbot.start();
    replica = { hogbot, store, base: `http://127.0.0.1:${port}` };
    const first = await fetchImage(local(url));
    const second = await fetchImage(local(url, replica.base));
    expect(second.status).toBe(200);
    expect(second.bytes.equals(first.bytes)).toBe(true);
  });

  it('an insight unfurl shows its chart from a signed URL, and Slack accepts the unfurl', async () => {
    const insight = rig.emulator.state.project(1001)!.insights.find((i) => i.name === 'Daily active users')!;
    const link = `https://us.posthog.com/project/1001/insights/${insight.short_id}`;
    const event = linkSharedEvent({ channel: CHANNEL, user: ADMIN, message_ts: '1700000500.000100', links: [{ url: link }] });
    const res = await sendToApp(rig.appUrl, SIGNING_SECRET, eventCallback({ team_id: T1, event, event_id: 'EvCHARTS1' }));
    expect(res.status).toBe(200);
    const call = await rig.slack.waitForCall('chat.unfurl', undefined, { timeoutMs: 15_000 });
    expect(call.ok).toBe(true);
    const card = (call.args.unfurls as Record<string, { blocks: unknown }>)[link]!;
    const image = imageOf(card.blocks)!;
    expect(image.image_url).toMatch(new RegExp(`^${PUBLIC}/images/`));
    const got = await fetchImage(local(image.image_url!));
    expect(got.status).toBe(200);
    expect(got.bytes.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
    // With a URL there is no need to share the PNG in the link's thread.
    expect([...rig.slack.uploads.values()].filter((u) => u.threadTs === '1700000500.000100')).toEqual([]);
  });

  it('a query chart is shared as a file where the answer goes, and Slack accepts it', async () => {
    const { responseUrl } = await rig.slash('query SELECT event, count() AS c FROM events GROUP BY event ORDER BY c DESC --chart bar');
    await rig.slack.waitForResponse((r) => r.url === responseUrl && textOf(r).includes('query-chart.png'), { timeoutMs: 20_000 });
    const png = [...rig.slack.uploads.values()].filter((u) => u.filename === 'query-chart.png').at(-1)!;
    expect(png.completed).toBe(true);
    expect(png.channel).toBeDefined();
    expect(failedCalls()).toEqual([]);
  });

  it('a digest’s insight chart is shared into the digest’s channel, and Slack accepts it', async () => {
    const plan = await rig.ask('digest add daily 09:00 #growth "Chart digest" --insights 40001');
    expect(textOf(await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION)))).toContain('Chart digest');
    const id = /\*Chart digest\* `(d[a-z0-9]{6})`/.exec(textOf(await rig.ask('digest list')))?.[1];
    expect(id).toBeDefined();
    const before = rig.slack.messages(CHANNEL).length;
    expect(textOf(await rig.ask(`digest run ${id}`, {}, { timeoutMs: 30_000 }))).toContain('posted in <#C0GROWTH001>');
    const files = rig.slack
      .messages(CHANNEL)
      .slice(before)
      .flatMap((m) => m.files ?? []);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(rig.slack.uploads.get(f.id)?.channel).toBe(CHANNEL);
    expect(failedCalls()).toEqual([]);
  }, 60_000);
});

describe('charts with a PUBLIC_URL Slack cannot reach', () => {
  // Slack downloads image_url when the message is posted and refuses the message when it can't:
  // invalid_blocks "downloading image failed" (slackapi/python-slack-sdk#1782). The answer still arrives, without the chart.
  let blind: Rig;
  beforeAll(async () => {
    blind = await Rig.start({ env: { PUBLIC_URL: PUBLIC }, fakeSlack: { imageDownload: (url) => !url.startsWith(PUBLIC) } });
    await blind.hogbot.scheduler.stop();
    await blind.store.setWorkspaceConnection(T1, 'conn_acme', ADMIN, new Date());
    expect(textOf(await blind.ask('project use 1001'))).toContain('Acme Web');
  });
  afterAll(async () => {
    await blind?.close();
  });

  it('an insight answer is sent again without its chart, saying why', async () => {
    const dau = blind.emulator.state.project(1001)!.insights.find((i) => i.name === 'Daily active users')!;
    const { responseUrl } = await blind.slash(`insight ${dau.short_id}`);
    const card = await blind.slack.waitForResponse((r) => r.url === responseUrl && r.ok && textOf(r).includes(IMAGE_UNREACHABLE_NOTE), {
      timeoutMs: 20_000,
    });
    expect(imageOf(card.body.blocks)).toBeUndefined();
    expect(textOf(card)).toContain('Unique users · daily · last 30 days');
    const refused = blind.slack.responses.filter((r) => r.url === responseUrl && !r.ok);
    expect(refused.map((r) => r.error)).toEqual(['invalid_blocks']);
  });

  it('an unfurl is sent again without its chart', async () => {
    const insight = blind.emulator.state.project(1001)!.insights.find((i) => i.name === 'Daily active users')!;
    const link = `https://us.posthog.com/project/1001/insights/${insight.short_id}`;
    const event = linkSharedEvent({ channel: CHANNEL, user: ADMIN, message_ts: '1700000600.000100', links: [{ url: link }] });
    expect((await sendToApp(blind.appUrl, SIGNING_SECRET, eventCallback({ team_id: T1, event, event_id: 'EvBLIND1' }))).status).toBe(200);
    const accepted = await blind.slack.waitForCall('chat.unfurl', (c) => c.ok, { timeoutMs: 15_000 });
    const calls = blind.slack.calls.filter((c) => c.method === 'chat.unfurl');
    expect(calls.map((c) => c.error ?? 'ok')).toEqual(['invalid_blocks', 'ok']);
    const card = (accepted.args.unfurls as Record<string, { blocks: unknown }>)[link]!;
    expect(imageOf(card.blocks)).toBeUndefined();
    expect(JSON.stringify(card.blocks)).toContain('could not download it');
  });
});
