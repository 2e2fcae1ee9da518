import { z } from 'zod';
import { outcomeMessage } from '../views/audit.js';
import { escapeMrkdwn, type Message } from '../views/blocks.js';
import { noticeMessage } from '../views/flags.js';
import { projectAmbiguousMessage, projectChosenText, projectsMessage, type ProjectRow } from '../views/projects.js';
import { CommandError } from '../src/errors.js';
import { projectSchema } from '../src/posthog/schemas.js';
import { type CommandContext, defineCommand, type PlanDraft } from '../src/registry/command.js';
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

/** The project `wanted` names (id, exact name, else a unique partial name); a pick list when several match. */
async function findProject(ctx: CommandContext, wanted: string): Promise<ProjectRow | Message> {
  const { rows } = await listProjects(ctx);
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
  return project;
}

// `chosenId`, not `projectId`: the plan pipeline reads a payload's `projectId` as the project the write is pinned to
// (src/plans/pinned-target.ts whereOf), while this write changes which project the workspace uses.
const usePayload = z.object({
  chosenId: z.number().int(),
  name: z.string(),
  timezone: z.string().nullable(),
  previous: z.number().int().nullable(),
  connectionId: z.string().nullable(),
});
type UsePayload = z.infer<typeof usePayload>;

const savedSettings = async (ctx: CommandContext) => (await ctx.store.getWorkspace(ctx.teamId)) ?? { connectionId: null, projectId: null };

const fingerprintOf = (w: { connectionId: string | null; projectId: number | null }) => `${w.connectionId ?? '-'}:${w.projectId ?? '-'}`;

async function planProjectUse(ctx: CommandContext, wanted: string): Promise<PlanDraft<UsePayload> | Message> {
  const [found, workspace] = await Promise.all([findProject(ctx, wanted), ctx.workspace()]);
  if (!('id' in found)) return found;
  if (workspace.projectId === found.id) return noticeMessage(`This workspace already uses ${escapeMrkdwn(found.name)} (\`${found.id}\`). Nothing to do.`);
  return {
    title: `Use project ${found.name}`,
    target: [
      { label: 'Workspace', value: ctx.teamId },
      { label: 'Connection', value: workspace.connectionId ?? 'gateway default' },
    ],
    changes: [{ what: 'Project', before: workspace.projectId === null ? 'PostHog’s default' : String(workspace.projectId), after: `${found.name} (${found.id})` }],
    payload: { chosenId: found.id, name: found.name, timezone: found.timezone, previous: workspace.projectId, connectionId: workspace.connectionId },
    fingerprint: fingerprintOf(workspace),
    subject: { type: 'setting', id: 'project', label: 'PostHog project', connectionId: workspace.connectionId, projectId: found.id, before: { projectId: workspace.projectId }, after: { projectId: found.id } },
  };
}

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
  // The workspace switched connection or project since the plan: the project may not even belong to it any more.
  // Read from the store: at Confirm ctx.workspace() is the pinned view of where the plan was made, not what is saved now.
  check: async (ctx, p, fingerprint) => (fingerprintOf(await savedSettings(ctx)) === fingerprint ? null : planProjectUse(ctx, String(p.chosenId))),
  apply: async (ctx, p) => {
    await ctx.store.setWorkspaceProject(ctx.teamId, p.chosenId, ctx.userId, ctx.now());
    const text = projectChosenText({ project: { id: p.chosenId, name: p.name, timezone: p.timezone }, appUrl: ctx.config.posthogAppUrl });
    return { message: outcomeMessage({ text, undo: p.previous !== null ? `project use ${p.previous}` : null }), after: { projectId: p.chosenId } };
  },
});

export default [projects, projectUse];
