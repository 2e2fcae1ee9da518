/**
 * The one place Hogbot asks Slack who someone is (`users.info`). Roles, time zones and names all come from the same
 * answer, remembered per workspace and user for a few minutes: users.info is rate-limited (tier 4), and a modal must
 * open within 3 s of its trigger_id, so a writer's form should not wait on Slack twice before `views.open`.
 *
 * ```ts
 * const profiles = createProfileCache({ ttlMs: 60_000, now: () => clock.now() });
 * const { tz, isAdmin } = await profiles.get(slack, 'T123', 'U456');
 * ```
 */
import type { WebClient } from '@slack/web-api';
import { isKnownTimeZone } from '../hogql/format.js';

export interface SlackProfile {
  userId: string;
  /** An IANA zone this runtime knows; null when Slack gives none (or one Intl can't use). */
  tz: string | null;
  isAdmin: boolean;
  /** Owner or primary owner of the workspace. */
  isOwner: boolean;
  /**
   * A Slack guest: `is_restricted` (multi-channel; single-channel guests carry it too) or `is_ultra_restricted`
   * (single-channel). See src/access.ts for what guests may do.
   */
  isGuest: boolean;
  /** Real name, else handle, else the id: for plans that must not rely on mentions rendering. */
  name: string;
  email: string | null;
}

export interface ProfileOptions {
  /** Ask Slack now (and remember the answer) instead of trusting one up to `ttlMs` old. */
  fresh?: boolean;
}

export interface ProfileCache {
  /** Rejects with Slack's error (`user_not_found`, a rate limit...); failures are not remembered. */
  get(slack: WebClient, teamId: string, userId: string, options?: ProfileOptions): Promise<SlackProfile>;
}

export interface ProfileCacheOptions {
  /** Default 5 minutes: a Slack admin demoted meanwhile keeps admin rights that long at most. */
  ttlMs?: number;
  /** Epoch ms. */
  now?: () => number;
  maxEntries?: number;
}

export const PROFILE_TTL_MS = 5 * 60_000;

export function createProfileCache(options: ProfileCacheOptions = {}): ProfileCache {
  const ttlMs = options.ttlMs ?? PROFILE_TTL_MS;
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 5_000;
  // The promise is kept, not the value: lookups that arrive together (a role check and a time zone) share one call.
  const entries = new Map<string, { at: number; profile: Promise<SlackProfile> }>();

  return {
    get(slack, teamId, userId, { fresh = false } = {}) {
      const key = `${teamId}:${userId}`;
      const at = now();
      const hit = entries.get(key);
      if (hit && !fresh && at - hit.at < ttlMs) return hit.profile;
      const profile = lookup(slack, userId);
      const entry = { at, profile };
      // Re-inserted so the Map's order stays oldest first, which is what eviction drops.
      entries.delete(key);
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      entries.set(key, entry);
      profile.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      return profile;
    },
  };
}

async function lookup(slack: WebClient, userId: string): Promise<SlackProfile> {
  const user = (await slack.users.info({ user: userId })).user;
  // An answer without a user is no answer: src/access.ts treats the caller as unknown, hence a guest.
  if (!user) throw new Error('users.info answered without a user');
  const tz = user?.tz && isKnownTimeZone(user.tz) ? user.tz : null;
  return {
    userId,
    tz,
    isAdmin: user?.is_admin === true,
    isOwner: user?.is_owner === true || user?.is_primary_owner === true,
    isGuest: user?.is_restricted === true || user?.is_ultra_restricted === true,
    name: user?.real_name || user?.name || userId,
    email: user?.profile?.email ?? null,
  };
}

/** This process's cache: every request, button, form and scheduled run reads through it. */
export const slackProfiles: ProfileCache = createProfileCache();

/**
 * The zone to show the caller's times in: their Slack zone, else UTC. Never fails: a time labelled in the wrong zone
 * beats no answer.
 */
export async function callerTimeZone(ctx: { profile(): Promise<SlackProfile> }): Promise<string> {
  try {
    return (await ctx.profile()).tz ?? 'UTC';
  } catch {
    return 'UTC';
  }
}
