import type { RespondArguments, RespondFn } from '@slack/bolt';
import { fitMessage, type Message } from '../../views/blocks.js';
import { withoutUrlImages } from '../images/fallback.js';

export interface Replier {
  /** Shows an interim answer ("Running…") that the next progress or the final answer replaces in place. */
  progress(message: Message): Promise<void>;
  /** The answer. Replaces the interim message when there was one. */
  final(message: Message, responseType: 'ephemeral' | 'in_channel', opts?: { replaceOriginal?: boolean }): Promise<void>;
}

/**
 * Answers through the request's response_url (Slack allows 5 posts in 30 minutes). Interim messages are always
 * ephemeral; a shared (in_channel) answer can't replace an ephemeral one, so it is posted anew and the interim deleted.
 * An answer Slack refuses for its chart URL is sent again without the chart (src/images/fallback.ts).
 */
export function createReplier(respond: RespondFn): Replier {
  let interim = false;
  return {
    async progress(message) {
      await respond({ ...fitMessage(message), response_type: 'ephemeral', replace_original: interim });
      interim = true;
    },
    async final(message, responseType, opts) {
      const fresh = interim && responseType === 'in_channel';
      if (fresh) await respond({ delete_original: true });
      const send = (m: Message) =>
        respond({
          ...fitMessage(m),
          response_type: responseType,
          ...(fresh ? {} : { replace_original: interim || (opts?.replaceOriginal ?? false) }),
        });
      try {
        await send(message);
      } catch (error) {
        // A 400 on a message with a chart URL: most likely Slack couldn't download it. Answer without the picture.
        const blocks = (error as { statusCode?: unknown }).statusCode === 400 ? withoutUrlImages(message.blocks) : null;
        if (!blocks) throw error;
        await send({ ...message, blocks });
      }
    },
  };
}

/**
 * A RespondFn for a response_url kept from an earlier request (a modal's origin), where every post replaces the
 * previous one: the first replaces the note that opened the modal.
 */
export function respondToUrl(url: string): RespondFn {
  return async (message: string | RespondArguments) => {
    const body = typeof message === 'string' ? { text: message } : message;
    const payload = body.delete_original ? body : { ...body, replace_original: true };
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    if (!res.ok) throw new Error(`response_url answered ${res.status}`);
    return res;
  };
}
