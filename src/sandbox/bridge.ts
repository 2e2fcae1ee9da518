import {
  appHomeOpenedEvent,
  blockActions,
  eventCallback,
  type FakeMessage,
  type FakeSlack,
  type FakeView,
  linkSharedEvent,
  type SendResult,
  sendToApp,
  slashCommand,
  viewClosed,
  viewSubmission,
} from '../fake-slack/index.js';
import type { SandboxUser, SandboxWorkspace } from './people.js';

/** Slack gives up on an app after 3 s and shows the user an error; so does the sandbox. */
export const ACK_DEADLINE_MS = 3000;

export interface Actor {
  workspace: SandboxWorkspace;
  user: SandboxUser;
}

/** What the app answered, as Slack would judge it. `timedOut`: no answer within Slack's 3 s. */
export interface Ack {
  status: number;
  json: unknown;
  timedOut: boolean;
}

type Json = Record<string, unknown>;

export interface ClickInput {
  /** The clicked element, with Slack's field names (`action_id`, `block_id`, `type`, `value`, `selected_option`...). */
  action: Json & { action_id: string; type: string };
  /** Where it was clicked: a message (channel + ts) or a view (modal or Home tab). */
  message?: { channel: string; ts: string; ephemeral: boolean; payload: FakeMessage | undefined };
  view?: FakeView;
  channelName?: string;
  /** Current values of the surface's inputs, `values[block_id][action_id]`. */
  stateValues: Json;
}

/**
 * Talks to the bot exactly as Slack does: every request is signed with the app's signing secret and POSTed to
 * `/slack/events`; response_urls and trigger_ids are minted by the fake Slack, which is where the answers land.
 */
export class SlackBridge {
  constructor(
    private readonly slack: FakeSlack,
    private readonly appUrl: string,
    private readonly signingSecret: string,
  ) {}

  private async send(request: { contentType: string; body: string }): Promise<Ack> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<Ack>((resolve) => {
      timer = setTimeout(() => resolve({ status: 0, json: undefined, timedOut: true }), ACK_DEADLINE_MS);
    });
    const sent = sendToApp(this.appUrl, this.signingSecret, request).then(
      (r: SendResult): Ack => ({ status: r.status, json: r.json, timedOut: false }),
      (): Ack => ({ status: 0, json: undefined, timedOut: false }),
    );
    try {
      return await Promise.race([sent, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private workspaceFields(actor: Actor) {
    return { team_id: actor.workspace.id, team_domain: actor.workspace.domain };
  }

  /** `/ph <text>` typed in a channel or the app's DM. */
  slash(actor: Actor, channel: { id: string; name: string }, text: string): Promise<Ack> {
    const { user } = actor;
    return this.send(
      slashCommand({
        ...this.workspaceFields(actor),
        user_id: user.id,
        user_name: user.name,
        channel_id: channel.id,
        channel_name: channel.name,
        text,
        response_url: this.slack.responseUrl({ channel: channel.id, user: user.id }),
        trigger_id: this.slack.triggerId({ userId: user.id }),
      }),
    );
  }

  /** A button, select, date picker... in a message, a modal or the Home tab. */
  click(actor: Actor, input: ClickInput): Promise<Ack> {
    const { user } = actor;
    const { message, view } = input;
    const common = {
      ...this.workspaceFields(actor),
      user_id: user.id,
      user_name: user.name,
      trigger_id: this.slack.triggerId({ userId: user.id }),
      actions: [input.action],
      state_values: input.stateValues,
    };
    if (view) {
      return this.send(blockActions({ ...common, view: { ...view, state: { values: input.stateValues } } }));
    }
    if (!message) throw new Error('A click happens in a message or a view');
    return this.send(
      blockActions({
        ...common,
        channel_id: message.channel,
        ...(input.channelName ? { channel_name: input.channelName } : {}),
        message_ts: message.ts,
        is_ephemeral: message.ephemeral,
        // Slack leaves the message out for ephemerals; for the others it sends what the channel shows.
        ...(message.ephemeral || !message.payload ? {} : { message: messagePayload(message.payload) }),
        response_url: this.slack.responseUrl({ channel: message.channel, user: user.id, messageTs: message.ts }),
      }),
    );
  }

  submit(actor: Actor, view: FakeView, values: Record<string, Record<string, unknown>>): Promise<Ack> {
    return this.send(
      viewSubmission({
        ...this.workspaceFields(actor),
        user_id: actor.user.id,
        user_name: actor.user.name,
        trigger_id: this.slack.triggerId({ userId: actor.user.id }),
        view: { ...slackView(view), state: { values } },
      }),
    );
  }

  closed(actor: Actor, view: FakeView): Promise<Ack> {
    return this.send(
      viewClosed({
        ...this.workspaceFields(actor),
        user_id: actor.user.id,
        user_name: actor.user.name,
        view: { ...slackView(view), state: { values: {} } },
      }),
    );
  }

  homeOpened(actor: Actor, home: FakeView | undefined): Promise<Ack> {
    return this.send(
      eventCallback({
        team_id: actor.workspace.id,
        event: appHomeOpenedEvent({ user: actor.user.id, tab: 'home', ...(home ? { view: slackView(home) } : {}) }),
      }),
    );
  }

  linkShared(actor: Actor, channel: string, messageTs: string, urls: string[]): Promise<Ack> {
    return this.send(
      eventCallback({
        team_id: actor.workspace.id,
        event: linkSharedEvent({
          channel,
          user: actor.user.id,
          message_ts: messageTs,
          unfurl_id: unfurlId(channel, messageTs),
          links: urls.map((url) => ({ url })),
        }),
      }),
    );
  }
}

/** Lets a chat.unfurl that names the unfurl_id (instead of channel + ts) find its message again. */
export const unfurlId = (channel: string, ts: string) => `sbx.${channel}.${ts}`;

export function parseUnfurlId(id: string): { channel: string; ts: string } | undefined {
  const match = /^sbx\.([A-Z0-9]+)\.(\d+\.\d+)$/.exec(id);
  return match ? { channel: match[1]!, ts: match[2]! } : undefined;
}

/** The view as Slack sends it back to the app: without the fake's own bookkeeping. */
function slackView(view: FakeView): Json & FakeView {
  const { userId: _userId, ...rest } = view;
  return rest as Json & FakeView;
}

function messagePayload(m: FakeMessage): Json {
  return {
    type: 'message',
    ts: m.ts,
    user: m.user,
    text: m.text ?? '',
    ...(m.bot_id ? { bot_id: m.bot_id } : {}),
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.attachments ? { attachments: m.attachments } : {}),
    ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
  };
}
