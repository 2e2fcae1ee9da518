import { randomBytes } from 'node:crypto';
import { DEFAULT_APP_ID, DEFAULT_BOT_ID, DEFAULT_BOT_USER_ID } from './directory.js';

/**
 * Builders for what Slack sends to the app, with Slack's real field names. Each returns the exact body to send
 * (`sendToApp` signs it) plus the payload object for assertions.
 */
export interface SlackRequestBody<P = unknown> {
  contentType: 'application/x-www-form-urlencoded' | 'application/json';
  body: string;
  payload: P;
}

/** Slack still sends the deprecated verification token; Bolt ignores it and checks the signature. */
export const VERIFICATION_TOKEN = 'fake-verification-token';

type Json = Record<string, unknown>;

interface Workspace {
  team_id: string;
  team_domain?: string;
  enterprise_id?: string;
  enterprise_name?: string;
  is_enterprise_install?: boolean;
  api_app_id?: string;
}

const nowTs = () => (Date.now() / 1000).toFixed(6);
const randomId = (prefix: string) => `${prefix}${randomBytes(6).toString('hex').toUpperCase()}`;

const form = <P extends Json>(payload: P): SlackRequestBody<P> => ({
  contentType: 'application/x-www-form-urlencoded',
  body: new URLSearchParams(
    Object.entries(payload).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  ).toString(),
  payload,
});

/** Interactivity: one form field, `payload`, holding the JSON. */
const interactive = <P extends Json>(payload: P): SlackRequestBody<P> => ({
  contentType: 'application/x-www-form-urlencoded',
  body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
  payload,
});

const json = <P extends Json>(payload: P): SlackRequestBody<P> => ({
  contentType: 'application/json',
  body: JSON.stringify(payload),
  payload,
});

const team = (w: Workspace) => ({ id: w.team_id, domain: w.team_domain ?? w.team_id.toLowerCase() });
const enterprise = (w: Workspace) =>
  w.enterprise_id === undefined ? null : { id: w.enterprise_id, name: w.enterprise_name ?? w.enterprise_id };
const user = (id: string, teamId: string, name?: string) => ({
  id,
  username: name ?? id.toLowerCase(),
  name: name ?? id.toLowerCase(),
  team_id: teamId,
});

export interface SlashCommandInput extends Workspace {
  user_id: string;
  channel_id: string;
  text: string;
  response_url: string;
  trigger_id: string;
  /** Default `/ph`. */
  command?: string;
  user_name?: string;
  channel_name?: string;
}

/** A slash command, form-encoded as Slack sends it. */
export function slashCommand(input: SlashCommandInput): SlackRequestBody<Record<string, string>> {
  const fields: Record<string, string> = {
    token: VERIFICATION_TOKEN,
    team_id: input.team_id,
    team_domain: input.team_domain ?? input.team_id.toLowerCase(),
  };
  if (input.enterprise_id !== undefined) {
    fields.enterprise_id = input.enterprise_id;
    fields.enterprise_name = input.enterprise_name ?? input.enterprise_id;
  }
  Object.assign(fields, {
    channel_id: input.channel_id,
    channel_name: input.channel_name ?? (input.channel_id.startsWith('D') ? 'directmessage' : input.channel_id.toLowerCase()),
    user_id: input.user_id,
    user_name: input.user_name ?? input.user_id.toLowerCase(),
    command: input.command ?? '/ph',
    text: input.text,
    api_app_id: input.api_app_id ?? DEFAULT_APP_ID,
    is_enterprise_install: String(input.is_enterprise_install ?? false),
    response_url: input.response_url,
    trigger_id: input.trigger_id,
  });
  return form(fields);
}

export interface ActionInput {
  action_id: string;
  block_id?: string;
  value?: string;
  /** Default `button`. */
  type?: string;
  /** Button label; default the action_id. */
  text?: string;
  action_ts?: string;
  /** Extra element fields (`selected_option`, `selected_date`, ...). */
  [key: string]: unknown;
}

export interface BlockActionsInput extends Workspace {
  user_id: string;
  user_name?: string;
  trigger_id: string;
  actions: ActionInput[];
  /** Absent for clicks in a modal or Home tab. */
  response_url?: string;
  channel_id?: string;
  channel_name?: string;
  /** The message holding the element; default a minimal one built from `message_ts`. Slack omits it for ephemerals. */
  message?: Json;
  message_ts?: string;
  is_ephemeral?: boolean;
  /** The view holding the element, for clicks in a modal or Home tab (then `container.type` is `view`). */
  view?: Json & { id: string };
  state_values?: Json;
}

/** A `block_actions` interaction inside the `payload=` form field. */
export function blockActions(input: BlockActionsInput): SlackRequestBody<Json> {
  const actions = input.actions.map(({ action_id, block_id, value, type, text, action_ts, ...extra }) => ({
    type: type ?? 'button',
    action_id,
    block_id: block_id ?? 'fake-block',
    text: { type: 'plain_text', text: text ?? action_id, emoji: true },
    ...(value === undefined ? {} : { value }),
    action_ts: action_ts ?? nowTs(),
    ...extra,
  }));
  const messageTs = input.message_ts ?? (typeof input.message?.ts === 'string' ? input.message.ts : undefined);
  const container = input.view
    ? { type: 'view', view_id: input.view.id }
    : {
        type: 'message',
        message_ts: messageTs,
        channel_id: input.channel_id,
        is_ephemeral: input.is_ephemeral ?? false,
      };
  const payload: Json = {
    type: 'block_actions',
    user: user(input.user_id, input.team_id, input.user_name),
    api_app_id: input.api_app_id ?? DEFAULT_APP_ID,
    token: VERIFICATION_TOKEN,
    container,
    trigger_id: input.trigger_id,
    team: team(input),
    enterprise: enterprise(input),
    is_enterprise_install: input.is_enterprise_install ?? false,
    state: { values: input.state_values ?? {} },
    actions,
  };
  if (input.channel_id !== undefined) {
    payload.channel = { id: input.channel_id, name: input.channel_name ?? input.channel_id.toLowerCase() };
  }
  if (input.message !== undefined) payload.message = input.message;
  else if (!input.view && messageTs !== undefined && !input.is_ephemeral) {
    payload.message = { type: 'message', ts: messageTs, text: '', user: DEFAULT_BOT_USER_ID };
  }
  if (input.view !== undefined) payload.view = input.view;
  if (input.response_url !== undefined) payload.response_url = input.response_url;
  return interactive(payload);
}

export interface SubmittedView {
  id: string;
  callback_id: string;
  private_metadata?: string;
  state: { values: Record<string, Record<string, unknown>> };
  [key: string]: unknown;
}

export interface ViewSubmissionInput extends Workspace {
  user_id: string;
  user_name?: string;
  trigger_id?: string;
  view: SubmittedView;
  /** Present when the modal has `response_url_enabled` inputs. */
  response_urls?: Array<{ block_id: string; action_id: string; channel_id: string; response_url: string }>;
}

function fullView(input: ViewSubmissionInput): Json {
  return {
    type: 'modal',
    team_id: input.team_id,
    blocks: [],
    private_metadata: '',
    external_id: '',
    hash: `${Math.floor(Date.now() / 1000)}.fake`,
    root_view_id: input.view.id,
    previous_view_id: null,
    app_id: input.api_app_id ?? DEFAULT_APP_ID,
    app_installed_team_id: input.team_id,
    bot_id: DEFAULT_BOT_ID,
    clear_on_close: false,
    notify_on_close: false,
    ...input.view,
  };
}

/** A `view_submission` interaction inside the `payload=` form field. */
export function viewSubmission(input: ViewSubmissionInput): SlackRequestBody<Json> {
  return interactive({
    type: 'view_submission',
    team: team(input),
    user: user(input.user_id, input.team_id, input.user_name),
    api_app_id: input.api_app_id ?? DEFAULT_APP_ID,
    token: VERIFICATION_TOKEN,
    trigger_id: input.trigger_id ?? `${Math.floor(Date.now() / 1000)}.0.faketrigger`,
    view: fullView(input),
    response_urls: input.response_urls ?? [],
    enterprise: enterprise(input),
    is_enterprise_install: input.is_enterprise_install ?? false,
  });
}

/** A `view_closed` interaction (sent only for views with `notify_on_close`). */
export function viewClosed(input: Omit<ViewSubmissionInput, 'response_urls' | 'trigger_id'> & { is_cleared?: boolean }) {
  return interactive({
    type: 'view_closed',
    team: team(input),
    user: user(input.user_id, input.team_id, input.user_name),
    api_app_id: input.api_app_id ?? DEFAULT_APP_ID,
    token: VERIFICATION_TOKEN,
    view: fullView(input),
    is_cleared: input.is_cleared ?? false,
    enterprise: enterprise(input),
    is_enterprise_install: input.is_enterprise_install ?? false,
  });
}

export interface EventCallbackInput {
  team_id: string;
  event: Json & { type: string };
  /** Reuse one to simulate Slack redelivering the same event. */
  event_id?: string;
  event_time?: number;
  api_app_id?: string;
  enterprise_id?: string;
  /** The app's bot user in this workspace, for the default `authorizations`. */
  bot_user_id?: string;
  authorizations?: Json[];
  is_ext_shared_channel?: boolean;
}

/** An Events API `event_callback` envelope (JSON). */
export function eventCallback(input: EventCallbackInput): SlackRequestBody<Json> {
  const eventTime = input.event_time ?? Math.floor(Date.now() / 1000);
  return json({
    token: VERIFICATION_TOKEN,
    team_id: input.team_id,
    ...(input.enterprise_id === undefined ? {} : { enterprise_id: input.enterprise_id }),
    api_app_id: input.api_app_id ?? DEFAULT_APP_ID,
    event: { event_ts: `${eventTime}.000100`, ...input.event },
    type: 'event_callback',
    event_id: input.event_id ?? randomId('Ev'),
    event_time: eventTime,
    authorizations: input.authorizations ?? [
      {
        enterprise_id: input.enterprise_id ?? null,
        team_id: input.team_id,
        user_id: input.bot_user_id ?? DEFAULT_BOT_USER_ID,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: input.is_ext_shared_channel ?? false,
    event_context: randomId('4-'),
  });
}

/** The handshake Slack sends when the Events request URL is saved. */
export function urlVerification(challenge: string): SlackRequestBody<Json> {
  return json({ token: VERIFICATION_TOKEN, challenge, type: 'url_verification' });
}

/** `link_shared` event body, for unfurl tests. */
export function linkSharedEvent(input: {
  channel: string;
  user: string;
  message_ts: string;
  links: Array<{ url: string; domain?: string }>;
  thread_ts?: string;
  unfurl_id?: string;
  source?: 'conversations_history' | 'composer';
}): Json & { type: 'link_shared' } {
  return {
    type: 'link_shared',
    channel: input.channel,
    is_bot_user_member: true,
    user: input.user,
    message_ts: input.message_ts,
    ...(input.thread_ts === undefined ? {} : { thread_ts: input.thread_ts }),
    unfurl_id: input.unfurl_id ?? randomId('C-'),
    source: input.source ?? 'conversations_history',
    links: input.links.map((l) => ({ url: l.url, domain: l.domain ?? new URL(l.url).hostname })),
  };
}

/** `app_home_opened` event body. */
export function appHomeOpenedEvent(input: { user: string; channel?: string; tab?: 'home' | 'messages'; view?: Json }) {
  return {
    type: 'app_home_opened' as const,
    user: input.user,
    channel: input.channel ?? `D${input.user.slice(1)}`,
    tab: input.tab ?? 'home',
    ...(input.view === undefined ? {} : { view: input.view }),
  };
}

/** `app_mention` event body. */
export function appMentionEvent(input: { user: string; channel: string; text: string; ts?: string; thread_ts?: string }) {
  return {
    type: 'app_mention' as const,
    user: input.user,
    text: input.text,
    ts: input.ts ?? nowTs(),
    channel: input.channel,
    ...(input.thread_ts === undefined ? {} : { thread_ts: input.thread_ts }),
  };
}
