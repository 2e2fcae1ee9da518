import { z } from 'zod';
import type { Message } from '../../views/blocks.js';
import { problemMessage } from '../../views/feedback.js';
import type { PostHogClient } from '../posthog/client.js';
import { path } from '../posthog/path.js';
import { projectSchema } from '../posthog/schemas.js';
import type { CommandContext } from '../registry/command.js';
import type { PlanWhere } from './record.js';

/**
 * Where a write goes, resolved when it is planned and pinned into its payload: Confirm then changes exactly the project the
 * plan showed, even if the workspace switched project in between; a switch of connection refuses the plan (pinnedContext).
 */
export interface PinnedTarget {
  connectionId: string | null;
  projectId: number;
  projectName: string;
}

export const pinnedTargetShape = { connectionId: z.string().nullable(), projectId: z.number().int(), projectName: z.string() };

export async function pinTarget(ctx: CommandContext): Promise<PinnedTarget> {
  const [workspace, posthog, projectId] = await Promise.all([ctx.workspace(), ctx.posthog(), ctx.projectId()]);
  const project = await posthog.request('GET', path`/api/projects/${projectId}/`, projectSchema);
  return { connectionId: workspace.connectionId, projectId: project.id, projectName: project.name };
}

/** The plan's "where" fields for a pinned target. */
export function targetRows(target: PinnedTarget): Array<{ label: string; value: string }> {
  return [
    { label: 'Connection', value: target.connectionId ?? 'gateway default' },
    { label: 'Project', value: `${target.projectName} (${target.projectId})` },
  ];
}

/** A client for the pinned connection (not whatever the workspace uses now). */
export function pinnedClient(ctx: CommandContext, target: Pick<PinnedTarget, 'connectionId'>): PostHogClient {
  return ctx.gateway.posthog(target.connectionId);
}

// --- The pipeline's rule for every write: made against one connection and project, applied there or not at all ---

/**
 * Where a plan is made: the connection and project its payload pinned (flags, annotations), else the ones the
 * workspace uses now (`projectId` in a payload, as dashboards and cohorts keep it, wins over the workspace's).
 */
export async function whereOf(ctx: CommandContext, payload: unknown): Promise<PlanWhere> {
  const pinned = pinnedFields.safeParse(payload);
  const [workspace, projectId] = await Promise.all([ctx.workspace(), ctx.projectId()]);
  return {
    connectionId: pinned.success && pinned.data.connectionId !== undefined ? pinned.data.connectionId : workspace.connectionId,
    projectId: pinned.success && pinned.data.projectId !== undefined ? pinned.data.projectId : projectId,
  };
}

const pinnedFields = z.looseObject({ connectionId: z.string().nullable().optional(), projectId: z.number().int().optional() });

/**
 * Confirm's re-check of where the plan was made, and the context `check` and `apply` run with: its `posthog()` and
 * `projectId()` are the plan's, so no command can apply through whatever the workspace switched to in between. A plan
 * whose connection the workspace no longer uses is refused (the workspace may have disconnected that account): a message.
 */
export async function pinnedContext(
  ctx: CommandContext,
  where: PlanWhere | undefined,
): Promise<{ ok: true; ctx: CommandContext } | { ok: false; message: Message }> {
  if (!where) return { ok: true, ctx };
  const workspace = await ctx.workspace();
  if (workspace.connectionId !== where.connectionId) {
    const was = where.connectionId ?? 'the gateway default';
    const now = workspace.connectionId ?? 'the gateway default';
    return {
      ok: false,
      message: problemMessage(
        `This plan was made on connection \`${was}\`; this workspace now uses \`${now}\`. Nothing was changed: run the command again.`,
      ),
    };
  }
  const pinned: CommandContext = {
    ...ctx,
    workspace: async () => ({
      ...workspace,
      connectionId: where.connectionId,
      projectId: where.projectId === '@current' ? null : where.projectId,
    }),
    posthog: () => ctx.posthog(),
    projectId: async () => where.projectId,
  };
  return { ok: true, ctx: pinned };
}
