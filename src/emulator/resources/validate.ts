/**
 * drf serializer-style field checks with drf's messages and codes, throwing the 400 a PostHog serializer would.
 * `undefined` means "field absent" throughout.
 */
import { ReplyError, validationError } from '../http.js';

type Body = Record<string, unknown>;

const fail = (attr: string, detail: string, code: string): never => {
  throw new ReplyError(validationError(detail, attr, code));
};

export function requiredString(body: Body, attr: string, opts: { allowBlank?: boolean } = {}): string {
  const value = body[attr];
  if (value === undefined) return fail(attr, 'This field is required.', 'required');
  const text = optionalString(body, attr, { allowNull: false, ...opts });
  return text as string;
}

export function optionalString(
  body: Body,
  attr: string,
  opts: { allowBlank?: boolean; allowNull?: boolean } = {},
): string | null | undefined {
  const value = body[attr];
  if (value === undefined) return undefined;
  if (value === null) return opts.allowNull ? null : fail(attr, 'This field may not be null.', 'null');
  if (typeof value !== 'string') return fail(attr, 'Not a valid string.', 'invalid');
  if (!opts.allowBlank && value.trim() === '') return fail(attr, 'This field may not be blank.', 'blank');
  return value;
}

export function optionalBool(body: Body, attr: string): boolean | undefined {
  const value = body[attr];
  if (value === undefined) return undefined;
  if (value === true || value === 'true' || value === 1) return true;
  if (value === false || value === 'false' || value === 0) return false;
  return fail(attr, 'Must be a valid boolean.', 'invalid');
}

export function optionalStringList(body: Body, attr: string): string[] | undefined {
  const value = body[attr];
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return fail(attr, `Expected a list of items but got type "${typeName(value)}".`, 'not_a_list');
  if (!value.every((v) => typeof v === 'string')) return fail(attr, 'Not a valid string.', 'invalid');
  return value as string[];
}

export function optionalObject(body: Body, attr: string): Record<string, unknown> | undefined {
  const value = body[attr];
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(attr, `Expected a dictionary of items but got type "${typeName(value)}".`, 'not_a_dict');
  }
  return value as Record<string, unknown>;
}

export function optionalList(body: Body, attr: string): unknown[] | undefined {
  const value = body[attr];
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return fail(attr, `Expected a list of items but got type "${typeName(value)}".`, 'not_a_list');
  return value;
}

/** ISO 8601 datetimes (what drf's DateTimeField accepts), normalized to PostHog's output format. */
export function optionalDateTime(body: Body, attr: string, toIso: (d: Date) => string): string | null | undefined {
  const value = body[attr];
  if (value === undefined) return undefined;
  if (value === null) return null;
  const ok = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim());
  const date = ok ? new Date(/[T ]/.test(value) && !/(Z|[+-]\d{2}:?\d{2})$/.test(value) ? `${value}Z` : value) : null;
  if (!date || Number.isNaN(date.getTime())) {
    return fail(
      attr,
      'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].',
      'invalid',
    );
  }
  return toIso(date);
}

export function choice<T extends string>(body: Body, attr: string, choices: readonly T[]): T | undefined {
  const value = body[attr];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !choices.includes(value as T)) {
    return fail(attr, `"${String(value)}" is not a valid choice.`, 'invalid_choice');
  }
  return value as T;
}

export function invalid(attr: string | null, detail: string, code = 'invalid_input'): never {
  throw new ReplyError(validationError(detail, attr, code));
}

function typeName(value: unknown): string {
  if (value === null) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}
