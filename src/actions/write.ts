/** `/ph action create`: its plan (the name must be free; warn about an event PostHog has not seen) and its write. */
import { z } from 'zod';
import { actionCreatedMessage } from '../../views/actions.js';
import { escapeMrkdwn, type Message } from '../../views/blocks.js';
import { CommandError } from '../errors.js';
import { currentProject, planTarget } from '../lookups/named.js';
import { LOCAL_SEARCH_CAP } from '../lookups/resource.js';
import { actionSchema, eventDefinitionSchema } from '../posthog/content-schemas.js';
import { path } from '../posthog/path.js';
import type { CommandContext, PlanDraft } from '../registry/command.js';
import { actionName, actionsPath, eventName } from './action.js';

export const createPayload = z.object({
  projectId: z.number().int(),
  name: actionName,
  event: eventName,
  description: z.string().max(1000),
});
export type CreatePayload = z.infer<typeof createPayload>;

export async function planCreate(
  ctx: CommandContext,
  args: { name: string; event: string; description?: string | undefined },
): Promise<PlanDraft<CreatePayload>> {
  const { name, event, description } = args;
  const [posthog, project] = await Promise.all([ctx.posthog(), currentProject(ctx)]);
  const [existing, definitions] = await Promise.all([
    // No server-side search on actions: the name clash is looked for over the list (up to the cap).
    posthog.collect(actionsPath(project.id), actionSchema, { maxItems: LOCAL_SEARCH_CAP }),
    posthog.listPage(path`/api/projects/${project.id}/event_definitions/`, eventDefinitionSchema, { limit: 20, query: { search: event } }),
  ]);
  // PostHog keeps action names unique per project: say so now rather than after Confirm.
  const clash = existing.items.find((a) => a.name === name);
  if (clash)
    throw new CommandError(
      `This project already has an action named “${escapeMrkdwn(name)}” (\`${clash.id}\`). Pick another name, or see \`/ph action ${clash.id}\`.`,
    );
  const seen = definitions.results.some((d) => d.name === event);
  return {
    title: `Create action “${name}”`,
    target: await planTarget(ctx, project),
    changes: [
      { what: 'Action', before: 'none', after: name },
      { what: 'Matches', before: '–', after: `every ${event} event` },
      ...(description ? [{ what: 'Description', before: 'none', after: description }] : []),
    ],
    ...(seen
      ? {}
      : { warning: `PostHog has not seen an event named “${event}” in this project: the action will match nothing until it arrives.` }),
    payload: { projectId: project.id, name, event, description: description ?? '' },
  };
}

export async function applyCreate(ctx: CommandContext, payload: CreatePayload): Promise<Message> {
  const posthog = await ctx.posthog();
  const created = await posthog.request('POST', actionsPath(payload.projectId), actionSchema, {
    body: { name: payload.name, description: payload.description, steps: [{ event: payload.event }] },
  });
  return actionCreatedMessage({
    id: created.id,
    name: created.name ?? payload.name,
    event: payload.event,
    appUrl: ctx.config.posthogAppUrl,
    projectId: payload.projectId,
  });
}
