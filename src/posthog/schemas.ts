/**
 * Response shapes the client checks at the edge. Loose objects: PostHog and Maton add fields freely, and a new
 * field must never break the bot. Only what the bot reads is required.
 */
import { z } from 'zod';

/** PostHog's standard list: `{count, next, previous, results}`; `next` is a full URL (we only read its offset). */
export function listOf<T extends z.ZodType>(item: T) {
  return z.looseObject({
    count: z.number().nullish(),
    next: z.string().nullish(),
    previous: z.string().nullish(),
    results: z.array(item),
  });
}

/** Session recordings' list: `{results, has_next}` (no count, no next URL). */
export function hasNextListOf<T extends z.ZodType>(item: T) {
  return z.looseObject({
    results: z.array(item),
    has_next: z.boolean(),
  });
}

const namedRef = <Id extends z.ZodType>(id: Id) => z.looseObject({ id, name: z.string().nullish() });

/** `GET /api/users/@me/`. */
export const userSchema = z.looseObject({
  id: z.number().optional(),
  uuid: z.string().optional(),
  email: z.string(),
  first_name: z.string().nullish(),
  organization: namedRef(z.string()).nullish(),
  team: namedRef(z.number()).nullish(),
});
export type PostHogUser = z.infer<typeof userSchema>;

/** `GET /api/organizations/@current/` (or `/{id}/`). */
export const organizationSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  slug: z.string().nullish(),
  teams: z.array(namedRef(z.number())).nullish(),
  projects: z.array(namedRef(z.number())).nullish(),
});
export type PostHogOrganization = z.infer<typeof organizationSchema>;

/** `GET /api/projects/` items and `/api/projects/{id}/`. `organization` is a uuid in practice; tolerate an object. */
export const projectSchema = z.looseObject({
  id: z.number(),
  uuid: z.string().optional(),
  organization: z.union([z.string(), namedRef(z.string())]).nullish(),
  name: z.string(),
  timezone: z.string().nullish(),
});
export type PostHogProject = z.infer<typeof projectSchema>;

/** Known statuses autocomplete; any other string Maton invents still parses. */
export type MatonConnectionStatus = 'ACTIVE' | 'PENDING' | 'FAILED' | (string & {});

export const matonConnectionSchema = z.looseObject({
  connection_id: z.string(),
  status: z.custom<MatonConnectionStatus>((value) => typeof value === 'string', 'expected a status string'),
  creation_time: z.string(),
  last_updated_time: z.string(),
  /** For a PENDING connection: where the user finishes OAuth. */
  url: z.string().nullish(),
  app: z.string(),
  method: z.string().nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});
export type MatonConnection = z.infer<typeof matonConnectionSchema>;

/** `GET /connections` -> `{connections: [...]}`; `POST /connections` and `GET /connections/{id}` -> `{connection}`. */
export const matonConnectionListSchema = z.looseObject({ connections: z.array(matonConnectionSchema) });
export const matonConnectionEnvelopeSchema = z.looseObject({ connection: matonConnectionSchema });
