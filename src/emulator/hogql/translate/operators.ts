/**
 * Comparison and arithmetic operators with ClickHouse's implicit coercions: strings compared with dates or numbers
 * are parsed, DateTimes in different zones are compared as instants, NULL compares to nothing, and IN never
 * yields NULL.
 */
import type { AstNode } from '../ast.js';
import { unsupported } from '../errors.js';
import { asDate, asDateTime, asNum, asStr, convertZone, flag, isNullLiteral, numType, type Expr } from '../expr.js';
import { shiftDate } from '../functions/dates.js';
import { T, isInt, isNumeric, isString, isTemporal, nullable } from '../types.js';
import type { Translation } from './context.js';

/** Makes two operands comparable the way ClickHouse would, returning their SQL. */
export function coerce(t: Translation, left: Expr, right: Expr): [string, string] {
  const l = left;
  const r = right;
  const tz = t.options.tz;
  if (l.type.base === 'DateTime' && r.type.base === 'DateTime') return [l.sql, convertZone(r.sql, r.type.tz ?? tz, l.type.tz ?? tz)];
  if (l.type.base === 'DateTime' && !isTemporal(r.type) && r.type.base !== 'Nothing') return [l.sql, asDateTime(r, l.type.tz ?? tz).sql];
  if (r.type.base === 'DateTime' && !isTemporal(l.type) && l.type.base !== 'Nothing') return [asDateTime(l, r.type.tz ?? tz).sql, r.sql];
  if (l.type.base === 'Date' && isString(r.type)) return [l.sql, asDate(r, tz).sql];
  if (r.type.base === 'Date' && isString(l.type)) return [asDate(l, tz).sql, r.sql];
  const lNum = isNumeric(l.type) || l.boolRepr;
  const rNum = isNumeric(r.type) || r.boolRepr;
  if ((lNum && (rNum || isString(r.type) || r.type.base === 'Bool')) || (rNum && (isString(l.type) || l.type.base === 'Bool'))) {
    if (l.boolRepr && r.boolRepr) return [l.sql, r.sql];
    return [asNum(l), asNum(r)];
  }
  if (l.type.base === 'Bool' && isString(r.type)) return [l.sql, `TRY_CAST(${r.sql} AS BOOLEAN)`];
  if (r.type.base === 'Bool' && isString(l.type)) return [`TRY_CAST(${l.sql} AS BOOLEAN)`, r.sql];
  return [l.sql, r.sql];
}

export function compare(t: Translation, op: string, leftNode: AstNode, rightNode: AstNode): Expr {
  const normalized = op.toLowerCase();
  if (normalized === 'in' || normalized === 'not in' || normalized === 'global in' || normalized === 'global not in') {
    return inExpr(t, normalized.includes('not'), leftNode, rightNode);
  }
  if (normalized === 'in cohort' || normalized === 'not in cohort') throw unsupported('IN COHORT is not supported by the emulator');
  const left = t.expr(leftNode);
  const right = t.expr(rightNode);
  if (isNullLiteral(left) || isNullLiteral(right)) {
    const other = isNullLiteral(right) ? left : right;
    if (normalized === '==') return flag(`(${other.sql} IS NULL)`);
    if (normalized === '!=') return flag(`(${other.sql} IS NOT NULL)`);
    return { sql: 'NULL', type: T.nothing };
  }
  switch (normalized) {
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const [l, r] = coerce(t, left, right);
      const sqlOp = normalized === '==' ? '=' : normalized === '!=' ? '<>' : normalized;
      return flag(`(${l} ${sqlOp} ${r})`);
    }
    case 'like':
    case 'not like':
    case 'ilike':
    case 'not ilike':
      return flag(`(${asStr(left)} ${normalized.toUpperCase()} ${asStr(right)} ESCAPE '\\')`);
    case '=~':
    case '!~':
    case '=~*':
    case '!~*': {
      const options = normalized.endsWith('*') ? ", 'i'" : '';
      const test = `regexp_matches(${asStr(left)}, ${asStr(right)}${options})`;
      return flag(normalized.startsWith('!') ? `(NOT ${test})` : test);
    }
    default:
      throw unsupported(`Unsupported comparison operator: ${op}`);
  }
}

const itemsOf = (t: Translation, node: AstNode): Expr[] => ((node as { exprs?: AstNode[] }).exprs ?? []).map((x) => t.expr(x));

/** `x IN (subquery | tuple | array)`; NULLs in a list match NULL, as in ClickHouse. */
function inExpr(t: Translation, negated: boolean, leftNode: AstNode, rightNode: AstNode): Expr {
  // A tuple on the left compares positionally with a multi-column subquery, so it stays an unnamed row.
  let left: Expr;
  if (leftNode.node === 'Tuple') {
    const items = itemsOf(t, leftNode);
    left = { sql: `row(${items.map((i) => i.sql).join(', ')})`, type: { base: 'Tuple', items: items.map((i) => i.type) } };
  } else {
    left = t.expr(leftNode);
  }
  let test: string;
  if (rightNode.node === 'SelectQuery' || rightNode.node === 'SelectSetQuery') {
    const sub = t.query(rightNode, t.scope);
    const subType = sub.columns[0]?.type;
    const leftSql = subType && left.type.base !== 'Tuple' ? coerce(t, left, { sql: 'NULL', type: subType })[0] : left.sql;
    test = `(${leftSql} IN (${sub.sql}))`;
  } else if (rightNode.node === 'Tuple' || rightNode.node === 'Array') {
    const items = itemsOf(t, rightNode);
    if (!items.length) return flag(negated ? 'true' : 'false');
    const values = items.filter((i) => !isNullLiteral(i)).map((i) => coerce(t, left, i));
    const hasNull = values.length < items.length;
    const leftSql = values[0]?.[0] ?? left.sql;
    test = values.length ? `(${leftSql} IN (${values.map((v) => v[1]).join(', ')}))` : 'false';
    if (hasNull) test = `(${test} OR ${left.sql} IS NULL)`;
  } else {
    const right = t.expr(rightNode);
    if (right.type.base === 'Array') test = `list_contains(${right.sql}, ${left.sql})`;
    else {
      const [l, r] = coerce(t, left, right);
      test = `(${l} = ${r})`;
    }
  }
  return flag(negated ? `(NOT coalesce(${test}, false))` : `coalesce(${test}, false)`);
}

export function arithmetic(t: Translation, op: string, left: Expr, right: Expr): Expr {
  const tz = t.options.tz;
  const nullableResult = !!(left.type.nullable || right.type.nullable);
  if (op === '+' || op === '-') {
    // shiftDate reads a non-date operand as a DateTime.
    if (right.type.base === 'Interval' && left.type.base !== 'Interval') return shiftDate(left, right, op, tz);
    if (left.type.base === 'Interval' && right.type.base !== 'Interval' && op === '+') return shiftDate(right, left, '+', tz);
    if (left.type.base === 'Interval' && right.type.base === 'Interval')
      return { sql: `(${left.sql} ${op} ${right.sql})`, type: left.type };
    if (isTemporal(left.type) && isTemporal(right.type) && op === '-') {
      const unit = left.type.base === 'Date' && right.type.base === 'Date' ? 'day' : 'second';
      const [l, r] = coerce(t, left, right);
      return { sql: `date_diff('${unit}', ${r}, ${l})`, type: T.int64 };
    }
    if (isTemporal(left.type) && (isNumeric(right.type) || right.boolRepr)) {
      if (left.type.base === 'Date') return { sql: `(${left.sql} ${op} CAST(${asNum(right)} AS INTEGER))`, type: left.type };
      return { sql: `(${left.sql} ${op} to_seconds(CAST(${asNum(right)} AS BIGINT)))`, type: left.type };
    }
  }
  const l = asNum(left);
  const r = asNum(right);
  const lt = numType(left);
  const rt = numType(right);
  const bothInt = isInt(lt) && isInt(rt);
  switch (op) {
    case '/':
      return { sql: `(CAST(${l} AS DOUBLE) / ${r})`, type: nullable(T.float, nullableResult) };
    case '%':
      return { sql: `(${l} % ${r})`, type: nullable(bothInt ? T.int64 : T.float, nullableResult) };
    case '+':
    case '-':
    case '*': {
      const type = bothInt ? (lt.base.startsWith('U') && rt.base.startsWith('U') && op !== '-' ? T.uint64 : T.int64) : T.float;
      return { sql: `(${l} ${op} ${r})`, type: nullable(type, nullableResult || !!lt.nullable || !!rt.nullable) };
    }
    default:
      throw unsupported(`Unsupported arithmetic operator: ${op}`);
  }
}
