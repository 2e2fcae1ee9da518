import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MORE_ACTION } from '../../views/pager.js';
import { PLAN_CONFIRM_ACTION } from '../../views/plan.js';
import { RUN_COMMAND_ACTION } from '../../views/run-button.js';
import { ADMIN, buttonValue, MEMBER, Rig, textOf } from '../rig/harness.js';

let rig: Rig;

beforeAll(async () => {
  rig = await Rig.start();
});
afterAll(async () => {
  await rig?.close();
});

/** The seeded project's live dashboards, straight from the emulator's state. */
const liveDashboards = () => rig.emulator.state.project(1001)!.dashboards.filter((d) => d.deleted !== true);

const buttonValues = (reply: { body: { blocks?: unknown } }, actionId: string): string[] => {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const el = node as { action_id?: string; value?: string };
      if (el.action_id === actionId && typeof el.value === 'string') out.push(el.value);
      Object.values(node).forEach(walk);
    }
  };
  walk(reply.body.blocks);
  return out;
};

describe('/ph dashboards', () => {
  it('lists the project’s dashboards, pinned first, with links and Show buttons', async () => {
    const reply = await rig.ask('dashboards');
    const text = textOf(reply);
    const names = liveDashboards().map((d) => String(d.name));
    for (const name of names) expect(text).toContain(name);
    expect(text).not.toContain('Old KPIs');
    const pinned = liveDashboards().find((d) => d.pinned === true)!;
    expect(text.indexOf(String(pinned.name))).toBeLessThan(Math.min(...names.filter((n) => n !== pinned.name).map((n) => text.indexOf(n))));
    expect(text).toContain(`/project/1001/dashboard/${pinned.id}`);
    expect(buttonValues(reply, RUN_COMMAND_ACTION)).toContain(`dashboard ${pinned.id}`);
  });

  it('searches, and says so when nothing matches', async () => {
    expect(textOf(await rig.ask('dashboards growth'))).toContain('Growth');
    expect(textOf(await rig.ask('dashboards growth'))).not.toContain('Marketing');
    expect(textOf(await rig.ask('dashboards zzzz-nothing'))).toContain('No dashboards match “zzzz-nothing”');
  });

  it('pages with More, replacing the list in place, well past five pages', async () => {
    const project = rig.emulator.state.project(1001)!;
    for (let i = 0; i < 65; i += 1)
      project.dashboards.push({
        ...project.dashboards[0]!,
        id: 39_000 + i,
        name: `Paging board ${String(i).padStart(2, '0')}`,
        pinned: false,
      });
    try {
      let page = await rig.ask('dashboards paging board');
      expect(textOf(page)).toContain('Showing 1–10 of 65');
      expect(buttonValue(page, MORE_ACTION)).toBe('dashboards "paging board" --offset 10');
      for (let n = 1; n <= 6; n += 1) {
        const { responseUrl } = await rig.click(MORE_ACTION, buttonValue(page, MORE_ACTION));
        page = await rig.replyOn(responseUrl);
        expect(page.body.replace_original).toBe(true);
        expect(textOf(page)).toContain(`Paging board ${String(n * 10).padStart(2, '0')}`);
      }
      expect(textOf(page)).toContain('Showing 61–65 of 65');
      expect(() => buttonValue(page, MORE_ACTION)).toThrow();
    } finally {
      project.dashboards.splice(
        0,
        project.dashboards.length,
        ...project.dashboards.filter((d) => Number(d.id) < 39_000 || Number(d.id) >= 39_100),
      );
    }
  });

  it('says so when the project has no dashboards', async () => {
    const project = rig.emulator.state.project(1001)!;
    const saved = project.dashboards.splice(0);
    try {
      expect(textOf(await rig.ask('dashboards'))).toContain('This project has no dashboards yet');
    } finally {
      project.dashboards.push(...saved);
    }
  });
});

describe('/ph dashboard <id|name>', () => {
  it('shows the tiles with each insight’s name, link and a Show button', async () => {
    const overview = liveDashboards().find((d) => d.name === 'Product overview')!;
    const onIt = rig.emulator.state
      .project(1001)!
      .insights.filter((i) => i.deleted !== true && (i.dashboards as number[]).includes(overview.id as number));
    const reply = await rig.ask(`dashboard ${overview.id}`);
    const text = textOf(reply);
    expect(onIt.length).toBeGreaterThan(0);
    for (const insight of onIt) {
      expect(text).toContain(String(insight.name));
      expect(text).toContain(`/project/1001/insights/${insight.short_id}`);
      expect(buttonValues(reply, RUN_COMMAND_ACTION)).toContain(`insight ${insight.short_id}`);
    }
    expect(text).toContain(`/project/1001/dashboard/${overview.id}`);
  });

  it('finds a dashboard by name, case-insensitively', async () => {
    expect(textOf(await rig.ask('dashboard product OVERVIEW'))).toContain('Daily active users');
  });

  it('offers a pick list when several dashboards match', async () => {
    const reply = await rig.ask('dashboard o');
    const text = textOf(reply);
    expect(text).toContain('Several dashboards match “o”');
    const commands = buttonValues(reply, RUN_COMMAND_ACTION);
    expect(commands.length).toBeGreaterThan(1);
    const picked = await rig.clickAndWait(RUN_COMMAND_ACTION, commands[0]!);
    expect(textOf(picked)).toContain('Open in PostHog');
  });

  it('answers an unknown id or name clearly, with close names', async () => {
    expect(textOf(await rig.ask('dashboard 999999'))).toContain('No dashboard with id or name “999999”');
    expect(textOf(await rig.ask('dashboard Growht'))).toMatch(/No dashboard named “Growht”.*Did you mean “Growth”/s);
    expect(textOf(await rig.ask('dashboard'))).toContain('&lt;dashboard&gt; is required');
  });

  it('says when a dashboard has no tiles', async () => {
    const empty = liveDashboards().find(
      (d) => !rig.emulator.state.project(1001)!.insights.some((i) => (i.dashboards as number[]).includes(d.id as number)),
    );
    const id = empty ? empty.id : undefined;
    if (id === undefined) {
      rig.emulator.state.project(1001)!.dashboards.push({ ...liveDashboards()[0]!, id: 38_001, name: 'Empty board' });
    }
    expect(textOf(await rig.ask(`dashboard ${id ?? 38_001}`))).toContain('No tiles yet');
  });
});

describe('/ph dashboard create and rename', () => {
  it('creates a dashboard only after Confirm', async () => {
    const before = liveDashboards().length;
    const plan = await rig.ask('dashboard create "Launch week" --description "Signups during the launch"', { user: ADMIN });
    expect(textOf(plan)).toContain('Create dashboard “Launch week”');
    expect(textOf(plan)).toContain('Acme Web (1001)');
    expect(liveDashboards().length).toBe(before);
    const done = await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION), { user: ADMIN });
    expect(textOf(done)).toContain('Created dashboard');
    const created = liveDashboards().find((d) => d.name === 'Launch week');
    expect(created).toMatchObject({ description: 'Signups during the launch' });
    expect(textOf(done)).toContain(`/project/1001/dashboard/${created!.id}`);
  });

  it('refuses readers and bad input', async () => {
    expect(textOf(await rig.ask('dashboard create "Nope"', { user: MEMBER }))).toContain('needs the writer role');
    expect(textOf(await rig.ask('dashboard create'))).toContain('&lt;name&gt; is required');
    expect(textOf(await rig.ask(`dashboard create "${'x'.repeat(401)}"`))).toContain('longer than 400');
  });

  it('renames after Confirm, and re-checks the name at Confirm', async () => {
    const growth = liveDashboards().find((d) => d.name === 'Growth')!;
    const plan = await rig.ask(`dashboard rename ${growth.id} "Growth & revenue"`);
    expect(textOf(plan)).toContain('Growth → *Growth &amp; revenue*');
    const done = await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION));
    expect(textOf(done)).toContain('Renamed dashboard “Growth”');
    expect(growth.name).toBe('Growth & revenue');

    const stale = await rig.ask(`dashboard rename ${growth.id} "Growth"`);
    growth.name = 'Renamed elsewhere';
    const refused = await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(stale, PLAN_CONFIRM_ACTION));
    expect(textOf(refused)).toContain('was renamed to “Renamed elsewhere” in PostHog');
    expect(growth.name).toBe('Renamed elsewhere');
    growth.name = 'Growth';
  });

  it('answers a rename to the same name, and an unknown dashboard', async () => {
    expect(textOf(await rig.ask('dashboard rename Marketing "Marketing"'))).toContain('already named');
    expect(textOf(await rig.ask('dashboard rename 999999 "X"'))).toContain('No dashboard with id or name “999999”');
  });
});
