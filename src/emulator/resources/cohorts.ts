/**
 * Cohorts. `count` is computed from the dataset: person-property conditions over persons, "performed event" conditions
 * over their events in the window. Static cohorts and conditions the emulator does not know keep their stored count.
 */
import { newCohort } from '../factories.js';
import { isoTime } from '../http.js';
import type { ProjectData, Stored } from '../model.js';
import type { ApiRoutes } from './context.js';
import { byNewest, registerCrud } from './crud.js';
import type { DemoDataset } from '../dataset-types.js';
import { cohortMatcher, isPropertyFilter, matches, type PropertyFilter } from './property-filter.js';
import { optionalBool, optionalList, optionalObject, optionalString, requiredString } from './validate.js';

export function registerCohorts(routes: ApiRoutes): void {
  registerCrud(routes, {
    path: '/cohorts',
    collection: (d) => d.cohorts,
    softDelete: true,
    searchFields: ['name', 'description'],
    order: byNewest,
    present: (ctx, c) => ({ ...c, count: cohortCount(ctx.data, c, ctx.now) }),
    create: (ctx, body) =>
      newCohort(
        ctx.state.nextId('cohort'),
        { now: isoTime(ctx.now), user: ctx.account.user },
        {
          name: requiredString(body, 'name'),
          description: optionalString(body, 'description', { allowBlank: true, allowNull: true }) ?? '',
          filters: optionalObject(body, 'filters') ?? null,
          groups: optionalList(body, 'groups') ?? [],
          is_static: optionalBool(body, 'is_static') ?? false,
        },
      ),
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

function cohortCount(data: ProjectData, cohort: Stored, now: Date): number | null {
  if (cohort.is_static === true) return typeof cohort.count === 'number' ? cohort.count : 0;
  const tree = (cohort.filters as { properties?: unknown } | null)?.properties;
  if (tree === undefined) return typeof cohort.count === 'number' ? cohort.count : null;
  const dataset = data.dataset();
  const matcher = cohortMatcher(tree) ?? behavioralMatcher(tree, dataset, now);
  if (!matcher) return typeof cohort.count === 'number' ? cohort.count : null;
  return dataset.persons.filter((p) => matcher(p.properties, p.id)).length;
}

type PersonTest = (properties: Record<string, unknown>, personId: string) => boolean;

const INTERVAL_DAYS: Record<string, number> = { day: 1, week: 7, month: 30, year: 365 };

/**
 * Cohort trees that mix person properties with behavioral leaves ("performed event X in the last N days", "at least
 * K times"), evaluated over the dataset's events. Null for leaves it does not know (the stored count is kept).
 */
function behavioralMatcher(tree: unknown, dataset: DemoDataset, now: Date): PersonTest | null {
  if (isPropertyFilter(tree)) {
    const leaf = tree as PropertyFilter & Record<string, unknown>;
    if (leaf.type === 'person' || leaf.type === undefined) return (props) => matches(props, leaf);
    if (leaf.type !== 'behavioral' || (leaf.value !== 'performed_event' && leaf.value !== 'performed_event_multiple')) return null;
    const days = Number(leaf.time_value ?? 30) * (INTERVAL_DAYS[String(leaf.time_interval ?? 'day')] ?? 1);
    const since = now.getTime() - days * 86_400_000;
    const counts = new Map<string, number>();
    for (const e of dataset.events) {
      if (e.event === leaf.key && e.timestamp.getTime() >= since) counts.set(e.personId, (counts.get(e.personId) ?? 0) + 1);
    }
    const wanted =
      leaf.value === 'performed_event'
        ? { operator: 'gte', value: 1 }
        : { operator: String(leaf.operator ?? 'gte'), value: Number(leaf.operator_value ?? 1) };
    const test = (id: string) => compare(counts.get(id) ?? 0, wanted.operator, wanted.value);
    return leaf.negation === true ? (_p, id) => !test(id) : (_p, id) => test(id);
  }
  const node = tree as { type?: unknown; values?: unknown } | null;
  if (typeof node !== 'object' || node === null || !Array.isArray(node.values)) return null;
  const children = node.values.map((child) => behavioralMatcher(child, dataset, now));
  if (children.some((c) => c === null)) return null;
  const fns = children as PersonTest[];
  return node.type === 'AND' ? (p, id) => fns.every((f) => f(p, id)) : (p, id) => fns.some((f) => f(p, id));
}

function compare(actual: number, operator: string, wanted: number): boolean {
  switch (operator) {
    case 'eq':
    case 'exact':
      return actual === wanted;
    case 'lte':
      return actual <= wanted;
    case 'lt':
      return actual < wanted;
    case 'gt':
      return actual > wanted;
    default:
      return actual >= wanted;
  }
}
