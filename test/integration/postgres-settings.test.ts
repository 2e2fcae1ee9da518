import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchSchema, postgresProblem, postgresTestUrl } from '../store/postgres-leg.js';
import { ADMIN_T2, Rig, T1, T2, textOf } from '../rig/harness.js';
import { askConfirmed } from '../rig/confirm.js';

const problem = await postgresProblem(postgresTestUrl);
if (problem && process.env.CI === 'true') throw new Error(`CI needs PostgreSQL for this suite: ${problem}`);
if (problem) console.warn(`Skipping the Postgres leg of the settings test: ${problem}`);

describe.skipIf(problem !== null)('workspace settings on PostgreSQL', () => {
  let rig: Rig;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const scratch = await createScratchSchema(postgresTestUrl);
    drop = scratch.drop;
    rig = await Rig.start({ databaseUrl: scratch.url });
  });
  afterAll(async () => {
    await rig?.close();
    await drop?.();
  });

  it('keeps each workspace’s connection across a restart', async () => {
    // Since issue 11: T2 (not the bot token's workspace) uses a connection it made through Hogbot, via a plan and Confirm.
    await rig.store.claimConnection({
      connectionId: 'conn_globex',
      teamId: T2,
      enterpriseId: null,
      claimedBy: ADMIN_T2,
      claimedAt: new Date(),
      how: 'created',
    });
    await askConfirmed(rig, 'connection use conn_globex', { team: T2, user: ADMIN_T2 });
    await rig.restart();
    expect(rig.store.dialect).toBe('postgres');
    const from = rig.emulator.requests.length;
    expect(textOf(await rig.ask('whoami', { team: T2, user: ADMIN_T2 }))).toContain('Globex');
    const used = rig.emulator.requests.slice(from).filter((r) => r.path.startsWith('/posthog/'));
    expect(used.length).toBeGreaterThan(0);
    expect(used.every((r) => r.headers['maton-connection'] === 'conn_globex')).toBe(true);
    expect(await rig.store.getWorkspace(T1)).toBeNull();
  });
});
