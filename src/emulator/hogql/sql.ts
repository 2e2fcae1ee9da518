/**
 * Emitting DuckDB SQL text safely. Every user literal goes through `sqlString` / `sqlNumber`, every identifier
 * through `quoteIdent`: DuckDB's standard strings have no backslash escapes, so doubling quotes is the whole job.
 */
import { unsupported } from './errors.js';

export function quoteIdent(name: string): string {
  if (name.includes('\u0000')) throw unsupported('Identifiers can not contain NUL characters');
  return `"${name.replaceAll('"', '""')}"`;
}

export function sqlString(value: string): string {
  if (value.includes('\u0000')) throw unsupported('String literals can not contain NUL characters');
  return `'${value.replaceAll("'", "''")}'`;
}

export function sqlNumber(value: number): string {
  if (!Number.isFinite(value)) {
    return Number.isNaN(value) ? "'nan'::DOUBLE" : value > 0 ? "'inf'::DOUBLE" : "'-inf'::DOUBLE";
  }
  // Keep integers integral (DuckDB reads 1e21 as DOUBLE anyway); floats keep a decimal point so 1.0 stays DOUBLE.
  if (Number.isInteger(value)) return Math.abs(value) < 1e21 ? value.toFixed(0) : `${value}::DOUBLE`;
  return `${value}::DOUBLE`;
}

/** A JSON pointer (`/a/b`) for DuckDB's json functions: keys may hold any character, so escape `~` and `/`. */
export function jsonPointer(path: (string | number)[]): string {
  return path.map((key) => '/' + String(key).replaceAll('~', '~0').replaceAll('/', '~1')).join('');
}

/** A record lookup that ignores inherited keys, since names come from user queries (`toString`, `constructor`). */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
