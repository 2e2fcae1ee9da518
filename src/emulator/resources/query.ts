/**
 * `POST /query/` (and async polling/cancel) delegated to the pluggable query engine, if any; ExperimentQuery is answered
 * here from the project's experiments and events (see experiment-query.ts).
 */
import type { Reply } from '../http.js';
import { json, notFound, validationError } from '../http.js';
import type { QueryEngineContext, QueryEngineReply } from '../query-engine.js';
import type { ApiRoutes, ProjectContext } from './context.js';
import { runExperimentQuery } from './experiment-query.js';

export function registerQuery(routes: ApiRoutes): void {
  routes
    .project('POST', '/query', async (ctx) => {
      if (!ctx.queryEngine) return validationError('HogQL queries are not available in this emulator yet', null);
      const query = (ctx.body as { query?: { kind?: unknown } } | null | undefined)?.query;
      if (query?.kind === 'ExperimentQuery') return runExperimentQuery(ctx, query);
      return toReply(await ctx.queryEngine.run(ctx.projectId, ctx.body, engineContext(ctx)));
    })
    .project('GET', '/query/:queryId', async (ctx) => {
      if (!ctx.queryEngine?.status) return notFound();
      return toReply(await ctx.queryEngine.status(ctx.projectId, ctx.params.queryId ?? '', engineContext(ctx)));
    })
    .project('DELETE', '/query/:queryId', async (ctx) => {
      if (!ctx.queryEngine?.cancel) return notFound();
      return toReply(await ctx.queryEngine.cancel(ctx.projectId, ctx.params.queryId ?? '', engineContext(ctx)));
    });
}

function engineContext(ctx: ProjectContext): QueryEngineContext {
  return {
    projectId: ctx.projectId,
    timezone: ctx.data.project.timezone,
    dataset: ctx.data.dataset(),
    now: ctx.now,
    connectionId: ctx.connection.connection_id,
  };
}

function toReply(reply: QueryEngineReply): Reply {
  return reply.status === 204
    ? { status: 204, ...(reply.headers && { headers: reply.headers }) }
    : json(reply.status, reply.body, reply.headers);
}
