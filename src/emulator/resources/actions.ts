/** Actions: named event definitions (steps), unique by name within a project. */
import { newAction } from '../factories.js';
import { isoTime } from '../http.js';
import type { ProjectData, Stored } from '../model.js';
import type { ApiRoutes } from './context.js';
import { live } from './context.js';
import { byName, registerCrud } from './crud.js';
import { invalid, optionalList, optionalString, optionalStringList, requiredString } from './validate.js';

export function registerActions(routes: ApiRoutes): void {
  registerCrud(routes, {
    path: '/actions',
    collection: (d) => d.actions,
    softDelete: true,
    // PostHog's action list reads only format, limit and offset: `?search=` is ignored (posthog/api/action.py, ActionViewSet).
    searchFields: [],
    order: byName,
    create: (ctx, body) => {
      const name = uniqueName(ctx.data, requiredString(body, 'name'), null);
      return newAction(
        ctx.state.nextId('action'),
        ctx.projectId,
        { now: isoTime(ctx.now), user: ctx.account.user },
        {
          name,
          description: optionalString(body, 'description', { allowBlank: true, allowNull: true }) ?? '',
          steps: validSteps(body) ?? [],
          tags: optionalStringList(body, 'tags') ?? [],
        },
      );
    },
    update: (ctx, a, body) => {
      const name = body.name === undefined ? undefined : uniqueName(ctx.data, requiredString(body, 'name'), a);
      const description = optionalString(body, 'description', { allowBlank: true, allowNull: true });
      const steps = validSteps(body);
      const tags = optionalStringList(body, 'tags');
      if (name !== undefined) a.name = name;
      if (description !== undefined) a.description = description ?? '';
      if (steps !== undefined) a.steps = steps;
      if (tags !== undefined) a.tags = tags;
    },
  });
}

function uniqueName(data: ProjectData, name: string, self: Stored | null): string {
  const clash = live(data.actions).find((a) => a !== self && a.name === name);
  if (clash) invalid('name', `This project already has an action with this name, ID ${String(clash.id)}`, 'unique');
  return name;
}

function validSteps(body: Record<string, unknown>): unknown[] | undefined {
  const steps = optionalList(body, 'steps');
  if (steps?.some((s) => typeof s !== 'object' || s === null || Array.isArray(s))) invalid('steps', 'Each step must be an object.');
  return steps;
}
