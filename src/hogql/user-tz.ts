/**
 * The reader's time zone for src/hogql/flow.ts, through the process's one profile cache (src/slack/profile.ts).
 * Kept only because flow.ts imports it: once it calls `callerTimeZone(ctx)` this file can go.
 */
import type { WebClient } from '@slack/web-api';
import { callerTimeZone, slackProfiles } from '../slack/profile.js';

export function userTimeZone(slack: WebClient, teamId: string, userId: string): Promise<string> {
  return callerTimeZone({ profile: () => slackProfiles.get(slack, teamId, userId) });
}
