import type { FakeChannelInput, FakeTeam, FakeTokenInput, FakeUserInput } from './types.js';

export const DEFAULT_BOT_TOKEN = 'xoxb-test-fake-slack';
export const DEFAULT_TEAM: FakeTeam = { id: 'T0FAKE00001', name: 'Fake Workspace', domain: 'fake-workspace' };
export const DEFAULT_BOT_USER_ID = 'U0FAKEBOT01';
export const DEFAULT_BOT_ID = 'B0FAKEBOT01';
export const DEFAULT_APP_ID = 'A0FAKEAPP01';

export interface TokenInfo {
  token: string;
  teamId: string;
  enterpriseId?: string;
  userId: string;
  botId: string;
  /** An org-wide install: the other workspaces this token reaches (methods take them as `team_id`). */
  teams?: string[];
  /** Slack Connect partners: their users are visible to users.info only. */
  connectedTeams?: string[];
}

/** Offset in seconds of `zone` at `at`, as Slack reports `tz_offset`. */
export function zoneOffsetSeconds(zone: string, at: Date): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
  if (!match) return 0;
  const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60;
  return match[1] === '-' ? -seconds : seconds;
}

/**
 * A Slack user object as users.info / users.lookupByEmail return it
 * (https://api.slack.com/methods/users.info, https://api.slack.com/types/user). Guests: `is_restricted` marks a guest,
 * `is_ultra_restricted` a single-channel guest, who is also `is_restricted` ("use in combination").
 */
export function slackUser(input: FakeUserInput, defaultTeamId: string, at: Date): Record<string, unknown> {
  const tz = input.tz ?? 'America/Los_Angeles';
  const name = input.name ?? input.id.toLowerCase();
  const realName = input.realName ?? name;
  const profile: Record<string, unknown> = {
    real_name: realName,
    real_name_normalized: realName,
    display_name: input.displayName ?? name,
    display_name_normalized: input.displayName ?? name,
    team: input.teamId ?? defaultTeamId,
  };
  if (input.email !== undefined) profile.email = input.email;
  return {
    id: input.id,
    team_id: input.teamId ?? defaultTeamId,
    name,
    deleted: input.deleted ?? false,
    real_name: realName,
    tz,
    tz_label: tz,
    tz_offset: input.tzOffset ?? zoneOffsetSeconds(tz, at),
    is_admin: input.isAdmin ?? false,
    is_owner: input.isOwner ?? false,
    is_primary_owner: false,
    is_restricted: (input.isRestricted ?? false) || (input.isUltraRestricted ?? false),
    is_ultra_restricted: input.isUltraRestricted ?? false,
    is_bot: input.isBot ?? false,
    is_app_user: false,
    updated: Math.floor(at.getTime() / 1000),
    profile,
    // Slack's EnterpriseUser (node-slack-sdk UsersInfoResponse.ts): the user's roles in the whole Grid organization.
    ...(input.enterprise
      ? {
          enterprise_user: {
            id: input.id,
            enterprise_id: input.enterprise.id,
            enterprise_name: input.enterprise.name ?? input.enterprise.id,
            is_admin: input.enterprise.isAdmin ?? false,
            is_owner: input.enterprise.isOwner ?? false,
            is_primary_owner: false,
            teams: [input.teamId ?? defaultTeamId],
          },
        }
      : {}),
  };
}

/** Slack addresses a DM by the user's id too; the fake gives each user one stable IM channel. */
export const imChannelFor = (userId: string): string => `D${userId.slice(1)}`;

export const looksLikeUserId = (id: string): boolean => /^[UW][A-Z0-9_]+$/.test(id);

export class Directory {
  readonly teams = new Map<string, FakeTeam>();
  readonly tokens = new Map<string, TokenInfo>();
  readonly users = new Map<string, FakeUserInput>();
  readonly channels = new Map<string, FakeChannelInput>();

  constructor(
    readonly defaultTeam: FakeTeam,
    readonly botUserId: string,
    readonly botId: string,
    readonly appId: string,
  ) {
    this.teams.set(defaultTeam.id, defaultTeam);
    this.users.set(botUserId, { id: botUserId, name: 'hogbot', realName: 'Hogbot', isBot: true });
  }

  team(id: string): FakeTeam {
    return this.teams.get(id) ?? { id, name: `Workspace ${id}`, domain: id.toLowerCase() };
  }

  addToken(input: string | FakeTokenInput): TokenInfo {
    const spec = typeof input === 'string' ? { token: input } : input;
    const info: TokenInfo = {
      token: spec.token,
      teamId: spec.teamId ?? this.defaultTeam.id,
      userId: spec.userId ?? this.botUserId,
      botId: spec.botId ?? this.botId,
      ...(spec.enterpriseId === undefined ? {} : { enterpriseId: spec.enterpriseId }),
      ...(spec.teams === undefined ? {} : { teams: spec.teams }),
      ...(spec.connectedTeams === undefined ? {} : { connectedTeams: spec.connectedTeams }),
    };
    this.tokens.set(info.token, info);
    return info;
  }

  setUser(input: FakeUserInput): void {
    this.users.set(input.id, { ...this.users.get(input.id), ...input });
  }

  setChannel(input: FakeChannelInput): void {
    this.channels.set(input.id, { ...this.channels.get(input.id), ...input });
  }

  findUserByEmail(email: string, auth?: TokenInfo): FakeUserInput | undefined {
    const wanted = email.toLowerCase();
    return [...this.users.values()].find((u) => u.email?.toLowerCase() === wanted && (auth === undefined || this.reaches(auth, u.teamId)));
  }

  /**
   * Whether a token may see a user or conversation of `teamId`: Slack scopes a workspace token to its own workspace,
   * an org-wide token to the workspaces it was granted. Entries the fake was given no workspace for count everywhere.
   */
  reaches(auth: TokenInfo, teamId: string | undefined): boolean {
    return teamId === undefined || teamId === auth.teamId || (auth.teams?.includes(teamId) ?? false);
  }

  /** A user this token can see (users.info); another workspace's user is unknown to it unless shared via Slack Connect. */
  userFor(auth: TokenInfo, id: string): FakeUserInput | undefined {
    const user = this.users.get(id);
    const external = user?.teamId !== undefined && (auth.connectedTeams?.includes(user.teamId) ?? false);
    return user && (this.reaches(auth, user.teamId) || external) ? user : undefined;
  }

  /** A conversation this token can see (conversations.info); another workspace's channel is `channel_not_found`. */
  conversationFor(auth: TokenInfo, id: string): Record<string, unknown> | undefined {
    const known = this.channels.get(id);
    if (known && !this.reaches(auth, known.teamId)) return undefined;
    // A DM with another workspace's user is not this token's either.
    const dmUser = known?.isIm ? known.user : id.startsWith('D') ? `U${id.slice(1)}` : undefined;
    if (dmUser !== undefined && !this.reaches(auth, this.users.get(dmUser)?.teamId)) return undefined;
    return this.conversation(id);
  }

  /** Resolves what chat.* accepts as `channel` (a channel id, or a user id meaning their DM). */
  resolveChannel(channel: string): string {
    return looksLikeUserId(channel) ? imChannelFor(channel) : channel;
  }

  channelKnown(id: string): boolean {
    return this.channels.has(id) || id.startsWith('D');
  }

  /**
   * Who is in a conversation, as conversations.members lists them; undefined when the fake doesn't know it (strict).
   * DMs hold the bot and their user. Channels: their `members` when given, else every user (of their workspace, when it is known).
   */
  members(id: string, strict: boolean): string[] | undefined {
    const known = this.channels.get(id);
    if (id.startsWith('D') && !known) return [this.botUserId, `U${id.slice(1)}`];
    if (!known && strict) return undefined;
    // A private channel the bot is not in is invisible to its token.
    if (known?.isPrivate && known.isMember === false) return undefined;
    if (known?.isIm) return [this.botUserId, known.user ?? `U${id.slice(1)}`];
    // Channels the fake was never told about are as loose as its posting: everyone is in them. A channel given a
    // workspace but no members holds that workspace's users.
    const inTeam = (u: FakeUserInput) => known?.teamId === undefined || (u.teamId ?? this.defaultTeam.id) === known.teamId;
    const people = known?.members ?? [...this.users.values()].filter((u) => !u.isBot && !u.deleted && inTeam(u)).map((u) => u.id);
    return (known?.isMember ?? true) ? [this.botUserId, ...people.filter((p) => p !== this.botUserId)] : people;
  }

  /**
   * The channels of one workspace, as conversations.list returns them. Slack scopes a token to its workspace (an
   * org-wide token to the workspaces named by `team_id`), so another workspace's channels never appear.
   * https://api.slack.com/methods/conversations.list
   */
  channelsOf(teamId: string, types: ReadonlySet<string>): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (const channel of this.channels.values()) {
      if ((channel.teamId ?? this.defaultTeam.id) !== teamId || channel.isIm || channel.id.startsWith('D')) continue;
      if (!types.has(channel.isPrivate ? 'private_channel' : 'public_channel')) continue;
      const conversation = this.conversation(channel.id);
      if (conversation) out.push(conversation);
    }
    return out.sort((a, b) => String(a.name).localeCompare(String(b.name)));
  }

  /** A conversation object as conversations.info returns it. */
  conversation(id: string): Record<string, unknown> | undefined {
    const known = this.channels.get(id);
    if (!known && !id.startsWith('D')) return undefined;
    const isIm = known?.isIm ?? id.startsWith('D');
    const base: Record<string, unknown> = {
      id,
      created: 1_500_000_000,
      is_archived: false,
      is_im: isIm,
      is_mpim: false,
      context_team_id: known?.teamId ?? this.defaultTeam.id,
    };
    if (isIm) return { ...base, user: known?.user ?? `U${id.slice(1)}`, is_open: true };
    return {
      ...base,
      name: known?.name ?? id.toLowerCase(),
      is_channel: !(known?.isPrivate ?? false),
      is_group: false,
      is_private: known?.isPrivate ?? false,
      is_general: false,
      is_shared: false,
      is_ext_shared: false,
      is_org_shared: false,
      is_member: known?.isMember ?? true,
    };
  }
}
