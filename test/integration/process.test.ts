import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { DEFAULT_BOT_TOKEN, type FakeSlack, sendToApp, slashCommand, startFakeSlack } from '../../src/fake-slack/index.js';
import { ADMIN, MATON_KEY, SIGNING_SECRET, T1, textOf } from '../rig/harness.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function until(check: () => boolean, ms: number, what: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('npm start as a process', () => {
  let slack: FakeSlack;
  let emulator: Emulator;
  let dir: string;

  beforeAll(async () => {
    // The bot token is T1's: the gateway's default connection serves the token's own workspace only (issue 11).
    slack = await startFakeSlack({ users: [{ id: ADMIN, teamId: T1, isAdmin: true }], tokens: [{ token: DEFAULT_BOT_TOKEN, teamId: T1 }] });
    emulator = await startEmulator({ apiKey: MATON_KEY, rateLimitPerSecond: 0 });
    dir = await mkdtemp(join(tmpdir(), 'hogbot-proc-'));
  });
  afterAll(async () => {
    await slack?.close();
    await emulator?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves /ph on PORT in HTTP mode and exits cleanly on SIGTERM', async () => {
    const port = await freePort();
    const proc = run({
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: DEFAULT_BOT_TOKEN,
      MATON_API_KEY: MATON_KEY,
      SLACK_API_URL: slack.apiUrl,
      MATON_BASE_URL: emulator.url,
      DATABASE_URL: join(dir, 'hogbot.sqlite'),
      PORT: String(port),
    });
    try {
      await until(() => proc.output().includes('Hogbot is running'), 20_000, proc.output);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

      const responseUrl = slack.responseUrl();
      const body = slashCommand({
        team_id: T1,
        user_id: ADMIN,
        channel_id: 'C1',
        text: 'whoami',
        response_url: responseUrl,
        trigger_id: slack.triggerId(),
      });
      const ack = await sendToApp(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET, body);
      expect(ack.status).toBe(200);
      const reply = await slack.waitForResponse((r) => r.url === responseUrl, { timeoutMs: 10_000 });
      expect(textOf(reply), proc.output()).toContain('Acme');

      proc.child.kill('SIGTERM');
      expect(await proc.exited).toBe(0);
      for (const secret of [SIGNING_SECRET, DEFAULT_BOT_TOKEN, MATON_KEY]) expect(proc.output()).not.toContain(secret);
    } finally {
      proc.child.kill('SIGKILL');
    }
  });

  it('stops at startup with a clear message when Slack refuses the bot token', async () => {
    const proc = run({
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: 'xoxb-not-a-token-the-fake-knows',
      MATON_API_KEY: MATON_KEY,
      SLACK_API_URL: slack.apiUrl,
      MATON_BASE_URL: emulator.url,
      DATABASE_URL: join(dir, 'refused.sqlite'),
      PORT: String(await freePort()),
    });
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain('Slack did not accept the bot token (invalid_auth)');
    expect(proc.output()).not.toContain('xoxb-not-a-token-the-fake-knows');
  });

  it('stops at startup when the signing secret is 1 character (issue 11 item 6)', async () => {
    const proc = run({
      SLACK_SIGNING_SECRET: 'z',
      SLACK_BOT_TOKEN: DEFAULT_BOT_TOKEN,
      MATON_API_KEY: MATON_KEY,
      SLACK_API_URL: slack.apiUrl,
      MATON_BASE_URL: emulator.url,
      DATABASE_URL: join(dir, 'short.sqlite'),
      PORT: String(await freePort()),
    });
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain('SLACK_SIGNING_SECRET is too short: Slack signing secrets are 32 characters');
  });

  it('stops at startup with one message naming each problem, and no secret', async () => {
    const proc = run({ SLACK_BOT_TOKEN: 'xoxb-secret-value-123456', PORT: 'http' });
    expect(await proc.exited).toBe(1);
    const output = proc.output();
    expect(output).toContain('Hogbot cannot start');
    expect(output).toContain('SLACK_SIGNING_SECRET is missing');
    expect(output).toContain('PORT must be a port number');
    expect(output).not.toContain('xoxb-secret-value-123456');
  });
});
