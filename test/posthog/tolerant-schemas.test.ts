/**
 * Tolerant reading (issue 10), table-driven over every exported response schema: each accepts a body trimmed to its
 * required fields (the ones the bot reads, listed below so that requiring one more is a visible decision) and the same
 * body with unknown extra fields at every level. A schema that fails here would turn an answer PostHog is entitled to
 * send into "PostHog sent an answer Hogbot did not understand".
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as experiments from '../../src/experiments/experiment.js';
import { flagSchema } from '../../src/flags/flag.js';
import { queryAnswerSchema, queryResultSchema } from '../../src/hogql/run.js';
import * as insights from '../../src/insights/trends.js';
import * as persons from '../../src/persons/schemas.js';
import * as content from '../../src/posthog/content-schemas.js';
import * as core from '../../src/posthog/schemas.js';

type AnySchema = z.ZodType & { _zod: { def: any; optin?: string } };

const isSchema = (v: unknown): v is AnySchema => v instanceof z.ZodType;
const exported = (mod: Record<string, unknown>) => Object.entries(mod).filter((e): e is [string, AnySchema] => isSchema(e[1]));

const item = z.looseObject({ id: z.number() });
const schemas: Array<[string, AnySchema]> = [
  ...exported(core),
  ...exported(content),
  ...exported(persons),
  ...exported(experiments),
  ...exported(insights),
  ['flagSchema', flagSchema as AnySchema],
  ['queryAnswerSchema', queryAnswerSchema as AnySchema],
  ['queryResultSchema', queryResultSchema as AnySchema],
  ['listOf(item)', core.listOf(item) as unknown as AnySchema],
  ['hasNextListOf(item)', core.hasNextListOf(item) as unknown as AnySchema],
];

/** The fields each top-level schema requires: only what the bot reads. */
const REQUIRED: Record<string, string[]> = {
  userSchema: ['email'],
  organizationSchema: ['id', 'name'],
  projectSchema: ['id', 'name'],
  matonConnectionSchema: ['app', 'connection_id', 'creation_time', 'last_updated_time', 'status'],
  matonConnectionListSchema: ['connections'],
  matonConnectionEnvelopeSchema: ['connection'],
  flagSchema: ['active', 'id', 'key'],
  queryAnswerSchema: [],
  queryResultSchema: ['results'],
  'listOf(item)': ['results'],
  'hasNextListOf(item)': ['has_next', 'results'],
};

/** The smallest value a schema accepts: required keys only; `fill` puts one element in every array. */
function sample(schema: AnySchema, fill: boolean): unknown {
  const def = schema._zod.def;
  switch (def.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(def.shape as Record<string, AnySchema>)) {
        if (field._zod.optin === 'optional') continue;
        out[key] = sample(field, fill);
      }
      return out;
    }
    case 'string':
      return 'x';
    case 'number':
    case 'int':
      return 1;
    case 'boolean':
      return true;
    case 'array': {
      const needsOne = (def.checks ?? []).some((c: AnySchema) => c._zod.def.check === 'min_length');
      return fill || needsOne ? [sample(def.element, fill)] : [];
    }
    case 'union':
      return sample(def.options[0], fill);
    case 'record':
      return {};
    case 'literal':
      return def.values[0];
    case 'enum':
      return Object.values(def.entries)[0];
    case 'lazy':
      return sample(def.getter(), fill);
    case 'pipe':
      return sample(def.in, fill);
    case 'custom':
      return 'x';
    case 'nullable':
    case 'unknown':
    case 'any':
      return null;
    default:
      throw new Error(`no sample for zod type ${def.type}`);
  }
}

/** Adds fields PostHog might add tomorrow to every object, at every depth. */
function withExtras(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withExtras);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = { a_field_from_next_release: { nested: [1, 'two', null] }, another_one: null };
  for (const [k, v] of Object.entries(value)) out[k] = withExtras(v);
  return out;
}

describe('every response schema reads tolerantly', () => {
  it('covers the schemas of every module that reads PostHog', () => {
    expect(schemas.length).toBeGreaterThanOrEqual(20);
  });

  it.each(schemas)('%s accepts a trimmed body and one with unknown extra fields', (_name, schema) => {
    for (const fill of [false, true]) {
      const trimmed = sample(schema, fill);
      const plain = schema.safeParse(trimmed);
      expect(plain.success, JSON.stringify(plain.error?.issues)).toBe(true);
      const extra = schema.safeParse(withExtras(trimmed));
      expect(extra.success, JSON.stringify(extra.error?.issues)).toBe(true);
    }
  });

  it.each(Object.entries(REQUIRED))('%s requires only the fields the bot reads', (name, fields) => {
    const schema = schemas.find(([n]) => n === name)![1];
    expect(Object.keys(sample(schema, false) as object).sort()).toEqual(fields);
  });

  it('a running query status without results (or id) is read, not refused', () => {
    expect(queryAnswerSchema.safeParse({ query_status: { complete: false } }).success).toBe(true);
  });
});
