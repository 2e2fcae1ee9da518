/** The `/ph connection` family: what each command takes and who may run it. The work is in src/connections/. */
import { z } from 'zod';
import { applyAssign, assignPayload, planAssign } from '../src/connections/assign.js';
import { applyDisconnect, disconnectPayload, planDisconnect } from '../src/connections/disconnect.js';
import { listConnections, showConnection, startConnection } from '../src/connections/read.js';
import { applyUse, checkUse, planUse, usePayload } from '../src/connections/use.js';
import { connectionId } from '../src/connections/visible.js';
import { defineCommand } from '../src/registry/command.js';

const list = defineCommand({
  name: 'connection list',
  aliases: ['connections'],
  summary: 'This workspace’s PostHog connections, and the one in use here',
  args: z.object({}),
  mutates: false,
  role: 'reader',
  run: (ctx) => listConnections(ctx),
});

const connect = defineCommand({
  name: 'connection connect',
  summary: 'Start a new PostHog connection for this workspace and get its authorization link',
  args: z.object({}),
  mutates: false,
  role: 'admin',
  run: (ctx) => startConnection(ctx),
});

const use = defineCommand({
  name: 'connection use',
  summary: 'Make this workspace use one of its connections (its project choice resets)',
  usage: '<id>',
  examples: ['/ph connection use conn_acme'],
  args: z.object({ id: connectionId }),
  positional: ['id'],
  mutates: true,
  role: 'admin',
  payload: usePayload,
  plan: (ctx, { id }) => planUse(ctx, id),
  check: checkUse,
  apply: applyUse,
});

const show = defineCommand({
  name: 'connection show',
  summary: 'One of this workspace’s connections: its status',
  usage: '<id>',
  args: z.object({ id: connectionId }),
  positional: ['id'],
  mutates: false,
  role: 'reader',
  run: (ctx, { id }) => showConnection(ctx, id),
});

const disconnect = defineCommand({
  name: 'connection disconnect',
  summary: 'Delete one of this workspace’s connections from the Maton account',
  usage: '<id>',
  args: z.object({ id: connectionId }),
  positional: ['id'],
  mutates: true,
  role: 'admin',
  payload: disconnectPayload,
  plan: (ctx, { id }) => planDisconnect(ctx, id),
  apply: applyDisconnect,
});

const assign = defineCommand({
  name: 'connection assign',
  summary: 'Enterprise Grid org admins: use another workspace’s connection of your organization here',
  usage: '<id>',
  examples: ['/ph connection assign conn_acme'],
  args: z.object({ id: connectionId }),
  positional: ['id'],
  mutates: true,
  role: 'admin',
  payload: assignPayload,
  plan: (ctx, { id }) => planAssign(ctx, id),
  apply: applyAssign,
});

export default [list, connect, use, show, disconnect, assign];
