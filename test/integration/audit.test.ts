import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { MORE_ACTION } from '../../views/pager.js';
import { PLAN_CONFIRM_ACTION } from '../../views/plan.js';
import { ADMIN, buttonValue, CHANNEL, MEMBER, Rig, T1, textOf } from '../rig/harness.js';
import { createScratchSchema, postgresProblem, postgresTestUrl } from '../store/postgres-leg.js';

const AUDIT_CHANNEL = 'C0AUDIT0001';
const FLAGS = '/posthog/api/projects/1001/feature_flags/';

async function confirm(rig: Rig, text: string, user = ADMIN) {
  const plan = await rig.ask(text, { user });
  return rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION), { user });
}

describe('/ph audit and the audit channel', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await Rig.start();
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('says when nothing has changed yet', async () => {
    expect(textOf(await rig.ask('audit'))).toContain('No changes have been made through Hogbot');
  });

  it('lists executed writes newest first: who, when, where, object, before and after, outcome; paged with More', async () => {
    await confirm(rig, 'flag off dark-mode');
    await confirm(rig, 'flag rollout ai-insights 20');
    const list = await rig.ask('audit', { user: MEMBER });
    const text = textOf(list);
    expect(text.indexOf('Roll out ai-insights to 20%')).toBeLessThan(text.indexOf('Turn off dark-mode'));
    expect(text).toContain(`<@${ADMIN}>`);
    expect(text).toContain('feature_flag *dark-mode*');
    expect(text).toContain('project `1001` · gateway default connection');
    // Issue 15: changed fields in words, not the raw JSON of the whole object.
    expect(text).toContain('active: yes → *no*');
    expect(text).not.toContain('{"active"');
    expect(text).toContain(':white_check_mark: done');
    expect(text).toMatch(/<!date\^\d+\^/);

    const one = await rig.ask('audit 1');
    expect(textOf(one)).toContain('Roll out ai-insights');
    expect(textOf(one)).not.toContain('Turn off dark-mode');
    const next = await rig.clickAndWait(MORE_ACTION, buttonValue(one, MORE_ACTION));
    expect(textOf(next)).toContain('Turn off dark-mode');
    expect(textOf(await rig.ask('audit 500'))).toContain('&lt;n&gt;: is at most 50');
  });

  it('records a failed write as failed, with what the user was told', async () => {
    const plan = await rig.ask('flag on checkout-redesign');
    rig.emulator.faults.inject({ kind: 'status', status: 503, times: 'always', path: FLAGS, method: 'PATCH' });
    const failed = await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION));
    rig.emulator.faults.clear();
    expect(textOf(failed)).toContain('PostHog had a server error');
    const [entry] = await rig.store.listAudit(T1, { limit: 1 });
    expect(entry).toMatchObject({ command: 'flag on', outcome: 'failed', objectLabel: 'checkout-redesign' });
    expect(entry!.detail).toContain('PostHog had a server error');
    expect(textOf(await rig.ask('audit 1'))).toContain(':x: failed');
  });

  it('sets an audit channel (admin, confirmed), proves it can post there, then posts every change to it', async () => {
    expect(textOf(await rig.ask(`audit channel <#${AUDIT_CHANNEL}|hogbot-audit>`, { user: MEMBER }))).toContain('needs the admin role');
    expect(textOf(await rig.ask('audit channel growth'))).toContain('is a channel: pick one with #');

    const since = rig.slack.calls.length;
    const plan = await rig.ask(`audit channel <#${AUDIT_CHANNEL}|hogbot-audit>`);
    expect(textOf(plan)).toMatch(/Audit channel\*: none → \*#hogbot-audit \(C0AUDIT0001\)/);
    const done = await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION));
    expect(textOf(done)).toContain(`now also posted to <#${AUDIT_CHANNEL}>`);
    expect((await rig.store.getPolicy(T1)).auditChannelId).toBe(AUDIT_CHANNEL);

    await confirm(rig, 'flag off beta-dashboard');
    const posted = rig.slack.calls.slice(since).filter((c) => c.method === 'chat.postMessage' && c.args.channel === AUDIT_CHANNEL);
    expect(posted.map((c) => String(c.args.text))).toEqual([
      expect.stringContaining('Hogbot will post every change'),
      expect.stringContaining('Post every change to #hogbot-audit'),
      expect.stringContaining('Turn off beta-dashboard (done)'),
    ]);
    expect(textOf({ blocks: posted[2]!.args.blocks })).toContain('active: yes → *no*');
    expect(posted.every((c) => c.ok)).toBe(true);
  });

  it('refuses a channel Hogbot cannot post in, and says so when a change could not be posted there', async () => {
    rig.slack.failNext('chat.postMessage', { error: 'not_in_channel' });
    const refused = await confirm(rig, 'audit channel <#C0PRIVATE01|secret>');
    expect(textOf(refused)).toContain(
      'can’t post in <#C0PRIVATE01> (not_in_channel): invite it to the channel first. Nothing was changed.',
    );
    expect((await rig.store.getPolicy(T1)).auditChannelId).toBe(AUDIT_CHANNEL);

    const plan = await rig.ask('flag on beta-dashboard');
    rig.slack.failNext('chat.postMessage', { error: 'is_archived' });
    const done = await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION));
    expect(textOf(done)).toContain('Turned *on*');
    expect(textOf(done)).toContain(`Could not post this change to <#${AUDIT_CHANNEL}> (is_archived)`);
    expect((await rig.store.listAudit(T1, { limit: 1 }))[0]).toMatchObject({ title: 'Turn on beta-dashboard', outcome: 'done' });

    // Slack answering 500 (no error code): the SDK's code is shown, never its message (issue 11 item 7).
    const again = await rig.ask('flag off beta-dashboard');
    rig.slack.failNext('chat.postMessage', { status: 500 });
    const posted = textOf(await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(again, PLAN_CONFIRM_ACTION)));
    expect(posted).toContain(`Could not post this change to <#${AUDIT_CHANNEL}> (slack_webapi_http_error)`);
    expect(posted).not.toMatch(/HTTP protocol error|statusCode/);

    const off = await confirm(rig, 'audit channel off');
    expect(textOf(off)).toContain('no longer posted to an audit channel');
  });
});

// --- Durability: the same checks on SQLite and on PostgreSQL -----------------------------------------------------

const inCi = ['true', '1'].includes((process.env.CI ?? '').toLowerCase());
const pgProblem = await postgresProblem(postgresTestUrl);
if (pgProblem !== null) console.warn(`[audit durability] PostgreSQL leg ${inCi ? 'will FAIL' : 'SKIPPED'}: ${pgProblem}`);

const CRASH_WRITER = fileURLToPath(new URL('./audit-crash-writer.ts', import.meta.url));

/** Runs the writer in its own process, waits until it has written, and kills it with SIGKILL (no cleanup runs). */
async function writeThenKill9(databaseUrl: string, spec: Record<string, unknown>): Promise<NodeJS.Signals | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', CRASH_WRITER, databaseUrl, JSON.stringify(spec)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      if (String(chunk).includes('written')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`crash writer exited early (${code}): ${stderr}`)));
  });
  child.kill('SIGKILL');
  return exited;
}

const legs: Array<{ name: string; skip: boolean; database: () => Promise<{ url: string | undefined; drop: () => Promise<void> }> }> = [
  { name: 'sqlite', skip: false, database: async () => ({ url: undefined, drop: async () => {} }) },
  {
    name: 'postgres',
    skip: pgProblem !== null && !inCi,
    database: async () => {
      if (pgProblem !== null) throw new Error(`PostgreSQL is required in CI: ${pgProblem}`);
      return createScratchSchema(postgresTestUrl);
    },
  },
];

for (const leg of legs) {
  describe.skipIf(leg.skip)(`durability on ${leg.name}`, () => {
    let rig: Rig;
    let drop: () => Promise<void> = async () => {};
    beforeAll(async () => {
      const db = await leg.database();
      drop = db.drop;
      rig = await Rig.start(db.url ? { databaseUrl: db.url } : {});
    });
    afterAll(async () => {
      await rig?.close();
      await drop();
    });

    it('keeps pending plans and audit rows across a restart; a plan made before it is confirmed after', async () => {
      await confirm(rig, 'flag off dark-mode');
      const plan = await rig.ask('flag off ai-insights');
      const planId = buttonValue(plan, PLAN_CONFIRM_ACTION);
      await rig.restart();
      expect((await rig.store.listAudit(T1, { limit: 5 })).map((e) => e.title)).toEqual(['Turn off dark-mode']);
      expect((await rig.store.getPlan(planId))?.status).toBe('pending');
      const done = await rig.clickAndWait(PLAN_CONFIRM_ACTION, planId);
      expect(textOf(done)).toContain('Turned *off* `ai-insights`');
      expect(rig.emulator.state.flag(1001, 'ai-insights')!.active).toBe(false);
      expect((await rig.store.listAudit(T1, { limit: 5 })).map((e) => e.title)).toEqual(['Turn off ai-insights', 'Turn off dark-mode']);
    });

    it('keeps what a process wrote before kill -9: its pending plan still confirms, its interrupted write shows as unknown', async () => {
      const dark = rig.emulator.state.flag(1001, 'dark-mode')!;
      if (!dark.active) dark.active = true;
      const fingerprint = `v${dark.version}`;
      const spec = {
        teamId: T1,
        userId: ADMIN,
        channelId: CHANNEL,
        pendingPlanId: randomUUID(),
        crashedPlanId: randomUUID(),
        auditId: randomUUID(),
        pendingPayload: {
          title: 'Turn off dark-mode',
          data: { connectionId: null, projectId: 1001, projectName: 'Acme Web', flagId: dark.id, key: 'dark-mode', active: false },
          target: [{ label: 'Flag', value: 'dark-mode' }],
          changes: [{ what: 'Active', before: 'on', after: 'off' }],
          fingerprint,
        },
      };
      expect(await writeThenKill9(rig.config.databaseUrl, spec)).toBe('SIGKILL');

      const reopened = await openStore(rig.config.databaseUrl);
      try {
        expect((await reopened.getPlan(spec.pendingPlanId))?.status).toBe('pending');
        expect((await reopened.getPlan(spec.crashedPlanId))?.status).toBe('executing');
        expect((await reopened.listAudit(T1, { limit: 10 })).find((e) => e.id === spec.auditId)).toMatchObject({
          outcome: 'executing',
          objectLabel: 'beta-dashboard',
        });
      } finally {
        await reopened.close();
      }
      const done = await rig.clickAndWait(PLAN_CONFIRM_ACTION, spec.pendingPlanId);
      expect(textOf(done)).toContain('Turned *off* `dark-mode`');
      expect(textOf(await rig.ask('audit'))).toContain('outcome unknown (interrupted while applying)');
      expect(textOf(await rig.clickAndWait(PLAN_CONFIRM_ACTION, spec.crashedPlanId))).toContain('already being applied');
    });
  });
}
