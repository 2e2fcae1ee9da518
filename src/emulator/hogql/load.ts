/**
 * Loads a DemoDataset into DuckDB. Rows go in through the appender one 2048-row data chunk at a time (the bulk
 * path: a million events in a few seconds), timestamps as epoch milliseconds in a staging table that one
 * CREATE TABLE AS turns into TIMESTAMPs. Also infers property types the way PostHog's property definitions do,
 * so `properties.amount` reads as a number when every value of it is one.
 */
import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  DuckDBDataChunk,
  VARCHAR,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { DemoDataset } from '../dataset-types.js';
import { quoteIdent } from './sql.js';
import type { PropertyType, PropertyTypes } from './translate.js';

const CHUNK = 2048;

interface ColumnSpec<Row> {
  name: string;
  type: DuckDBType;
  get: (row: Row) => DuckDBValue;
}

async function appendAll<Row>(
  connection: DuckDBConnection,
  table: string,
  rows: readonly Row[],
  columns: ColumnSpec<Row>[],
): Promise<void> {
  await connection.run(
    `CREATE TABLE ${quoteIdent(table)} (${columns.map((c) => `${quoteIdent(c.name)} ${c.type.toString()}`).join(', ')})`,
  );
  const appender = await connection.createAppender(table);
  try {
    const types = columns.map((c) => c.type);
    for (let offset = 0; offset < rows.length; offset += CHUNK) {
      const slice = rows.slice(offset, offset + CHUNK);
      const chunk = DuckDBDataChunk.create(types, slice.length);
      chunk.setColumns(columns.map((c) => slice.map(c.get)));
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function pathname(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).pathname;
  } catch {
    return null;
  }
}

/** Numeric when every non-null value is a number, Boolean when every one is a boolean, else String. */
export function inferPropertyTypes(bags: Iterable<Record<string, unknown>>): Map<string, PropertyType> {
  const seen = new Map<string, PropertyType>();
  for (const bag of bags) {
    for (const key in bag) {
      const value = bag[key];
      if (value === null || value === undefined) continue;
      const type: PropertyType = typeof value === 'number' ? 'Numeric' : typeof value === 'boolean' ? 'Boolean' : 'String';
      const previous = seen.get(key);
      if (previous === undefined) seen.set(key, type);
      else if (previous !== type) seen.set(key, 'String');
    }
  }
  return seen;
}

function* eventBags(dataset: DemoDataset): Iterable<Record<string, unknown>> {
  for (const event of dataset.events) yield event.properties;
}

function* personBags(dataset: DemoDataset): Iterable<Record<string, unknown>> {
  for (const person of dataset.persons) yield person.properties;
}

export async function loadDataset(connection: DuckDBConnection, dataset: DemoDataset): Promise<PropertyTypes> {
  const propertyTypes: PropertyTypes = { event: inferPropertyTypes(eventBags(dataset)), person: inferPropertyTypes(personBags(dataset)) };

  await appendAll(connection, 'events_staging', dataset.events, [
    { name: 'uuid', type: VARCHAR, get: (e) => e.uuid },
    { name: 'event', type: VARCHAR, get: (e) => e.event },
    { name: 'properties', type: VARCHAR, get: (e) => JSON.stringify(e.properties) },
    { name: 'ts', type: DOUBLE, get: (e) => e.timestamp.getTime() },
    { name: 'distinct_id', type: VARCHAR, get: (e) => e.distinctId },
    { name: 'elements_chain', type: VARCHAR, get: (e) => e.elementsChain },
    { name: 'person_id', type: VARCHAR, get: (e) => e.personId },
    { name: 'session_id', type: VARCHAR, get: (e) => text(e.properties.$session_id) },
    { name: 'window_id', type: VARCHAR, get: (e) => text(e.properties.$window_id) },
  ]);
  await connection.run(`CREATE TABLE events AS SELECT uuid, event, properties, epoch_ms(CAST(ts AS BIGINT)) AS "timestamp",
      distinct_id, elements_chain, epoch_ms(CAST(ts AS BIGINT)) AS created_at, person_id, session_id, window_id
    FROM events_staging`);
  await connection.run('DROP TABLE events_staging');

  await appendAll(connection, 'persons_staging', dataset.persons, [
    { name: 'id', type: VARCHAR, get: (p) => p.id },
    { name: 'properties', type: VARCHAR, get: (p) => JSON.stringify(p.properties) },
    { name: 'ts', type: DOUBLE, get: (p) => p.createdAt.getTime() },
    { name: 'is_identified', type: BOOLEAN, get: (p) => p.isIdentified },
  ]);
  await connection.run(
    `CREATE TABLE persons AS SELECT id, properties, epoch_ms(CAST(ts AS BIGINT)) AS created_at, is_identified FROM persons_staging`,
  );
  await connection.run('DROP TABLE persons_staging');

  const distinctIds = dataset.persons.flatMap((p) => p.distinctIds.map((distinctId) => ({ distinctId, personId: p.id })));
  await appendAll(connection, 'person_distinct_ids', distinctIds, [
    { name: 'distinct_id', type: VARCHAR, get: (d) => d.distinctId },
    { name: 'person_id', type: VARCHAR, get: (d) => d.personId },
  ]);

  await appendAll(connection, 'sessions_staging', dataset.sessions, [
    { name: 'session_id', type: VARCHAR, get: (s) => s.id },
    { name: 'distinct_id', type: VARCHAR, get: (s) => s.distinctId },
    { name: 'person_id', type: VARCHAR, get: (s) => s.personId },
    { name: 'start_ms', type: DOUBLE, get: (s) => s.start.getTime() },
    { name: 'end_ms', type: DOUBLE, get: (s) => s.end.getTime() },
    { name: 'pageview_count', type: BIGINT, get: (s) => BigInt(s.pageviews) },
    { name: 'autocapture_count', type: BIGINT, get: (s) => BigInt(s.clicks) },
    { name: 'entry_url', type: VARCHAR, get: (s) => s.entryUrl || null },
    { name: 'entry_pathname', type: VARCHAR, get: (s) => pathname(s.entryUrl) },
    { name: 'exit_url', type: VARCHAR, get: (s) => s.exitUrl || null },
    { name: 'exit_pathname', type: VARCHAR, get: (s) => pathname(s.exitUrl) },
  ]);
  // PostHog: duration is whole seconds between first and last event; a bounce is one pageview, no clicks, < 10 s.
  await connection.run(`CREATE TABLE sessions AS SELECT session_id, distinct_id, person_id,
      epoch_ms(CAST(start_ms AS BIGINT)) AS start_timestamp, epoch_ms(CAST(end_ms AS BIGINT)) AS end_timestamp,
      CAST(floor((end_ms - start_ms) / 1000) AS BIGINT) AS duration, pageview_count, autocapture_count,
      CAST(0 AS BIGINT) AS screen_count, entry_url, entry_pathname, exit_url, exit_pathname,
      (pageview_count <= 1 AND autocapture_count = 0 AND end_ms - start_ms < 10000) AS is_bounce
    FROM sessions_staging`);
  await connection.run('DROP TABLE sessions_staging');
  return propertyTypes;
}
