/** What the store modules share: the database handle, JSON and epoch-ms columns, and the one upsert statement. */
import type { Insertable, Kysely, Updateable } from 'kysely';
import type { StoreTables } from './schema.js';

export type Db = Kysely<StoreTables>;

export const fromJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text));
// `undefined` has no JSON form; store it as null rather than failing a NOT NULL column.
export const toJson = (value: unknown): string => JSON.stringify(value ?? null);
export const dateOrNull = (ms: number | string | null): Date | null => (ms === null ? null : new Date(Number(ms)));

/**
 * INSERT, or overwrite `update` on the row with the same key: one statement, so concurrent writers never race
 * between a read and a write. Columns are checked at the call site; the casts only bridge Kysely's generic table.
 */
export async function upsert<T extends keyof StoreTables & string>(
  db: Db,
  table: T,
  key: ReadonlyArray<keyof StoreTables[T] & string>,
  row: Insertable<StoreTables[T]>,
  update: Updateable<StoreTables[T]>,
): Promise<void> {
  await db
    .insertInto(table)
    .values(row as never)
    .onConflict((oc) => oc.columns(key as never).doUpdateSet(update as never))
    .execute();
}
