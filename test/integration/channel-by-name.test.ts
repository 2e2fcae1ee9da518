import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAN_CONFIRM_ACTION } from '../../views/plan.js';
import { ADMIN, buttonValue, Rig, T1, textOf } from '../rig/harness.js';

// Slack sends `<#C…|name>` only for a channel picked from its list; a name typed by hand arrives as plain `#name`.
// The bot resolves it with conversations.list (channels:read, groups:read; https://api.slack.com/methods/conversations.list)
// instead of refusing, and only within the calling workspace.
let rig: Rig;
const GROWTH = 'C0GROWTH001';

beforeAll(async () => {
  rig = await Rig.start();
  await rig.hogbot.scheduler.stop();
  rig.slack.setChannel({ id: GROWTH, name: 'growth' });
  rig.slack.setChannel({ id: 'C0PRIVATE01', name: 'leads', isPrivate: true, teamId: T1 });
  // Another workspace's channel: a workspace token never lists it.
  rig.slack.setChannel({ id: 'C0GLOBEX001', name: 'analytics', teamId: 'T0OTHER0001' });
});
afterAll(async () => {
  await rig?.close();
});

describe('a plain #name typed in a command', () => {
  it('becomes the channel for a digest, named as a mention in the plan', async () => {
    const plan = await rig.ask('digest add daily 09:00 #growth "Growth" --tz UTC', {}, { plain: true });
    expect(textOf(plan)).toContain(`<#${GROWTH}>`);
    // The first delivery reads in the schedule's zone, at the hour asked for.
    expect(textOf(plan)).toMatch(/First delivery\*: – → \*\w{3}, \w{3} \d{1,2}, 09:00 UTC\*/);
    const list = rig.slack.calls.filter((c) => c.method === 'conversations.list').at(-1);
    expect(list?.args.types).toBe('public_channel,private_channel');
    const done = await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION), { user: ADMIN });
    expect(textOf(done)).toContain(`will post in <#${GROWTH}>`);
  });

  it('finds private channels the bot can see, for alerts too', async () => {
    const plan = textOf(await rig.ask('alert add "SELECT count() FROM events" --above 1 --channel #leads --tz UTC', {}, { plain: true }));
    expect(plan).toContain('<#C0PRIVATE01>');
  });

  it('answers a name that is not in this workspace clearly, without reaching into another workspace', async () => {
    const answer = textOf(await rig.ask('digest add daily 09:00 #analytics "Other"', {}, { plain: true }));
    expect(answer).toContain('There is no channel `#analytics` I can see in this workspace');
    expect(textOf(await rig.ask('digest add daily 09:00 #Not/A/Name x', {}, { plain: true }))).toContain('pick the channel from Slack');
  });
});
