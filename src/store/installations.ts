/** Rows behind Bolt's InstallationStore (the adapter is installation-store.ts). The JSON holds tokens: never log it. */
import { type Db, fromJson, toJson, upsert } from './rows.js';

export async function saveInstallation(db: Db, key: string, installation: unknown): Promise<void> {
  const values = { json: toJson(installation), updated_at: Date.now() };
  await upsert(db, 'installations', ['key'], { key, ...values }, values);
}

export async function getInstallation(db: Db, key: string): Promise<unknown | null> {
  const row = await db.selectFrom('installations').select('json').where('key', '=', key).executeTakeFirst();
  return row === undefined ? null : fromJson(row.json);
}

export async function deleteInstallation(db: Db, key: string): Promise<void> {
  await db.deleteFrom('installations').where('key', '=', key).execute();
}
