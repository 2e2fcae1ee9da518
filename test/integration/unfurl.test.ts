import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventCallback, linkSharedEvent, sendToApp } from '../../src/fake-slack/index.js';
import { buildManifest } from '../../src/manifest.js';
import { parsePostHogLink, unfurlHosts } from '../../src/slack/unfurl.js';
import { ADMIN, CHANNEL, MATON_KEY, Rig, SIGNING_SECRET, T1, T2, ADMIN_T2 } from '../rig/harness.js';

const APP = 'https://us.posthog.com';
let rig: Rig;
let seq = 0;

beforeAll(async () => {
  rig = await Rig.start({ env: { POSTHOG_APP_URL: 'https://posthog.acme.internal' } });
  await rig.hogbot.scheduler.stop();
  await rig.store.setWorkspaceConnection(T1, 'conn_acme', ADMIN, new Date());
});
afterAll(async () => {
  await rig?.close();
});

/** Reads the emulator's PostHog through the gateway, as any client would. */
async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${rig.emulator.url}/posthog${path}`, {
    headers: { authorization: `Bearer ${MATON_KEY}`, 'maton-connection': 'conn_acme' },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

async function until(done: () => boolean, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Posts a message with these links (as Slack's link_shared) and returns the event id. */
async function share(urls: string[], opts: { team?: string; user?: string; eventId?: string; retryNum?: number } = {}): Promise<string> {
  seq += 1;
  const eventId = opts.eventId ?? `EvUNFURL${seq}`;
  const event = linkSharedEvent({
    channel: CHANNEL,
    user: opts.user ?? ADMIN,
    message_ts: `1700000000.00${seq}`,
    links: urls.map((url) => ({ url })),
  });
  const res = await sendToApp(
    rig.appUrl,
    SIGNING_SECRET,
    eventCallback({ team_id: opts.team ?? T1, event, event_id: eventId }),
    opts.retryNum === undefined ? {} : { retryNum: opts.retryNum },
  );
  expect(res.status).toBe(200);
  return eventId;
}

const unfurls = () => rig.slack.calls.filter((c) => c.method === 'chat.unfurl');

async function nextUnfurl(count: number): Promise<Record<string, { blocks: unknown[] }>> {
  await until(() => unfurls().length >= count);
  const call = unfurls()[count - 1]!;
  expect(call.ok).toBe(true);
  return call.args.unfurls as Record<string, { blocks: unknown[] }>;
}

const text = (card: { blocks: unknown[] }) => JSON.stringify(card.blocks);

describe('link unfurls', () => {
  it('recognises PostHog app links on the cloud hosts and the configured one only', () => {
    const hosts = unfurlHosts('https://posthog.acme.internal');
    expect(parsePostHogLink(`${APP}/project/1001/feature_flags/12`, hosts)).toMatchObject({ kind: 'flag', projectId: 1001, id: '12' });
    expect(parsePostHogLink('https://eu.posthog.com/project/7/insights/aBc12XyZ/edit', hosts)).toMatchObject({
      kind: 'insight',
      id: 'aBc12XyZ',
    });
    expect(parsePostHogLink('https://posthog.acme.internal/project/1/dashboard/3?foo=1', hosts)).toMatchObject({
      kind: 'dashboard',
      id: '3',
    });
    expect(parsePostHogLink(`${APP}/project/1001/replay/0190-abc`, hosts)).toMatchObject({ kind: 'recording', id: '0190-abc' });
    expect(parsePostHogLink('https://evil.example.com/project/1001/feature_flags/12', hosts)).toBeNull();
    expect(parsePostHogLink(`${APP}/project/1001/feature_flags/new`, hosts)).toBeNull();
    expect(parsePostHogLink('not a url', hosts)).toBeNull();
    expect(
      (
        buildManifest(rig.hogbot.services.registry, { posthogAppUrl: 'https://posthog.acme.internal' }).features as {
          unfurl_domains: string[];
        }
      ).unfurl_domains,
    ).toEqual(['us.posthog.com', 'eu.posthog.com', 'posthog.acme.internal']);
  });

  it('unfurls a flag link and an insight link (with its chart) through the workspace’s connection', async () => {
    const flag = rig.emulator.state.flag(1001, 'dark-mode')!;
    const insight = await api<{ short_id: string }>('/api/projects/1001/insights/40001/');
    const flagUrl = `${APP}/project/1001/feature_flags/${flag.id}`;
    const insightUrl = `${APP}/project/1001/insights/${insight.short_id}`;
    const from = rig.emulator.requests.length;
    await share([flagUrl, insightUrl, 'https://example.com/not-posthog']);
    const cards = await nextUnfurl(1);
    expect(Object.keys(cards).sort()).toEqual([flagUrl, insightUrl].sort());
    expect(text(cards[flagUrl]!)).toContain('dark-mode');
    expect(text(cards[flagUrl]!)).toContain('feature flag');
    expect(text(cards[insightUrl]!)).toContain('Daily active users');
    // No PUBLIC_URL: no image block (a channel-less slack_file is refused, python-slack-sdk#1658); the card keeps its
    // sparkline and the PNG is shared in the thread of the message that carries the link.
    expect(cards[insightUrl]!.blocks.find((b) => (b as { type: string }).type === 'image')).toBeUndefined();
    expect(text(cards[insightUrl]!)).toContain('Chart in the thread');
    const upload = [...rig.slack.uploads.values()].find((u) => u.filename === 'insight.png' && u.channel === CHANNEL)!;
    expect(upload.completed).toBe(true);
    expect(upload.threadTs).toMatch(/^1700000000\.00\d+$/);
    expect(upload.bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
    const used = rig.emulator.requests.slice(from).filter((r) => r.path.startsWith('/posthog/'));
    expect(used.length).toBeGreaterThan(0);
    expect(used.every((r) => r.headers['maton-connection'] === 'conn_acme')).toBe(true);
    expect(rig.slack.calls.filter((c) => !c.ok)).toEqual([]);
  });

  it('unfurls dashboards, experiments and recordings, and skips links it cannot read', async () => {
    const dashboards = await api<{ results: Array<{ id: number; name: string }> }>('/api/projects/1001/dashboards/');
    const overview = dashboards.results.find((d) => d.name === 'Product overview')!;
    const recordings = await api<{ results: Array<{ id: string }> }>('/api/projects/1001/session_recordings/?limit=1');
    const urls = {
      dashboard: `${APP}/project/1001/dashboard/${overview.id}`,
      experiment: `${APP}/project/1001/experiments/20001`,
      recording: `${APP}/project/1001/replay/${recordings.results[0]!.id}`,
      missing: `${APP}/project/1001/feature_flags/999999`,
    };
    await share(Object.values(urls));
    const cards = await nextUnfurl(2);
    expect(Object.keys(cards).sort()).toEqual([urls.dashboard, urls.experiment, urls.recording].sort());
    expect(text(cards[urls.dashboard]!)).toContain('Product overview');
    expect(text(cards[urls.dashboard]!)).toContain('Daily active users');
    expect(text(cards[urls.experiment]!)).toContain('New onboarding flow');
    expect(text(cards[urls.experiment]!)).toContain('running');
    expect(text(cards[urls.recording]!)).toContain('session replay');
  });

  it('unfurls links to the configured POSTHOG_APP_URL host', async () => {
    const url = `https://posthog.acme.internal/project/1001/experiments/20001`;
    await share([url]);
    expect(Object.keys(await nextUnfurl(3))).toEqual([url]);
  });

  it('does nothing for a workspace that chose no connection', async () => {
    const from = rig.emulator.requests.length;
    const eventId = await share([`${APP}/project/2001/experiments/1`], { team: T2, user: ADMIN_T2 });
    // Handled (remembered) but not unfurled: the redelivery is recognised as a repeat.
    await share([`${APP}/project/2001/experiments/1`], { team: T2, user: ADMIN_T2, eventId, retryNum: 1 });
    await until(() => rig.logs.some((l) => l.message.includes(`${eventId} already handled (retry 1)`)));
    expect(unfurls()).toHaveLength(3);
    expect(rig.emulator.requests.slice(from).filter((r) => r.path.startsWith('/posthog/'))).toEqual([]);
  });

  it('processes a redelivered link_shared event once', async () => {
    const url = `${APP}/project/1001/experiments/20001`;
    const eventId = await share([url]);
    await nextUnfurl(4);
    await share([url], { eventId, retryNum: 1 });
    await share([url], { eventId, retryNum: 2 });
    await until(() => rig.logs.some((l) => l.message.includes(`${eventId} already handled (retry 2)`)));
    expect(rig.logs.filter((l) => l.message.includes(`${eventId} already handled`))).toHaveLength(2);
    expect(unfurls()).toHaveLength(4);
  });
});
