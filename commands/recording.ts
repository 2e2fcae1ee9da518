import { z } from 'zod';
import { personNotFoundMessage, personPickMessage } from '../views/persons.js';
import { recordingCardMessage, recordingNotFoundMessage, recordingsListMessage, REPLAY_LINK_ACTION } from '../views/recordings.js';
import { linkProjectId, quoteArg } from '../src/lookups/named.js';
import { normalizePersonInput, resolvePerson } from '../src/persons/resolve.js';
import { personEntry, recordingPerson } from '../src/persons/entry.js';
import { personUuid, recordingSchema } from '../src/persons/schemas.js';
import { isUpstreamError } from '../src/posthog/errors.js';
import { path } from '../src/posthog/path.js';
import { defineCommand } from '../src/registry/command.js';
import { defineAction } from '../src/registry/interaction.js';
import { callerTimeZone } from '../src/slack/profile.js';

const DEFAULT_SINCE = '7d';
const DEFAULT_LIMIT = 10;

/** PostHog's relative dates: `-7d`, `-24h`, `-2w`, `-3m` (months). A leading minus is optional here. */
const since = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^-?\d{1,4}[hdwm]$/, 'use a span such as 24h, 7d, 2w or 3m')
  .transform((s) => s.replace(/^-/, ''))
  .default(DEFAULT_SINCE);

const recordings = defineCommand({
  name: 'recordings',
  aliases: ['recording list'],
  summary: 'A person’s session recordings, newest first, with replay links',
  usage: '<email|distinct_id> [--since 7d] [--limit N]',
  examples: ['/ph recordings ana@acme.com', '/ph recordings ana@acme.com --since 30d'],
  args: z.object({
    who: z.string().trim().min(1),
    since,
    limit: z.coerce.number().int().min(1).max(20).default(DEFAULT_LIMIT),
    offset: z.coerce.number().int().min(0).optional(),
  }),
  rest: 'who',
  mutates: false,
  role: 'reader',
  run: async (ctx, args) => {
    const [projectId, posthog, timeZone] = await Promise.all([linkProjectId(ctx), ctx.posthog(), callerTimeZone(ctx)]);
    const query = normalizePersonInput(args.who);
    const suffix = `${args.since !== DEFAULT_SINCE ? ` --since ${args.since}` : ''}${args.limit !== DEFAULT_LIMIT ? ` --limit ${args.limit}` : ''}`;
    const command = (did: string) => `recordings ${did}${suffix}`;
    const found = await resolvePerson(posthog, projectId, query);
    if (found.kind === 'none') return personNotFoundMessage({ query, suggestions: found.suggestions.map(personEntry), command });
    if (found.kind === 'several')
      return personPickMessage({ query, queryArg: quoteArg(query), persons: found.persons.map(personEntry), total: found.total, command });

    const start = args.offset ?? 0;
    const page = await posthog.hasNextPage(path`/api/projects/${projectId}/session_recordings/`, recordingSchema, {
      limit: args.limit,
      offset: start,
      query: { person_uuid: personUuid(found.person), date_from: `-${args.since}`, order: 'start_time' },
    });
    const who = personEntry(found.person);
    return recordingsListMessage({
      person: who,
      since: args.since,
      recordings: page.results,
      projectId,
      appUrl: ctx.config.posthogAppUrl,
      timeZone,
      page: { command: command(who.arg), offset: start, shown: page.results.length, total: null, nextOffset: page.nextOffset },
    });
  },
});

const recording = defineCommand({
  name: 'recording',
  aliases: ['recording show', 'replay'],
  summary: 'One session recording: when, how long, clicks, errors, and its replay link',
  usage: '<session id>',
  examples: ['/ph recording 0190b2f4-6c2a-7d31-9a4e-1b2c3d4e5f60'],
  // Dots are allowed inside an id, but `.` and `..` alone would be path steps (src/posthog/path.ts refuses them).
  args: z.object({
    id: z
      .string()
      .trim()
      .regex(/^(?!\.+$)[A-Za-z0-9._:-]{1,200}$/, 'is not a session id (letters, digits, `-`, `_`, `.` or `:`)'),
  }),
  positional: ['id'],
  mutates: false,
  role: 'reader',
  run: async (ctx, { id }) => {
    const [projectId, posthog, timeZone] = await Promise.all([linkProjectId(ctx), ctx.posthog(), callerTimeZone(ctx)]);
    try {
      const found = await posthog.request('GET', path`/api/projects/${projectId}/session_recordings/${id}/`, recordingSchema);
      return recordingCardMessage({ recording: found, who: recordingPerson(found), projectId, appUrl: ctx.config.posthogAppUrl, timeZone });
    } catch (error) {
      if (isUpstreamError(error) && error.kind === 'posthog_not_found') return recordingNotFoundMessage(id);
      throw error;
    }
  },
});

export const interactions = [defineAction({ actionId: REPLAY_LINK_ACTION, run: async () => null })];

export default [recordings, recording];
