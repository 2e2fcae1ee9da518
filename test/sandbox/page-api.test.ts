import { DEFAULT_DATASET } from '../../src/emulator/server.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKSPACES } from '../../src/sandbox/people.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/start.js';

const [ACME, GLOBEX] = WORKSPACES;
const ANA = ACME!.users[0]!;

let sandbox: Sandbox;
let tempDir: string;

beforeAll(async () => {
  tempDir = await mkdtemp(join(tmpdir(), 'hogbot-sandbox-api-'));
  sandbox = await startSandbox({
    env: { PORT: '0' },
    databaseUrl: join(tempDir, 'sandbox.sqlite'),
    dataset: DEFAULT_DATASET,
    print: () => {},
  });
});
afterAll(async () => {
  await sandbox?.stop();
  if (tempDir) await rm(tempDir, { recursive: true, force: true });
});

const post = (path: string, body: unknown, contentType = 'application/json') =>
  fetch(new URL(`api/${path}`, sandbox.url), { method: 'POST', headers: { 'content-type': contentType }, body: JSON.stringify(body) });

describe('the sandbox server', () => {
  it('serves the page and its modules, and nothing outside the public folder', async () => {
    const page = await fetch(sandbox.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect((await fetch(new URL('app.js', sandbox.url))).headers.get('content-type')).toContain('javascript');
    for (const path of ['%2e%2e/package.json', '..%2fstart.ts', 'start.ts', '.gitignore']) {
      expect((await fetch(`${sandbox.url}${path}`)).status, path).toBe(404);
    }
    expect((await fetch(new URL('files/F0NOPE', sandbox.url))).status).toBe(404);
  });

  it('accepts only JSON from the page, and only as someone who belongs to the workspace', async () => {
    const command = { team: ACME!.id, user: ANA.id, channel: ACME!.channel.id, text: '/ph help' };
    expect((await post('command', command, 'text/plain')).status).toBe(415);
    const stranger = await post('command', { ...command, team: GLOBEX!.id });
    expect(stranger.status).toBe(400);
    expect(((await stranger.json()) as { error: string }).error).toContain('not a member');
    expect((await post('command', { ...command, channel: GLOBEX!.channel.id })).status).toBe(404);
    expect((await post('command', { ...command, text: '' })).status).toBe(400);
  });

  it('answers a command it does not know the way Slack does, without bothering the bot', async () => {
    const before = sandbox.slack.calls.length + sandbox.slack.responses.length;
    const res = await post('command', { team: ACME!.id, user: ANA.id, channel: ACME!.channel.id, text: '/deploy now' });
    expect(await res.json()).toEqual({ ok: false, problem: expect.stringContaining('`/deploy` is not a valid command') });
    expect(sandbox.slack.calls.length + sandbox.slack.responses.length).toBe(before);
  });

  it('sends /ph to the bot signed, and shows its answer in the conversation of the one who asked', async () => {
    const res = await post('command', { team: ACME!.id, user: ANA.id, channel: ACME!.channel.id, text: '/ph whoami' });
    expect(await res.json()).toEqual({ ok: true });
    const answer = await sandbox.slack.waitForResponse((r) => r.ok && JSON.stringify(r.body).includes('PostHog'), { timeoutMs: 8000 });
    expect(answer.body.response_type).toBe('ephemeral');
    const q = new URLSearchParams({ team: ACME!.id, user: ANA.id, channel: ACME!.channel.id });
    const { entries } = (await (await fetch(new URL(`api/timeline?${q}`, sandbox.url))).json()) as {
      entries: Array<{ kind: string; text?: string; ephemeralTo?: string }>;
    };
    expect(entries.map((e) => e.kind)).toEqual(['user', 'slackbot', 'user', 'bot']);
    expect(entries.at(-1)?.ephemeralTo).toBe(ANA.id);
    const other = new URLSearchParams({ team: ACME!.id, user: ACME!.users[1]!.id, channel: ACME!.channel.id });
    const theirs = (await (await fetch(new URL(`api/timeline?${other}`, sandbox.url))).json()) as { entries: unknown[] };
    expect(theirs.entries).toEqual([]);
  });
});
