import type { WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { createTeamNameCache } from '../../src/slack/team-name.js';

/** A WebClient whose team.info answers from `names` (and counts the calls); an unknown team is Slack's team_not_found. */
function slackWith(names: Record<string, string>) {
  const asked: string[] = [];
  const slack = {
    team: {
      info: async ({ team }: { team: string }) => {
        asked.push(team);
        const name = names[team];
        if (name === undefined)
          throw Object.assign(new Error('An API error occurred: team_not_found'), { data: { ok: false, error: 'team_not_found' } });
        return { ok: true, team: { id: team, name } };
      },
    },
  } as unknown as WebClient;
  return { slack, asked, names };
}

describe('team names for plans (team.info, cached per team)', () => {
  it('asks Slack once per team within the TTL, and again after it', async () => {
    let now = 0;
    const cache = createTeamNameCache({ ttlMs: 1000, now: () => now });
    const s = slackWith({ T1: 'Acme' });
    expect(await Promise.all([cache.get(s.slack, 'T1'), cache.get(s.slack, 'T1')])).toEqual(['Acme', 'Acme']);
    expect(s.asked).toEqual(['T1']);
    s.names.T1 = 'Acme Corp';
    now = 1000;
    expect(await cache.get(s.slack, 'T1')).toBe('Acme Corp');
    expect(s.asked).toEqual(['T1', 'T1']);
  });

  it('answers null on a failure and does not remember it', async () => {
    const cache = createTeamNameCache({ now: () => 0 });
    const s = slackWith({});
    expect(await cache.get(s.slack, 'T9')).toBeNull();
    s.names.T9 = 'Later';
    expect(await cache.get(s.slack, 'T9')).toBe('Later');
    expect(s.asked).toEqual(['T9', 'T9']);
  });

  it('keeps at most maxEntries teams, dropping the oldest', async () => {
    const cache = createTeamNameCache({ maxEntries: 2, now: () => 0 });
    const s = slackWith({ T1: 'A', T2: 'B', T3: 'C' });
    for (const t of ['T1', 'T2', 'T3', 'T3', 'T2']) await cache.get(s.slack, t);
    expect(s.asked).toEqual(['T1', 'T2', 'T3']);
    await cache.get(s.slack, 'T1');
    expect(s.asked).toEqual(['T1', 'T2', 'T3', 'T1']);
  });
});
