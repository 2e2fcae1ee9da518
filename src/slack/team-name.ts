import type { WebClient } from '@slack/web-api';

/**
 * A workspace's name for plans ("Workspace: Acme" rather than an id nobody recognises), read with team.info
 * (https://api.slack.com/methods/team.info, scope team:read). Names rarely change, so each is kept for a while; the
 * cache is bounded so a bot in many workspaces doesn't grow without end. Failures are not remembered, and a failure
 * answers null: the plan then says "this workspace" rather than fail the command.
 */
export interface TeamNameCache {
  get(slack: WebClient, teamId: string): Promise<string | null>;
}

export interface TeamNameCacheOptions {
  /** Default 1 hour: a renamed workspace shows its new name within that. */
  ttlMs?: number;
  /** Epoch ms. */
  now?: () => number;
  maxEntries?: number;
}

export const TEAM_NAME_TTL_MS = 60 * 60_000;

export function createTeamNameCache(options: TeamNameCacheOptions = {}): TeamNameCache {
  const ttlMs = options.ttlMs ?? TEAM_NAME_TTL_MS;
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 1_000;
  // The promise is kept so plans proposed together share one call.
  const entries = new Map<string, { at: number; name: Promise<string | null> }>();

  return {
    get(slack, teamId) {
      const at = now();
      const hit = entries.get(teamId);
      if (hit && at - hit.at < ttlMs) return hit.name;
      const entry = { at, name: lookup(slack, teamId) };
      entries.delete(teamId);
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      entries.set(teamId, entry);
      return entry.name.then((name) => {
        if (name === null && entries.get(teamId) === entry) entries.delete(teamId);
        return name;
      });
    },
  };
}

async function lookup(slack: WebClient, teamId: string): Promise<string | null> {
  try {
    const team = (await slack.team.info({ team: teamId })).team;
    const name = typeof team?.name === 'string' ? team.name.trim() : '';
    return name === '' ? null : name;
  } catch {
    return null;
  }
}

/** This process's cache, as src/slack/profile.ts keeps profiles. */
export const slackTeamNames: TeamNameCache = createTeamNameCache();
