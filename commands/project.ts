/** The `/ph project` family: what each command takes and who may run it. The work is in src/projects/. */
import { z } from 'zod';
import { defineCommand } from '../src/registry/command.js';
import { showProjects } from '../src/projects/list.js';
import { applyProjectUse, checkProjectUse, planProjectUse, usePayload } from '../src/projects/use.js';

const projects = defineCommand({
  name: 'projects',
  aliases: ['project list'],
  summary: 'The PostHog projects of the connected organization',
  args: z.object({}),
  mutates: false,
  role: 'reader',
  run: (ctx) => showProjects(ctx),
});

const projectUse = defineCommand({
  name: 'project use',
  summary: 'Choose the PostHog project this workspace uses',
  usage: '<id|name>',
  examples: ['/ph project use 1001', '/ph project use "Acme Web"'],
  args: z.object({ project: z.string().min(1) }),
  positional: ['project'],
  rest: 'project',
  mutates: true,
  role: 'admin',
  payload: usePayload,
  plan: (ctx, args) => planProjectUse(ctx, args.project.trim()),
  check: checkProjectUse,
  apply: applyProjectUse,
});

export default [projects, projectUse];
