/**
 * Public shapes of the fake Slack: what it records, what it models, and how it is configured.
 * Slack's own objects keep Slack's snake_case field names; fields that exist only in the fake are camelCase.
 */

/** One Web API call as the fake received it (whether it succeeded or not). */
export interface RecordedCall {
  kind: 'call';
  method: string;
  /** Arguments with JSON-string fields (`blocks`, `view`, `files`, ...) parsed; the token is moved to `token`. */
  args: Record<string, unknown>;
  token?: string;
  at: Date;
  ok: boolean;
  /** Slack's error name when `ok` is false (`invalid_blocks`, `ratelimited`, ...). */
  error?: string;
  /** HTTP status the fake answered with (200 unless rate-limited or forced by `failNext`). */
  status: number;
  /** The JSON body the fake answered with. */
  result: Record<string, unknown>;
}

/** The JSON a `response_url` accepts (what Bolt's `respond()` sends). */
export interface ResponseUrlBody {
  text?: string;
  blocks?: unknown;
  attachments?: unknown;
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
  delete_original?: boolean;
  thread_ts?: string;
  [key: string]: unknown;
}

/** One POST to a `response_url` minted by `fake.responseUrl()`. */
export interface RecordedResponse {
  kind: 'response';
  url: string;
  id: string;
  body: ResponseUrlBody;
  at: Date;
  /** 1-based count of posts to this URL, this one included. */
  use: number;
  ok: boolean;
  error?: string;
  status: number;
}

export type FakeSlackEvent = RecordedCall | RecordedResponse;

/** Emitted whenever the conversation or view model changes; the sandbox re-renders from it. */
export type FakeSlackChange =
  | { kind: 'message'; action: 'posted' | 'updated' | 'deleted'; channel: string; ts: string }
  | { kind: 'view'; action: 'opened' | 'pushed' | 'updated' | 'published'; viewId: string };

export interface FakeFileRef {
  id: string;
  name: string;
  title: string;
  size: number;
}

/** A message in the fake's conversation model. */
export interface FakeMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  files?: FakeFileRef[];
  metadata?: unknown;
  /** Author: the bot user id for messages the app posted. */
  user: string;
  bot_id?: string;
  edited?: { user: string; ts: string };
  /** Set for ephemeral messages: the only user who sees it. */
  ephemeralTo?: string;
  via: 'chat.postMessage' | 'chat.postEphemeral' | 'response_url' | 'files.completeUploadExternal';
}

export interface FakeUpload {
  id: string;
  filename: string;
  bytes: Buffer;
  title: string;
  /** Declared by files.getUploadURLExternal; compare with bytes.length to catch truncation. */
  declaredLength: number;
  /** Bytes arrived at the upload URL. */
  received: boolean;
  /** files.completeUploadExternal accepted it. */
  completed: boolean;
  channel?: string;
  threadTs?: string;
  initialComment?: string;
  altText?: string;
}

/** A Slack view (modal or Home tab) as stored by the fake and returned by views.*. */
export interface FakeView {
  id: string;
  team_id: string;
  type: string;
  title?: unknown;
  submit?: unknown;
  close?: unknown;
  blocks: unknown[];
  private_metadata: string;
  callback_id: string;
  external_id: string;
  state: { values: Record<string, unknown> };
  hash: string;
  clear_on_close: boolean;
  notify_on_close: boolean;
  root_view_id: string;
  previous_view_id: string | null;
  app_id: string;
  bot_id: string;
  app_installed_team_id: string;
  /** Home tabs: the user it was published for; modals: the user of the trigger when known. */
  userId?: string;
}

export interface FakeUserInput {
  id: string;
  teamId?: string;
  name?: string;
  realName?: string;
  displayName?: string;
  email?: string;
  /** IANA zone; `tz_offset` is derived from it at the fake's clock unless `tzOffset` is given. */
  tz?: string;
  tzOffset?: number;
  isAdmin?: boolean;
  isOwner?: boolean;
  /** A multi-channel guest (`is_restricted`). */
  isRestricted?: boolean;
  /** A single-channel guest: Slack sets `is_ultra_restricted` and `is_restricted` both. */
  isUltraRestricted?: boolean;
  isBot?: boolean;
  deleted?: boolean;
  /** Enterprise Grid: users.info then carries `enterprise_user` (its org-level roles), as Slack sends it for Grid users. */
  enterprise?: { id: string; name?: string; isAdmin?: boolean; isOwner?: boolean };
}

export interface FakeChannelInput {
  id: string;
  name?: string;
  isPrivate?: boolean;
  isIm?: boolean;
  /** For IMs: the other user. */
  user?: string;
  isMember?: boolean;
  teamId?: string;
  /**
   * User ids conversations.members lists besides the bot (whose membership is `isMember`). Default: every user (of
   * `teamId`, when given), as the fake's loose channel model lets anyone post anywhere unless `strictChannels`.
   */
  members?: string[];
}

/** A token the fake accepts, and whose workspace it belongs to. */
export interface FakeTokenInput {
  token: string;
  teamId?: string;
  enterpriseId?: string;
  /** An org-wide install: the other workspaces of the organization this token reaches (as `team_id`). */
  teams?: string[];
  /**
   * Workspaces this one shares channels with (Slack Connect): users.info answers for their users as external members,
   * as Slack does for people the token shares a channel with; their channels and email lookups stay out of reach.
   */
  connectedTeams?: string[];
  /** The user `auth.test` reports: the bot user for bot tokens. */
  userId?: string;
  botId?: string;
}

export interface FakeTeam {
  id: string;
  name: string;
  domain: string;
}

/** What an OAuth code minted by `fake.oauthCode()` installs. */
export interface FakeInstallGrant {
  teamId: string;
  teamName: string;
  enterpriseId?: string;
  enterpriseName?: string;
  isEnterpriseInstall: boolean;
  /** The installing user. */
  userId: string;
  scope: string;
  botUserId: string;
  botId: string;
  appId: string;
}

export interface FakeSlackOptions {
  host?: string;
  port?: number;
  /** Tokens accepted on the Web API. Default: [DEFAULT_BOT_TOKEN] on the default team. */
  tokens?: Array<string | FakeTokenInput>;
  /** App-level tokens (`xapp-...`) that `apps.connections.open` accepts, for Socket Mode. Default: none. */
  appTokens?: string[];
  team?: Partial<FakeTeam>;
  /** The other workspaces the fake knows by name (team.info), e.g. an org's second workspace. */
  otherTeams?: FakeTeam[];
  botUserId?: string;
  botId?: string;
  appId?: string;
  users?: FakeUserInput[];
  channels?: FakeChannelInput[];
  /** When true, chat.* to a channel not configured (and not an IM) fails with `channel_not_found`. */
  strictChannels?: boolean;
  /** When true, views.open/push only accept trigger ids minted by `fake.triggerId()`. */
  strictTriggers?: boolean;
  oauth?: { clientId: string; clientSecret: string; redirectUri?: string };
  /** Injectable clock; `fake.advanceClock(ms)` moves on top of it. */
  now?: () => Date;
  /** Total text in a message's blocks above which chat.* answers `msg_blocks_too_long`. */
  blockTextLimit?: number;
  /**
   * Whether Slack manages to download an `image_url` (it fetches it when the message is posted). False answers
   * `invalid_blocks` "downloading image failed" (slackapi/python-slack-sdk#1782). Default: every URL downloads.
   */
  imageDownload?: (url: string) => boolean;
  /** chat.postMessage per channel per second (token bucket, `postBurst` deep); past it 429 + Retry-After. Default off. */
  postsPerSecondPerChannel?: number;
  /** Default 3. */
  postBurst?: number;
}

export interface FailNextOptions {
  /** Slack error name; default `ratelimited` for status 429, else `internal_error`. */
  error?: string;
  /** HTTP status; 429 adds a `Retry-After` header. Default 200 (Slack's usual `{ok:false}`). */
  status?: number;
  /** Seconds for `Retry-After` on a 429. Default 1. */
  retryAfter?: number;
  /** How many consecutive calls fail. Default 1. */
  times?: number;
}

export interface WaitOptions {
  /** Default 5000. */
  timeoutMs?: number;
}
