/**
 * The shared rate budget through the real app (issue 11 item 3, issue 12): a flood of queries from one person is
 * told to wait instead of timing everybody out, two replicas on one PostgreSQL stay inside one Maton account's
 * 10 requests per second (counted at the emulator, which answers 429 past that), and a command is answered promptly
 * while hundreds of scheduled deliveries are queued.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHogbot, type Hogbot } from '../../src/app.js';
import { sendToApp, slashCommand } from '../../src/fake-slack/index.js';
import { createLogger } from '../../src/logger.js';
import { nextOccurrence } from '../../src/scheduler/cadence.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { ADMIN, ADMIN_T2, CHANNEL, MEMBER, Rig, SIGNING_SECRET, T1, T2, textOf } from '../rig/harness.js';
import { createScratchSchema, postgresProblem, postgresTestUrl } from '../store/postgres-leg.js';

const RUNNING = /^HogQL: (Running|Still running)/;
const BUSY = /You already have 3 queries running/;

/** Most Maton requests in any sliding second, from the emulator's own log. */
function peakPerSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < sorted.length; i += 1) {
    while (sorted[i]! - sorted[j]! >= 1000) j += 1;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

describe('a flood of queries from one person', () => {
  let rig: Rig;
  beforeAll(async () => {
    // The emulator enforces Maton's 10 requests per second per account, as the real gateway does.
    rig = await Rig.start({ emulator: { rateLimitPerSecond: 10, hogql: { delayMs: (q) => (q.includes("'flood'") ? 1500 : 0) } } });
    expect(textOf(await rig.ask('project use 1001'))).toContain('Acme Web');
  }, 30_000);
  afterAll(async () => {
    await rig?.close();
  });

  it('tells that person to wait, answers another workspace within 5 s (was 82 s), and stays under Maton’s limit', async () => {
    const from = rig.emulator.requests.length;
    const sent = await Promise.all(Array.from({ length: 200 }, (_, i) => rig.slash(`query SELECT 'flood', ${i}`)));
    for (const { ack } of sent) expect(ack.status).toBe(200);

    const started = performance.now();
    const other = await rig.ask('whoami', { team: T2, user: ADMIN_T2 }, { timeoutMs: 20_000 });
    const otherMs = performance.now() - started;
    expect(textOf(other)).not.toMatch(/did not answer in time|rate limiting|internal error/i);
    expect(otherMs).toBeLessThan(5_000);

    const finals = await Promise.all(
      sent.map(({ responseUrl }) =>
        rig.slack.waitForResponse((r) => r.url === responseUrl && !RUNNING.test(String(r.body.text ?? '')), { timeoutMs: 60_000 }),
      ),
    );
    const texts = finals.map((r) => textOf(r));
    const busy = texts.filter((t) => BUSY.test(t));
    const answered = texts.filter((t) => t.includes('flood'));
    // The rig gives each attempt 500 ms; while 200 commands are parsed in this one process (on a loaded machine), a
    // poll of an admitted query can overrun that. Only the few admitted ones can end so: today all 200 time out.
    const timedOut = texts.filter((t) => /did not answer in time/.test(t));
    expect(timedOut.length).toBeLessThanOrEqual(20);
    expect(texts.filter((t) => !BUSY.test(t) && !t.includes('flood') && !/did not answer in time/.test(t))).toEqual([]);
    expect(answered.length + timedOut.length).toBeGreaterThanOrEqual(3);
    expect(busy.length).toBeGreaterThanOrEqual(150);
    for (const t of texts) expect(t).not.toMatch(/rate limiting/i);
    // Paced under Maton's 10 per second; one stray 429 can come of the emulator sharing this busy event loop (see the
    // replicas test below); a token bucket with a burst of 10 (today's) can send 20 in one sliding second.
    expect(rig.emulator.requests.slice(from).filter((r) => r.status === 429).length).toBeLessThanOrEqual(1);
  }, 120_000);

  it('lets a colleague in the same workspace run a query while the first person is at their cap', async () => {
    const sent = await Promise.all(Array.from({ length: 5 }, (_, i) => rig.slash(`query SELECT 'flood', 'again', ${i}`)));
    const { ack, responseUrl } = await rig.slash("query SELECT 'colleague'", { user: MEMBER });
    expect(ack.status).toBe(200);
    const reply = await rig.slack.waitForResponse((r) => r.url === responseUrl && !RUNNING.test(String(r.body.text ?? '')), {
      timeoutMs: 20_000,
    });
    expect(textOf(reply)).toContain('colleague');
    await Promise.all(
      sent.map(({ responseUrl: url }) =>
        rig.slack.waitForResponse((r) => r.url === url && !RUNNING.test(String(r.body.text ?? '')), { timeoutMs: 30_000 }),
      ),
    );
    // Once their queries are done, the first person's slots are theirs again (refusals did not use any up).
    const { responseUrl: later } = await rig.slash("query SELECT 'after the flood'");
    const after = await rig.slack.waitForResponse((r) => r.url === later && !RUNNING.test(String(r.body.text ?? '')), {
      timeoutMs: 20_000,
    });
    expect(textOf(after)).toContain('after the flood');
  }, 60_000);
});

describe('a command while hundreds of deliveries are queued', () => {
  let rig: Rig;
  afterAll(async () => {
    await rig?.close();
  });

  it('answers whoami within 5 s while the scheduler drains 300 due digests', async () => {
    rig = await Rig.start({ emulator: { rateLimitPerSecond: 10 }, scheduler: true });
    const now = new Date();
    const cadence = { kind: 'daily' as const, hour: 9, minute: 0, timezone: 'UTC' };
    for (let i = 0; i < 300; i += 1) {
      await rig.store.schedules.createSchedule({
        id: `flood${i}`,
        kind: 'digest',
        teamId: T1,
        enterpriseId: null,
        channelId: `C0FLOOD${String(i).padStart(4, '0')}`,
        title: `Digest ${i}`,
        cadence,
        spec: { items: [{ kind: 'flag_changes' }] },
        state: null,
        createdBy: ADMIN,
        createdAt: new Date(now.getTime() - 2 * 86_400_000),
        nextRunAt: new Date(now.getTime() - 60_000),
      });
    }
    expect(nextOccurrence(cadence, now).getTime()).toBeGreaterThan(now.getTime());
    // Restart: the scheduler's first tick finds all 300 due, and keeps claiming while full batches come back.
    await rig.restart();
    await rig.slack.waitForCall('chat.postMessage', undefined, { timeoutMs: 20_000 });

    const started = performance.now();
    const reply = await rig.ask('whoami', { team: T2, user: ADMIN_T2 }, { timeoutMs: 20_000 });
    const ms = performance.now() - started;
    const postedSoFar = rig.slack.calls.filter(
      (c) => c.method === 'chat.postMessage' && String(c.args.channel).startsWith('C0FLOOD'),
    ).length;
    expect(textOf(reply)).not.toMatch(/did not answer in time|rate limiting|internal error/i);
    expect(ms).toBeLessThan(5_000);
    // Still draining: the command did not wait for the queue to empty.
    expect(postedSoFar).toBeLessThan(300);
    // And the scheduler did not stop after its first batch of 20 digests (40 posts) to wait out its 30 s interval.
    await rig.slack.waitFor(
      (e) =>
        e.kind === 'call' &&
        rig.slack.calls.filter((c) => c.method === 'chat.postMessage' && String(c.args.channel).startsWith('C0FLOOD')).length > 45,
      { timeoutMs: 15_000 },
    );
  }, 90_000);
});

const pgProblem = await postgresProblem(postgresTestUrl);
const inCi = ['true', '1'].includes((process.env.CI ?? '').toLowerCase());

describe.skipIf(pgProblem !== null && !inCi)('two replicas on one PostgreSQL', () => {
  let rig: Rig;
  let schema: { url: string; drop: () => Promise<void> };
  let other: { hogbot: Hogbot; store: Store; appUrl: string };

  beforeAll(async () => {
    if (pgProblem !== null) throw new Error(`PostgreSQL is required in CI: ${pgProblem}`);
    schema = await createScratchSchema(postgresTestUrl);
    rig = await Rig.start({ databaseUrl: schema.url, emulator: { rateLimitPerSecond: 10 } });
    const logger = createLogger({ secrets: rig.config.secrets, sink: () => undefined });
    const store = await openStore(schema.url);
    const hogbot = await createHogbot({
      config: rig.config,
      store,
      logger,
      slackClientOptions: { retryConfig: { retries: 0 } },
      gateway: { timeoutMs: 2_000, sleep: async () => undefined },
      scheduler: { enabled: false },
    });
    const { port } = await hogbot.start();
    other = { hogbot, store, appUrl: `http://127.0.0.1:${port}/slack/events` };
  }, 30_000);
  afterAll(async () => {
    await other?.hogbot.stop().catch(() => undefined);
    await other?.store.close().catch(() => undefined);
    await rig?.close();
    await schema?.drop();
  });

  it('stay within one Maton budget together: about 10 requests in any second at the emulator, not 20', async () => {
    // Warm both replicas first (lazy module loads stall the one event loop the emulator shares with them here).
    for (const appUrl of [rig.appUrl, other.appUrl]) {
      for (const text of ['whoami', 'flag list', 'projects', 'annotations', 'events']) {
        const responseUrl = rig.slack.responseUrl({ channel: CHANNEL, user: ADMIN });
        await sendToApp(
          appUrl,
          SIGNING_SECRET,
          slashCommand({
            team_id: T1,
            user_id: ADMIN,
            channel_id: CHANNEL,
            text,
            response_url: responseUrl,
            trigger_id: rig.slack.triggerId({ userId: ADMIN }),
          }),
        );
        await rig.slack.waitForResponse((r) => r.url === responseUrl, { timeoutMs: 20_000 });
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const from = rig.emulator.requests.length;
    const commands = ['whoami', 'flag list', 'projects', 'annotations', 'events'];
    const urls: string[] = [];
    const sends: Array<Promise<unknown>> = [];
    for (let i = 0; i < 30; i += 1) {
      const text = commands[i % commands.length]!;
      const responseUrl = rig.slack.responseUrl({ channel: CHANNEL, user: ADMIN });
      urls.push(responseUrl);
      const body = slashCommand({
        team_id: T1,
        user_id: ADMIN,
        channel_id: CHANNEL,
        text,
        response_url: responseUrl,
        trigger_id: rig.slack.triggerId({ userId: ADMIN }),
      });
      // Half to each replica, all at once.
      sends.push(sendToApp(i % 2 === 0 ? rig.appUrl : other.appUrl, SIGNING_SECRET, body));
    }
    await Promise.all(sends);
    const replies = await Promise.all(urls.map((url) => rig.slack.waitForResponse((r) => r.url === url, { timeoutMs: 60_000 })));
    for (const reply of replies) expect(textOf(reply)).not.toMatch(/rate limiting|did not answer in time|internal error/i);
    const seen = rig.emulator.requests.slice(from);
    expect(seen.length).toBeGreaterThan(30);
    // The budget grants at most 10 turns in any second across both replicas; here both replicas, the emulator and the
    // fake Slack share one event loop on a loaded 2-core machine, so an arrival can lag its turn and two bunch up.
    // Allow that one stray, not a second budget: two separate budgets would send ~16 per second and draw dozens of 429s.
    expect(seen.filter((r) => r.status === 429).length).toBeLessThanOrEqual(1);
    expect(peakPerSecond(seen.map((r) => r.at.getTime()))).toBeLessThanOrEqual(11);
  }, 120_000);
});
