/** `/ph projects`: the PostHog projects of the connected organization, and finding one by id or name. */
import type { Message } from '../../views/blocks.js';
import { projectAmbiguousMessage, projectsMessage, type ProjectRow } from '../../views/projects.js';
import { CommandError } from '../errors.js';
import { projectSchema } from '../posthog/schemas.js';
import type { CommandContext } from '../registry/command.js';
import { closestMatches } from '../registry/suggest.js';

const MAX_PROJECTS = 200;

async function listProjects(ctx: CommandContext) {
  const posthog = await ctx.posthog();
  const { items, count } = await posthog.collect('/api/projects/', projectSchema, { maxItems: MAX_PROJECTS });
  const rows: ProjectRow[] = items.map((p) => ({ id: p.id, name: p.name, timezone: p.timezone ?? null }));
  return { rows, total: count ?? rows.length };
}

export async function showProjects(ctx: CommandContext): Promise<Message> {
  const [{ rows, total }, workspace] = await Promise.all([listProjects(ctx), ctx.workspace()]);
  return projectsMessage({ projects: rows.slice(0, 40), total, inUseId: workspace.projectId, appUrl: ctx.config.posthogAppUrl });
}

/** The project `wanted` names (id, exact name, else a unique partial name); a pick list when several match. */
export async function findProject(ctx: CommandContext, wanted: string): Promise<ProjectRow | Message> {
  const { rows } = await listProjects(ctx);
  const byId = /^\d+$/.test(wanted) ? rows.filter((p) => p.id === Number(wanted)) : [];
  const matches = byId.length > 0 ? byId : rows.filter((p) => p.name.toLowerCase() === wanted.toLowerCase());
  const loose = matches.length > 0 ? matches : rows.filter((p) => p.name.toLowerCase().includes(wanted.toLowerCase()));
  if (loose.length > 1) return projectAmbiguousMessage({ query: wanted, matches: loose });
  const project = loose[0];
  if (!project) {
    const close = closestMatches(
      wanted,
      rows.map((p) => p.name),
    );
    const hint = close.length > 0 ? ` Did you mean ${close.map((n) => `“${n}”`).join(' or ')}?` : ' See `/ph projects`.';
    throw new CommandError(`No project “${wanted}” in this PostHog organization.${hint}`);
  }
  return project;
}
