/**
 * The reader's time zone from Slack's profile (users.info `tz`), remembered for a few minutes per user so a burst of
 * queries costs one lookup. Any failure reads as UTC: a wrong clock label is better than no answer.
 */
import type { WebClient } from '@slack/web-api';
import { isKnownTimeZone } from './format.js';

const TTL_MS = 10 * 60_000;
const MAX_ENTRIES = 5_000;
const cache = new Map<string, { zone: string; at: number }>();

export async function userTimeZone(slack: WebClient, teamId: string, userId: string, now = Date.now()): Promise<string> {
  const key = `${teamId}:${userId}`;
  const hit = cache.get(key);
  if (hit && now - hit.at < TTL_MS) return hit.zone;
  let zone = 'UTC';
  try {
    const info = await slack.users.info({ user: userId });
    const tz = info.user?.tz;
    if (tz && isKnownTimeZone(tz)) zone = tz;
  } catch {
    return hit?.zone ?? 'UTC';
  }
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(key, { zone, at: now });
  return zone;
}
