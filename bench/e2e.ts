/**
 * Benchmark (c): what the bot itself adds to a `/ph query`. The real app over signed HTTP and the fake Slack share
 * this process (one clock times both); the emulator runs in a child process, so its parsing and DuckDB work never
 * block the bot's event loop and count as upstream. Every gateway request is timed inside a wrapped fetch (body
 * included); the query's upstream window runs from the POST /query/ to the end of the poll that returned the result.
 * Bot overhead = time to the posted result minus that window.
 *
 * Hogbot paces its Maton requests at Maton's 10 per second; 200 back-to-back queries (two requests each, or more)
 * would measure that pacing instead of the bot, so the bench gives it a roomier bucket (the emulator has no limit).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulatorProcess } from './emulator-process.js';
import { createHogbot } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { DEFAULT_BOT_TOKEN, sendToApp, slashCommand, startFakeSlack } from '../src/fake-slack/index.js';
import { createLimits } from '../src/limiter.js';
import { createLogger } from '../src/logger.js';
import { openStore } from '../src/store/open.js';

const SECRET = 'bench-signing-secret-0123456789abcdef';
const KEY = 'bench-maton-key-0123456789';
const USER = 'U0BENCH0001';
const TEAM = 'T0BENCH0001';
const CHANNEL = 'C0BENCH0001';
export const E2E_QUERY = 'SELECT event, count() FROM events GROUP BY event ORDER BY count() DESC LIMIT 10';

export interface E2EBench {
  runs: number;
  totalMs: number[];
  upstreamWindowMs: number[];
  upstreamHttpMs: number[];
  overheadMs: number[];
}

interface Span {
  start: number;
  end: number;
  query: boolean;
}

/**
 * `freshText`: each run's query differs by a trailing comment, so the parser's verdict is never remembered and its
 * full cost is in the overhead; otherwise the same text repeats, as re-runs and scheduled queries do.
 */
export async function benchQueryOverhead(runs: number, opts: { warmup?: number; freshText?: boolean } = {}): Promise<E2EBench> {
  const warmup = opts.warmup ?? 20;
  const dir = await mkdtemp(join(tmpdir(), 'hogbot-bench-'));
  const slack = await startFakeSlack({
    users: [{ id: USER, teamId: TEAM, name: 'b', realName: 'Bench', email: 'b@acme.com', tz: 'Europe/Berlin' }],
    tokens: [DEFAULT_BOT_TOKEN],
  });
  const emulator = await startEmulatorProcess({ apiKey: KEY, rateLimitPerSecond: 0 });
  let spans: Span[] = [];
  const timedFetch: typeof fetch = async (input, init) => {
    const start = performance.now();
    const res = await fetch(input, init);
    const body = await res.arrayBuffer();
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    spans.push({ start, end: performance.now(), query: url.includes('/query/') });
    return new Response(res.status === 204 ? null : body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
  const config = loadConfig({
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_BOT_TOKEN: DEFAULT_BOT_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    MATON_API_KEY: KEY,
    MATON_BASE_URL: emulator.url,
    DATABASE_URL: join(dir, 'bench.sqlite'),
    PORT: '0',
    LOG_LEVEL: 'error',
  });
  const logger = createLogger({ secrets: config.secrets, sink: () => undefined });
  const store = await openStore(config.databaseUrl, { logger });
  const bot = await createHogbot({
    config,
    store,
    logger,
    fetch: timedFetch,
    limits: createLimits({ matonPerSecond: 10_000 }),
    slackClientOptions: { retryConfig: { retries: 0 } },
  });
  const { port } = await bot.start();
  const appUrl = `http://127.0.0.1:${port}/slack/events`;

  const result: E2EBench = { runs, totalMs: [], upstreamWindowMs: [], upstreamHttpMs: [], overheadMs: [] };
  try {
    for (let i = 0; i < warmup + runs; i += 1) {
      spans = [];
      const responseUrl = slack.responseUrl({ channel: CHANNEL, user: USER });
      const finalPosted = new Promise<number>((resolve) => {
        const off = slack.on('event', (e) => {
          if (e.kind === 'response' && e.url === responseUrl && !/^HogQL: (Running|Still)/.test(String(e.body.text))) {
            off();
            resolve(performance.now());
          }
        });
      });
      const body = slashCommand({
        team_id: TEAM,
        user_id: USER,
        channel_id: CHANNEL,
        text: `query ${E2E_QUERY}${opts.freshText ? ` -- run ${i}` : ''}`,
        response_url: responseUrl,
        trigger_id: slack.triggerId({ userId: USER }),
      });
      const sent = performance.now();
      const ack = await sendToApp(appUrl, SECRET, body);
      if (ack.status !== 200) throw new Error(`slash command answered ${ack.status}`);
      const posted = await finalPosted;
      if (i < warmup) continue;
      const query = spans.filter((s) => s.query);
      const window = query.length === 0 ? 0 : Math.max(...query.map((s) => s.end)) - Math.min(...query.map((s) => s.start));
      const total = posted - sent;
      result.totalMs.push(total);
      result.upstreamWindowMs.push(window);
      result.upstreamHttpMs.push(spans.reduce((n, s) => n + (s.end - s.start), 0));
      result.overheadMs.push(total - window);
    }
  } finally {
    await bot.stop();
    await store.close();
    await slack.close();
    emulator.child.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
  return result;
}
