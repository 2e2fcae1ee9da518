/** `/ph dashboard create` and `/ph dashboard rename`: their plans (read first, say what changes) and their writes. */
import { z } from 'zod';
import type { Message } from '../../views/blocks.js';
import { escapeMrkdwn } from '../../views/blocks.js';
import { dashboardSavedMessage } from '../../views/dashboards.js';
import { CommandError } from '../errors.js';
import { currentProject, planTarget, quoteArg } from '../lookups/named.js';
import { LOCAL_SEARCH_CAP } from '../lookups/resource.js';
import { dashboardSchema } from '../posthog/content-schemas.js';
import type { CommandContext, PlanDraft } from '../registry/command.js';
import { dashboardName, dashboardPath, dashboardsPath, resolveDashboard } from './dashboard.js';

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
    ...(same.length > 0 ? { warning: `A dashboard with this name already exists (id ${same.map((d) => d.id).join(', ')}). PostHog allows duplicates.` } : {}),
    payload: { projectId: project.id, name, description: description ?? '' },
  };
}

export async function applyCreate(ctx: CommandContext, payload: CreatePayload): Promise<Message> {
  const posthog = await ctx.posthog();
  const created = await posthog.request('POST', dashboardsPath(payload.projectId), dashboardSchema, { body: { name: payload.name, description: payload.description } });
  return dashboardSavedMessage({ id: created.id, name: created.name ?? payload.name, verb: 'created', appUrl: ctx.config.posthogAppUrl, projectId: payload.projectId });
}

export const renamePayload = z.object({ projectId: z.number().int(), id: z.number().int(), before: z.string(), name: dashboardName });
export type RenamePayload = z.infer<typeof renamePayload>;

export async function planRename(ctx: CommandContext, dashboard: string, name: string): Promise<PlanDraft<RenamePayload> | Message> {
  const [found, project] = await Promise.all([resolveDashboard(ctx, dashboard, (id) => `dashboard rename ${id} ${quoteArg(name)}`), currentProject(ctx)]);
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
    throw new CommandError(`Dashboard ${payload.id} was renamed to “${escapeMrkdwn(now.name ?? '')}” in PostHog after this plan was made. Nothing was changed; run the command again.`);
  }
  const saved = await posthog.request('PATCH', dashboardPath(payload.projectId, payload.id), dashboardSchema, { body: { name: payload.name } });
  return dashboardSavedMessage({ id: saved.id, name: saved.name ?? payload.name, before: payload.before, verb: 'renamed', appUrl: ctx.config.posthogAppUrl, projectId: payload.projectId });
}
