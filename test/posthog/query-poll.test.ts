/**
 * posthog/api/query.py: an async query answers 202 `{query_status: {id, ...}}`; Hogbot polls the id PostHog returns
 * (today it equals the client_query_id), falling back to its own client_query_id when the status carries none.
 */
import { describe, expect, it } from 'vitest';
import { runHogQL } from '../../src/hogql/run.js';
import type { PostHogClient } from '../../src/posthog/client.js';

function fakeClient(firstStatus: Record<string, unknown>): { client: PostHogClient; paths: string[] } {
  const paths: string[] = [];
  const request = async (method: string, path: string, schema: { parse: (v: unknown) => unknown }) => {
    paths.push(`${method} ${path}`);
    if (method === 'POST') return schema.parse({ query_status: firstStatus });
    return schema.parse({ query_status: { complete: true, results: { results: [[1]], columns: ['n'] } } });
  };
  return { client: { connectionId: null, request } as unknown as PostHogClient, paths };
}

const run = (client: PostHogClient) =>
  runHogQL(client, { projectId: 1, query: 'SELECT 1', queryId: 'ours', deadlineMs: 10_000, sleep: async () => undefined });

describe('runHogQL polls the query id PostHog returns', () => {
  it('uses query_status.id', async () => {
    const { client, paths } = fakeClient({ id: 'theirs', complete: false });
    expect((await run(client)).result.results).toEqual([[1]]);
    expect(paths[1]).toBe('GET /api/projects/1/query/theirs/');
  });

  it('falls back to the client_query_id when the status has no id (and no results)', async () => {
    const { client, paths } = fakeClient({ complete: false });
    await run(client);
    expect(paths[1]).toBe('GET /api/projects/1/query/ours/');
  });
});
