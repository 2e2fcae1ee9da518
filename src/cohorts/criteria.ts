/**
 * Cohort criteria both ways: the `filters` tree PostHog stores (`{properties: {type: OR, values: [{type: AND, values:
 * [leaf…]}]}}`) built from the form's one condition, and any such tree read back as a sentence for the card.
 */

export type CohortCondition =
  | { kind: 'event'; event: string; days: number }
  | { kind: 'property'; key: string; operator: PropertyOperator; value: string };

export const PROPERTY_OPERATORS = ['exact', 'is_not', 'icontains', 'not_icontains', 'is_set', 'gt', 'lt'] as const;
export type PropertyOperator = (typeof PROPERTY_OPERATORS)[number];

const OPERATOR_WORDS: Record<string, string> = {
  exact: 'is',
  is_not: 'is not',
  icontains: 'contains',
  not_icontains: 'does not contain',
  regex: 'matches',
  not_regex: 'does not match',
  is_set: 'is set',
  is_not_set: 'is not set',
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
  is_date_before: 'is before',
  is_date_after: 'is after',
};

const COUNT_WORDS: Record<string, string> = {
  gte: 'at least',
  lte: 'at most',
  eq: 'exactly',
  exact: 'exactly',
  gt: 'more than',
  lt: 'fewer than',
};

/** PostHog's `filters` for one condition. */
export function cohortFilters(condition: CohortCondition): Record<string, unknown> {
  const leaf =
    condition.kind === 'event'
      ? {
          key: condition.event,
          type: 'behavioral',
          value: 'performed_event',
          event_type: 'events',
          time_value: condition.days,
          time_interval: 'day',
          negation: false,
        }
      : {
          key: condition.key,
          type: 'person',
          operator: condition.operator,
          value:
            condition.operator === 'is_set'
              ? 'is_set'
              : ['gt', 'lt'].includes(condition.operator)
                ? Number(condition.value)
                : condition.value,
          negation: false,
        };
  return { properties: { type: 'OR', values: [{ type: 'AND', values: [leaf] }] } };
}

/** The condition as the plan shows it: `performed “signed_up” in the last 30 days`. */
export function describeCondition(condition: CohortCondition): string {
  return describeNode(cohortFilters(condition).properties) ?? '';
}

/** A stored cohort's criteria in words; null when there is no filter tree to read (static or legacy cohorts). */
export function describeCohortFilters(filters: unknown): string | null {
  const tree = (filters as { properties?: unknown } | null | undefined)?.properties;
  return tree === undefined || tree === null ? null : describeNode(tree);
}

function describeNode(node: unknown): string | null {
  return describe(node)?.text ?? null;
}

/** `group`: the text joins several conditions, so it needs brackets inside another group. */
function describe(node: unknown): { text: string; group: boolean } | null {
  if (typeof node !== 'object' || node === null) return null;
  const n = node as Record<string, unknown>;
  if (Array.isArray(n.values)) {
    const parts = n.values.map(describe).filter((p): p is { text: string; group: boolean } => p !== null && p.text !== '');
    if (parts.length === 0) return null;
    if (parts.length === 1) return parts[0]!;
    const joiner = n.type === 'AND' ? ' and ' : ' or ';
    return { text: parts.map((p) => (p.group ? `(${p.text})` : p.text)).join(joiner), group: true };
  }
  if (typeof n.key !== 'string' && typeof n.key !== 'number') return null;
  return { text: `${n.negation === true ? 'not ' : ''}${describeLeaf(n)}`, group: false };
}

function describeLeaf(leaf: Record<string, unknown>): string {
  const key = String(leaf.key);
  if (leaf.type === 'behavioral') {
    const window =
      leaf.time_value !== undefined
        ? ` in the last ${String(leaf.time_value)} ${String(leaf.time_interval ?? 'day')}${Number(leaf.time_value) === 1 ? '' : 's'}`
        : '';
    if (leaf.value === 'performed_event') return `performed “${key}”${window}`;
    if (leaf.value === 'performed_event_multiple') {
      const times = Number(leaf.operator_value ?? 1);
      return `performed “${key}” ${COUNT_WORDS[String(leaf.operator ?? 'gte')] ?? 'at least'} ${times} time${times === 1 ? '' : 's'}${window}`;
    }
    return `${String(leaf.value ?? 'behavior').replace(/_/g, ' ')} “${key}”${window}`;
  }
  if (leaf.type === 'cohort') return `in cohort ${key}`;
  const operator = String(leaf.operator ?? 'exact');
  const words = OPERATOR_WORDS[operator] ?? operator.replace(/_/g, ' ');
  if (operator === 'is_set' || operator === 'is_not_set') return `${key} ${words}`;
  const values = Array.isArray(leaf.value) ? leaf.value : [leaf.value ?? ''];
  if (values.length > 1 && (operator === 'exact' || operator === 'is_not')) {
    return `${key} ${operator === 'exact' ? 'is one of' : 'is none of'} ${values.map((v) => `“${String(v)}”`).join(', ')}`;
  }
  return `${key} ${words} ${values.map((v) => `“${String(v)}”`).join(' or ')}`;
}
