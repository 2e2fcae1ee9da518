import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_BOT_TOKEN,
  DEFAULT_TEAM,
  appMentionEvent,
  blockActions,
  eventCallback,
  linkSharedEvent,
  sendToApp,
  slashCommand,
  startFakeSlack,
  urlVerification,
  viewSubmission,
  type FakeSlack,
} from '../../src/fake-slack/index.js';
import { silentLogger } from './helpers.js';

/**
 * The payload builders are only useful if real Bolt parses them the way it parses Slack's: route a slash command,
 * a button click, a modal submission and events through a real Bolt app talking to the fake.
 */
const SECRET = 'roundtrip-signing-secret';
const TEAM = DEFAULT_TEAM.id;

let fake: FakeSlack;
let app: App;
let appUrl: string;
const retries: Array<number | undefined> = [];

beforeAll(async () => {
  fake = await startFakeSlack();
  app = new App({
    signingSecret: SECRET,
    token: DEFAULT_BOT_TOKEN,
    logger: silentLogger,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
  });
  app.command('/ph', async ({ ack, respond, command }) => {
    await ack();
    await respond({ text: `you asked: ${command.text}`, response_type: 'in_channel' });
  });
  app.action('apply', async ({ ack, respond, action }) => {
    await ack();
    await respond({ replace_original: true, text: `applied ${'value' in action ? String(action.value) : ''}` });
  });
  app.view('query_modal', async ({ ack, view }) => {
    const value = view.state.values.q?.input?.value ?? '';
    await ack({ response_action: 'errors', errors: { q: `echo ${value} / ${view.private_metadata}` } });
  });
  app.event('link_shared', async ({ event, client }) => {
    const unfurls = Object.fromEntries(event.links.map((l) => [l.url, { blocks: [{ type: 'divider' }] }]));
    await client.chat.unfurl({ channel: event.channel, ts: event.message_ts, unfurls });
  });
  app.event('app_mention', async ({ context }) => {
    retries.push(context.retryNum);
  });
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
});

beforeEach(() => {
  fake.reset();
});

afterAll(async () => {
  await app.stop();
  await fake.close();
});

describe('payload builders through real Bolt', () => {
  it('slash command: acked, then respond() reaches the fake response_url', async () => {
    const responseUrl = fake.responseUrl({ channel: 'C1', user: 'U1' });
    const res = await sendToApp(
      appUrl,
      SECRET,
      slashCommand({
        team_id: TEAM,
        user_id: 'U1',
        channel_id: 'C1',
        text: 'trends',
        response_url: responseUrl,
        trigger_id: fake.triggerId(),
      }),
    );
    expect(res.status).toBe(200);
    const response = await fake.waitForResponse();
    expect(response.body).toMatchObject({ text: 'you asked: trends', response_type: 'in_channel' });
    expect(fake.messages('C1').map((m) => m.text)).toEqual(['you asked: trends']);
  });

  it('block_actions: the button value arrives and replace_original rewrites the clicked message', async () => {
    const { ts } = await app.client.chat.postMessage({ channel: 'C1', text: 'Apply?' });
    const responseUrl = fake.responseUrl({ channel: 'C1', user: 'U1', messageTs: String(ts) });
    const res = await sendToApp(
      appUrl,
      SECRET,
      blockActions({
        team_id: TEAM,
        user_id: 'U1',
        channel_id: 'C1',
        message_ts: String(ts),
        trigger_id: fake.triggerId(),
        response_url: responseUrl,
        actions: [{ action_id: 'apply', block_id: 'plan', value: 'plan-42' }],
      }),
    );
    expect(res.status).toBe(200);
    await fake.waitForResponse();
    expect(fake.messages('C1')).toMatchObject([{ ts, text: 'applied plan-42' }]);
  });

  it('view_submission: state values and private_metadata arrive; the ack body comes back', async () => {
    const res = await sendToApp(
      appUrl,
      SECRET,
      viewSubmission({
        team_id: TEAM,
        user_id: 'U1',
        view: {
          id: 'V1',
          callback_id: 'query_modal',
          private_metadata: 'proj-7',
          state: { values: { q: { input: { type: 'plain_text_input', value: 'select 1' } } } },
        },
      }),
    );
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ response_action: 'errors', errors: { q: 'echo select 1 / proj-7' } });
  });

  it('event_callback: link_shared leads to chat.unfurl on the fake', async () => {
    const event = linkSharedEvent({
      channel: 'C1',
      user: 'U1',
      message_ts: '1700000000.000100',
      links: [{ url: 'https://us.posthog.com/project/1/insights/abc' }],
    });
    const res = await sendToApp(appUrl, SECRET, eventCallback({ team_id: TEAM, event }));
    expect(res.status).toBe(200);
    const call = await fake.waitForCall('chat.unfurl');
    expect(call.ok).toBe(true);
    expect(Object.keys(call.args.unfurls as object)).toEqual(['https://us.posthog.com/project/1/insights/abc']);
  });

  it('event_callback redelivery: Bolt sees the retry number', async () => {
    retries.length = 0;
    const body = eventCallback({ team_id: TEAM, event: appMentionEvent({ user: 'U1', channel: 'C1', text: '<@U0FAKEBOT01> hi' }) });
    expect((await sendToApp(appUrl, SECRET, body, { retryNum: 1, retryReason: 'http_timeout' })).status).toBe(200);
    await expect.poll(() => retries).toEqual([1]);
  });

  it('url_verification is answered with the challenge; a bad signature is refused', async () => {
    const res = await sendToApp(appUrl, SECRET, urlVerification('challenge-123'));
    expect(res.json).toEqual({ challenge: 'challenge-123' });
    expect((await sendToApp(appUrl, SECRET, urlVerification('x'), { tamper: true })).status).toBe(401);
  });
});
