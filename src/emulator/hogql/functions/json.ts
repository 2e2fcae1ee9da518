/**
 * ClickHouse's JSONExtract* family over JSON text. Each returns ClickHouse's default ('' / 0 / false) when the
 * value is missing or of another JSON type, rather than NULL.
 */
import { unsupported } from '../errors.js';
import { asStr, flag, type Expr } from '../expr.js';
import { jsonPointer, sqlString } from '../sql.js';
import { T, nullable } from '../types.js';
import { e, type FnDef, type FnTable } from './define.js';

/** The JSON pointer of `JSONExtract*(json, key_or_index, ...)` arguments (1-based indexes, as ClickHouse). */
function jsonPath(keys: Expr[]): string {
  const path = keys.map((k) => {
    const v = k.constant?.value;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v - 1;
    throw unsupported('JSON paths must be constant keys or positive indexes');
  });
  return sqlString(path.length ? jsonPointer(path) : '$');
}

/** A function of `(json, keys...)`, given the document's SQL text and the path's SQL. */
const onJson = (min: number, build: (doc: string, path: string) => Expr): FnDef => ({
  min,
  fn: (args) => build(asStr(args[0]!), jsonPath(args.slice(1))),
});

const asJson = (doc: string): string => `TRY_CAST(${doc} AS JSON)`;
const NUMBER_TYPES = "('BIGINT', 'UBIGINT', 'DOUBLE')";

function jsonTyped(kind: 'string' | 'int' | 'float' | 'bool' | 'raw'): FnDef {
  return onJson(1, (doc, path) => {
    const type = `json_type(${asJson(doc)}, ${path})`;
    switch (kind) {
      case 'string':
        return e(`coalesce(CASE WHEN ${type} = 'VARCHAR' THEN json_extract_string(${doc}, ${path}) END, '')`, T.string);
      case 'int':
        return e(
          `coalesce(CASE WHEN ${type} IN ${NUMBER_TYPES} THEN TRY_CAST(trunc(CAST(json_extract(${doc}, ${path}) AS DOUBLE)) AS BIGINT) END, 0)`,
          T.int64,
        );
      case 'float':
        return e(`coalesce(CASE WHEN ${type} IN ${NUMBER_TYPES} THEN CAST(json_extract(${doc}, ${path}) AS DOUBLE) END, 0)`, T.float);
      case 'bool':
        return flag(`coalesce(CASE WHEN ${type} = 'BOOLEAN' THEN CAST(json_extract(${doc}, ${path}) AS BOOLEAN) END, false)`);
      case 'raw':
        return e(`coalesce(CAST(json_extract(${asJson(doc)}, ${path}) AS VARCHAR), '')`, T.string);
    }
  });
}

/** A JSON array in a string as Array(String): raw element texts, or unquoted strings for `asStrings`. */
export function jsonArray(docSql: string, path: string, asStrings: boolean): string {
  const list = `from_json(json_extract(${asJson(docSql)}, ${path}), '["JSON"]')`;
  return asStrings
    ? `coalesce(list_transform(${list}, json_item -> coalesce(json_extract_string(json_item, '$'), CAST(json_item AS VARCHAR))), [])`
    : `coalesce(list_transform(${list}, json_item -> CAST(json_item AS VARCHAR)), [])`;
}

export const JSON_FUNCTIONS: FnTable = {
  JSONExtractString: jsonTyped('string'),
  JSONExtractInt: jsonTyped('int'),
  JSONExtractUInt: jsonTyped('int'),
  JSONExtractFloat: jsonTyped('float'),
  JSONExtractBool: jsonTyped('bool'),
  JSONExtractRaw: jsonTyped('raw'),
  JSONHas: onJson(2, (doc, path) => flag(`coalesce(json_exists(${asJson(doc)}, ${path}), false)`)),
  JSONLength: onJson(1, (doc, path) => {
    const json = asJson(doc);
    return e(
      `coalesce(CASE json_type(${json}, ${path}) WHEN 'ARRAY' THEN json_array_length(${json}, ${path}) WHEN 'OBJECT' THEN len(json_keys(${json}, ${path})) ELSE 0 END, 0)`,
      T.uint64,
    );
  }),
  JSONArrayLength: onJson(1, (doc, path) => e(`json_array_length(${asJson(doc)}, ${path})`, nullable(T.uint64))),
  JSONExtractArrayRaw: onJson(1, (doc, path) => e(jsonArray(doc, path, false), T.array(T.string))),
  JSONExtractKeys: onJson(1, (doc, path) => e(`coalesce(json_keys(${asJson(doc)}, ${path}), [])`, T.array(T.string))),
  isValidJSON: { min: 1, max: 1, fn: ([a]) => flag(`coalesce(json_valid(${asStr(a!)}), false)`) },
};
