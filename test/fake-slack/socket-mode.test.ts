import { channel } from 'node:diagnostics_channel';
import { SocketModeClient } from '@slack/socket-mode';
import { ping, WebSocket } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_APP_ID,
  DEFAULT_BOT_TOKEN,
  FakeSocketModeError,
  slashCommand,
  startFakeSlack,
  type FakeSlack,
} from '../../src/fake-slack/index.js';
import { clientFor, silentLogger, slackError } from './helpers.js';

const APP_TOKEN = 'xapp-test-fake-socket-mode-secret';

let fake: FakeSlack;
const clients: SocketModeClient[] = [];
const sockets: WebSocket[] = [];

beforeEach(async () => {
  fake = await startFakeSlack({ appTokens: [APP_TOKEN] });
});

afterEach(async () => {
  // Clients first: a client that sees the fake go away first would try to reconnect to a closed port.
  await Promise.all(clients.splice(0).map((c) => c.disconnect()));
  for (const ws of sockets.splice(0)) ws.close();
  await fake.close();
});

function socketClient(opts: { autoReconnectEnabled?: boolean } = {}): SocketModeClient {
  const client = new SocketModeClient({
    appToken: APP_TOKEN,
    logger: silentLogger,
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    autoReconnectEnabled: opts.autoReconnectEnabled ?? false,
    // The client waits this long before reconnecting (and pings at a third of it); the default 5 s slows tests down.
    clientPingTimeout: 1_500,
  });
  clients.push(client);
  return client;
}

async function openUrl(): Promise<string> {
  const res = await clientFor(fake, APP_TOKEN).apps.connections.open({});
  return res.url ?? '';
}

/** A bare undici WebSocket (what @slack/socket-mode drives), for the wire-level checks. */
function rawSocket(url: string): Promise<{ ws: WebSocket; messages: unknown[] }> {
  const ws = new WebSocket(url);
  sockets.push(ws);
  const messages: unknown[] = [];
  ws.addEventListener('message', (e) => messages.push(JSON.parse(String(e.data))));
  return new Promise((resolve, reject) => {
    ws.addEventListener('open', () => resolve({ ws, messages }));
    ws.addEventListener('error', () => reject(new Error('handshake refused')));
  });
}

describe('apps.connections.open', () => {
  it('answers a one-time ws:// URL on this server for a configured app-level token', async () => {
    const url = await openUrl();
    expect(url).toMatch(new RegExp(`^${fake.url.replace('http://', 'ws://')}/socket-mode/\\S+$`));
    const call = fake.calls.find((c) => c.method === 'apps.connections.open');
    expect(call?.ok).toBe(true);
  });

  it('refuses bot tokens by type, unknown app tokens, and no token', async () => {
    expect(await slackError(clientFor(fake, DEFAULT_BOT_TOKEN).apps.connections.open({}))).toBe('not_allowed_token_type');
    expect(await slackError(clientFor(fake, 'xapp-1-unknown-0000').apps.connections.open({}))).toBe('invalid_auth');
    expect(await slackError(clientFor(fake, null).apps.connections.open({}))).toBe('not_authed');
  });

  it('honours failNext, so reconnect paths can be tested', async () => {
    fake.failNext('apps.connections.open', { error: 'internal_error' });
    expect(await slackError(clientFor(fake, APP_TOKEN).apps.connections.open({}))).toBe('internal_error');
    expect(await openUrl()).toContain('/socket-mode/');
  });
});

describe('the Socket Mode WebSocket', () => {
  it('greets with hello naming the app, and accepts each URL only once', async () => {
    const url = await openUrl();
    const { messages } = await rawSocket(url);
    const connection = await fake.socketMode.waitForConnection();
    expect(connection.appId).toBe(DEFAULT_APP_ID);
    await expect.poll(() => messages.length).toBe(1);
    expect(messages[0]).toMatchObject({ type: 'hello', num_connections: 1, connection_info: { app_id: DEFAULT_APP_ID } });
    expect(messages[0]).toHaveProperty('debug_info.host');

    await expect(rawSocket(url)).rejects.toThrow('handshake refused');
    await expect(rawSocket(`${fake.url.replace('http://', 'ws://')}/socket-mode/made-up`)).rejects.toThrow('handshake refused');
    expect(fake.socketMode.connections).toHaveLength(1);
  });

  it('answers pings with pongs carrying the same payload', async () => {
    const { ws } = await rawSocket(await openUrl());
    const pongs: string[] = [];
    const onPong = (message: unknown) => {
      const m = message as { websocket: unknown; payload: Buffer };
      if (m.websocket === ws) pongs.push(m.payload.toString());
    };
    channel('undici:websocket:pong').subscribe(onPong);
    try {
      ping(ws, Buffer.from('are you there'));
      await expect.poll(() => pongs).toEqual(['are you there']);
      expect((await fake.socketMode.waitForConnection()).pings).toBe(1);
    } finally {
      channel('undici:websocket:pong').unsubscribe(onPong);
    }
  });

  it('delivers envelopes to @slack/socket-mode and resolves with its acks', async () => {
    const client = socketClient();
    const seen: Array<{ type: string; body: unknown }> = [];
    client.on('slash_commands', async ({ ack, body }) => {
      seen.push({ type: 'slash_commands', body });
      await ack({ text: 'working on it' });
    });
    client.on('app_mention', async ({ ack, body }) => {
      seen.push({ type: 'app_mention', body });
      await ack();
    });
    await client.start();

    const command = slashCommand({
      team_id: 'T1',
      user_id: 'U1',
      channel_id: 'C1',
      text: 'whoami',
      response_url: fake.responseUrl(),
      trigger_id: 't',
    }).payload;
    const ack = await fake.socketMode.send('slash_commands', command);
    expect(ack.payload).toEqual({ text: 'working on it' });
    expect(seen[0]).toEqual({ type: 'slash_commands', body: command });
    const [sent] = fake.socketMode.envelopes;
    expect(sent?.envelope).toMatchObject({ type: 'slash_commands', envelope_id: ack.envelope_id, accepts_response_payload: true });

    const event = { type: 'event_callback', team_id: 'T1', event: { type: 'app_mention', user: 'U1', text: 'hi', channel: 'C1' } };
    const eventAck = await fake.socketMode.send('events_api', event);
    expect(eventAck.envelope_id).not.toBe(ack.envelope_id);
    expect(fake.socketMode.envelopes[1]?.envelope).toMatchObject({ accepts_response_payload: false, retry_attempt: 0 });
    expect(seen[1]).toEqual({ type: 'app_mention', body: event });
    expect(fake.socketMode.acks.map((a) => a.envelope_id)).toEqual([ack.envelope_id, eventAck.envelope_id]);
  });

  it('rejects a send nobody acks, and a send with no connection open', async () => {
    await expect(fake.socketMode.send('interactive', { type: 'block_actions' })).rejects.toBeInstanceOf(FakeSocketModeError);
    const client = socketClient();
    client.on('interactive', () => undefined); // receives, never acks
    await client.start();
    await expect(fake.socketMode.send('interactive', { type: 'block_actions' }, { timeoutMs: 200 })).rejects.toThrow(
      /not acked within 200 ms/,
    );
    expect(fake.socketMode.envelopes).toHaveLength(1);
    expect(fake.socketMode.acks).toEqual([]);
  });

  it('asks the client to go with a disconnect message; the client completes the close handshake', async () => {
    const client = socketClient();
    await client.start();
    const first = await fake.socketMode.waitForConnection();
    const gone = new Promise((resolve) => client.once('disconnected', resolve));
    fake.socketMode.disconnect({ reason: 'refresh_requested' });
    await gone;
    const closed = await fake.socketMode.waitForClose(first.id);
    expect(closed.closed).toMatchObject({ code: 1000, initiatedBy: 'client', clean: true });
  });

  it('lets an auto-reconnecting client come back on a fresh URL after a disconnect', async () => {
    const client = socketClient({ autoReconnectEnabled: true });
    await client.start();
    const first = await fake.socketMode.waitForConnection();
    const back = new Promise((resolve) => client.once('connected', resolve));
    fake.socketMode.disconnect({ reason: 'warning' });
    await back;
    const second = await fake.socketMode.waitForConnection();
    expect(second.id).not.toBe(first.id);
    expect(first.closed?.clean).toBe(true);
    expect(fake.calls.filter((c) => c.method === 'apps.connections.open' && c.ok)).toHaveLength(2);
  });

  it('closes live connections with 1001 when the fake shuts down', async () => {
    const { ws } = await rawSocket(await openUrl());
    const closedCode = new Promise<number>((resolve) => ws.addEventListener('close', (e) => resolve(e.code)));
    const connection = await fake.socketMode.waitForConnection();
    await fake.close();
    expect(await closedCode).toBe(1001);
    expect(connection.closed).toMatchObject({ code: 1001, initiatedBy: 'server' });
    fake = await startFakeSlack(); // afterEach closes whatever `fake` is
  });
});
