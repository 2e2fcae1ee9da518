import { z } from 'zod';
import type { PostHogClient } from '../posthog/client.js';
import { path } from '../posthog/path.js';
import { projectSchema } from '../posthog/schemas.js';
import type { CommandContext } from '../registry/command.js';

/**
 * Where a write goes, resolved when it is planned and pinned into its payload: Confirm then changes exactly the connection
 * and project the plan showed, even if the workspace switched in between.
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
