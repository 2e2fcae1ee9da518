import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isValidSlackRequest } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendToApp, signSlackRequest, slashCommand } from '../../src/fake-slack/index.js';

// Slack's documented example ("Verifying requests from Slack").
const DOC_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const DOC_TIMESTAMP = 1531420618;
const DOC_BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar' +
  '&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com' +
  '%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const DOC_SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';

describe('signSlackRequest', () => {
  it("matches Slack's documented example and an independent HMAC", () => {
    const independent = `v0=${createHmac('sha256', DOC_SECRET).update(`v0:${DOC_TIMESTAMP}:${DOC_BODY}`).digest('hex')}`;
    expect(independent).toBe(DOC_SIGNATURE);
    expect(signSlackRequest(DOC_SECRET, DOC_BODY, DOC_TIMESTAMP)).toEqual({
      'x-slack-signature': DOC_SIGNATURE,
      'x-slack-request-timestamp': String(DOC_TIMESTAMP),
    });
    expect(signSlackRequest(DOC_SECRET, Buffer.from(DOC_BODY), DOC_TIMESTAMP)['x-slack-signature']).toBe(DOC_SIGNATURE);
  });
});

describe('sendToApp', () => {
  const SECRET = 'test-signing-secret';
  let server: Server;
  let appUrl: string;

  // A stand-in app that checks signatures with Bolt's own verifier and echoes what it saw.
  beforeAll(async () => {
    server = createServer(async (req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      const valid = isValidSlackRequest({
        signingSecret: SECRET,
        body,
        headers: {
          'x-slack-signature': String(req.headers['x-slack-signature'] ?? ''),
          'x-slack-request-timestamp': Number(req.headers['x-slack-request-timestamp']),
        },
      });
      res.writeHead(valid ? 200 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ body, retryNum: req.headers['x-slack-retry-num'], retryReason: req.headers['x-slack-retry-reason'] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const command = slashCommand({
    team_id: 'T1',
    user_id: 'U1',
    channel_id: 'C1',
    text: 'query pageviews',
    response_url: 'http://127.0.0.1:1/response/x',
    trigger_id: '1.2.3',
  });

  it('signs so that a Slack verifier accepts the request, and reports the reply', async () => {
    const res = await sendToApp(appUrl, SECRET, command);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ body: command.body });
    expect(res.ms).toBeGreaterThanOrEqual(0);
  });

  it('tampered, unsigned, stale or wrongly-keyed requests fail verification', async () => {
    expect((await sendToApp(appUrl, SECRET, command, { tamper: true })).status).toBe(401);
    expect((await sendToApp(appUrl, SECRET, command, { tamper: (b) => b.replace('pageviews', 'users') })).status).toBe(401);
    expect((await sendToApp(appUrl, SECRET, command, { unsigned: true })).status).toBe(401);
    expect((await sendToApp(appUrl, SECRET, command, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 })).status).toBe(401);
    expect((await sendToApp(appUrl, 'another-secret', command)).status).toBe(401);
  });

  it('sets the Events API retry headers', async () => {
    const res = await sendToApp(appUrl, SECRET, command, { retryNum: 2, retryReason: 'http_timeout' });
    expect(res.json).toMatchObject({ retryNum: '2', retryReason: 'http_timeout' });
  });
});
