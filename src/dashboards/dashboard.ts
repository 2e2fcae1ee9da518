/**
 * PostHog's dashboards as Hogbot reads and writes them: where they live, their list row and card, finding one by id or
 * name, and the plans and writes of `/ph dashboard create` and `/ph dashboard rename`.
 */
import { z } from 'zod';
import { escapeMrkdwn, type Message } from '../../views/blocks.js';
import { type DashboardCard, type DashboardRow, dashboardSavedMessage, kindLabel } from '../../views/dashboards.js';
import { CommandError } from '../errors.js';
import { currentProject, planTarget, quoteArg } from '../lookups/named.js';
import { findResource, LOCAL_SEARCH_CAP, type ProjectSelector, type Resolved } from '../lookups/resource.js';
import { type Dashboard, dashboardSchema } from '../posthog/content-schemas.js';
import { path } from '../posthog/path.js';
import type { CommandContext, PlanDraft } from '../registry/command.js';

export const dashboardName = z.string().trim().min(1, 'needs a name').max(400, 'is longer than 400 characters');

export const dashboardsPath = (pid: ProjectSelector) => path`/api/projects/${pid}/dashboards/`;
export const dashboardPath = (pid: ProjectSelector, id: number | string) => path`/api/projects/${pid}/dashboards/${id}/`;

export const row = (d: Dashboard): DashboardRow => ({
  id: d.id,
  name: d.name ?? '',
  description: d.description ?? '',
  pinned: d.pinned ?? false,
  tags: d.tags ?? [],
});

/** What `/ph dashboards <search>` matches: PostHog cannot search dashboards, so Hogbot does (see listResource). */
export const searchTexts = (d: Dashboard) => [d.name, d.description, ...(d.tags ?? [])];

export function card(d: Dashboard): DashboardCard {
  const tiles = (d.tiles ?? [])
    .filter((t) => t.deleted !== true && (t.insight || t.text))
    .map((t) => ({
      insight: t.insight
        ? {
            id: t.insight.id,
            shortId: t.insight.short_id,
            name: t.insight.name || t.insight.derived_name || 'Untitled insight',
            kind: kindLabel(t.insight.query?.source?.kind ?? t.insight.query?.kind),
          }
        : null,
      text: t.text?.body ?? null,
    }));
  return { ...row(d), createdAt: d.created_at ?? null, createdBy: d.created_by?.first_name || d.created_by?.email || null, tiles };
}

/** A dashboard by id or name, with its tiles; a pick list when several names match. */
export async function resolveDashboard(
  ctx: CommandContext,
  input: string,
  pickCommand: (id: number) => string,
): Promise<Resolved<Dashboard>> {
  const isNumber = /^\d+$/.test(input);
  const found = await findResource(ctx, {
    input,
    noun: 'dashboard',
    listCommand: 'dashboards',
    missing: isNumber ? 'with id or name' : 'named',
    path: dashboardsPath,
    schema: dashboardSchema,
    // PostHog's dashboard list takes no `search` (posthog/api/dashboards/dashboard.py): match names here.
    serverSearch: false,
    byId: ({ pid, get }) => (isNumber ? get(dashboardPath(pid, input)) : null),
    nameOf: (d) => d.name ?? '',
    pick: (d) => ({
      title: d.name || 'Untitled dashboard',
      detail: `\`${d.id}\`${d.pinned ? ' :pushpin:' : ''}`,
      command: pickCommand(d.id),
    }),
  });
  if (found.kind === 'pick' || found.item.tiles) return found;
  // A name search may answer without tiles: fetch the dashboard itself.
  const [posthog, pid] = await Promise.all([ctx.posthog(), ctx.projectId()]);
  return { kind: 'one', item: await posthog.request('GET', dashboardPath(pid, found.item.id), dashboardSchema) };
}

export const createPayload = z.object({ projectId: z.number().int(), name: dashboardName, description: z.string().max(2000) });
export type CreatePayload = z.infer<typeof createPayload>;

export async function planCreate(ctx: CommandContext, name: string, description: string | undefined): Promise<PlanDraft<CreatePayload>> {
  const [posthog, project] = await Promise.all([ctx.posthog(), currentProject(ctx)]);
  // No server-side search on dashboards: look through the list (up to the cap) for the same name.
  const same = (await posthog.collect(dashboardsPath(project.id), dashboardSchema, { maxItems: LOCAL_SEARCH_CAP })).items.filter(
    (d) => (d.name ?? '').toLowerCase() === name.toLowerCase(),
  );
  return {
    title: `Create dashboard “${name}”`,
    target: await planTarget(ctx, project),
    changes: [
      { what: 'Dashboard', before: 'none', after: name },
      ...(description ? [{ what: 'Description', before: 'none', after: description }] : []),
    ],
    ...(same.length > 0
      ? { warning: `A dashboard with this name already exists (id ${same.map((d) => d.id).join(', ')}). PostHog allows duplicates.` }
      : {}),
    payload: { projectId: project.id, name, description: description ?? '' },
  };
}

export async function applyCreate(ctx: CommandContext, payload: CreatePayload): Promise<Message> {
  const posthog = await ctx.posthog();
  const created = await posthog.request('POST', dashboardsPath(payload.projectId), dashboardSchema, {
    body: { name: payload.name, description: payload.description },
  });
  return dashboardSavedMessage({
    id: created.id,
    name: created.name ?? payload.name,
    verb: 'created',
    appUrl: ctx.config.posthogAppUrl,
    projectId: payload.projectId,
  });
}

export const renamePayload = z.object({ projectId: z.number().int(), id: z.number().int(), before: z.string(), name: dashboardName });
export type RenamePayload = z.infer<typeof renamePayload>;

export async function planRename(ctx: CommandContext, dashboard: string, name: string): Promise<PlanDraft<RenamePayload> | Message> {
  const [found, project] = await Promise.all([
    resolveDashboard(ctx, dashboard, (id) => `dashboard rename ${id} ${quoteArg(name)}`),
    currentProject(ctx),
  ]);
  if (found.kind === 'pick') return found.message;
  const resolved = found.item;
  const before = resolved.name ?? '';
  if (before === name) return { text: `Dashboard ${resolved.id} is already named “${escapeMrkdwn(name)}”. Nothing to change.` };
  return {
    title: `Rename dashboard ${resolved.id}`,
    target: [...(await planTarget(ctx, project)), { label: 'Dashboard', value: `${before || 'Untitled'} (${resolved.id})` }],
    changes: [{ what: 'Name', before: before || '(empty)', after: name }],
    payload: { projectId: project.id, id: resolved.id, before, name },
  };
}

export async function applyRename(ctx: CommandContext, payload: RenamePayload): Promise<Message> {
  const posthog = await ctx.posthog();
  const now = await posthog.request('GET', dashboardPath(payload.projectId, payload.id), dashboardSchema);
  if ((now.name ?? '') !== payload.before) {
    throw new CommandError(
      `Dashboard ${payload.id} was renamed to “${escapeMrkdwn(now.name ?? '')}” in PostHog after this plan was made. Nothing was changed; run the command again.`,
    );
  }
  const saved = await posthog.request('PATCH', dashboardPath(payload.projectId, payload.id), dashboardSchema, {
    body: { name: payload.name },
  });
  return dashboardSavedMessage({
    id: saved.id,
    name: saved.name ?? payload.name,
    before: payload.before,
    verb: 'renamed',
    appUrl: ctx.config.posthogAppUrl,
    projectId: payload.projectId,
  });
}
