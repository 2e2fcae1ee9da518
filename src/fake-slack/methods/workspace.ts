import { basicCredentials } from '../body.js';
import { imChannelFor, looksLikeUserId, slackUser } from '../directory.js';
import { authOf, fail, missing, str, type MethodSpec } from '../state.js';

/** Slack's codes are good for 10 minutes and one exchange. */
export const OAUTH_CODE_TTL_MS = 10 * 60 * 1000;

export const workspaceMethods: Record<string, MethodSpec> = {
  'auth.test': {
    needsToken: true,
    handle(ctx) {
      const auth = authOf(ctx);
      const team = ctx.state.directory.team(auth.teamId);
      const user = ctx.state.directory.users.get(auth.userId);
      return {
        ok: true,
        url: `https://${team.domain}.slack.com/`,
        team: team.name,
        user: user?.name ?? auth.userId.toLowerCase(),
        team_id: team.id,
        user_id: auth.userId,
        bot_id: auth.botId,
        app_id: ctx.state.directory.appId,
        is_enterprise_install: false,
        ...(auth.enterpriseId === undefined ? {} : { enterprise_id: auth.enterpriseId }),
      };
    },
  },

  // https://api.slack.com/methods/team.info (scope team:read): `team` is optional, "if omitted, will return information
  // about the current team"; answers `{ok, team: {id, name, domain, email_domain, icon, enterprise_id?}}` and
  // `team_not_found` for a workspace the token does not reach (an org-wide token reaches its granted workspaces).
  'team.info': {
    needsToken: true,
    handle(ctx) {
      const auth = authOf(ctx);
      const asked = str(ctx.args, 'team') ?? auth.teamId;
      if (!ctx.state.directory.reaches(auth, asked)) return fail('team_not_found');
      const team = ctx.state.directory.team(asked);
      return {
        ok: true,
        team: {
          id: team.id,
          name: team.name,
          domain: team.domain,
          email_domain: '',
          icon: { image_default: true },
          ...(auth.enterpriseId === undefined ? {} : { enterprise_id: auth.enterpriseId }),
        },
      };
    },
  },

  'users.info': {
    needsToken: true,
    handle(ctx) {
      const id = str(ctx.args, 'user');
      if (id === undefined) return fail('user_not_found');
      // Another workspace's user is not found for this token (an org-wide token sees its granted workspaces).
      const user = ctx.state.directory.userFor(authOf(ctx), id);
      if (!user) return fail('user_not_found');
      return { ok: true, user: slackUser(user, authOf(ctx).teamId, ctx.state.now()) };
    },
  },

  'users.lookupByEmail': {
    needsToken: true,
    handle(ctx) {
      const email = str(ctx.args, 'email');
      if (email === undefined) return missing('email');
      const user = ctx.state.directory.findUserByEmail(email, authOf(ctx));
      if (!user) return fail('users_not_found');
      return { ok: true, user: slackUser(user, authOf(ctx).teamId, ctx.state.now()) };
    },
  },

  'conversations.info': {
    needsToken: true,
    handle(ctx) {
      const id = str(ctx.args, 'channel');
      const channel = id === undefined ? undefined : ctx.state.directory.conversationFor(authOf(ctx), id);
      if (!channel) return fail('channel_not_found');
      return { ok: true, channel };
    },
  },

  // https://api.slack.com/methods/conversations.members: `{ok, members: [user ids], response_metadata: {next_cursor}}`,
  // cursor pagination (`limit` default 100, under 1000); `channel_not_found` for a conversation the token can't see.
  'conversations.members': {
    needsToken: true,
    handle(ctx) {
      const id = str(ctx.args, 'channel');
      if (id === undefined) return missing('channel');
      // Another workspace's channel does not exist for this token, as with conversations.info.
      const known = ctx.state.directory.channels.get(id);
      if (known && !ctx.state.directory.reaches(authOf(ctx), known.teamId)) return fail('channel_not_found');
      const members = ctx.state.directory.members(id, ctx.state.options.strictChannels);
      if (!members) return fail('channel_not_found');
      const limit = Number(str(ctx.args, 'limit') ?? 100);
      if (!Number.isInteger(limit) || limit < 1 || limit > 999) return fail('invalid_limit');
      const cursor = str(ctx.args, 'cursor');
      const start = cursor
        ? Number(
            Buffer.from(cursor, 'base64')
              .toString('utf8')
              .replace(/^offset:/, ''),
          )
        : 0;
      if (!Number.isInteger(start) || start < 0) return fail('invalid_cursor');
      const page = members.slice(start, start + limit);
      const next = start + limit < members.length ? Buffer.from(`offset:${start + limit}`).toString('base64') : '';
      return { ok: true, members: page, response_metadata: { next_cursor: next } };
    },
  },

  // https://api.slack.com/methods/conversations.list: `types` defaults to public_channel; pages with `limit` + `cursor`.
  // `team_id` is "required if token belongs to org-wide app" and must be a workspace the app was granted; a
  // workspace token always lists its own workspace only.
  'conversations.list': {
    needsToken: true,
    handle(ctx) {
      const auth = authOf(ctx);
      const asked = str(ctx.args, 'team_id');
      let teamId = auth.teamId;
      if (auth.teams !== undefined) {
        if (asked === undefined) return fail('missing_argument');
        if (asked !== auth.teamId && !auth.teams.includes(asked)) return fail('team_access_not_granted');
        teamId = asked;
      }
      const types = new Set((str(ctx.args, 'types') ?? 'public_channel').split(',').map((t) => t.trim()));
      const all = ctx.state.directory.channelsOf(teamId, types);
      const limit = Math.min(Math.max(Number(str(ctx.args, 'limit') ?? 100) || 100, 1), 1000);
      const start = Number(str(ctx.args, 'cursor')?.replace(/^offset:/, '') ?? 0) || 0;
      const page = all.slice(start, start + limit);
      const next = start + limit < all.length ? `offset:${start + limit}` : '';
      return { ok: true, channels: page, response_metadata: { next_cursor: next } };
    },
  },

  'conversations.open': {
    needsToken: true,
    handle(ctx) {
      const existing = str(ctx.args, 'channel');
      if (existing !== undefined) return { ok: true, channel: { id: existing } };
      const users = (str(ctx.args, 'users') ?? '').split(',').filter(Boolean);
      if (users.length === 0) return fail('users_list_not_supplied');
      if (users.length > 1) return fail('not_supported', { detail: 'the fake only opens 1:1 DMs' });
      const [user] = users;
      if (user === undefined || !looksLikeUserId(user)) return fail('user_not_found');
      return { ok: true, channel: { id: imChannelFor(user) } };
    },
  },

  'oauth.v2.access': {
    needsToken: false,
    handle(ctx) {
      const { state } = ctx;
      const basic = basicCredentials(ctx.authorization);
      const clientId = str(ctx.args, 'client_id') ?? basic?.id;
      const clientSecret = str(ctx.args, 'client_secret') ?? basic?.secret;
      const config = state.options.oauth;
      if (!config || clientId !== config.clientId) return fail('invalid_client_id');
      if (clientSecret !== config.clientSecret) return fail('bad_client_secret');
      const code = str(ctx.args, 'code');
      const entry = code === undefined ? undefined : state.oauthCodes.get(code);
      if (!entry || entry.used || state.now().getTime() - entry.issuedAt > OAUTH_CODE_TTL_MS) return fail('invalid_code');
      const redirectUri = str(ctx.args, 'redirect_uri');
      if (config.redirectUri !== undefined && redirectUri !== undefined && redirectUri !== config.redirectUri) {
        return fail('bad_redirect_uri');
      }
      entry.used = true;
      const g = entry.grant;
      const token = `xoxb-fake-${g.teamId.toLowerCase()}-${state.nextId('').replace(/^0+/, '')}`;
      state.directory.teams.set(g.teamId, { id: g.teamId, name: g.teamName, domain: g.teamId.toLowerCase() });
      state.directory.addToken({
        token,
        teamId: g.teamId,
        userId: g.botUserId,
        botId: g.botId,
        ...(g.enterpriseId === undefined ? {} : { enterpriseId: g.enterpriseId }),
      });
      if (!state.directory.users.has(g.botUserId)) {
        state.directory.setUser({ id: g.botUserId, name: 'hogbot', realName: 'Hogbot', isBot: true, teamId: g.teamId });
      }
      return {
        ok: true,
        app_id: g.appId,
        authed_user: { id: g.userId },
        scope: g.scope,
        token_type: 'bot',
        access_token: token,
        bot_user_id: g.botUserId,
        team: g.isEnterpriseInstall ? null : { id: g.teamId, name: g.teamName },
        enterprise: g.enterpriseId === undefined ? null : { id: g.enterpriseId, name: g.enterpriseName ?? g.enterpriseId },
        is_enterprise_install: g.isEnterpriseInstall,
      };
    },
  },
};
