import { path } from '../posthog/path.js';
import { projectSchema } from '../posthog/schemas.js';
import type { CommandContext } from '../registry/command.js';

/**
 * The workspace's project as a number: links into the PostHog app need one, and `@current` (the default when no
 * project was chosen) is only understood by the API.
 */
export async function numericProjectId(ctx: CommandContext): Promise<number> {
  const chosen = await ctx.projectId();
  if (typeof chosen === 'number') return chosen;
  const posthog = await ctx.posthog();
  return (await posthog.request('GET', path`/api/projects/${chosen}/`, projectSchema)).id;
}
