import { z } from 'zod';
import { PERSON_LINK_ACTION, personCardMessage, personNotFoundMessage, personPickMessage, personsListMessage } from '../views/persons.js';
import { linkProjectId, quoteArg } from '../src/lookups/named.js';
import { personEntry } from '../src/persons/entry.js';
import { fetchPage, offsetArg } from '../src/lookups/resource.js';
import { type Activity, recentActivity } from '../src/persons/activity.js';
import { normalizePersonInput, resolvePerson } from '../src/persons/resolve.js';
import { personSchema, personUuid } from '../src/persons/schemas.js';
import { isUpstreamError } from '../src/posthog/errors.js';
import { path } from '../src/posthog/path.js';
import { describeUpstreamError } from '../src/posthog/translate.js';
import { defineCommand } from '../src/registry/command.js';
import { defineAction } from '../src/registry/interaction.js';
import { callerTimeZone } from '../src/slack/profile.js';

const limit = z.coerce.number().int().min(1).max(25).default(10);

const person = defineCommand({
  name: 'person',
  summary: 'One person: properties, distinct ids, first and last seen, recent events, recordings',
  usage: '<email|distinct_id|name>',
  examples: ['/ph person ana@acme.com'],
  args: z.object({ who: z.string().trim().min(1) }),
  rest: 'who',
  mutates: false,
  role: 'reader',
  run: async (ctx, { who }) => {
    const [projectId, posthog, timeZone] = await Promise.all([linkProjectId(ctx), ctx.posthog(), callerTimeZone(ctx)]);
    const query = normalizePersonInput(who);
    const found = await resolvePerson(posthog, projectId, query);
    const command = (did: string) => `person ${did}`;
    if (found.kind === 'none') return personNotFoundMessage({ query, suggestions: found.suggestions.map(personEntry), command });
    if (found.kind === 'several')
      return personPickMessage({ query, queryArg: quoteArg(query), persons: found.persons.map(personEntry), total: found.total, command });
    // The card is useful without event counts (the query API may be rate limited or unavailable): say why they are missing.
    let activity: Activity | { error: string };
    try {
      activity = await recentActivity(posthog, projectId, personUuid(found.person));
    } catch (error) {
      if (!isUpstreamError(error)) throw error;
      activity = { error: describeUpstreamError(error) };
    }
    return personCardMessage({ person: personEntry(found.person), projectId, appUrl: ctx.config.posthogAppUrl, timeZone, activity });
  },
});

const persons = defineCommand({
  name: 'persons',
  aliases: ['person list'],
  summary: 'Persons in the project, newest first, optionally matching a search',
  usage: '[search] [--limit N]',
  examples: ['/ph persons', '/ph persons acme.com'],
  args: z.object({ search: z.string().trim().optional(), limit, offset: offsetArg }),
  rest: 'search',
  mutates: false,
  role: 'reader',
  run: async (ctx, args) => {
    const [projectId, posthog, timeZone] = await Promise.all([linkProjectId(ctx), ctx.posthog(), callerTimeZone(ctx)]);
    const search = args.search ? normalizePersonInput(args.search) : null;
    const { results, page } = await fetchPage(posthog, {
      command: 'persons',
      options: [args.limit !== 10 ? `--limit ${args.limit}` : null],
      path: path`/api/projects/${projectId}/persons/`,
      schema: personSchema,
      limit: args.limit,
      offset: args.offset,
      search,
    });
    return personsListMessage({ persons: results.map(personEntry), search, timeZone, page });
  },
});

export const interactions = [defineAction({ actionId: PERSON_LINK_ACTION, run: async () => null })];

export default [person, persons];
