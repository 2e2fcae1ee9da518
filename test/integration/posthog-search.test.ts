/**
 * Lists PostHog cannot search (issue 10): the dashboard and action lists take no `search` and ignore it, and experiment
 * search matches names only. The emulator behaves that way, so these pass only because Hogbot filters itself.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MATON_KEY, Rig, textOf } from '../rig/harness.js';

let rig: Rig;

beforeAll(async () => {
  rig = await Rig.start();
});
afterAll(async () => {
  await rig?.close();
});
beforeEach(() => {
  rig.emulator.reset();
});

async function post(path: string, body: unknown): Promise<void> {
  const res = await fetch(`${rig.emulator.url}/posthog/api/projects/1001/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${MATON_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(201);
}

describe('searching lists PostHog cannot search', () => {
  it('/ph dashboards growth lists only the matching dashboards', async () => {
    const text = textOf(await rig.ask('dashboards growth'));
    expect(text).toContain('Growth');
    expect(text).not.toContain('Marketing');
    expect(text).not.toContain('Product overview');
  });

  it('/ph dashboard Marketing opens that dashboard rather than a pick list of unrelated ones', async () => {
    // More dashboards than one page, sorted before it: PostHog answers them all whatever `search` says.
    for (let i = 0; i < 60; i += 1) await post('dashboards/', { name: `Aaa filler ${String(i).padStart(2, '0')}` });
    const text = textOf(await rig.ask('dashboard Marketing'));
    expect(text).toContain('Traffic by UTM source');
    expect(text).not.toContain('Growth');
  });

  it('/ph actions purchase lists only matching actions', async () => {
    const text = textOf(await rig.ask('actions purchase'));
    expect(text).toContain('Purchased');
    expect(text).not.toContain('Signed up');
    expect(text).not.toContain('Viewed pricing');
  });

  it('finds an action by name beyond PostHog’s first page', async () => {
    for (let i = 0; i < 120; i += 1) await post('actions/', { name: `Aaa filler ${String(i).padStart(3, '0')}`, steps: [{ event: 'x' }] });
    const text = textOf(await rig.ask('action Viewed pricing'));
    expect(text).toContain('Viewed pricing');
    expect(text).toContain('/pricing');
  });

  it('says when a project has more objects than Hogbot searches', async () => {
    for (let i = 0; i < 1001; i += 1)
      rig.emulator.state.project(1001)!.dashboards.push({
        ...rig.emulator.state.project(1001)!.dashboards[0]!,
        id: 900_000 + i,
        name: `Filler ${i}`,
        pinned: false,
        deleted: false,
      });
    const text = textOf(await rig.ask('dashboards zzz-nothing'));
    expect(text).toContain('more than 1,000 dashboards');
  });

  it('finds an experiment by its flag key (PostHog searches experiment names only)', async () => {
    const e = rig.emulator.state.project(1001)!.experiments.find((x) => x.deleted !== true)!;
    const text = textOf(await rig.ask(`experiment ${String(e.feature_flag_key)}`));
    expect(text).toContain(String(e.name));
    expect(text).not.toContain('No experiment');
  });

  it('/ph experiments <flag key> lists the experiment on that flag', async () => {
    const text = textOf(await rig.ask('experiments pricing-page-v2'));
    expect(text).toContain('Pricing page v2');
    expect(text).not.toContain('New onboarding flow');
  });
});
