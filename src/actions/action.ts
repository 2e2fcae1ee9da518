/** PostHog's actions as Hogbot reads them: where they live, their row, and how `/ph action <id|name>` finds one. */
import { z } from 'zod';
import type { ActionRow } from '../../views/actions.js';
import type { FindSpec, ProjectSelector } from '../lookups/resource.js';
import { type Action, actionSchema } from '../posthog/content-schemas.js';
import { path } from '../posthog/path.js';

export const actionsPath = (pid: ProjectSelector) => path`/api/projects/${pid}/actions/`;
export const actionPath = (pid: ProjectSelector, id: number | string) => path`/api/projects/${pid}/actions/${id}/`;

export const actionName = z.string().trim().min(1, 'needs a name').max(400, 'is longer than 400 characters');
export const eventName = z.string().trim().min(1, 'needs an event name').max(400, 'is longer than 400 characters');

export const row = (a: Action): ActionRow => ({
  id: a.id,
  name: a.name ?? '',
  description: a.description ?? '',
  tags: a.tags ?? [],
  steps: (a.steps ?? []).map((s) => ({
    event: s.event ?? null,
    url: s.url ?? null,
    urlMatching: typeof s.url_matching === 'string' ? s.url_matching : null,
    text: s.text ?? null,
    selector: s.selector ?? null,
  })),
  createdAt: a.created_at ?? null,
});

/** What `/ph actions <search>` matches: PostHog's action list takes only format, limit and offset, so Hogbot searches. */
export const searchTexts = (a: Action) => [a.name, a.description, ...(a.tags ?? [])];

/** `/ph action <id|name>`: by id, else by name over the whole list (PostHog cannot search actions). */
export function findSpec(input: string): FindSpec<Action> {
  return {
    input,
    noun: 'action',
    listCommand: 'actions',
    path: actionsPath,
    schema: actionSchema,
    serverSearch: false,
    byId: ({ pid, get }) => (/^\d+$/.test(input) ? get(actionPath(pid, input)) : null),
    nameOf: (a) => a.name ?? '',
    pick: (a) => ({ title: a.name || 'Untitled action', detail: `\`${a.id}\``, command: `action ${a.id}` }),
  };
}
