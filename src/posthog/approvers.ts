/**
 * Names for the approvers an approval policy lists by id (user ids, role ids), read from PostHog's organization:
 * posthog/api/organization_member.py `OrganizationMemberViewSet` (`GET /api/organizations/@current/members/`, items
 * `{user: {id, uuid, first_name, last_name, email}}`) and ee/api/rbac/role.py `RoleViewSet`
 * (`GET /api/organizations/@current/roles/`, items `{id, name}`). Both are read tolerantly (a paginated page or, as
 * older PostHog answered members without pagination, a bare array), and any failure leaves the ids as they are:
 * the change request was opened either way, names are a courtesy.
 */
import { z } from 'zod';
import type { PostHogClient } from './client.js';

export interface ApproverNames {
  users: Map<number, string>;
  roles: Map<string, string>;
}

const LOOKUP_TIMEOUT_MS = 3_000;
/** One page is enough to name a policy's approvers; an organization bigger than this shows the rest by id. */
const PAGE_LIMIT = 200;

const memberSchema = z.object({
  user: z.object({
    id: z.number().int().optional(),
    first_name: z.string().nullish(),
    last_name: z.string().nullish(),
    email: z.string().nullish(),
  }),
});
const roleSchema = z.object({ id: z.union([z.string(), z.number()]), name: z.string().nullish() });
const listOf = <T extends z.ZodTypeAny>(item: T) =>
  z.union([z.array(z.unknown()), z.object({ results: z.array(z.unknown()) })]).transform((body) => {
    const rows = Array.isArray(body) ? body : body.results;
    // One odd row (a member without a user, a role without a name) must not lose the others.
    return rows.flatMap((row) => {
      const parsed = item.safeParse(row);
      return parsed.success ? [parsed.data as z.infer<T>] : [];
    });
  });

export async function approverNames(posthog: PostHogClient, approvers: { users: number[]; roles: string[] }): Promise<ApproverNames> {
  const [users, roles] = await Promise.all([
    approvers.users.length === 0 ? new Map<number, string>() : memberNames(posthog).catch(() => new Map<number, string>()),
    approvers.roles.length === 0 ? new Map<string, string>() : roleNames(posthog).catch(() => new Map<string, string>()),
  ]);
  return { users, roles };
}

async function memberNames(posthog: PostHogClient): Promise<Map<number, string>> {
  const members = await posthog.request('GET', '/api/organizations/@current/members/', listOf(memberSchema), {
    query: { limit: String(PAGE_LIMIT) },
    timeoutMs: LOOKUP_TIMEOUT_MS,
  });
  const names = new Map<number, string>();
  for (const { user } of members) {
    if (user.id === undefined) continue;
    const name = [user.first_name, user.last_name]
      .filter((p) => p && p.trim() !== '')
      .join(' ')
      .trim();
    const label = name && user.email ? `${name} (${user.email})` : name || user.email || '';
    if (label !== '') names.set(user.id, label.slice(0, 120));
  }
  return names;
}

async function roleNames(posthog: PostHogClient): Promise<Map<string, string>> {
  const roles = await posthog.request('GET', '/api/organizations/@current/roles/', listOf(roleSchema), {
    query: { limit: String(PAGE_LIMIT) },
    timeoutMs: LOOKUP_TIMEOUT_MS,
  });
  return new Map(roles.flatMap((r) => (r.name ? [[String(r.id), r.name.slice(0, 80)] as [string, string]] : [])));
}
