import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_COMMAND_ACTION } from '../../views/run-button.js';
import { createHogbot, type Hogbot } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import {
  blockActions,
  DEFAULT_BOT_TOKEN,
  FakeSocketModeError,
  slashCommand,
  startFakeSlack,
  type FakeSlack,
  type SocketConnection,
} from '../../src/fake-slack/index.js';
import { imageKey, newImageId, signedImageUrl } from '../../src/images/signing.js';
import { createLogger, type LogLine } from '../../src/logger.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { ADMIN, CHANNEL, MATON_KEY, T1, textOf } from '../rig/harness.js';

const APP_TOKEN = 'xapp-test-socket-mode-integration-secret';

let slack: FakeSlack;
let emulator: Emulator;
let store: Store;
let hogbot: Hogbot;
let dir: string;
let port: number;
let connection: SocketConnection;
let stopped = false;
const logs: LogLine[] = [];
/** Requests the bot tried to send off this machine (none should happen: every Slack URL must be the fake's). */
const refused: string[] = [];
const realFetch = globalThis.fetch;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = server.address() as { port: number };
      server.close(() => resolve(free));
    });
  });
}

/**
 * Web clients capture `fetch` when they are built, so this must be in place before createHogbot. A refused request
 * answers `invalid_auth`, which Socket Mode treats as fatal: start() fails at once instead of retrying slack.com.
 */
function loopbackOnlyFetch(): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') return realFetch(input, init);
    refused.push(`${url.origin}${url.pathname}`);
    return new Response(JSON.stringify({ ok: false, error: 'invalid_auth' }), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
}

beforeAll(async () => {
  globalThis.fetch = loopbackOnlyFetch();
  slack = await startFakeSlack({
    users: [{ id: ADMIN, teamId: T1, name: 'ana', realName: 'Ana Admin', email: 'ana@acme.com', isAdmin: true }],
    // The bot token is T1's: the one workspace the gateway's default connection serves (issue 11).
    tokens: [{ token: DEFAULT_BOT_TOKEN, teamId: T1 }],
    appTokens: [APP_TOKEN],
  });
  emulator = await startEmulator({ apiKey: MATON_KEY, rateLimitPerSecond: 0 });
  dir = await mkdtemp(join(tmpdir(), 'hogbot-socket-'));
  const config = loadConfig({
    SLACK_APP_TOKEN: APP_TOKEN,
    SLACK_BOT_TOKEN: DEFAULT_BOT_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    MATON_API_KEY: MATON_KEY,
    MATON_BASE_URL: emulator.url,
    DATABASE_URL: join(dir, 'hogbot.sqlite'),
    PORT: String(await freePort()),
    PUBLIC_URL: 'https://hogbot.example.test',
  });
  expect(config.mode).toBe('socket');
  const logger = createLogger({ secrets: config.secrets, sink: (line) => logs.push(line) });
  store = await openStore(config.databaseUrl, { logger });
  hogbot = await createHogbot({
    config,
    store,
    logger,
    host: '127.0.0.1',
    slackClientOptions: { retryConfig: { retries: 0 } },
    gateway: { timeoutMs: 2_000, sleep: async () => undefined },
    scheduler: { enabled: false },
  });
  const started = await hogbot.start().catch((error: unknown) => {
    throw new Error(`Socket Mode start failed (requests refused off-machine: ${refused.join(', ') || 'none'}): ${String(error)}`);
  });
  port = started.port;
  connection = await slack.socketMode.waitForConnection();
});

afterAll(async () => {
  if (!stopped) await hogbot?.stop().catch(() => undefined);
  await store?.close().catch(() => undefined);
  await slack?.close();
  await emulator?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  globalThis.fetch = realFetch;
});

describe('Socket Mode', () => {
  it('opens the socket with the app-level token, through the fake', () => {
    expect(refused).toEqual([]);
    const open = slack.calls.filter((c) => c.method === 'apps.connections.open');
    expect(open.map((c) => [c.ok, c.token])).toEqual([[true, APP_TOKEN]]);
    expect(connection.closed).toBeUndefined();
  });

  it('acks /ph whoami on the socket and answers on the response_url with the Acme account', async () => {
    const responseUrl = slack.responseUrl({ channel: CHANNEL, user: ADMIN });
    const command = slashCommand({
      team_id: T1,
      user_id: ADMIN,
      channel_id: CHANNEL,
      text: 'whoami',
      response_url: responseUrl,
      trigger_id: slack.triggerId({ userId: ADMIN }),
    }).payload;

    const ack = await slack.socketMode.send('slash_commands', command);

    const envelope = slack.socketMode.envelopes.at(-1);
    expect(envelope?.envelope).toMatchObject({ type: 'slash_commands', accepts_response_payload: true });
    expect(ack).toMatchObject({ envelope_id: envelope?.envelope.envelope_id, connectionId: connection.id });
    const reply = await slack.waitForResponse((r) => r.url === responseUrl, { timeoutMs: 8_000 });
    expect(reply.ok).toBe(true);
    expect(textOf(reply)).toContain('Acme');
  });

  it('runs a Run-command button click (block_actions) delivered on the socket', async () => {
    const responseUrl = slack.responseUrl({ channel: CHANNEL, user: ADMIN, messageTs: '1700000000.000100' });
    const click = blockActions({
      team_id: T1,
      user_id: ADMIN,
      trigger_id: slack.triggerId({ userId: ADMIN }),
      channel_id: CHANNEL,
      response_url: responseUrl,
      message_ts: '1700000000.000100',
      actions: [{ action_id: RUN_COMMAND_ACTION, value: 'projects' }],
    }).payload;

    const ack = await slack.socketMode.send('interactive', click);

    expect(slack.socketMode.envelopes.at(-1)?.envelope).toMatchObject({
      type: 'interactive',
      envelope_id: ack.envelope_id,
      accepts_response_payload: false,
    });
    const reply = await slack.waitForResponse((r) => r.url === responseUrl, { timeoutMs: 8_000 });
    expect(reply.ok).toBe(true);
    expect(textOf(reply)).toContain('Acme Mobile');
  });

  it('still serves /healthz on PORT', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect((await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST' })).status).toBe(404);
  });

  it('serves signed chart images on PORT too (PUBLIC_URL without an HTTP receiver)', async () => {
    const key = imageKey(hogbot.services.config)!;
    const id = newImageId();
    const now = Date.now();
    await store.images.put({
      id,
      teamId: T1,
      contentType: 'image/png',
      bytes: Buffer.from('png-bytes'),
      createdAt: new Date(now),
      expiresAt: new Date(now + 60_000),
    });
    const url = signedImageUrl(`http://127.0.0.1:${port}`, key, id, new Date(now + 60_000));
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('png-bytes');
    expect((await fetch(url.replace(/sig=(.)/, (_, c: string) => `sig=${c === 'A' ? 'B' : 'A'}`))).status).toBe(403);
  });

  it('closes the socket with a clean close handshake on stop()', async () => {
    stopped = true;
    await hogbot.stop();
    const closed = await slack.socketMode.waitForClose(connection.id);
    expect(closed.closed).toMatchObject({ code: 1000, initiatedBy: 'client', clean: true });
    await expect(slack.socketMode.send('slash_commands', { command: '/ph', text: 'whoami' })).rejects.toBeInstanceOf(FakeSocketModeError);
    expect(slack.calls.filter((c) => c.method === 'apps.connections.open')).toHaveLength(1);
    expect(refused).toEqual([]);
    // The logger scrubs secrets; the app token must not surface in anything the bot logged.
    expect(logs.map((l) => l.message).join('\n')).not.toContain(APP_TOKEN);
  });
});
