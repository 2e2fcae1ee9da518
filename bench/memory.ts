/**
 * Memory benchmark (issue 12): RSS of the bot process after start and after 10,000 mixed commands (help, whoami,
 * flag list, events, annotations and HogQL queries with new text every time, so caches keyed by text are exercised).
 * The bot runs alone in a child process (bench/memory-bot.ts); the fake Slack runs here and the emulator in another
 * child, so neither's memory is counted. RSS is read from the bot's own `GET /metrics` after each 1,000 commands.
 *
 * Env: MEMORY_COMMANDS (default 10000), MEMORY_CONCURRENCY (default 4).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_BOT_TOKEN, sendToApp, slashCommand, startFakeSlack } from '../src/fake-slack/index.js';
import { machine } from './fanout.js';

const SECRET = 'bench-signing-secret-0123456789abcdef';
const KEY = 'bench-maton-key-0123456789';
const TEAM = 'T0MEMORY001';
const USERS = Array.from({ length: 50 }, (_, i) => `U0MEM${String(i).padStart(5, '0')}`);
const CHANNEL = 'C0MEMORY001';

export interface MemoryResult {
  commands: number;
  startMb: number;
  /** RSS after each 1,000 commands. */
  samplesMb: number[];
  /** V8 heap in use after each 1,000 commands (what a leak would grow, unlike RSS's allocator slack). */
  heapMb: number[];
  /** At the end: V8's heap as reserved (used plus headroom) and memory held outside it (buffers, WASM). */
  endHeapTotalMb: number;
  endExternalMb: number;
  endMb: number;
  growthLastHalfMb: number;
  failures: number;
  machine: string;
}

/**
 * The V8 flags `npm start` gives the bot (package.json's start script), so the bot is measured as it runs in
 * production; MEMORY_NODE_FLAGS overrides them for experiments.
 */
export function startFlags(): string[] {
  if (process.env.MEMORY_NODE_FLAGS !== undefined) return process.env.MEMORY_NODE_FLAGS.split(/\s+/).filter(Boolean);
  const start = String(
    (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts.start,
  );
  return start.split(/\s+/).filter((a) => /^--(max-|optimize|heap-)/.test(a));
}

function spawnWaiting(
  args: string[],
  env: NodeJS.ProcessEnv,
  pattern: RegExp,
  flags: string[] = [],
): Promise<{ child: ChildProcess; match: string }> {
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const m = pattern.exec(out);
      if (m) resolve({ child, match: m[1]! });
    });
  });
}

async function memoryMb(port: string): Promise<{ rss: number; heap: number; heapTotal: number; external: number }> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const read = (name: string) =>
    Number(
      text
        .split('\n')
        .find((l) => l.startsWith(`${name} `))
        ?.split(' ')[1] ?? Number.NaN,
    ) /
    2 ** 20;
  return {
    rss: read('hogbot_process_resident_memory_bytes'),
    heap: read('hogbot_nodejs_heap_size_used_bytes'),
    heapTotal: read('hogbot_nodejs_heap_size_total_bytes'),
    external: read('hogbot_nodejs_external_memory_bytes'),
  };
}

const mix = (i: number): string => {
  switch (i % 6) {
    case 0:
      return 'help';
    case 1:
      return 'whoami';
    case 2:
      return 'flag list';
    case 3:
      return 'events';
    case 4:
      return 'annotations';
    default:
      return `query SELECT event, count() FROM events WHERE timestamp > now() - INTERVAL ${1 + (i % 300)} DAY GROUP BY event LIMIT 5 -- run ${i}`;
  }
};

export async function benchMemory(opts: { commands?: number; concurrency?: number } = {}): Promise<MemoryResult> {
  const commands = opts.commands ?? Number(process.env.MEMORY_COMMANDS ?? 10_000);
  const concurrency = opts.concurrency ?? Number(process.env.MEMORY_CONCURRENCY ?? 4);
  const dir = await mkdtemp(join(tmpdir(), 'hogbot-memory-'));
  const slack = await startFakeSlack({
    users: USERS.map((id, i) => ({
      id,
      teamId: TEAM,
      name: `m${i}`,
      realName: `Member ${i}`,
      email: `m${i}@acme.com`,
      tz: 'UTC',
      isAdmin: i === 0,
    })),
    tokens: [DEFAULT_BOT_TOKEN],
  });
  const emulator = await spawnWaiting(
    [new URL('../src/emulator/main.ts', import.meta.url).pathname],
    { EMULATOR_PORT: '0', EMULATOR_API_KEY: KEY, EMULATOR_RATE_LIMIT: '0' },
    /listening on (http:\/\/127\.0\.0\.1:\d+)/,
  );
  const bot = await spawnWaiting(
    [new URL('./memory-bot.ts', import.meta.url).pathname],
    {
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: DEFAULT_BOT_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      MATON_API_KEY: KEY,
      MATON_BASE_URL: emulator.match,
      DATABASE_URL: join(dir, 'memory.sqlite'),
      PORT: '0',
      LOG_LEVEL: 'error',
    },
    /port (\d+)/,
    startFlags(),
  );
  const port = bot.match;
  const appUrl = `http://127.0.0.1:${port}/slack/events`;
  let failures = 0;
  try {
    const startMb = (await memoryMb(port)).rss;
    const samplesMb: number[] = [];
    const heapMb: number[] = [];
    let next = 0;
    const worker = async () => {
      while (next < commands) {
        const i = next;
        next += 1;
        const user = USERS[i % USERS.length]!;
        const responseUrl = slack.responseUrl({ channel: CHANNEL, user });
        const done = slack
          .waitForResponse((r) => r.url === responseUrl && !/^HogQL: (Running|Still)/.test(String(r.body.text ?? '')), {
            timeoutMs: 30_000,
          })
          .catch(() => null);
        const ack = await sendToApp(
          appUrl,
          SECRET,
          slashCommand({
            team_id: TEAM,
            user_id: user,
            channel_id: CHANNEL,
            text: mix(i),
            response_url: responseUrl,
            trigger_id: slack.triggerId({ userId: user }),
          }),
        );
        if (ack.status !== 200 || (await done) === null) failures += 1;
        if ((i + 1) % 1000 === 0) {
          const m = await memoryMb(port);
          samplesMb.push(m.rss);
          heapMb.push(m.heap);
          // The fake Slack keeps everything it saw; it lives in this process, but keep it small all the same.
          slack.reset();
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const end = await memoryMb(port);
    const endMb = end.rss;
    const half = Math.floor(samplesMb.length / 2);
    return {
      commands,
      startMb,
      samplesMb,
      heapMb,
      endHeapTotalMb: end.heapTotal,
      endExternalMb: end.external,
      endMb,
      growthLastHalfMb: (samplesMb.at(-1) ?? endMb) - (samplesMb[half - 1] ?? startMb),
      failures,
      machine: machine(),
    };
  } finally {
    bot.child.kill('SIGTERM');
    emulator.child.kill();
    await slack.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchMemory()));
}
