import type { FakeMessage } from '../fake-slack/index.js';

/**
 * What the page shows in a conversation: the fake Slack's messages (what the bot posted) plus what people typed,
 * which Slack shows but the bot never receives as a message. Entries keep the order they appeared in.
 */
export interface Entry {
  /** Position in the conversation; stays put when the message is replaced. */
  seq: number;
  channel: string;
  ts: string;
  /** `user`: typed in the composer (a slash command echo or a plain message); `bot`: posted through Slack. */
  kind: 'bot' | 'user' | 'slackbot';
  user: string;
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  files?: FakeMessage['files'];
  threadTs?: string;
  /** Only this user sees it ("Only visible to you"). */
  ephemeralTo?: string;
  /** Link previews the app attached with chat.unfurl, keyed by URL. */
  unfurls?: Record<string, unknown>;
}

export interface Typed {
  channel: string;
  user: string;
  text: string;
  ephemeralTo?: string;
  kind?: 'user' | 'slackbot';
}

const key = (channel: string, ts: string) => `${channel} ${ts}`;

export class Timeline {
  private seq = 0;
  private typedSeq = 0;
  private readonly order = new Map<string, number>();
  private readonly typed = new Map<string, Entry>();

  /** Gives a bot message its place the first time it is seen. */
  place(channel: string, ts: string): number {
    const k = key(channel, ts);
    let at = this.order.get(k);
    if (at === undefined) {
      this.seq += 1;
      at = this.seq;
      this.order.set(k, at);
    }
    return at;
  }

  /** Records what someone typed. Its ts looks like Slack's, in a range the fake Slack never hands out. */
  addTyped(input: Typed, nowMs: number): Entry {
    this.typedSeq += 1;
    const ts = `${Math.floor(nowMs / 1000)}.9${String(this.typedSeq % 100_000).padStart(5, '0')}`;
    const entry: Entry = {
      seq: this.place(input.channel, ts),
      channel: input.channel,
      ts,
      kind: input.kind ?? 'user',
      user: input.user,
      text: input.text,
      ...(input.ephemeralTo ? { ephemeralTo: input.ephemeralTo } : {}),
    };
    this.typed.set(key(input.channel, ts), entry);
    return entry;
  }

  typedEntry(channel: string, ts: string): Entry | undefined {
    return this.typed.get(key(channel, ts));
  }

  fromMessage(m: FakeMessage): Entry {
    return {
      seq: this.place(m.channel, m.ts),
      channel: m.channel,
      ts: m.ts,
      kind: 'bot',
      user: m.user,
      ...(m.text !== undefined ? { text: m.text } : {}),
      ...(m.blocks ? { blocks: m.blocks } : {}),
      ...(m.attachments ? { attachments: m.attachments } : {}),
      ...(m.files ? { files: m.files } : {}),
      ...(m.thread_ts ? { threadTs: m.thread_ts } : {}),
      ...(m.ephemeralTo ? { ephemeralTo: m.ephemeralTo } : {}),
    };
  }

  /** The conversation as `viewer` sees it: others' ephemerals hidden, oldest first. */
  entries(channel: string, viewer: string, messages: readonly FakeMessage[]): Entry[] {
    const typed = [...this.typed.values()].filter((e) => e.channel === channel);
    return [...messages.map((m) => this.fromMessage(m)), ...typed]
      .filter((e) => e.ephemeralTo === undefined || e.ephemeralTo === viewer)
      .sort((a, b) => a.seq - b.seq);
  }
}
