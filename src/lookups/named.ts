import { escapeMrkdwn } from '../../views/blocks.js';
import { path } from '../posthog/path.js';
import { projectSchema } from '../posthog/schemas.js';
import type { CommandContext } from '../registry/command.js';
import { closestMatches } from '../registry/suggest.js';

/** What `<id|name>` resolved to: one object, several to pick from, or nothing (with names that come close). */
export type Found<T> = { kind: 'one'; item: T } | { kind: 'many'; items: T[] } | { kind: 'none'; suggestions: string[] };

export interface NamedLookup<T> {
  input: string;
  /** Fetches by id when the input looks like one; answers null on PostHog's 404. */
  byId?: (() => Promise<T | null>) | undefined;
  /** Objects whose names may match (PostHog's `?search=`). */
  search: () => Promise<T[]>;
  /** Names to suggest from when nothing matches (a wider list than `search`). */
  names: () => Promise<string[]>;
  nameOf: (item: T) => string;
}

/**
 * Resolves what a user typed for an object: an id first, then an exact name (case-insensitive), then a partial name.
 * Several exact or partial matches are left to the user to pick; none comes back with the closest names.
 */
export async function findByIdOrName<T>(lookup: NamedLookup<T>): Promise<Found<T>> {
  const byId = lookup.byId ? await lookup.byId() : null;
  if (byId) return { kind: 'one', item: byId };
  const wanted = lookup.input.trim().toLowerCase();
  const candidates = await lookup.search();
  const exact = candidates.filter((c) => lookup.nameOf(c).trim().toLowerCase() === wanted);
  const matches = exact.length > 0 ? exact : candidates;
  if (matches.length === 1) return { kind: 'one', item: matches[0]! };
  if (matches.length > 1) return { kind: 'many', items: matches };
  return { kind: 'none', suggestions: closestMatches(lookup.input, await lookup.names()) };
}

export interface ProjectRef {
  id: number;
  name: string;
}

/** The workspace's project with its number and name: plans show it, and links need the number (not `@current`). */
export async function currentProject(ctx: CommandContext): Promise<ProjectRef> {
  const [posthog, projectId] = await Promise.all([ctx.posthog(), ctx.projectId()]);
  const project = await posthog.request('GET', path`/api/projects/${projectId}/`, projectSchema);
  return { id: project.id, name: project.name };
}

/** "Did you mean …?" for a miss, or a pointer to the list command. */
export function missHint(suggestions: string[], listCommand: string): string {
  if (suggestions.length > 0) return ` Did you mean ${suggestions.map((s) => `“${escapeMrkdwn(s)}”`).join(' or ')}?`;
  return ` See \`/ph ${listCommand}\`.`;
}

/** The project number for app links: the chosen one, else `@current` resolved (one request). */
export async function linkProjectId(ctx: CommandContext): Promise<number> {
  const chosen = await ctx.projectId();
  return typeof chosen === 'number' ? chosen : (await currentProject(ctx)).id;
}

/** Where a write lands, for its plan: the connection and the project, by name and number. */
export async function planTarget(ctx: CommandContext, project: ProjectRef): Promise<Array<{ label: string; value: string }>> {
  const workspace = await ctx.workspace();
  return [
    { label: 'Project', value: `${project.name} (${project.id})` },
    { label: 'Connection', value: workspace.connectionId ?? 'gateway default' },
  ];
}

/** One command-line word for `text`, quoted so a button re-running the command reads it back unchanged. */
export function quoteArg(text: string): string {
  if (text !== '' && !/[\s"'“”‘’]/.test(text) && !text.startsWith('-')) return text;
  if (!text.includes('"')) return `"${text}"`;
  if (!text.includes("'")) return `'${text}'`;
  return `"${text.replace(/"/g, '')}"`;
}
