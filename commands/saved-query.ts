import { z } from 'zod';
import { savedQueriesMessage } from '../views/saved-queries.js';
import {
  applyDeleteQuery,
  applySaveQuery,
  checkDeleteQuery,
  checkSaveQuery,
  deletePayload,
  planDeleteQuery,
  planSaveQuery,
  savePayload,
} from '../src/hogql/saved-queries.js';
import { defineCommand } from '../src/registry/command.js';
import { savedQueryName } from '../src/scheduler/digest.js';

/** `query save` is its own command name: the registry matches the longest name, so it wins over `query`. */
const save = defineCommand({
  name: 'query save',
  summary: 'Save a HogQL query under a name, for digests',
  usage: '<name> <HogQL> [--replace]',
  examples: [
    "/ph query save signups SELECT toStartOfDay(timestamp) AS day, count() FROM events WHERE event = 'signed_up' GROUP BY day ORDER BY day",
  ],
  args: z.object({ text: z.string(), replace: z.boolean().optional() }),
  raw: 'text',
  mutates: true,
  // Low-risk (Hogbot's own state, and Undo puts back what was there): applies at once, still audited.
  confirm: 'skip',
  role: 'writer',
  payload: savePayload,
  plan: (ctx, { text, replace }) => planSaveQuery(ctx, text, replace ?? false),
  check: checkSaveQuery,
  apply: applySaveQuery,
});

const list = defineCommand({
  name: 'queries',
  summary: 'The saved HogQL queries of this workspace',
  args: z.object({}),
  mutates: false,
  role: 'reader',
  run: async (ctx) => savedQueriesMessage({ queries: await ctx.store.schedules.listQueries(ctx.teamId) }),
});

const remove = defineCommand({
  name: 'query delete',
  summary: 'Delete a saved query',
  usage: '<name>',
  args: z.object({ name: savedQueryName }),
  positional: ['name'],
  mutates: true,
  role: 'writer',
  payload: deletePayload,
  plan: (ctx, { name }) => planDeleteQuery(ctx, name),
  check: checkDeleteQuery,
  apply: applyDeleteQuery,
});

export default [save, list, remove];
