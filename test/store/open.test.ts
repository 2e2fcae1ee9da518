import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { isStoreError } from '../../src/store/errors.js';
import { isPostgresUrl, openStore } from '../../src/store/open.js';

const dir = mkdtempSync(join(tmpdir(), 'hogbot-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A 127.0.0.1 port that nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('openStore', () => {
  it('tells Postgres URLs from SQLite paths', () => {
    expect(isPostgresUrl('postgres://u@h/db')).toBe(true);
    expect(isPostgresUrl('postgresql://u@h/db')).toBe(true);
    expect(isPostgresUrl('./data/hogbot.sqlite')).toBe(false);
    expect(isPostgresUrl(':memory:')).toBe(false);
  });

  it('opens an in-memory SQLite store', async () => {
    const store = await openStore(':memory:');
    expect(store.dialect).toBe('sqlite');
    expect(await store.rememberOnce('k', new Date(0), new Date(1_000))).toBe(true);
    await store.close();
    await store.close();
  });

  it('creates the directory and puts the SQLite file in WAL mode', async () => {
    const file = join(dir, 'nested', 'deeper', 'hogbot.sqlite');
    const store = await openStore(file);
    await store.close();
    const raw = new SQLite(file, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      const tables = raw.prepare("select name from sqlite_master where type = 'table' order by name").pluck().all();
      expect(tables).toEqual(expect.arrayContaining(['installations', 'once_keys', 'plans', 'workspaces']));
    } finally {
      raw.close();
    }
  });

  it('fails with a StoreError that does not repeat the password when Postgres is unreachable', async () => {
    const port = await closedPort();
    const error = await openStore(`postgres://hogbot:s3cret-pw@127.0.0.1:${port}/nope`).catch((e: unknown) => e);
    expect(isStoreError(error) && error.code).toBe('open_failed');
    expect(String((error as Error).message)).toContain(`127.0.0.1:${port}/nope`);
    expect(String((error as Error).message)).not.toContain('s3cret-pw');
  });
});
