import { z } from 'zod';
import { type ActionRow, actionCreatedMessage, actionMessage, actionsMessage } from '../views/actions.js';
import { escapeMrkdwn } from '../views/blocks.js';
import { CommandError } from '../src/errors.js';
import { currentProject, planTarget } from '../src/lookups/named.js';
import { LOCAL_SEARCH_CAP, listResource, offsetArg, type ProjectSelector, showResource, withCapNotice } from '../src/lookups/resource.js';
import { type Action, actionSchema, eventDefinitionSchema } from '../src/posthog/content-schemas.js';
import { path } from '../src/posthog/path.js';
import { defineCommand } from '../src/registry/command.js';

const PAGE_SIZE = 10;

const actionsPath = (pid: ProjectSelector) => path`/api/projects/${pid}/actions/`;
const actionPath = (pid: ProjectSelector, id: number | string) => path`/api/projects/${pid}/actions/${id}/`;

const row = (a: Action): ActionRow => ({
  id: a.id,
  name: a.name ?? '',
  description: a.description ?? '',
  tags: a.tags ?? [],
  steps: (a.steps ?? []).map((s) => ({
    event: s.event ?? null,
    url: s.url ?? null,
    urlMatching: typeof s.url_matching === 'string' ? s.url_matching : null,
    text: s.text ?? null,
    selector: s.selector ?? null,
  })),
  createdAt: a.created_at ?? null,
});

const list = defineCommand({
  name: 'actions',
  aliases: ['action list'],
  summary: 'Actions of the project (named events, optionally narrowed by URL or element)',
  usage: '[search]',
  examples: ['/ph actions', '/ph actions signed'],
  args: z.object({ search: z.string().optional(), offset: offsetArg }),
  rest: 'search',
  mutates: false,
  role: 'reader',
  run: async (ctx, { search, offset }) => {
    // PostHog's action list takes only format, limit and offset: Hogbot searches names and descriptions itself.
    const model = await listResource(ctx, { command: 'actions', path: actionsPath, schema: actionSchema, row, limit: PAGE_SIZE, offset, search, localSearch: (a) => [a.name, a.description, ...(a.tags ?? [])] });
    return withCapNotice(actionsMessage(model), model.capped, 'action');
  },
});

const show = defineCommand({
  name: 'action',
  aliases: ['action show'],
  summary: 'One action: the events it matches',
  usage: '<id|name>',
  examples: ['/ph action 60001', '/ph action Signed up'],
  args: z.object({ action: z.string().trim().min(1) }),
  rest: 'action',
  mutates: false,
  role: 'reader',
  run: (ctx, { action }) =>
    showResource(
      ctx,
      {
        input: action,
        noun: 'action',
        listCommand: 'actions',
        path: actionsPath,
        schema: actionSchema,
        serverSearch: false,
        byId: ({ pid, get }) => (/^\d+$/.test(action) ? get(actionPath(pid, action)) : null),
        nameOf: (a) => a.name ?? '',
        pick: (a) => ({ title: a.name || 'Untitled action', detail: `\`${a.id}\``, command: `action ${a.id}` }),
      },
      (a, where) => actionMessage({ action: row(a), ...where }),
    ),
});

const actionName = z.string().trim().min(1, 'needs a name').max(400, 'is longer than 400 characters');
const eventName = z.string().trim().min(1, 'needs an event name').max(400, 'is longer than 400 characters');

const create = defineCommand({
  name: 'action create',
  summary: 'Create an action that matches one event',
  usage: '"name" --event <event> [--description "..."]',
  examples: ['/ph action create "Signed up" --event signed_up'],
  args: z.object({ name: actionName, event: eventName, description: z.string().max(1000, 'is longer than 1000 characters').optional() }),
  rest: 'name',
  mutates: true,
  role: 'writer',
  payload: z.object({ projectId: z.number().int(), name: actionName, event: eventName, description: z.string().max(1000) }),
  plan: async (ctx, { name, event, description }) => {
    const [posthog, project] = await Promise.all([ctx.posthog(), currentProject(ctx)]);
    const [existing, definitions] = await Promise.all([
      // No server-side search on actions: the name clash is looked for over the list (up to the cap).
      posthog.collect(actionsPath(project.id), actionSchema, { maxItems: LOCAL_SEARCH_CAP }).then((c) => ({ results: c.items })),
      posthog.listPage(path`/api/projects/${project.id}/event_definitions/`, eventDefinitionSchema, { limit: 20, query: { search: event } }),
    ]);
    // PostHog keeps action names unique per project: say so now rather than after Confirm.
    const clash = existing.results.find((a) => a.name === name);
    if (clash) throw new CommandError(`This project already has an action named “${escapeMrkdwn(name)}” (\`${clash.id}\`). Pick another name, or see \`/ph action ${clash.id}\`.`);
    const seen = definitions.results.some((d) => d.name === event);
    return {
      title: `Create action “${name}”`,
      target: await planTarget(ctx, project),
      changes: [
        { what: 'Action', before: 'none', after: name },
        { what: 'Matches', before: '–', after: `every ${event} event` },
        ...(description ? [{ what: 'Description', before: 'none', after: description }] : []),
      ],
      ...(seen ? {} : { warning: `PostHog has not seen an event named “${event}” in this project: the action will match nothing until it arrives.` }),
      payload: { projectId: project.id, name, event, description: description ?? '' },
    };
  },
  apply: async (ctx, payload) => {
    const posthog = await ctx.posthog();
    const created = await posthog.request('POST', actionsPath(payload.projectId), actionSchema, {
      body: { name: payload.name, description: payload.description, steps: [{ event: payload.event }] },
    });
    return actionCreatedMessage({ id: created.id, name: created.name ?? payload.name, event: payload.event, appUrl: ctx.config.posthogAppUrl, projectId: payload.projectId });
  },
});

export default [list, show, create];
