/**
 * Fan-out benchmark (issue 12): N replicas of the real app on one PostgreSQL schema, M digests due in the same minute
 * across C channels, the emulator enforcing Maton's 10 requests per second per account (429 + Retry-After, in its own
 * process so its clock is not held up by the bots) and the fake Slack enforcing about 1 chat.postMessage per second per
 * channel (429 + Retry-After). Real time, no simulated clock: the replicas share this process, each with its own store
 * pool, budget pool and scheduler, as separate processes would share the database.
 *
 * Prints: delivered, duplicates (a digest's title posted twice), time from the moment they are due (the replicas start
 * then) to the last post, the floor
 * the limits allow (max of Maton requests / 10 per s and the busiest channel's posts / 1 per s), and 429s drawn.
 *
 * Env: FANOUT_DIGESTS (default 300), FANOUT_REPLICAS (3), FANOUT_CHANNELS (100), FANOUT_MATON_SLOT_MS (the budget's
 * default), TEST_DATABASE_URL.
 */
import { cpus } from 'node:os';
import { startEmulatorProcess } from './emulator-process.js';
import { createHogbot, type Hogbot } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { DEFAULT_BOT_TOKEN, startFakeSlack } from '../src/fake-slack/index.js';
import { type Limits, openBudget } from '../src/limiter.js';
import { createLogger } from '../src/logger.js';
import { openStore } from '../src/store/open.js';
import type { Store } from '../src/store/store.js';
import { createScratchSchema, postgresTestUrl } from '../test/store/postgres-leg.js';

const SECRET = 'bench-signing-secret-0123456789abcdef';
const KEY = 'bench-maton-key-0123456789';
const TEAM = 'T0FANOUT001';
const USER = 'U0FANOUT001';

export interface FanoutResult {
  digests: number;
  replicas: number;
  channels: number;
  delivered: number;
  duplicates: number;
  lastAfterMs: number;
  floorMs: number;
  matonRequests: number;
  maton429: number;
  slackPosts: number;
  slack429: number;
  machine: string;
}

export function machine(): string {
  const cpu = cpus();
  return `${cpu[0]?.model.trim() ?? 'unknown CPU'} x${cpu.length}, Node ${process.version}`;
}

export async function benchFanout(opts: { digests?: number; replicas?: number; channels?: number } = {}): Promise<FanoutResult> {
  const digests = opts.digests ?? Number(process.env.FANOUT_DIGESTS ?? 300);
  const replicaCount = opts.replicas ?? Number(process.env.FANOUT_REPLICAS ?? 3);
  const channelCount = opts.channels ?? Number(process.env.FANOUT_CHANNELS ?? 100);
  const schema = await createScratchSchema(postgresTestUrl);
  const slack = await startFakeSlack({
    users: [{ id: USER, teamId: TEAM, name: 'f', realName: 'Fan Out', email: 'f@acme.com', tz: 'UTC', isAdmin: true }],
    tokens: [DEFAULT_BOT_TOKEN],
    postsPerSecondPerChannel: 1,
    postBurst: 3,
  });
  const emulator = await startEmulatorProcess({ apiKey: KEY, rateLimitPerSecond: 10 });
  const config = loadConfig({
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_BOT_TOKEN: DEFAULT_BOT_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    MATON_API_KEY: KEY,
    MATON_BASE_URL: emulator.url,
    DATABASE_URL: schema.url,
    PORT: '0',
    LOG_LEVEL: 'error',
  });
  const logger = createLogger({ secrets: config.secrets, sink: () => undefined });
  const stores: Store[] = [];
  const bots: Hogbot[] = [];
  const budgets: Limits[] = [];
  const slotMs = Number(process.env.FANOUT_MATON_SLOT_MS ?? 0) || undefined;
  try {
    for (let i = 0; i < replicaCount; i += 1) {
      const store = await openStore(config.databaseUrl, { logger });
      stores.push(store);
      // Slack's own client retries a 429 after its Retry-After, as in production.
      const limits = await openBudget({ databaseUrl: config.databaseUrl, ...(slotMs && { matonSlotMs: slotMs }) });
      budgets.push(limits);
      bots.push(await createHogbot({ config, store, logger, limits, scheduler: { enabled: true, intervalMs: 30_000 } }));
    }
    const due = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const cadence = { kind: 'daily' as const, hour: due.getUTCHours(), minute: due.getUTCMinutes(), timezone: 'UTC' };
    for (let i = 0; i < digests; i += 1) {
      await stores[0]!.schedules.createSchedule({
        id: `fan${i}`,
        kind: 'digest',
        teamId: TEAM,
        enterpriseId: null,
        channelId: `C0FAN${String(i % channelCount).padStart(5, '0')}`,
        title: `Fanout ${i}`,
        cadence,
        spec: { items: [{ kind: 'flag_changes' }] },
        state: null,
        createdBy: USER,
        createdAt: new Date(due.getTime() - 86_400_000),
        nextRunAt: due,
      });
    }
    await fetch(`${emulator.url}/_emulator/requests`, { method: 'DELETE' });
    const started = Date.now();
    await Promise.all(bots.map((b) => b.start()));
    const heads = () =>
      slack.calls.filter((c) => c.method === 'chat.postMessage' && c.ok && /^Fanout \d+:/.test(String(c.args.text ?? '')));
    const deadline = started + 30 * 60_000;
    while (new Set(heads().map((c) => String(c.args.text).split(':')[0])).size < digests && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // Let any stragglers (an item after its head, a duplicate) land before counting.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const posts = slack.calls.filter((c) => c.method === 'chat.postMessage' && String(c.args.channel).startsWith('C0FAN'));
    const okPosts = posts.filter((c) => c.ok);
    const lastAt = Math.max(...okPosts.map((c) => c.at.getTime()));
    const titles = heads().map((c) => String(c.args.text).split(':')[0]);
    const perChannel = new Map<string, number>();
    for (const c of okPosts) perChannel.set(String(c.args.channel), (perChannel.get(String(c.args.channel)) ?? 0) + 1);
    const requests = ((await (await fetch(`${emulator.url}/_emulator/requests`)).json()) as { requests: Array<{ status: number | null }> })
      .requests;
    const matonOk = requests.filter((r) => r.status !== 429).length;
    // The floor: Maton's 10 per second for the requests that had to be made, or the busiest channel at 1 post per second.
    const floorMs = Math.max((matonOk / 10) * 1000, (Math.max(...perChannel.values()) - 1) * 1000);
    return {
      digests,
      replicas: replicaCount,
      channels: channelCount,
      delivered: new Set(titles).size,
      duplicates: titles.length - new Set(titles).size,
      lastAfterMs: lastAt - started,
      floorMs,
      matonRequests: requests.length,
      maton429: requests.filter((r) => r.status === 429).length,
      slackPosts: posts.length,
      slack429: posts.filter((c) => c.status === 429).length,
      machine: machine(),
    };
  } finally {
    await Promise.all(bots.map((b) => b.stop().catch(() => undefined)));
    await Promise.all(stores.map((s) => s.close().catch(() => undefined)));
    await Promise.all(budgets.map((b) => b.close?.().catch(() => undefined)));
    await slack.close();
    emulator.child.kill();
    await schema.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchFanout();
  console.log(JSON.stringify(r));
}
