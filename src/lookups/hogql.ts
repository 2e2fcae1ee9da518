/**
 * One small lookup query (HogQL with `values` placeholders), run blocking through PostHog's query endpoint and answered
 * as rows of named columns. Not `/ph query`'s runner (src/hogql/run.ts: async, polled, cancellable). Callers that can live without
 * the answer (a card's event counts) catch the UpstreamError and say why; nothing here swallows it.
 */
import { z } from 'zod';
import type { PostHogClient } from '../posthog/client.js';
import { path } from '../posthog/path.js';

const responseSchema = z.looseObject({
  results: z.array(z.array(z.unknown())),
  columns: z.array(z.string()).nullish(),
});

/**
 * Queries scan events, so they get longer than the gateway's default per-request timeout (PostHog's own limit is 60 s;
 * a Slack user will not wait that long).
 */
export const QUERY_TIMEOUT_MS = 20_000;

export interface HogQLRows {
  columns: string[];
  rows: unknown[][];
}

export async function queryRows(
  posthog: PostHogClient,
  projectId: number,
  query: string,
  values: Record<string, unknown> = {},
): Promise<HogQLRows> {
  const body = { query: { kind: 'HogQLQuery', query, values }, refresh: 'blocking' };
  // A read-only query: safe to retry after a timeout or a 5xx.
  const res = await posthog.request('POST', path`/api/projects/${projectId}/query/`, responseSchema, {
    body,
    idempotent: true,
    timeoutMs: QUERY_TIMEOUT_MS,
  });
  return { columns: res.columns ?? [], rows: res.results };
}

/** A count as a number: ClickHouse's UInt64 may arrive as a string. */
export function countOf(value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : 0;
}
