/** PostHog property filters (`{key, value, operator, type}`) evaluated against a property bag. */

export interface PropertyFilter {
  key: string;
  value?: unknown;
  operator?: string;
  type?: string;
}

export function isPropertyFilter(value: unknown): value is PropertyFilter {
  return typeof value === 'object' && value !== null && typeof (value as { key?: unknown }).key === 'string';
}

export function matchesAll(properties: Record<string, unknown>, filters: PropertyFilter[]): boolean {
  return filters.every((f) => matches(properties, f));
}

export function matches(properties: Record<string, unknown>, filter: PropertyFilter): boolean {
  const actual = properties[filter.key];
  const wanted = Array.isArray(filter.value) ? filter.value : [filter.value];
  const text = (v: unknown) => String(v ?? '').toLowerCase();
  switch (filter.operator ?? 'exact') {
    case 'exact':
      return actual !== undefined && wanted.some((w) => text(w) === text(actual));
    case 'is_not':
      return !wanted.some((w) => text(w) === text(actual));
    case 'icontains':
      return actual !== undefined && wanted.some((w) => text(actual).includes(text(w)));
    case 'not_icontains':
      return !wanted.some((w) => text(actual).includes(text(w)));
    case 'regex':
      return actual !== undefined && wanted.some((w) => safeRegex(String(w))?.test(String(actual)) ?? false);
    case 'not_regex':
      return !wanted.some((w) => safeRegex(String(w))?.test(String(actual ?? '')) ?? false);
    case 'is_set':
      return actual !== undefined && actual !== null;
    case 'is_not_set':
      return actual === undefined || actual === null;
    case 'gt':
      return Number(actual) > Number(wanted[0]);
    case 'gte':
      return Number(actual) >= Number(wanted[0]);
    case 'lt':
      return Number(actual) < Number(wanted[0]);
    case 'lte':
      return Number(actual) <= Number(wanted[0]);
    default:
      return false;
  }
}

function safeRegex(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern);
  } catch {
    return undefined;
  }
}

/**
 * Person-property conditions from a cohort's `filters.properties` tree (`{type: OR|AND, values: [...]}`), or null when
 * the cohort uses anything else (behavioral filters), which the emulator cannot evaluate over persons alone.
 */
export function cohortMatcher(tree: unknown): ((properties: Record<string, unknown>) => boolean) | null {
  if (isPropertyFilter(tree)) {
    if (tree.type !== undefined && tree.type !== 'person') return null;
    return (props) => matches(props, tree);
  }
  if (typeof tree !== 'object' || tree === null) return null;
  const node = tree as { type?: unknown; values?: unknown };
  if (!Array.isArray(node.values)) return null;
  const children = node.values.map(cohortMatcher);
  if (children.some((c) => c === null)) return null;
  const fns = children as ((p: Record<string, unknown>) => boolean)[];
  return node.type === 'AND' ? (p) => fns.every((f) => f(p)) : (p) => fns.some((f) => f(p));
}
