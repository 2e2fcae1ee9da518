import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedResponse } from '../../src/fake-slack/index.js';
import { MORE_ACTION } from '../../views/pager.js';
import { PERSON_LINK_ACTION } from '../../views/persons.js';
import { RUN_COMMAND_ACTION } from '../../views/run-button.js';
import { buttons, buttonValue, MEMBER, Rig, textOf } from '../rig/harness.js';

const ANA = '2879db83-32f1-467d-a698-116e79bc1750';
const DAY = 86_400_000;

let rig: Rig;

beforeAll(async () => {
  rig = await Rig.start();
});
afterAll(async () => {
  await rig?.close();
});

const dataset = () => rig.emulator.state.dataset(1001);
const ana = () => dataset().persons.find((p) => p.id === ANA)!;

/** Answered, and accepted by (fake) Slack's Block Kit checks. */
async function ask(text: string, who: { user?: string } = {}): Promise<RecordedResponse> {
  const reply = await rig.ask(text, who);
  expect(reply.ok, `${text}: ${reply.error ?? ''}`).toBe(true);
  return reply;
}

describe('/ph person', () => {
  it('shows the card: name, email, useful properties, distinct ids, first and last seen, event counts, links', async () => {
    const person = ana();
    const reply = await ask('person ana@acme.com');
    const text = textOf(reply);
    expect(text).toContain('Ana Alvarez');
    expect(text).toContain('ana@acme.com');
    expect(text).toContain(String(person.properties.plan));
    expect(text).toContain(String(person.properties.$geoip_city_name));
    for (const id of person.distinctIds) expect(text).toContain(id);
    expect(text).toContain('First seen');
    expect(text).toContain(ANA);

    // Event counts over the last 30 days, counted here from the emulator's own events.
    const since = Date.now() - 30 * DAY;
    const counts = new Map<string, number>();
    let last = 0;
    for (const e of dataset().events) {
      if (e.personId !== ANA || e.timestamp.getTime() <= since) continue;
      counts.set(e.event, (counts.get(e.event) ?? 0) + 1);
      last = Math.max(last, e.timestamp.getTime());
    }
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(0);
    expect(text).toContain(`Last 30 days:* ${total.toLocaleString('en-US')} events`);
    for (const [event, n] of counts) expect(text).toContain(`\`${event}\` ${n}`);
    // Last seen in ADMIN's zone (America/Los_Angeles).
    const lastSeen = new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/Los_Angeles',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(last));
    expect(text).toMatch(new RegExp(`Last seen\\*\\n[^\\n]*${lastSeen} P[SD]T`));

    const [link] = buttons(reply, PERSON_LINK_ACTION);
    expect(link?.url).toBe(`${rig.config.posthogAppUrl}/project/1001/person/ana%40acme.com`);
    expect(buttonValue(reply, RUN_COMMAND_ACTION)).toBe('recordings ana@acme.com');
  });

  it('finds the same person by an anonymous distinct id, by person UUID and from Slack’s mailto link', async () => {
    const anonId = ana().distinctIds[0]!;
    for (const input of [anonId, ANA, '<mailto:ana@acme.com|ana@acme.com>']) {
      const text = textOf(await ask(`person ${input}`));
      expect(text).toContain('Ana Alvarez');
      expect(text).toContain(ANA);
    }
  });

  it('an unknown email: "no person found" with the closest matches as buttons', async () => {
    const reply = await ask('person anna@acme.com');
    expect(textOf(reply)).toContain('No person found for “anna@acme.com”');
    expect(textOf(reply)).toContain('Closest matches');
    expect(buttons(reply, RUN_COMMAND_ACTION).map((b) => b.value)).toContain('person ana@acme.com');

    const nothing = await ask('person nobody@nowhere.invalid');
    expect(textOf(nothing)).toContain('No person found for “nobody@nowhere.invalid”');
    expect(buttons(nothing, RUN_COMMAND_ACTION)).toEqual([]);
  });

  it('a name several persons match: a pick list', async () => {
    const matching = dataset().persons.filter(
      (p) => String(p.properties.email ?? '').includes('acme.com') || String(p.properties.name ?? '').includes('acme.com'),
    );
    expect(matching.length).toBeGreaterThan(1);
    const reply = await ask('person acme.com');
    expect(textOf(reply)).toContain('Several persons match “acme.com”');
    const picks = buttons(reply, RUN_COMMAND_ACTION).map((b) => b.value!);
    expect(picks.length).toBe(Math.min(10, matching.length));
    const emails = new Set(matching.map((p) => `person ${p.properties.email}`));
    for (const pick of picks) expect(emails.has(pick)).toBe(true);
    if (matching.length > 10) expect(textOf(reply)).toContain(`10 of ${matching.length} shown`);
  });

  it('still answers when HogQL fails, saying why the counts are missing', async () => {
    rig.emulator.faults.inject({ kind: 'status', status: 400, path: '/query/', method: 'POST' });
    const text = textOf(await ask('person ana@acme.com'));
    expect(text).toContain('Ana Alvarez');
    expect(text).toContain('Event counts unavailable: PostHog rejected the request: Injected validation failure.');
    // Last seen then comes from the person's own `last_seen_at`.
    const last = Math.max(
      ...dataset()
        .events.filter((e) => e.personId === ANA)
        .map((e) => e.timestamp.getTime()),
    );
    const lastSeen = new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/Los_Angeles',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(last));
    expect(text).toMatch(new RegExp(`Last seen\\*\\n[^\\n]*${lastSeen} P[SD]T`));
  });

  it('answers a missing argument with usage', async () => {
    expect(textOf(await rig.ask('person'))).toContain('Usage: `/ph person &lt;email|distinct_id|name&gt;`');
  });
});

describe('/ph persons', () => {
  it('pages newest first with More, replacing the list in place', async () => {
    const newest = [...dataset().persons].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    const label = (p: (typeof newest)[number]) => String(p.properties.name ?? p.distinctIds.at(-1));
    const first = await ask('persons', { user: MEMBER });
    const text = textOf(first);
    expect(text).toContain(`Showing 1–10 of ${newest.length}`);
    const positions = newest.slice(0, 10).map((p) => text.indexOf(label(p)));
    expect(positions.every((i) => i >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).not.toContain(label(newest[10]!));

    const more = buttonValue(first, MORE_ACTION);
    expect(more).toBe('persons --offset 10');
    const { responseUrl } = await rig.click(MORE_ACTION, more, { user: MEMBER });
    const second = await rig.replyOn(responseUrl);
    expect(second.body.replace_original).toBe(true);
    expect(textOf(second)).toContain(`Showing 11–20 of ${newest.length}`);
    for (const p of newest.slice(10, 20)) expect(textOf(second)).toContain(label(p));
  });

  it('keeps paging past Slack’s five uses of a response_url: each More click answers on its own', async () => {
    const newest = [...dataset().persons].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    let reply = await ask('persons --limit 1');
    for (let page = 1; page <= 7; page++) {
      const { responseUrl } = await rig.click(MORE_ACTION, buttonValue(reply, MORE_ACTION));
      reply = await rig.replyOn(responseUrl);
      expect(reply.ok).toBe(true);
      expect(textOf(reply)).toContain(`Showing ${page + 1}–${page + 1} of ${newest.length}`);
    }
    expect(textOf(reply)).toContain(String(newest[7]!.properties.name ?? newest[7]!.distinctIds.at(-1)));
  });

  it('searches, keeps the search when paging, and says when nothing matches', async () => {
    const acme = dataset().persons.filter((p) => String(p.properties.email ?? '').includes('acme.com'));
    const reply = await ask('persons acme.com --limit 2');
    expect(textOf(reply)).toContain(`Showing 1–2 of ${acme.length}`);
    expect(buttonValue(reply, MORE_ACTION)).toBe('persons acme.com --limit 2 --offset 2');
    expect(textOf(await ask('persons zzz-nobody-here'))).toContain('No persons match “zzz-nobody-here”');
    expect(textOf(await rig.ask('persons --limit 0'))).toContain('--limit');
  });

  it('never breaks Block Kit in what it posted through the Web API', () => {
    expect(rig.slack.calls.filter((c) => !c.ok)).toEqual([]);
  });
});
