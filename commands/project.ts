import { z } from 'zod';
import { projectAmbiguousMessage, projectChosenMessage, projectsMessage, type ProjectRow } from '../views/projects.js';
import { CommandError } from '../src/errors.js';
import { projectSchema } from '../src/posthog/schemas.js';
import { type CommandContext, defineCommand } from '../src/registry/command.js';
import { closestMatches } from '../src/registry/suggest.js';

const MAX_PROJECTS = 200;

async function listProjects(ctx: CommandContext) {
  const posthog = await ctx.posthog();
  const { items, count } = await posthog.collect('/api/projects/', projectSchema, { maxItems: MAX_PROJECTS });
  const rows: ProjectRow[] = items.map((p) => ({ id: p.id, name: p.name, timezone: p.timezone ?? null }));
  return { rows, total: count ?? rows.length };
}

const projects = defineCommand({
  name: 'projects',
  aliases: ['project list'],
  summary: 'The PostHog projects of the connected organization',
  args: z.object({}),
  mutates: false,
  role: 'reader',
  run: async (ctx) => {
    const [{ rows, total }, workspace] = await Promise.all([listProjects(ctx), ctx.workspace()]);
    return projectsMessage({ projects: rows.slice(0, 40), total, inUseId: workspace.projectId, appUrl: ctx.config.posthogAppUrl });
  },
});

const projectUse = defineCommand({
  name: 'project use',
  summary: 'Choose the PostHog project this workspace uses',
  usage: '<id|name>',
  examples: ['/ph project use 1001', '/ph project use "Acme Web"'],
  args: z.object({ project: z.string().min(1) }),
  positional: ['project'],
  rest: 'project',
  mutates: false,
  role: 'admin',
  run: async (ctx, args) => {
    const { rows } = await listProjects(ctx);
    const wanted = args.project.trim();
    const byId = /^\d+$/.test(wanted) ? rows.filter((p) => p.id === Number(wanted)) : [];
    const matches = byId.length > 0 ? byId : rows.filter((p) => p.name.toLowerCase() === wanted.toLowerCase());
    const loose = matches.length > 0 ? matches : rows.filter((p) => p.name.toLowerCase().includes(wanted.toLowerCase()));
    if (loose.length > 1) return projectAmbiguousMessage({ query: wanted, matches: loose });
    const project = loose[0];
    if (!project) {
      const close = closestMatches(wanted, rows.map((p) => p.name));
      const hint = close.length > 0 ? ` Did you mean ${close.map((n) => `“${n}”`).join(' or ')}?` : ' See `/ph projects`.';
      throw new CommandError(`No project “${wanted}” in this PostHog organization.${hint}`);
    }
    await ctx.store.setWorkspaceProject(ctx.teamId, project.id, ctx.userId, ctx.now());
    return projectChosenMessage({ project, appUrl: ctx.config.posthogAppUrl });
  },
});

export default [projects, projectUse];
