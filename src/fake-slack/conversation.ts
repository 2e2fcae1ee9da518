import type { FakeMessage } from './types.js';

export type MessageContent = Pick<FakeMessage, 'text' | 'blocks' | 'attachments' | 'metadata'>;

/**
 * What a channel would show: posts, edits, deletions, ephemerals. Ordered by posting; a replaced message keeps
 * its place, as in Slack.
 */
export class Conversations {
  private readonly byChannel = new Map<string, FakeMessage[]>();

  post(message: FakeMessage): FakeMessage {
    const list = this.byChannel.get(message.channel) ?? [];
    list.push(message);
    this.byChannel.set(message.channel, list);
    return message;
  }

  find(channel: string, ts: string): FakeMessage | undefined {
    return this.byChannel.get(channel)?.find((m) => m.ts === ts);
  }

  /**
   * chat.update semantics: fields not given keep their value (Slack keeps the old blocks unless `blocks` is sent).
   * response_url `replace_original` passes `full: true`: the new payload replaces the old one entirely.
   */
  update(channel: string, ts: string, content: MessageContent, editedTs: string, full: boolean): FakeMessage | undefined {
    const message = this.find(channel, ts);
    if (!message) return undefined;
    for (const key of ['text', 'blocks', 'attachments', 'metadata'] as const) {
      if (content[key] !== undefined) message[key] = content[key] as never;
      else if (full) delete message[key];
    }
    message.edited = { user: message.user, ts: editedTs };
    return message;
  }

  delete(channel: string, ts: string): boolean {
    const list = this.byChannel.get(channel);
    const index = list?.findIndex((m) => m.ts === ts) ?? -1;
    if (!list || index < 0) return false;
    list.splice(index, 1);
    return true;
  }

  /** Messages in a channel; with `viewer`, only what that user sees (ephemerals addressed to others hidden). */
  list(channel: string, viewer?: string): FakeMessage[] {
    const list = this.byChannel.get(channel) ?? [];
    return list.filter((m) => viewer === undefined || m.ephemeralTo === undefined || m.ephemeralTo === viewer);
  }

  channels(): string[] {
    return [...this.byChannel.keys()];
  }

  clear(): void {
    this.byChannel.clear();
  }
}
