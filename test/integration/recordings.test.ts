import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoSession } from '../../src/emulator/dataset-types.js';
import type { RecordedResponse } from '../../src/fake-slack/index.js';
import { MORE_ACTION } from '../../views/pager.js';
import { REPLAY_LINK_ACTION } from '../../views/recordings.js';
import { RUN_COMMAND_ACTION } from '../../views/run-button.js';
import { buttons, buttonValue, MATON_KEY, MEMBER, Rig, textOf } from '../rig/harness.js';

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

/** A person's recorded sessions that overlap the last `days`, newest first: what PostHog would list. */
function recordedSessions(personId: string, days: number): DemoSession[] {
  const from = Date.now() - days * DAY;
  return dataset()
    .sessions.filter((s) => s.personId === personId && s.hasRecording && s.end.getTime() >= from)
    .sort((a, b) => b.start.getTime() - a.start.getTime());
}

const replayIds = (reply: RecordedResponse) => buttons(reply, REPLAY_LINK_ACTION).map((b) => b.url!.split('/replay/')[1]!);

async function ask(text: string, who: { user?: string } = {}): Promise<RecordedResponse> {
  const reply = await rig.ask(text, who);
  expect(reply.ok, `${text}: ${reply.error ?? ''}`).toBe(true);
  return reply;
}

const clock = (date: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-US', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);

describe('/ph recordings <person>', () => {
  it('lists exactly ana@acme.com’s recordings, newest first, with working replay links', async () => {
    const expected = recordedSessions(ANA, 30);
    expect(expected.length).toBe(8);
    const reply = await ask('recordings ana@acme.com --since 30d');
    expect(replayIds(reply)).toEqual(expected.map((s) => s.id));

    for (const { url } of buttons(reply, REPLAY_LINK_ACTION)) {
      expect(url).toMatch(new RegExp(`^${rig.config.posthogAppUrl}/project/1001/replay/[0-9a-f-]{36}$`));
      // The link's session exists in PostHog (the emulator) and belongs to Ana.
      const id = url!.split('/replay/')[1]!;
      const res = await fetch(`${rig.emulator.url}/posthog/api/projects/1001/session_recordings/${id}/`, {
        headers: { authorization: `Bearer ${MATON_KEY}` },
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { person: { id: string } }).person.id).toBe(ANA);
    }
    const text = textOf(reply);
    const newest = expected[0]!;
    expect(text).toContain(`*Recordings of Ana Alvarez* · last 30 days · times in America/Los_Angeles`);
    expect(text).toMatch(new RegExp(`${clock(newest.start, 'America/Los_Angeles')} P[SD]T`));
    expect(text).toContain(`${newest.clicks} click`);
    expect(text).toContain(newest.entryUrl);
    expect(text).toContain('Showing 1–8 of 8');
    expect(() => buttonValue(reply, MORE_ACTION)).toThrow();
  });

  it('shows start times in the asking user’s Slack time zone', async () => {
    const newest = recordedSessions(ANA, 30)[0]!;
    const text = textOf(await ask('recordings ana@acme.com --since 30d', { user: MEMBER }));
    expect(text).toContain('times in Europe/Berlin');
    expect(text).toMatch(new RegExp(`${clock(newest.start, 'Europe/Berlin')} GMT\\+[12]`));
  });

  it('defaults to the last 7 days', async () => {
    const expected = recordedSessions(ANA, 7);
    const reply = await ask('recordings ana@acme.com');
    if (expected.length === 0) expect(textOf(reply)).toContain('No recordings of *Ana Alvarez* in the last 7 days');
    else expect(replayIds(reply)).toEqual(expected.map((s) => s.id));
    const sent = rig.emulator.requests.filter((r) => r.path.endsWith('/session_recordings/')).at(-1)!;
    expect(sent.query).toMatchObject({ person_uuid: ANA, date_from: '-7d' });
  });

  it('pages with More (has_next), replacing the list, until the last page', async () => {
    const expected = recordedSessions(ANA, 30).map((s) => s.id);
    const first = await ask('recordings ana@acme.com --since 30d --limit 3');
    const seen = replayIds(first);
    let more = buttonValue(first, MORE_ACTION);
    expect(more).toBe('recordings ana@acme.com --since 30d --limit 3 --offset 3');
    for (let page = 0; page < 5 && more; page++) {
      const { responseUrl } = await rig.click(MORE_ACTION, more);
      const next = await rig.replyOn(responseUrl);
      expect(next.ok).toBe(true);
      expect(next.body.replace_original).toBe(true);
      seen.push(...replayIds(next));
      more = buttons(next, MORE_ACTION)[0]?.value ?? '';
    }
    expect(seen).toEqual(expected);
  });

  it('says so when the person has no recordings in the window', async () => {
    const quiet = dataset().persons.find(
      (p) => p.isIdentified && recordedSessions(p.id, 1).length === 0 && recordedSessions(p.id, 30).length > 0,
    )!;
    const email = String(quiet.properties.email);
    const reply = await ask(`recordings ${email} --since 24h`);
    expect(textOf(reply)).toContain(`No recordings of *${String(quiet.properties.name)}* in the last 24 hours`);
    // Issue 15: the suggestion is the next longer window (24h -> 7d), never the window that was just empty.
    expect(textOf(reply)).toContain(`/ph recordings ${email} --since 7d`);
    expect(textOf(reply)).not.toContain('--since 24h`');
  });

  it('an unknown email: "no person found" with the closest matches, whose buttons keep the options', async () => {
    const reply = await ask('recordings anna@acme.com --since 30d');
    expect(textOf(reply)).toContain('No person found for “anna@acme.com”');
    expect(buttons(reply, RUN_COMMAND_ACTION).map((b) => b.value)).toContain('recordings ana@acme.com --since 30d');
  });

  it('several persons match: a pick list of recordings commands', async () => {
    const reply = await ask('recordings acme.com');
    expect(textOf(reply)).toContain('Several persons match “acme.com”');
    const picks = buttons(reply, RUN_COMMAND_ACTION).map((b) => b.value!);
    expect(picks.length).toBeGreaterThan(1);
    expect(picks.every((p) => /^recordings \S+@acme\.com$/.test(p))).toBe(true);
  });

  it('rejects a malformed --since with usage', async () => {
    const text = textOf(await rig.ask('recordings ana@acme.com --since 7x'));
    expect(text).toContain('--since: use a span such as 24h, 7d, 2w or 3m');
    expect(text).toContain('Usage: `/ph recordings');
  });
});

describe('/ph recording <id>', () => {
  it('shows one recording with its numbers and a replay button', async () => {
    const session = recordedSessions(ANA, 30)[0]!;
    const reply = await ask(`recording ${session.id}`);
    const text = textOf(reply);
    expect(text).toContain('Recording of Ana Alvarez');
    expect(text).toContain(session.entryUrl);
    expect(text).toContain(`*Clicks*\n${session.clicks}`);
    expect(text).toContain(`*Console errors*\n${session.consoleErrors ? `:warning: ${session.consoleErrors}` : '0'}`);
    expect(buttons(reply, REPLAY_LINK_ACTION)[0]?.url).toBe(`${rig.config.posthogAppUrl}/project/1001/replay/${session.id}`);
    expect(buttons(reply, RUN_COMMAND_ACTION).map((b) => b.value)).toEqual(['person ana@acme.com', 'recordings ana@acme.com']);
  });

  it('an unknown or malformed id', async () => {
    expect(textOf(await ask('recording 01900000-0000-7000-8000-000000000000'))).toContain(
      'No recording `01900000-0000-7000-8000-000000000000`',
    );
    expect(textOf(await rig.ask('recording not/a/session'))).toContain('is not a session id');
  });

  it('never breaks Block Kit in what it posted through the Web API', () => {
    expect(rig.slack.calls.filter((c) => !c.ok)).toEqual([]);
  });
});
