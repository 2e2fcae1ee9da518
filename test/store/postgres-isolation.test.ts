/**
 * Two test runs (or two apps) sharing one PostgreSQL database must not break each other. Kysely's Migrator used to
 * introspect every schema of the database (`has_schema_privilege(name)` per schema), so a schema dropped meanwhile by
 * someone else failed the migration with `schema "…" does not exist`: the error seen once when two suites ran at once.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { createScratchSchema, postgresProblem, postgresTestUrl } from './postgres-leg.js';

const inCi = ['true', '1'].includes((process.env.CI ?? '').toLowerCase());
const pgProblem = await postgresProblem(postgresTestUrl);
if (pgProblem !== null) console.warn(`[postgres isolation] SKIPPED: ${pgProblem}`);

describe.skipIf(pgProblem !== null && !inCi)('postgres: one run’s schema churn cannot fail another run’s migration', () => {
  it('opens (and migrates) stores while other schemas are created and dropped as fast as the server allows', async () => {
    let stop = false;
    const churner = new pg.Client({ connectionString: postgresTestUrl });
    await churner.connect();
    const prefix = `hogbot_churn_${process.pid}_${Date.now().toString(36)}`;
    let churned = 0;
    const churn = (async () => {
      while (!stop) {
        const name = `${prefix}_${churned++}`;
        await churner.query(`create schema ${name}`);
        await churner.query(`create table ${name}.t (id serial primary key)`);
        await churner.query(`drop schema ${name} cascade`);
      }
    })();
    const failures: string[] = [];
    try {
      // Before the fix, about 1 in 8 of these opens failed on a 2-core machine.
      for (let k = 0; k < 12; k++) {
        const scratch = await createScratchSchema(postgresTestUrl);
        try {
          const store = await openStore(scratch.url);
          await store.close();
        } catch (error) {
          failures.push(error instanceof Error ? error.message : String(error));
        } finally {
          await scratch.drop();
        }
      }
    } finally {
      stop = true;
      await churn;
      await churner.end();
    }
    expect(churned).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  }, 120_000);
});
