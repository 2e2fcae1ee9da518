import { checkMessage } from '../block-kit.js';
import { checkImageFiles } from '../images.js';
import type { TokenInfo } from '../directory.js';
import {
  authOf,
  fail,
  missing,
  rejectBlocks,
  str,
  type FakeState,
  type MethodContext,
  type MethodResult,
  type MethodSpec,
} from '../state.js';
import type { FakeMessage } from '../types.js';
import type { MessageContent } from '../conversation.js';

const asArray = (v: unknown): unknown[] | undefined => (Array.isArray(v) ? v : undefined);

function contentOf(args: Record<string, unknown>): MessageContent {
  const content: MessageContent = {};
  if (typeof args.text === 'string') content.text = args.text;
  const blocks = asArray(args.blocks);
  if (blocks) content.blocks = blocks;
  const attachments = asArray(args.attachments);
  if (attachments) content.attachments = attachments;
  if (args.metadata !== undefined) content.metadata = args.metadata;
  return content;
}

/**
 * The app's own posted message named by `channel` + `ts`, as chat.update and chat.delete need it. Ephemeral messages
 * can only change through their response_url, as in Slack.
 */
function ownMessage(ctx: MethodContext, auth: TokenInfo, notOwner: string): { channel: string; ts: string } | MethodResult {
  const raw = str(ctx.args, 'channel');
  const ts = str(ctx.args, 'ts');
  if (raw === undefined) return fail('channel_not_found');
  if (ts === undefined) return fail('message_not_found');
  const channel = ctx.state.directory.resolveChannel(raw);
  const existing = ctx.state.conversations.find(channel, ts);
  if (!existing || existing.ephemeralTo !== undefined) return fail('message_not_found');
  if (existing.user !== auth.userId) return fail(notOwner);
  return { channel, ts };
}

const isEmpty = (c: MessageContent) => (c.text === undefined || c.text === '') && !c.blocks?.length && !c.attachments?.length;

/** The `message` object Slack echoes back from chat.postMessage / chat.update. */
export function messageObject(m: FakeMessage, auth: TokenInfo, state: FakeState): Record<string, unknown> {
  const { appId } = state.directory;
  const out: Record<string, unknown> = {
    type: 'message',
    user: m.user,
    bot_id: auth.botId,
    app_id: appId,
    text: m.text ?? '',
    ts: m.ts,
    team: auth.teamId,
    bot_profile: { id: auth.botId, app_id: appId, name: 'hogbot', team_id: auth.teamId, deleted: false },
  };
  if (m.thread_ts !== undefined) out.thread_ts = m.thread_ts;
  if (m.blocks !== undefined) out.blocks = m.blocks;
  if (m.attachments !== undefined) out.attachments = m.attachments;
  if (m.metadata !== undefined) out.metadata = m.metadata;
  if (m.edited !== undefined) out.edited = m.edited;
  return out;
}

/** Channel checks shared by the posting methods; returns the resolved channel id or a failure. */
function targetChannel(ctx: MethodContext): string | MethodResult {
  const raw = str(ctx.args, 'channel');
  if (raw === undefined) return fail('channel_not_found');
  const channel = ctx.state.directory.resolveChannel(raw);
  if (ctx.state.options.strictChannels && !ctx.state.directory.channelKnown(channel)) return fail('channel_not_found');
  return channel;
}

function validate(ctx: MethodContext, content: MessageContent, channel: string): MethodResult | undefined {
  const problem =
    checkMessage({ text: ctx.args.text, blocks: ctx.args.blocks }, ctx.state.options.blockTextLimit) ??
    checkImageFiles(ctx.args.blocks, '/blocks', { conversation: channel }, ctx.state);
  if (problem) return rejectBlocks(problem);
  if (isEmpty(content)) return fail('no_text');
  return undefined;
}

function post(ctx: MethodContext, via: FakeMessage['via'], ephemeralTo?: string): MethodResult | FakeMessage {
  const auth = authOf(ctx);
  const channel = targetChannel(ctx);
  if (typeof channel !== 'string') return channel;
  const content = contentOf(ctx.args);
  const invalid = validate(ctx, content, channel);
  if (invalid) return invalid;
  const threadTs = str(ctx.args, 'thread_ts');
  const message: FakeMessage = {
    channel,
    ts: ctx.state.nextTs(),
    ...content,
    user: auth.userId,
    bot_id: auth.botId,
    via,
    ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
    ...(ephemeralTo === undefined ? {} : { ephemeralTo }),
  };
  ctx.state.conversations.post(message);
  ctx.state.recorder.changed({ kind: 'message', action: 'posted', channel, ts: message.ts });
  return message;
}

const isResult = (v: MethodResult | FakeMessage): v is MethodResult => 'ok' in v;

export const chatMethods: Record<string, MethodSpec> = {
  'chat.postMessage': {
    needsToken: true,
    handle(ctx) {
      const posted = post(ctx, 'chat.postMessage');
      if (isResult(posted)) return posted;
      return { ok: true, channel: posted.channel, ts: posted.ts, message: messageObject(posted, authOf(ctx), ctx.state) };
    },
  },

  'chat.postEphemeral': {
    needsToken: true,
    handle(ctx) {
      const user = str(ctx.args, 'user');
      if (user === undefined) return missing('user');
      const posted = post(ctx, 'chat.postEphemeral', user);
      if (isResult(posted)) return posted;
      return { ok: true, message_ts: posted.ts };
    },
  },

  'chat.update': {
    needsToken: true,
    handle(ctx) {
      const auth = authOf(ctx);
      const own = ownMessage(ctx, auth, 'cant_update_message');
      if ('ok' in own) return own;
      const { channel, ts } = own;
      const content = contentOf(ctx.args);
      const problem =
        checkMessage({ text: ctx.args.text, blocks: ctx.args.blocks }, ctx.state.options.blockTextLimit) ??
        checkImageFiles(ctx.args.blocks, '/blocks', { conversation: channel }, ctx.state);
      if (problem) return rejectBlocks(problem);
      if (isEmpty(content)) return fail('no_text');
      const updated = ctx.state.conversations.update(channel, ts, content, ctx.state.nextTs(), false);
      if (!updated) return fail('message_not_found');
      ctx.state.recorder.changed({ kind: 'message', action: 'updated', channel, ts });
      return { ok: true, channel, ts, text: updated.text ?? '', message: messageObject(updated, auth, ctx.state) };
    },
  },

  'chat.delete': {
    needsToken: true,
    handle(ctx) {
      const own = ownMessage(ctx, authOf(ctx), 'cant_delete_message');
      if ('ok' in own) return own;
      const { channel, ts } = own;
      ctx.state.conversations.delete(channel, ts);
      ctx.state.recorder.changed({ kind: 'message', action: 'deleted', channel, ts });
      return { ok: true, channel, ts };
    },
  },

  'chat.unfurl': {
    needsToken: true,
    handle(ctx) {
      const { unfurls } = ctx.args;
      const addressed =
        (str(ctx.args, 'channel') !== undefined && str(ctx.args, 'ts') !== undefined) ||
        (str(ctx.args, 'unfurl_id') !== undefined && str(ctx.args, 'source') !== undefined);
      if (!addressed) return missing('channel and ts, or unfurl_id and source');
      if (typeof unfurls !== 'object' || unfurls === null || Array.isArray(unfurls)) {
        return fail('invalid_unfurls_format');
      }
      for (const unfurl of Object.values(unfurls)) {
        const blocks = typeof unfurl === 'object' && unfurl !== null ? (unfurl as { blocks?: unknown }).blocks : undefined;
        // A composer unfurl (unfurl_id + source) has no conversation yet.
        const conversation = str(ctx.args, 'channel') ?? null;
        const problem =
          checkMessage({ blocks }, ctx.state.options.blockTextLimit) ?? checkImageFiles(blocks, '/blocks', { conversation }, ctx.state);
        if (problem) return rejectBlocks(problem);
      }
      return { ok: true };
    },
  },
};

/**
 * Slack's chat.postMessage pace: "chat.postMessage generally allows posting one message per second per channel";
 * "Posting messages: 1 per second. Short bursts >1 allowed" (https://docs.slack.dev/apis/web-api/rate-limits, Special
 * tier). Past it: HTTP 429 `{"ok":false,"error":"ratelimited"}` with a Retry-After header in seconds (same page).
 * A token bucket per channel: `perSecond` refill, `burst` at most. Off unless the fake is started with a rate.
 */
export class ChannelPostLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    private readonly nowMs: () => number = () => performance.now(),
  ) {}

  /** 0 when the post may go out, else the whole seconds to wait (Retry-After). */
  check(channel: string): number {
    const now = this.nowMs();
    const bucket = this.buckets.get(channel) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    this.buckets.set(channel, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond));
  }
}

/** The Retry-After for a chat.postMessage over the channel's pace, or 0 (also for every other method). */
export function postRateLimit(
  limiter: ChannelPostLimiter | undefined,
  state: FakeState,
  method: string,
  args: Record<string, unknown>,
): number {
  if (!limiter || method !== 'chat.postMessage') return 0;
  const raw = str(args, 'channel');
  return raw === undefined ? 0 : limiter.check(state.directory.resolveChannel(raw));
}
