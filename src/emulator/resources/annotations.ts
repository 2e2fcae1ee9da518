/** Annotations: notes pinned to a point in time, newest date first. */
import { newAnnotation } from '../factories.js';
import { isoTime } from '../http.js';
import type { ApiRoutes } from './context.js';
import { registerCrud } from './crud.js';
import { choice, optionalDateTime, requiredString } from './validate.js';

const SCOPES = ['dashboard_item', 'dashboard', 'project', 'organization', 'recording'] as const;

export function registerAnnotations(routes: ApiRoutes): void {
  registerCrud(routes, {
    path: '/annotations',
    collection: (d) => d.annotations,
    softDelete: true,
    searchFields: ['content'],
    filter: (ctx, a) => {
      const scope = ctx.query.get('scope');
      return scope === null || a.scope === scope;
    },
    order: (a, b) => String(b.date_marker).localeCompare(String(a.date_marker)),
    create: (ctx, body) =>
      newAnnotation(
        ctx.state.nextId('annotation'),
        { now: isoTime(ctx.now), user: ctx.account.user },
        {
          content: requiredString(body, 'content'),
          date_marker: optionalDateTime(body, 'date_marker', isoTime) ?? isoTime(ctx.now),
          scope: choice(body, 'scope', SCOPES) ?? 'project',
        },
      ),
    update: (ctx, a, body) => {
      const content = body.content === undefined ? undefined : requiredString(body, 'content');
      const dateMarker = optionalDateTime(body, 'date_marker', isoTime);
      const scope = choice(body, 'scope', SCOPES);
      if (content !== undefined) a.content = content;
      if (dateMarker !== undefined) a.date_marker = dateMarker;
      if (scope !== undefined) a.scope = scope;
      a.updated_at = isoTime(ctx.now);
    },
  });
}
