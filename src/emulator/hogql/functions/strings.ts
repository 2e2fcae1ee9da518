/** String, regular-expression and URL functions. `length`, `empty`, `reverse`... also take arrays, as in ClickHouse. */
import { asStr, constantString, flag, type Expr } from '../expr.js';
import { sqlString } from '../sql.js';
import { T, type ChType } from '../types.js';
import { arrayOperand } from './arrays.js';
import { e, passthrough, type FnDef, type FnTable } from './define.js';

/** A function of its arguments' string forms. */
const onStrings = (min: number, max: number | undefined, sql: (s: string[]) => string, type: ChType = T.string): FnDef => ({
  min,
  max,
  fn: (args) => e(sql(args.map(asStr)), type),
});

/** A condition on its arguments' string forms. */
const stringTest = (sql: (s: string[]) => string): FnDef => ({ min: 2, max: 2, fn: (args) => flag(sql(args.map(asStr))) });

/** lower/upper keep a Nullable(String) nullable. */
const caseChange = (fn: 'lower' | 'upper'): FnDef => ({
  min: 1,
  max: 1,
  fn: ([a]) => e(`${fn}(${asStr(a!)})`, a!.type.nullable ? T.nstring : T.string),
});

/** ClickHouse `extract` returns the first capture group when the pattern has one, else the whole match. */
function hasCaptureGroup(pattern: Expr): boolean {
  if (!pattern.constant || typeof pattern.constant.value !== 'string') return false;
  return /(^|[^\\])\((?!\?)/.test(pattern.constant.value);
}

function regexEscape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const URL_SCHEME = '(?:[a-zA-Z][a-zA-Z0-9+.\\-]*:)?//';

function domainSql(url: string): string {
  return `regexp_extract(${url}, '^(?:${URL_SCHEME})?(?:[^@/?#]*@)?([^/:?#]+)', 1)`;
}

/** The part of a URL a regexp's first group captures ('' when absent, as ClickHouse). */
const urlPart = (pattern: string): FnDef => onStrings(1, 1, ([u]) => `regexp_extract(${u}, '${pattern}', 1)`);

const lower = caseChange('lower');
const upper = caseChange('upper');
const position = onStrings(2, 2, ([s, p]) => `strpos(${s}, ${p})`, T.uint64);
const replace = onStrings(3, 3, (s) => `replace(${s.join(', ')})`);
// ClickHouse puts the separator first; DuckDB second.
const splitByString = onStrings(2, 3, ([sep, s]) => `string_split(${s}, ${sep})`, T.array(T.string));
const trim = passthrough('trim', 1, 2, T.string);
const ltrim = passthrough('ltrim', 1, 2, T.string);
const rtrim = passthrough('rtrim', 1, 2, T.string);

export const STRING_FUNCTIONS: FnTable = {
  lower,
  upper,
  lowerUTF8: lower,
  upperUTF8: upper,
  length: { min: 1, max: 1, fn: ([a]) => (a!.type.base === 'Array' ? e(`len(${a!.sql})`, T.uint64) : e(`strlen(${asStr(a!)})`, T.uint64)) },
  lengthUTF8: onStrings(1, 1, ([s]) => `length(${s})`, T.uint64),
  empty: { min: 1, max: 1, fn: ([a]) => flag(a!.type.base === 'Array' ? `(len(${a!.sql}) = 0)` : `(coalesce(${asStr(a!)}, '') = '')`) },
  notEmpty: { min: 1, max: 1, fn: ([a]) => flag(a!.type.base === 'Array' ? `(len(${a!.sql}) > 0)` : `(coalesce(${asStr(a!)}, '') <> '')`) },
  // PostHog prints concat's arguments as ifNull(toString(x), ''), so NULLs vanish instead of nulling the result.
  concat: onStrings(1, undefined, (s) => `concat(${s.map((x) => `coalesce(${x}, '')`).join(', ')})`),
  concatWithSeparator: onStrings(1, undefined, (s) => `concat_ws(${s.join(', ')})`),
  substring: {
    min: 2,
    max: 3,
    fn: ([s, o, l]) => e(l ? `substring(${asStr(s!)}, ${o!.sql}, ${l.sql})` : `substring(${asStr(s!)}, ${o!.sql})`, T.string),
  },
  left: { min: 2, max: 2, fn: ([s, n]) => e(`left(${asStr(s!)}, ${n!.sql})`, T.string) },
  right: { min: 2, max: 2, fn: ([s, n]) => e(`right(${asStr(s!)}, ${n!.sql})`, T.string) },
  trim,
  trimBoth: trim,
  trimLeft: ltrim,
  trimRight: rtrim,
  ltrim,
  rtrim,
  reverse: {
    min: 1,
    max: 1,
    fn: ([a]) => (a!.type.base === 'Array' ? e(`list_reverse(${a!.sql})`, a!.type) : e(`reverse(${asStr(a!)})`, T.string)),
  },
  repeat: { min: 2, max: 2, fn: ([s, n]) => e(`repeat(${asStr(s!)}, ${n!.sql})`, T.string) },
  leftPad: { min: 2, max: 3, fn: ([s, n, p]) => e(`lpad(${asStr(s!)}, ${n!.sql}, ${p ? asStr(p) : "' '"})`, T.string) },
  rightPad: { min: 2, max: 3, fn: ([s, n, p]) => e(`rpad(${asStr(s!)}, ${n!.sql}, ${p ? asStr(p) : "' '"})`, T.string) },
  startsWith: stringTest(([s, p]) => `starts_with(${s}, ${p})`),
  endsWith: stringTest(([s, p]) => `suffix(${s}, ${p})`),
  position,
  locate: position,
  positionCaseInsensitive: onStrings(2, 2, ([s, p]) => `strpos(lower(${s}), lower(${p}))`, T.uint64),
  replace,
  replaceAll: replace,
  replaceOne: onStrings(
    3,
    3,
    ([s, a, b]) =>
      `(CASE WHEN strpos(${s}, ${a}) > 0 AND length(${a}) > 0 THEN concat(substring(${s}, 1, strpos(${s}, ${a}) - 1), ${b}, substring(${s}, strpos(${s}, ${a}) + length(${a}))) ELSE ${s} END)`,
  ),
  replaceRegexpOne: onStrings(3, 3, (s) => `regexp_replace(${s.join(', ')})`),
  replaceRegexpAll: onStrings(3, 3, (s) => `regexp_replace(${s.join(', ')}, 'g')`),
  extract: { min: 2, max: 2, fn: ([s, re]) => e(`regexp_extract(${asStr(s!)}, ${asStr(re!)}, ${hasCaptureGroup(re!) ? 1 : 0})`, T.string) },
  regexpExtract: { min: 2, max: 3, fn: ([s, re, g]) => e(`regexp_extract(${asStr(s!)}, ${asStr(re!)}, ${g ? g.sql : 1})`, T.string) },
  extractAll: {
    min: 2,
    max: 2,
    fn: ([s, re]) => e(`regexp_extract_all(${asStr(s!)}, ${asStr(re!)}, ${hasCaptureGroup(re!) ? 1 : 0})`, T.array(T.string)),
  },
  splitByChar: splitByString,
  splitByString,
  splitByRegexp: onStrings(2, 3, ([re, s]) => `string_split_regex(${s}, ${re})`, T.array(T.string)),
  arrayStringConcat: {
    min: 1,
    max: 2,
    fn: ([arr, sep]) => e(`array_to_string(${arrayOperand(arr!).sql}, ${sep ? asStr(sep) : "''"})`, T.string),
  },
  base64Encode: onStrings(1, 1, ([s]) => `to_base64(encode(${s}))`),
  base64Decode: onStrings(1, 1, ([s]) => `decode(from_base64(${s}))`),
  domain: onStrings(1, 1, ([u]) => domainSql(u!)),
  domainWithoutWWW: onStrings(1, 1, ([u]) => `regexp_replace(${domainSql(u!)}, '^www\\.', '')`),
  protocol: urlPart('^([a-zA-Z][a-zA-Z0-9+.\\-]*):'),
  path: urlPart(`^(?:${URL_SCHEME}[^/?#]*)?([^?#]*)`),
  queryString: urlPart('\\?([^#]*)'),
  fragment: urlPart('#(.*)$'),
  cutQueryString: onStrings(1, 1, ([u]) => `regexp_replace(${u}, '\\?[^#]*', '')`),
  extractURLParameter: {
    min: 2,
    max: 2,
    fn: ([u, name]) =>
      e(
        `regexp_extract(${asStr(u!)}, ${sqlString(`[?&]${regexEscape(constantString(name!, 'The parameter name'))}=([^&#]*)`)}, 1)`,
        T.string,
      ),
  },
  generateUUIDv4: { min: 0, max: 0, fn: () => e('CAST(uuid() AS VARCHAR)', T.uuid) },
};
