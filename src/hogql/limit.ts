/**
 * `--limit N`: PostHog's query endpoint has no row-count parameter for HogQL, so the limit goes into the text. One row
 * more than asked is fetched, so "there is more" can be said without a second query.
 */
import { checkSyntax } from './syntax.js';

/** PostHog's ceiling for a query's rows. */
export const MAX_ROWS = 50_000;

export interface LimitedQuery {
  query: string;
  /** The LIMIT we added (N + 1), or null when the text was left alone. */
  probe: number | null;
  note: string | null;
}

export async function applyLimit(
  query: string,
  shape: { hasLimit: boolean; isUnion: boolean },
  limit: number | undefined,
): Promise<LimitedQuery> {
  if (limit === undefined) return { query, probe: null, note: null };
  if (shape.hasLimit) return { query, probe: null, note: "The query's own LIMIT applies; --limit was ignored." };
  const probe = Math.min(limit + 1, MAX_ROWS);
  const body = query.replace(/;\s*$/, '');
  // On its own line, so a trailing `-- comment` cannot swallow it.
  const appended = `${body}\nLIMIT ${probe}`;
  if (!shape.isUnion && (await checkSyntax(appended)).ok) return { query: appended, probe, note: null };
  return { query: `SELECT * FROM (\n${body}\n) LIMIT ${probe}`, probe, note: null };
}
