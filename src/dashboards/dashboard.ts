/** PostHog's dashboards as Hogbot reads them: where they live, their list row and card, and finding one by id or name. */
import { z } from 'zod';
import { type DashboardCard, type DashboardRow, kindLabel } from '../../views/dashboards.js';
import { findResource, type ProjectSelector, type Resolved } from '../lookups/resource.js';
import { type Dashboard, dashboardSchema } from '../posthog/content-schemas.js';
import { path } from '../posthog/path.js';
import type { CommandContext } from '../registry/command.js';

export const dashboardName = z.string().trim().min(1, 'needs a name').max(400, 'is longer than 400 characters');

export const dashboardsPath = (pid: ProjectSelector) => path`/api/projects/${pid}/dashboards/`;
export const dashboardPath = (pid: ProjectSelector, id: number | string) => path`/api/projects/${pid}/dashboards/${id}/`;

export const row = (d: Dashboard): DashboardRow => ({ id: d.id, name: d.name ?? '', description: d.description ?? '', pinned: d.pinned ?? false, tags: d.tags ?? [] });

/** What `/ph dashboards <search>` matches: PostHog cannot search dashboards, so Hogbot does (see listResource). */
export const searchTexts = (d: Dashboard) => [d.name, d.description, ...(d.tags ?? [])];

export function card(d: Dashboard): DashboardCard {
  const tiles = (d.tiles ?? [])
    .filter((t) => t.deleted !== true && (t.insight || t.text))
    .map((t) => ({
      insight: t.insight
        ? { id: t.insight.id, shortId: t.insight.short_id, name: t.insight.name || t.insight.derived_name || 'Untitled insight', kind: kindLabel(t.insight.query?.source?.kind ?? t.insight.query?.kind) }
        : null,
      text: t.text?.body ?? null,
    }));
  return { ...row(d), createdAt: d.created_at ?? null, createdBy: d.created_by?.first_name || d.created_by?.email || null, tiles };
}

/** A dashboard by id or name, with its tiles; a pick list when several names match. */
export async function resolveDashboard(ctx: CommandContext, input: string, pickCommand: (id: number) => string): Promise<Resolved<Dashboard>> {
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
    pick: (d) => ({ title: d.name || 'Untitled dashboard', detail: `\`${d.id}\`${d.pinned ? ' :pushpin:' : ''}`, command: pickCommand(d.id) }),
  });
  if (found.kind === 'pick' || found.item.tiles) return found;
  // A name search may answer without tiles: fetch the dashboard itself.
  const [posthog, pid] = await Promise.all([ctx.posthog(), ctx.projectId()]);
  return { kind: 'one', item: await posthog.request('GET', dashboardPath(pid, found.item.id), dashboardSchema) };
}
