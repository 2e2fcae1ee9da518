import { checkMessage } from './block-kit.js';
import { checkImageFiles } from './images.js';
import type { FakeState } from './state.js';
import type { FakeMessage, RecordedResponse, ResponseUrlBody } from './types.js';

export const RESPONSE_URL_MAX_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;
export const DEFAULT_CHANNEL_ID = 'C0FAKECHN01';
export const DEFAULT_USER_ID = 'U0FAKEUSR01';

/** Where a response_url points: the channel and user of the command or click, and the clicked message if any. */
export interface ResponseUrlContext {
  channel?: string;
  user?: string;
  /** For block_actions: the message holding the button, which `replace_original` / `delete_original` target. */
  messageTs?: string;
}

interface Entry {
  id: string;
  url: string;
  issuedAt: number;
  uses: number;
  channel: string;
  user: string;
  /** What replace/delete_original act on: the clicked message, else the last message posted through this URL. */
  targetTs?: string;
  pinnedTarget: boolean;
}

export interface ResponseOutcome {
  status: number;
  json: Record<string, unknown>;
}

export const responsePath = (id: string) => `/response/${encodeURIComponent(id)}`;

export class ResponseUrls {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly state: FakeState) {}

  mint(ctx: ResponseUrlContext = {}): string {
    const id = this.state.nextId('R');
    const url = `${this.state.baseUrl}${responsePath(id)}`;
    this.entries.set(id, {
      id,
      url,
      issuedAt: this.state.now().getTime(),
      uses: 0,
      channel: this.state.directory.resolveChannel(ctx.channel ?? DEFAULT_CHANNEL_ID),
      user: ctx.user ?? DEFAULT_USER_ID,
      pinnedTarget: ctx.messageTs !== undefined,
      ...(ctx.messageTs === undefined ? {} : { targetTs: ctx.messageTs }),
    });
    return url;
  }

  /** Handles one POST; `forced` is a failure queued with `failNext('response_url')`. */
  handle(id: string, raw: Buffer, forced?: { status: number; error: string }): ResponseOutcome {
    const entry = this.entries.get(id);
    let body: ResponseUrlBody = {};
    let parseError = false;
    try {
      const parsed: unknown = JSON.parse(raw.toString('utf8'));
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) body = parsed as ResponseUrlBody;
      else parseError = true;
    } catch {
      parseError = true;
    }
    if (entry) entry.uses += 1;
    const outcome = this.outcome(entry, body, parseError, forced);
    const event: RecordedResponse = {
      kind: 'response',
      url: entry?.url ?? `${this.state.baseUrl}${responsePath(id)}`,
      id,
      body,
      at: this.state.now(),
      use: entry?.uses ?? 0,
      ok: outcome.json.ok === true,
      status: outcome.status,
      ...(typeof outcome.json.error === 'string' ? { error: outcome.json.error } : {}),
    };
    this.state.recorder.record(event);
    return outcome;
  }

  private outcome(
    entry: Entry | undefined,
    body: ResponseUrlBody,
    parseError: boolean,
    forced?: { status: number; error: string },
  ): ResponseOutcome {
    const failure = (status: number, error: string) => ({ status, json: { ok: false, error } });
    if (!entry) return failure(404, 'invalid_url');
    if (this.state.now().getTime() - entry.issuedAt > RESPONSE_URL_TTL_MS) return failure(404, 'expired_url');
    if (entry.uses > RESPONSE_URL_MAX_USES) return failure(404, 'used_url');
    if (forced) return failure(forced.status, forced.error);
    if (parseError) return failure(400, 'invalid_payload');
    const problem =
      checkMessage(body, this.state.options.blockTextLimit) ??
      checkImageFiles(body.blocks, '/blocks', { conversation: entry.channel }, this.state);
    if (problem) return failure(400, problem.error);
    this.apply(entry, body);
    return { status: 200, json: { ok: true } };
  }

  private apply(entry: Entry, body: ResponseUrlBody): void {
    const { conversations, recorder } = this.state;
    const target = entry.targetTs === undefined ? undefined : conversations.find(entry.channel, entry.targetTs);
    if (body.delete_original === true) {
      if (target && conversations.delete(entry.channel, target.ts)) {
        recorder.changed({ kind: 'message', action: 'deleted', channel: entry.channel, ts: target.ts });
      }
      return;
    }
    const content = {
      ...(typeof body.text === 'string' ? { text: body.text } : {}),
      ...(Array.isArray(body.blocks) ? { blocks: body.blocks } : {}),
      ...(Array.isArray(body.attachments) ? { attachments: body.attachments } : {}),
    };
    if (body.replace_original === true && target) {
      conversations.update(entry.channel, target.ts, content, this.state.nextTs(), true);
      if (body.response_type === 'in_channel') delete target.ephemeralTo;
      else if (body.response_type === 'ephemeral') target.ephemeralTo = entry.user;
      recorder.changed({ kind: 'message', action: 'updated', channel: entry.channel, ts: target.ts });
      return;
    }
    const message: FakeMessage = {
      channel: entry.channel,
      ts: this.state.nextTs(),
      ...content,
      user: this.state.directory.botUserId,
      bot_id: this.state.directory.botId,
      via: 'response_url',
      ...(body.response_type === 'in_channel' ? {} : { ephemeralTo: entry.user }),
      ...(typeof body.thread_ts === 'string' ? { thread_ts: body.thread_ts } : {}),
    };
    conversations.post(message);
    if (!entry.pinnedTarget) entry.targetTs = message.ts;
    recorder.changed({ kind: 'message', action: 'posted', channel: entry.channel, ts: message.ts });
  }

  clear(): void {
    this.entries.clear();
  }
}
