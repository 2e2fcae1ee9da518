/** `/ph project use`: which project the workspace uses, a write like any other (plan, Confirm, audit, Undo). */
import { z } from 'zod';
import { outcomeMessage } from '../../views/audit.js';
import { escapeMrkdwn, type Message } from '../../views/blocks.js';
import { noticeMessage } from '../../views/flags.js';
import { projectChosenText } from '../../views/projects.js';
import type { CommandContext, PlanDraft } from '../registry/command.js';
import { findProject } from './list.js';

// `chosenId`, not `projectId`: the plan pipeline reads a payload's `projectId` as the project the write is pinned to
// (src/plans/pinned-target.ts whereOf), while this write changes which project the workspace uses.
export const usePayload = z.object({
  chosenId: z.number().int(),
  name: z.string(),
  timezone: z.string().nullable(),
  previous: z.number().int().nullable(),
  connectionId: z.string().nullable(),
});
export type UsePayload = z.infer<typeof usePayload>;

const savedSettings = async (ctx: CommandContext) => (await ctx.store.getWorkspace(ctx.teamId)) ?? { connectionId: null, projectId: null };

const fingerprintOf = (w: { connectionId: string | null; projectId: number | null }) => `${w.connectionId ?? '-'}:${w.projectId ?? '-'}`;

export async function planProjectUse(ctx: CommandContext, wanted: string): Promise<PlanDraft<UsePayload> | Message> {
  const [found, workspace] = await Promise.all([findProject(ctx, wanted), ctx.workspace()]);
  if (!('id' in found)) return found;
  if (workspace.projectId === found.id)
    return noticeMessage(`This workspace already uses ${escapeMrkdwn(found.name)} (\`${found.id}\`). Nothing to do.`);
  return {
    title: `Use project ${found.name}`,
    target: [
      { label: 'Workspace', value: ctx.teamId },
      { label: 'Connection', value: workspace.connectionId ?? 'gateway default' },
    ],
    changes: [
      {
        what: 'Project',
        before: workspace.projectId === null ? 'PostHog’s default' : String(workspace.projectId),
        after: `${found.name} (${found.id})`,
      },
    ],
    payload: {
      chosenId: found.id,
      name: found.name,
      timezone: found.timezone,
      previous: workspace.projectId,
      connectionId: workspace.connectionId,
    },
    fingerprint: fingerprintOf(workspace),
    subject: {
      type: 'setting',
      id: 'project',
      label: 'PostHog project',
      connectionId: workspace.connectionId,
      projectId: found.id,
      before: { projectId: workspace.projectId },
      after: { projectId: found.id },
    },
  };
}

// The workspace switched connection or project since the plan: the project may not even belong to it any more.
// Read from the store: at Confirm ctx.workspace() is the pinned view of where the plan was made, not what is saved now.
export async function checkProjectUse(
  ctx: CommandContext,
  p: UsePayload,
  fingerprint: string,
): Promise<PlanDraft<UsePayload> | Message | null> {
  return fingerprintOf(await savedSettings(ctx)) === fingerprint ? null : planProjectUse(ctx, String(p.chosenId));
}

export async function applyProjectUse(ctx: CommandContext, p: UsePayload) {
  await ctx.store.setWorkspaceProject(ctx.teamId, p.chosenId, ctx.userId, ctx.now());
  const text = projectChosenText({ project: { id: p.chosenId, name: p.name, timezone: p.timezone }, appUrl: ctx.config.posthogAppUrl });
  return {
    message: outcomeMessage({ text, undo: p.previous !== null ? `project use ${p.previous}` : null }),
    after: { projectId: p.chosenId },
  };
}
