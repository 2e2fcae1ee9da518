import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MORE_ACTION } from '../../views/pager.js';
import { PLAN_CONFIRM_ACTION } from '../../views/plan.js';
import { RUN_COMMAND_ACTION } from '../../views/run-button.js';
import { buttonValue, MEMBER, Rig, textOf } from '../rig/harness.js';

let rig: Rig;

beforeAll(async () => {
  rig = await Rig.start();
});
afterAll(async () => {
  await rig?.close();
});

const actions = () => rig.emulator.state.project(1001)!.actions.filter((a) => a.deleted !== true);

describe('/ph actions and /ph action', () => {
  it('lists actions with what each matches', async () => {
    const reply = await rig.ask('actions');
    const body = textOf(reply);
    for (const a of actions()) expect(body).toContain(String(a.name));
    expect(body).toContain('`$pageview` where URL contains “/pricing”');
    expect(body).toContain('`$autocapture` where text is “Get started” and element matches `a.btn`');
    expect(buttonValue(reply, RUN_COMMAND_ACTION)).toMatch(/^action \d+$/);
  });

  it('shows one action by id or name, and answers misses and empty searches', async () => {
    const purchased = actions().find((a) => a.name === 'Purchased')!;
    const card = textOf(await rig.ask(`action ${purchased.id}`));
    expect(card).toContain('`purchase`');
    expect(card).toContain(`/project/1001/data-management/actions/${purchased.id}`);
    expect(textOf(await rig.ask('action viewed pricing'))).toContain('URL contains “/pricing”');
    expect(textOf(await rig.ask('action 999999'))).toContain('No action with id or name “999999”');
    expect(textOf(await rig.ask('action Purchsed'))).toContain('Did you mean “Purchased”');
    expect(textOf(await rig.ask('action ed'))).toContain('Several actions match “ed”');
    expect(textOf(await rig.ask('actions zzz-none'))).toContain('No actions match “zzz-none”');
  });

  it('pages with More', async () => {
    const project = rig.emulator.state.project(1001)!;
    for (let i = 0; i < 11; i += 1)
      project.actions.push({ ...project.actions[0]!, id: 69_000 + i, name: `Bulk action ${String(i).padStart(2, '0')}` });
    try {
      const first = await rig.ask('actions bulk');
      expect(textOf(first)).toContain('Showing 1–10 of 11');
      const { responseUrl } = await rig.click(MORE_ACTION, buttonValue(first, MORE_ACTION));
      const second = await rig.replyOn(responseUrl);
      expect(textOf(second)).toContain('Bulk action 10');
      expect(textOf(second)).toContain('Showing 11–11 of 11');
    } finally {
      project.actions.splice(0, project.actions.length, ...project.actions.filter((a) => Number(a.id) < 69_000));
    }
  });
});

describe('/ph action create', () => {
  it('creates an action for one event after Confirm', async () => {
    const plan = await rig.ask('action create "Viewed an insight" --event "insight viewed" --description "Any insight view"');
    expect(textOf(plan)).toContain('Create action “Viewed an insight”');
    expect(textOf(plan)).toContain('every insight viewed event');
    expect(textOf(plan)).not.toContain('has not seen');
    expect(actions().some((a) => a.name === 'Viewed an insight')).toBe(false);
    const done = await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION));
    const created = actions().find((a) => a.name === 'Viewed an insight')!;
    expect(created).toMatchObject({ steps: [{ event: 'insight viewed' }], description: 'Any insight view' });
    expect(textOf(done)).toContain(`/data-management/actions/${created.id}`);
  });

  it('refuses a taken name before Confirm, warns about unseen events, and rejects bad input', async () => {
    expect(textOf(await rig.ask('action create "Signed up" --event signed_up'))).toContain('already has an action named “Signed up”');
    expect(textOf(await rig.ask('action create "Typo" --event sigend_up'))).toContain('has not seen an event named “sigend_up”');
    expect(textOf(await rig.ask('action create "No event"'))).toContain('--event is required');
    expect(textOf(await rig.ask('action create --event signed_up'))).toContain('&lt;name&gt; is required');
    expect(textOf(await rig.ask('action create "x" --event signed_up', { user: MEMBER }))).toContain('needs the writer role');
  });
});
