/**
 * Experiments as PostHog's app expects them (issue 10): a metric created from Slack carries a uuid listed in
 * `primary_metrics_ordered_uuids` (the experiment page shows only listed metrics), and launch / stop go through
 * ExperimentViewSet's `launch` and `end` actions, falling back to the date PATCH on servers without them.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PLAN_CONFIRM_ACTION } from '../../views/plan.js';
import { buttonValue, Rig, textOf } from '../rig/harness.js';

let rig: Rig;

beforeAll(async () => {
  rig = await Rig.start();
});
afterAll(async () => {
  await rig?.close();
});
beforeEach(() => {
  rig.emulator.reset();
  rig.emulator.faults.clear();
});

const experiment = (id: number) => rig.emulator.state.project(1001)!.experiments.find((e) => e.id === id)!;

async function confirm(command: string) {
  const plan = await rig.ask(command);
  return rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION));
}

describe('experiments created and run from Slack', () => {
  it('creates the metric with a uuid listed in primary_metrics_ordered_uuids', async () => {
    const done = await confirm('experiment create "Hero test" --flag hero-test --metric signed_up');
    expect(textOf(done)).toContain('Created draft experiment');
    const created = rig.emulator.state.project(1001)!.experiments.find((e) => e.name === 'Hero test')!;
    const metrics = created.metrics as Array<{ uuid?: string; series: Array<{ event: string }> }>;
    expect(metrics).toHaveLength(1);
    expect(metrics[0]!.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.primary_metrics_ordered_uuids).toEqual([metrics[0]!.uuid]);
  });

  it('launches and stops through PostHog’s launch and end actions', async () => {
    const from = rig.emulator.requests.length;
    expect(textOf(await confirm('experiment launch 20002'))).toContain('Launched');
    expect(textOf(await confirm('experiment stop 20002'))).toContain('Stopped');
    const calls = rig.emulator.requests.slice(from).filter((r) => r.path.includes('/experiments/20002/') && r.method !== 'GET');
    expect(calls.map((r) => `${r.method} ${r.path.replace(/^.*\/experiments\//, '')}`)).toEqual(['POST 20002/launch/', 'POST 20002/end/']);
    expect(experiment(20002).start_date).not.toBeNull();
    expect(experiment(20002).end_date).not.toBeNull();
    expect(rig.emulator.state.flag(1001, 'pricing-page-v2')!.active).toBe(true);
  });

  it('falls back to the start_date PATCH on a server without the launch action (404)', async () => {
    rig.emulator.faults.inject({ kind: 'status', status: 404, method: 'POST', path: '/experiments/20002/launch/', times: 1 });
    const from = rig.emulator.requests.length;
    expect(textOf(await confirm('experiment launch 20002'))).toContain('Launched');
    const patch = rig.emulator.requests.slice(from).filter((r) => r.method === 'PATCH' && r.path.endsWith('/experiments/20002/'));
    expect(patch).toHaveLength(1);
    expect(Object.keys(patch[0]!.body as object)).toEqual(['start_date']);
    expect(experiment(20002).start_date).not.toBeNull();
  });
});
