import { z } from 'zod';
import { dashboardMessage, dashboardsMessage } from '../views/dashboards.js';
import {
  applyCreate,
  applyRename,
  card,
  createPayload,
  dashboardName,
  dashboardsPath,
  planCreate,
  planRename,
  renamePayload,
  resolveDashboard,
  row,
  searchTexts,
} from '../src/dashboards/dashboard.js';

import { linkProjectId } from '../src/lookups/named.js';
import { listResource, offsetArg, withCapNotice } from '../src/lookups/resource.js';
import { dashboardSchema } from '../src/posthog/content-schemas.js';
import { defineCommand } from '../src/registry/command.js';

const PAGE_SIZE = 10;

const list = defineCommand({
  name: 'dashboards',
  aliases: ['dashboard list'],
  summary: 'Dashboards of the project, pinned first',
  usage: '[search]',
  examples: ['/ph dashboards', '/ph dashboards growth'],
  args: z.object({ search: z.string().optional(), offset: offsetArg }),
  rest: 'search',
  mutates: false,
  role: 'reader',
  run: async (ctx, { search, offset }) => {
    // PostHog ignores `search` on dashboards (filters: tags, exclude_generated only): Hogbot searches them itself.
    const model = await listResource(ctx, {
      command: 'dashboards',
      path: dashboardsPath,
      schema: dashboardSchema,
      row,
      limit: PAGE_SIZE,
      offset,
      search,
      localSearch: searchTexts,
    });
    return withCapNotice(dashboardsMessage(model), model.capped, 'dashboard');
  },
});

const show = defineCommand({
  name: 'dashboard',
  aliases: ['dashboard show'],
  summary: 'One dashboard: its tiles, with links to each insight',
  usage: '<id|name>',
  examples: ['/ph dashboard 30001', '/ph dashboard Growth'],
  args: z.object({ dashboard: z.string().trim().min(1) }),
  rest: 'dashboard',
  mutates: false,
  role: 'reader',
  run: async (ctx, { dashboard }) => {
    const [resolved, projectId] = await Promise.all([resolveDashboard(ctx, dashboard, (id) => `dashboard ${id}`), linkProjectId(ctx)]);
    if (resolved.kind === 'pick') return resolved.message;
    return dashboardMessage({ dashboard: card(resolved.item), appUrl: ctx.config.posthogAppUrl, projectId });
  },
});

const create = defineCommand({
  name: 'dashboard create',
  summary: 'Create an empty dashboard',
  usage: '"name" [--description "..."]',
  examples: ['/ph dashboard create "Launch week" --description "Signups and errors during the launch"'],
  args: z.object({ name: dashboardName, description: z.string().max(2000, 'is longer than 2000 characters').optional() }),
  rest: 'name',
  mutates: true,
  role: 'writer',
  payload: createPayload,
  plan: (ctx, { name, description }) => planCreate(ctx, name, description),
  apply: applyCreate,
});

const rename = defineCommand({
  name: 'dashboard rename',
  summary: 'Rename a dashboard',
  usage: '<id|name> "new name"',
  examples: ['/ph dashboard rename 30001 "Product health"'],
  args: z.object({ dashboard: z.string().trim().min(1), name: dashboardName }),
  positional: ['dashboard'],
  rest: 'name',
  mutates: true,
  role: 'writer',
  payload: renamePayload,
  plan: (ctx, { dashboard, name }) => planRename(ctx, dashboard, name),
  apply: applyRename,
});

export default [list, show, create, rename];
