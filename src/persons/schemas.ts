/** Persons and session recordings as Hogbot reads them (loose: only what it shows is required). */
import { z } from 'zod';

const properties = z.record(z.string(), z.unknown());

export const personSchema = z.looseObject({
  /** The person's UUID in current PostHog; a number on old instances, which then send `uuid` too. */
  id: z.union([z.string(), z.number()]),
  uuid: z.string().nullish(),
  name: z.string().nullish(),
  distinct_ids: z.array(z.string()),
  properties: properties.nullish(),
  created_at: z.string().nullish(),
  last_seen_at: z.string().nullish(),
});
export type Person = z.infer<typeof personSchema>;

export const recordingSchema = z.looseObject({
  id: z.string(),
  distinct_id: z.string().nullish(),
  recording_duration: z.number().nullish(),
  active_seconds: z.number().nullish(),
  inactive_seconds: z.number().nullish(),
  start_time: z.string(),
  end_time: z.string().nullish(),
  click_count: z.number().nullish(),
  keypress_count: z.number().nullish(),
  console_error_count: z.number().nullish(),
  start_url: z.string().nullish(),
  ongoing: z.boolean().nullish(),
  viewed: z.boolean().nullish(),
  person: z
    .looseObject({
      id: z.union([z.string(), z.number()]).nullish(),
      uuid: z.string().nullish(),
      name: z.string().nullish(),
      distinct_ids: z.array(z.string()).nullish(),
      properties: properties.nullish(),
    })
    .nullish(),
});
export type Recording = z.infer<typeof recordingSchema>;

/** The UUID PostHog's recordings filter (`person_uuid`) expects. */
export function personUuid(p: Person): string {
  return p.uuid ?? String(p.id);
}

export function personEmail(p: { properties?: Record<string, unknown> | null }): string | null {
  const email = p.properties?.email;
  return typeof email === 'string' && email !== '' ? email : null;
}

/** PostHog's display name: the `name` it sends, else email, name property, then a distinct id. */
export function personLabel(p: Pick<Person, 'name' | 'properties' | 'distinct_ids'>): string {
  const name = p.properties?.name;
  if (typeof name === 'string' && name !== '') return name;
  return personEmail(p) ?? p.name ?? p.distinct_ids[0] ?? 'Anonymous person';
}

/** The distinct id PostHog's person page is addressed by. */
export function primaryDistinctId(p: Pick<Person, 'distinct_ids' | 'id'>): string {
  return p.distinct_ids[0] ?? String(p.id);
}
