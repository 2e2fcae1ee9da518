/**
 * PostHog's HogQL tables as the emulator exposes them, mapped onto the DuckDB tables that load.ts creates.
 * Column SQL is a function of the table's SQL alias and the team time zone: DateTime columns are converted to the
 * zone's wall clock (see translate.ts), everything else is a plain qualified column.
 */
import { quoteIdent, sqlString } from './sql.js';
import { T, type ChType } from './types.js';

export type PropertyOwner = 'event' | 'person';

export interface ColumnDef {
  type: ChType | ((tz: string) => ChType);
  sql: (alias: string, tz: string) => string;
  /** A JSON properties column: `col.key` reads a property typed by that owner's property definitions. */
  properties?: PropertyOwner;
}

export interface LazyJoinDef {
  table: string;
  /** The ON condition between the source alias and the joined alias. */
  on: (from: string, to: string) => string;
}

export interface TableDef {
  name: string;
  /** The DuckDB table behind it. */
  duck: string;
  columns: Record<string, ColumnDef>;
  lazyJoins: Record<string, LazyJoinDef>;
  /** What `*` expands to, in order. */
  star: string[];
}

const col = (name: string) => (alias: string) => `${quoteIdent(alias)}.${quoteIdent(name)}`;

/** A stored UTC TIMESTAMP read as the wall clock of `tz`. */
export function utcToZone(sql: string, tz: string): string {
  return tz === 'UTC' ? sql : `timezone(${sqlString(tz)}, ${sql} AT TIME ZONE 'UTC')`;
}

const dateTime = (name: string): ColumnDef => ({
  type: (tz) => T.dateTime(tz),
  sql: (alias, tz) => utcToZone(col(name)(alias), tz),
});
const plain = (name: string, type: ChType): ColumnDef => ({ type, sql: col(name) });

/** The lazy join from a table with a `person_id` column to that person. */
const toPerson: LazyJoinDef = { table: 'persons', on: (from, to) => `${col('id')(to)} = ${col('person_id')(from)}` };

const events: TableDef = {
  name: 'events',
  duck: 'events',
  columns: {
    uuid: plain('uuid', T.uuid),
    event: plain('event', T.string),
    properties: { type: T.json, sql: col('properties'), properties: 'event' },
    timestamp: dateTime('timestamp'),
    distinct_id: plain('distinct_id', T.string),
    elements_chain: plain('elements_chain', T.string),
    created_at: dateTime('created_at'),
    $session_id: plain('session_id', T.nstring),
    $window_id: plain('window_id', T.nstring),
    person_id: plain('person_id', T.uuid),
  },
  lazyJoins: {
    person: toPerson,
    // `poe` (person on events) reads the same person here: the demo data has no per-event person snapshots.
    poe: toPerson,
    session: { table: 'sessions', on: (from, to) => `${col('session_id')(to)} = ${col('session_id')(from)}` },
    pdi: { table: 'person_distinct_ids', on: (from, to) => `${col('distinct_id')(to)} = ${col('distinct_id')(from)}` },
  },
  star: ['uuid', 'event', 'properties', 'timestamp', 'distinct_id', 'elements_chain', 'created_at', '$session_id', '$window_id'],
};

const persons: TableDef = {
  name: 'persons',
  duck: 'persons',
  columns: {
    id: plain('id', T.uuid),
    properties: { type: T.json, sql: col('properties'), properties: 'person' },
    created_at: dateTime('created_at'),
    is_identified: plain('is_identified', T.bool),
  },
  lazyJoins: {},
  star: ['id', 'properties', 'created_at', 'is_identified'],
};

const sessions: TableDef = {
  name: 'sessions',
  duck: 'sessions',
  columns: {
    session_id: plain('session_id', T.string),
    distinct_id: plain('distinct_id', T.string),
    $start_timestamp: dateTime('start_timestamp'),
    $end_timestamp: dateTime('end_timestamp'),
    $session_duration: plain('duration', T.int64),
    $pageview_count: plain('pageview_count', T.uint64),
    $autocapture_count: plain('autocapture_count', T.uint64),
    $screen_count: plain('screen_count', T.uint64),
    $entry_current_url: plain('entry_url', T.nstring),
    $entry_pathname: plain('entry_pathname', T.nstring),
    $end_current_url: plain('exit_url', T.nstring),
    $end_pathname: plain('exit_pathname', T.nstring),
    $exit_current_url: plain('exit_url', T.nstring),
    $exit_pathname: plain('exit_pathname', T.nstring),
    $is_bounce: plain('is_bounce', T.bool),
  },
  lazyJoins: {},
  star: [
    'session_id',
    'distinct_id',
    '$start_timestamp',
    '$end_timestamp',
    '$session_duration',
    '$pageview_count',
    '$autocapture_count',
    '$entry_current_url',
    '$end_current_url',
    '$is_bounce',
  ],
};

const personDistinctIds: TableDef = {
  name: 'person_distinct_ids',
  duck: 'person_distinct_ids',
  columns: {
    distinct_id: plain('distinct_id', T.string),
    person_id: plain('person_id', T.uuid),
  },
  lazyJoins: {
    person: toPerson,
  },
  star: ['distinct_id', 'person_id'],
};

export const TABLES: Record<string, TableDef> = {
  events,
  persons,
  sessions,
  person_distinct_ids: personDistinctIds,
};

export function columnType(def: ColumnDef, tz: string): ChType {
  return typeof def.type === 'function' ? def.type(tz) : def.type;
}
