/**
 * Messages and chart images from the bot itself (no response_url): through the Web API, one channel at a time at
 * Slack's pace (the shared per-channel limiter), each message kept inside Block Kit's limits.
 */
import type { WebClient } from '@slack/web-api';
import { fitMessage, type Message } from '../../views/blocks.js';
import type { Limits } from '../limiter.js';
import { observeUpstream } from '../metrics.js';
import { slackFailureCode } from '../slack-error.js';

export interface Posted {
  channel: string;
  ts: string | null;
}

export interface Poster {
  post(channel: string, message: Message, opts?: { threadTs?: string }): Promise<Posted>;
  /** Shares a PNG in the channel with `comment` (mrkdwn) above it. */
  postImage(channel: string, png: Buffer, opts: { filename: string; title: string; comment: string; altText: string }): Promise<void>;
}

/** A Slack Web API failure, with Slack's error code (`channel_not_found`, `not_in_channel` ...) and nothing secret. */
export class SlackPostError extends Error {
  override readonly name = 'SlackPostError';
  constructor(
    readonly code: string,
    readonly method: string,
  ) {
    super(`Slack ${method} failed: ${code}`);
  }
}

export function isSlackPostError(error: unknown): error is SlackPostError {
  return error instanceof Error && error.name === 'SlackPostError' && 'code' in error;
}

async function call<T>(method: string, work: () => Promise<T>): Promise<T> {
  try {
    const result = await work();
    observeUpstream('slack', 200);
    return result;
  } catch (error) {
    // A 429 is counted when the client meets it (slack-clients.ts), retried or not; this is the final failure.
    observeUpstream('slack', undefined);
    throw new SlackPostError(slackFailureCode(error) ?? 'request_failed', method);
  }
}

export function createPoster(slack: WebClient, limits: Pick<Limits, 'slackChannel'>): Poster {
  return {
    async post(channel, message, opts = {}) {
      await limits.slackChannel.take(channel);
      const fitted = fitMessage(message);
      const res = await call('chat.postMessage', () =>
        slack.chat.postMessage({
          channel,
          text: fitted.text,
          ...(fitted.blocks ? { blocks: fitted.blocks } : {}),
          unfurl_links: false,
          unfurl_media: false,
          ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}),
        }),
      );
      return { channel: res.channel ?? channel, ts: res.ts ?? null };
    },
    async postImage(channel, png, opts) {
      await limits.slackChannel.take(channel);
      await call('files.uploadV2', () =>
        slack.filesUploadV2({
          channel_id: channel,
          file: png,
          filename: opts.filename,
          title: opts.title,
          initial_comment: opts.comment,
          alt_text: opts.altText,
        }),
      );
    },
  };
}
