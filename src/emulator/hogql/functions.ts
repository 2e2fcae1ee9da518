/**
 * The function registry: HogQL (ClickHouse) function names mapped to their DuckDB translators, one family per
 * module under functions/. Aggregates are looked up separately (functions/aggregates.ts) because the translator
 * attaches FILTER and OVER clauses to them; comparison and arithmetic forms (`equals`, `plus`...) are rewritten to
 * operator nodes (functions/logic.ts).
 */
import { ARRAY_FUNCTIONS } from './functions/arrays.js';
import { CONVERSION_FUNCTIONS } from './functions/conversions.js';
import { DATE_FUNCTIONS } from './functions/dates.js';
import type { FnDef, FnTable } from './functions/define.js';
import { JSON_FUNCTIONS } from './functions/json.js';
import { LOGIC_FUNCTIONS } from './functions/logic.js';
import { MATH_FUNCTIONS } from './functions/math.js';
import { STRING_FUNCTIONS } from './functions/strings.js';
import { own } from './sql.js';

/** Merges the family tables, refusing a name claimed twice (a later family would silently win). */
function registry(...families: FnTable[]): FnTable {
  const all: FnTable = {};
  for (const family of families) {
    for (const [name, def] of Object.entries(family)) {
      if (Object.hasOwn(all, name)) throw new Error(`HogQL function '${name}' is defined twice`);
      all[name] = def;
    }
  }
  return all;
}

const FUNCTIONS = registry(
  LOGIC_FUNCTIONS,
  MATH_FUNCTIONS,
  CONVERSION_FUNCTIONS,
  DATE_FUNCTIONS,
  STRING_FUNCTIONS,
  JSON_FUNCTIONS,
  ARRAY_FUNCTIONS,
);

/** Lower-cased lookup, for the SQL-standard names ClickHouse matches case-insensitively (COUNT, LOWER, ...). */
const LOWER_INDEX = new Map(Object.keys(FUNCTIONS).map((k) => [k.toLowerCase(), k]));
const SNAKE_ALIASES: Record<string, string> = {
  date_diff: 'dateDiff',
  date_add: 'dateAdd',
  date_sub: 'dateSub',
  date_trunc: 'dateTrunc',
  substr: 'substring',
  mid: 'substring',
  lcase: 'lower',
  ucase: 'upper',
  ifnull: 'ifNull',
  nullif: 'nullIf',
  timestamp_add: 'timestampAdd',
  timestamp_sub: 'timestampSub',
};

export function findFunction(name: string): FnDef | undefined {
  const key = own(SNAKE_ALIASES, name.toLowerCase()) ?? LOWER_INDEX.get(name.toLowerCase());
  return own(FUNCTIONS, name) ?? (key ? FUNCTIONS[key] : undefined);
}

export const FUNCTION_NAMES = Object.keys(FUNCTIONS);
