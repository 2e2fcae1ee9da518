/**
 * Cohorts. `count` is computed from the dataset for person-property cohorts; behavioral ones keep their stored count
 * (the emulator does not evaluate event history here; the HogQL engine can).
 */
import { newCohort } from '../factories.js';
import { isoTime } from '../http.js';
import type { ProjectData, Stored } from '../model.js';
import type { ApiRoutes } from './context.js';
import { byNewest, registerCrud } from './crud.js';
import { cohortMatcher } from './property-filter.js';
import { optionalBool, optionalList, optionalObject, optionalString, requiredString } from './validate.js';

export function registerCohorts(routes: ApiRoutes): void {
  registerCrud(routes, {
    path: '/cohorts',
    collection: (d) => d.cohorts,
    softDelete: true,
    searchFields: ['name', 'description'],
    order: byNewest,
    present: (ctx, c) => ({ ...c, count: cohortCount(ctx.data, c) }),
    create: (ctx, body) =>
      newCohort(ctx.state.nextId('cohort'), { now: isoTime(ctx.now), user: ctx.account.user }, {
        name: requiredString(body, 'name'),
        description: optionalString(body, 'description', { allowBlank: true, allowNull: true }) ?? '',
        filters: optionalObject(body, 'filters') ?? null,
        groups: optionalList(body, 'groups') ?? [],
        is_static: optionalBool(body, 'is_static') ?? false,
      }),
    update: (_ctx, c, body) => {
      const name = body.name === undefined ? undefined : requiredString(body, 'name');
      const description = optionalString(body, 'description', { allowBlank: true, allowNull: true });
      const filters = optionalObject(body, 'filters');
      const groups = optionalList(body, 'groups');
      if (name !== undefined) c.name = name;
      if (description !== undefined) c.description = description ?? '';
      if (filters !== undefined) c.filters = filters;
      if (groups !== undefined) c.groups = groups;
    },
  });
}

function cohortCount(data: ProjectData, cohort: Stored): number | null {
  if (cohort.is_static === true) return typeof cohort.count === 'number' ? cohort.count : 0;
  const tree = (cohort.filters as { properties?: unknown } | null)?.properties;
  const matcher = tree === undefined ? null : cohortMatcher(tree);
  if (!matcher) return typeof cohort.count === 'number' ? cohort.count : null;
  return data.dataset().persons.filter((p) => matcher(p.properties)).length;
}
