import { z } from 'zod';
import { actionMessage, actionsMessage } from '../views/actions.js';
import { actionName, actionsPath, eventName, findSpec, row, searchTexts } from '../src/actions/action.js';
import { applyCreate, createPayload, planCreate } from '../src/actions/write.js';
import { listResource, offsetArg, showResource, withCapNotice } from '../src/lookups/resource.js';
import { actionSchema } from '../src/posthog/content-schemas.js';
import { defineCommand } from '../src/registry/command.js';

const PAGE_SIZE = 10;

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
    const model = await listResource(ctx, {
      command: 'actions',
      path: actionsPath,
      schema: actionSchema,
      row,
      limit: PAGE_SIZE,
      offset,
      search,
      localSearch: searchTexts,
    });
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
  run: (ctx, { action }) => showResource(ctx, findSpec(action), (a, where) => actionMessage({ action: row(a), ...where })),
});

const create = defineCommand({
  name: 'action create',
  summary: 'Create an action that matches one event',
  usage: '"name" --event <event> [--description "..."]',
  examples: ['/ph action create "Signed up" --event signed_up'],
  args: z.object({ name: actionName, event: eventName, description: z.string().max(1000, 'is longer than 1000 characters').optional() }),
  rest: 'name',
  mutates: true,
  role: 'writer',
  payload: createPayload,
  plan: (ctx, args) => planCreate(ctx, args),
  apply: applyCreate,
});

export default [list, show, create];
