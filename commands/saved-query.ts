import { z } from 'zod';
import { queryDeletedMessage, querySavedMessage, savedQueriesMessage } from '../views/saved-queries.js';
import { syntaxErrorText } from '../views/query.js';
import { section } from '../views/blocks.js';
import { CommandError } from '../src/errors.js';
import { checkSyntax } from '../src/hogql/syntax.js';
import { defineCommand } from '../src/registry/command.js';
import { digestSpecSchema, savedQueryName } from '../src/scheduler/digest.js';

const MAX_HOGQL = 5000;

/** `query save` is its own command name: the registry matches the longest name, so it wins over `query`. */
const save = defineCommand({
  name: 'query save',
  summary: 'Save a HogQL query under a name, for digests',
  usage: '<name> <HogQL> [--replace]',
  examples: ["/ph query save signups SELECT toStartOfDay(timestamp) AS day, count() FROM events WHERE event = 'signed_up' GROUP BY day ORDER BY day"],
  args: z.object({ text: z.string(), replace: z.boolean().optional() }),
  raw: 'text',
  mutates: false,
  role: 'writer',
  run: async (ctx, { text, replace }) => {
    const match = /^(\S+)\s+([\s\S]+)$/.exec(text.trim());
    if (!match) throw new CommandError('Give a name and the query: `/ph query save signups SELECT count() FROM events`.');
    const name = savedQueryName.safeParse(match[1]);
    if (!name.success) throw new CommandError(`The name \`${match[1]}\` ${name.error.issues[0]?.message ?? 'is not valid'}.`);
    const hogql = match[2]!.trim();
    if (hogql.length > MAX_HOGQL) throw new CommandError(`That query is ${hogql.length} characters; saved queries hold up to ${MAX_HOGQL}.`);
    const check = await checkSyntax(hogql);
    if (!check.ok) return { text: 'HogQL syntax error: nothing was saved', blocks: [section(syntaxErrorText(check.problem).replace('Nothing was sent to PostHog.', 'Nothing was saved.'))] };
    const saved = { teamId: ctx.teamId, name: name.data, hogql, createdBy: ctx.userId, createdAt: ctx.now() };
    const outcome = await ctx.store.schedules.saveQuery(saved, { replace: replace ?? false });
    if (outcome === 'exists') throw new CommandError(`There is already a saved query \`${name.data}\`. Add \`--replace\` to overwrite it, or pick another name.`);
    return querySavedMessage({ query: { ...saved, updatedAt: saved.createdAt }, replaced: outcome === 'replaced' });
  },
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
  mutates: false,
  role: 'writer',
  run: async (ctx, { name }) => {
    if (!(await ctx.store.schedules.deleteQuery(ctx.teamId, name))) {
      throw new CommandError(`There is no saved query \`${name}\`. See \`/ph queries\`.`);
    }
    const digests = await ctx.store.schedules.listSchedules(ctx.teamId, 'digest');
    const usedBy = digests.filter((d) => digestSpecSchema.safeParse(d.spec).data?.items.some((i) => i.kind === 'query' && i.name === name)).map((d) => ({ id: d.id, title: d.title }));
    return queryDeletedMessage({ name, usedBy });
  },
});

export default [save, list, remove];
