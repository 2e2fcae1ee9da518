import { type FakeSlack, type FakeView, imChannelFor, isCall } from '../fake-slack/index.js';
import { type Ack, type Actor, type ClickInput, parseUnfurlId, type SlackBridge } from './bridge.js';
import type { SseHub } from './sse.js';
import { escapeCommandText, namesOf } from './escape-command.js';
import { type Entry, Timeline } from './timeline.js';

/** A conversation the page can show: the workspace's channel, or the user's DM with the app. */
export interface Conversation {
  id: string;
  name: string;
}

export type CommandOutcome = { ok: true } | { ok: false; problem: string };

/** What the page does with a modal after Submit, from the app's answer to view_submission. */
export type SubmitOutcome =
  | { action: 'close' }
  | { action: 'clear' }
  | { action: 'errors'; errors: Record<string, string> }
  | { action: 'update' | 'push'; view: FakeView }
  | { action: 'failed'; problem: string };

export class LocalSlackError extends Error {
  override readonly name = 'LocalSlackError';
}

const SLASH_COMMAND = '/ph';
const URL_PATTERN = /https?:\/\/[^\s<>|]+/g;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Slack as the page sees it: the fake Slack's conversations and views, what people typed, and the app's link previews.
 * Every change is pushed to the open pages; every user action becomes a signed request through the bridge.
 */
export class LocalSlack {
  private readonly timeline = new Timeline();
  /** Views the app answered a view_submission with (`response_action: update | push`): Slack keeps them, so we do. */
  private readonly answeredViews = new Map<string, FakeView>();
  private pushed = 0;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    private readonly slack: FakeSlack,
    private readonly bridge: SlackBridge,
    private readonly hub: SseHub,
    private readonly unfurlDomains: readonly string[],
  ) {
    this.unsubscribe.push(
      slack.on('change', (change) => {
        if (change.kind === 'message') {
          if (change.action === 'deleted') this.hub.send('deleted', { channel: change.channel, ts: change.ts });
          else this.pushMessage(change.channel, change.ts);
          return;
        }
        this.answeredViews.delete(change.viewId);
        const view = slack.view(change.viewId);
        if (view) this.hub.send('view', { action: change.action, view });
      }),
      slack.on('event', (event) => {
        if (isCall(event) && event.method === 'chat.unfurl' && event.ok) this.attachUnfurls(event.args);
      }),
    );
  }

  stop(): void {
    for (const off of this.unsubscribe.splice(0)) off();
  }

  /** The conversations `actor` can open: the workspace channel and their DM with the app. */
  conversation(actor: Actor, channelId: string): Conversation {
    if (channelId === actor.workspace.channel.id) return { id: channelId, name: actor.workspace.channel.name };
    if (channelId === imChannelFor(actor.user.id)) return { id: channelId, name: 'directmessage' };
    throw new LocalSlackError(`${actor.user.realName} has no conversation ${channelId}`);
  }

  entries(actor: Actor, channelId: string): Entry[] {
    const channel = this.conversation(actor, channelId);
    return this.timeline.entries(channel.id, actor.user.id, this.slack.messages(channel.id));
  }

  view(id: string): FakeView | undefined {
    return this.answeredViews.get(id) ?? this.slack.view(id);
  }

  home(userId: string): FakeView | undefined {
    return this.slack.homeView(userId);
  }

  upload(id: string) {
    return this.slack.uploads.get(id);
  }

  /** Something typed in the composer that starts with "/": `/ph ...` goes to the app, anything else gets Slack's answer. */
  async command(actor: Actor, channelId: string, text: string): Promise<CommandOutcome> {
    const channel = this.conversation(actor, channelId);
    const trimmed = text.trim();
    const name = trimmed.split(/\s+/, 1)[0] ?? '';
    this.type({ channel: channel.id, user: actor.user.id, text: trimmed, ephemeralTo: actor.user.id });
    if (name !== SLASH_COMMAND) {
      const problem = `\`${name}\` is not a valid command. In Slack, all messages that start with the "/" character are interpreted as commands.`;
      this.type({ channel: channel.id, user: 'USLACKBOT', text: problem, ephemeralTo: actor.user.id, kind: 'slackbot' });
      return { ok: false, problem };
    }
    // Escaped as Slack escapes it for an app with should_escape: picked or typed #channel / @user names become links.
    const ack = await this.bridge.slash(actor, channel, escapeCommandText(trimmed.slice(name.length).trim(), namesOf(actor.workspace)));
    const problem = ackProblem(ack);
    if (problem) {
      const said = `${SLASH_COMMAND} failed with the error "${problem}"`;
      this.type({ channel: channel.id, user: 'USLACKBOT', text: said, ephemeralTo: actor.user.id, kind: 'slackbot' });
      return { ok: false, problem: said };
    }
    return { ok: true };
  }

  /** A plain message. Links to the app's unfurl domains make Slack send `link_shared`, as in a real workspace. */
  async say(actor: Actor, channelId: string, text: string): Promise<Entry> {
    const channel = this.conversation(actor, channelId);
    const entry = this.type({ channel: channel.id, user: actor.user.id, text: asPosted(text) });
    const urls = [...new Set(text.match(URL_PATTERN) ?? [])].filter((url) => this.unfurlDomains.includes(hostOf(url)));
    if (urls.length > 0) await this.bridge.linkShared(actor, channel.id, entry.ts, urls);
    return entry;
  }

  async click(
    actor: Actor,
    where: { channel: string; ts: string } | { viewId: string },
    action: ClickInput['action'],
    stateValues: Json,
  ): Promise<Ack> {
    if ('viewId' in where) {
      const view = this.ownView(actor, where.viewId);
      return this.bridge.click(actor, { action, view, stateValues });
    }
    const channel = this.conversation(actor, where.channel);
    const payload = this.slack.messages(channel.id, { viewer: actor.user.id }).find((m) => m.ts === where.ts);
    if (!payload) throw new LocalSlackError('That message is gone');
    return this.bridge.click(actor, {
      action,
      stateValues,
      channelName: channel.name,
      message: { channel: channel.id, ts: where.ts, ephemeral: payload.ephemeralTo !== undefined, payload },
    });
  }

  async submit(actor: Actor, viewId: string, values: Record<string, Record<string, unknown>>): Promise<SubmitOutcome> {
    const view = this.ownView(actor, viewId);
    const ack = await this.bridge.submit(actor, view, values);
    const problem = ackProblem(ack);
    if (problem) return { action: 'failed', problem: `We had some trouble connecting (${problem}). Try again?` };
    const answer = isObject(ack.json) ? ack.json : {};
    switch (answer.response_action) {
      case 'errors':
        return { action: 'errors', errors: isObject(answer.errors) ? (answer.errors as Record<string, string>) : {} };
      case 'clear':
        return { action: 'clear' };
      case 'update':
      case 'push': {
        if (!isObject(answer.view)) return { action: 'failed', problem: `The app answered "${answer.response_action}" without a view` };
        const id = answer.response_action === 'update' ? view.id : `VSBXPUSH${++this.pushed}`;
        const next = { ...view, ...(answer.view as Partial<FakeView>), id, state: { values: {} } } as FakeView;
        this.answeredViews.set(id, next);
        return { action: answer.response_action, view: next };
      }
      default:
        return { action: 'close' };
    }
  }

  /** Closing a modal only tells the app when the view asked for it (`notify_on_close`), as in Slack. */
  async closed(actor: Actor, viewId: string): Promise<void> {
    const view = this.view(viewId);
    if (view?.notify_on_close && (view.userId === undefined || view.userId === actor.user.id)) await this.bridge.closed(actor, view);
  }

  /** Sends `app_home_opened`; `delivered` says whether the app accepted it (a signed event answered 200). */
  async openHome(actor: Actor): Promise<{ view: FakeView | undefined; delivered: boolean }> {
    const view = this.home(actor.user.id);
    const ack = await this.bridge.homeOpened(actor, view);
    return { view, delivered: ackProblem(ack) === null };
  }

  private ownView(actor: Actor, viewId: string): FakeView {
    const view = this.view(viewId);
    if (!view || (view.userId !== undefined && view.userId !== actor.user.id))
      throw new LocalSlackError(`No view ${viewId} for ${actor.user.realName}`);
    return view;
  }

  private type(input: Parameters<Timeline['addTyped']>[0]): Entry {
    const entry = this.timeline.addTyped(input, this.slack.now().getTime());
    this.hub.send('message', entry);
    return entry;
  }

  private pushMessage(channel: string, ts: string): void {
    const message = this.slack.messages(channel).find((m) => m.ts === ts);
    if (message) this.hub.send('message', this.timeline.fromMessage(message));
  }

  private attachUnfurls(args: Json): void {
    const byId = typeof args.unfurl_id === 'string' ? parseUnfurlId(args.unfurl_id) : undefined;
    const channel = byId?.channel ?? (typeof args.channel === 'string' ? args.channel : '');
    const ts = byId?.ts ?? (typeof args.ts === 'string' ? args.ts : '');
    const entry = this.timeline.typedEntry(channel, ts);
    if (!entry || !isObject(args.unfurls)) return;
    entry.unfurls = { ...entry.unfurls, ...args.unfurls };
    this.hub.send('message', entry);
  }
}

/** Slack's name for an app that did not answer properly; null when the ack was fine. */
function ackProblem(ack: Ack): string | null {
  if (ack.timedOut) return 'operation_timeout';
  if (ack.status !== 200) return 'dispatch_failed';
  return null;
}

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** What Slack stores for a typed message: its three escapes, and links wrapped as `<url>`. */
export function asPosted(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    out += `${escapeText(text.slice(last, match.index))}<${escapeText(match[0])}>`;
    last = match.index + match[0].length;
  }
  return out + escapeText(text.slice(last));
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}
