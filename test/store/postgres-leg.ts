import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const postgresTestUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** For messages: the URL may carry a password. */
export function redactUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable url)';
  }
}

/** Null when a server answers at `databaseUrl`, else why not. */
export async function postgresProblem(databaseUrl: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return `no PostgreSQL at ${redactUrl(databaseUrl)} (${error instanceof Error ? error.message || error.name : String(error)})`;
  } finally {
    await client.end().catch(() => {});
  }
}

async function withClient<T>(databaseUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A new empty schema and a URL whose connections use it (search_path via the libpq `options` parameter). */
export async function createScratchSchema(databaseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `hogbot_test_${randomBytes(6).toString('hex')}`;
  await withClient(databaseUrl, (c) => c.query(`create schema ${schema}`));
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    drop: () => withClient(databaseUrl, (c) => c.query(`drop schema if exists ${schema} cascade`)).then(() => {}),
  };
}
