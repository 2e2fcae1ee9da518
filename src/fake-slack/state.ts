import type { BlockKitProblem } from './block-kit.js';
import { Conversations } from './conversation.js';
import type { Directory, TokenInfo } from './directory.js';
import type { Recorder } from './recorder.js';
import { SocketModeHub } from './socket-mode.js';
import type { FakeInstallGrant, FakeUpload, FakeView } from './types.js';

export interface OAuthCode {
  grant: FakeInstallGrant;
  issuedAt: number;
  used: boolean;
}

export interface Trigger {
  issuedAt: number;
  used: boolean;
  userId?: string;
}

export interface StateOptions {
  strictChannels: boolean;
  strictTriggers: boolean;
  blockTextLimit: number;
  imageDownload?: (url: string) => boolean;
  oauth?: { clientId: string; clientSecret: string; redirectUri?: string };
}

/** Everything the fake remembers between requests. Handlers read and write it; the server owns it. */
export class FakeState {
  readonly conversations = new Conversations();
  readonly views = new Map<string, FakeView>();
  /** user id -> view id of their Home tab. */
  readonly homeViews = new Map<string, string>();
  readonly uploads = new Map<string, FakeUpload>();
  readonly oauthCodes = new Map<string, OAuthCode>();
  readonly triggers = new Map<string, Trigger>();
  readonly socketMode = new SocketModeHub(this);
  baseUrl = '';
  private seq = 0;
  private clockOffsetMs = 0;

  constructor(
    readonly directory: Directory,
    readonly recorder: Recorder,
    readonly options: StateOptions,
    private readonly clock: () => Date,
  ) {}

  now(): Date {
    return new Date(this.clock().getTime() + this.clockOffsetMs);
  }

  advanceClock(ms: number): void {
    this.clockOffsetMs += ms;
  }

  /** Slack-looking ids (`V0000000001`), deterministic per fake so failures read the same on every run. */
  nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}${this.seq.toString(36).toUpperCase().padStart(10, '0')}`;
  }

  /** Message timestamps: clock seconds plus a sequence, always unique and increasing within a run. */
  nextTs(): string {
    this.seq += 1;
    return `${Math.floor(this.now().getTime() / 1000)}.${String(this.seq % 1_000_000).padStart(6, '0')}`;
  }

  reset(): void {
    this.conversations.clear();
    this.views.clear();
    this.homeViews.clear();
    this.uploads.clear();
    this.triggers.clear();
    this.oauthCodes.clear();
    this.socketMode.reset();
  }
}

export type MethodResult = { ok: boolean } & Record<string, unknown>;

export interface MethodContext {
  state: FakeState;
  args: Record<string, unknown>;
  /** The token's owner; undefined only for methods that need no token. */
  auth: TokenInfo | undefined;
  /** The token as sent, known or not (apps.connections.open checks app-level tokens itself). */
  token: string | undefined;
  authorization: string | undefined;
}

export interface MethodSpec {
  /** Whether a valid token is required (oauth.v2.access authenticates with client credentials instead). */
  needsToken: boolean;
  handle: (ctx: MethodContext) => MethodResult | Promise<MethodResult>;
}

export const fail = (error: string, extra: Record<string, unknown> = {}): MethodResult => ({ ok: false, error, ...extra });

export const rejectBlocks = (problem: BlockKitProblem): MethodResult =>
  fail(problem.error, problem.messages.length ? { response_metadata: { messages: problem.messages } } : {});

export const str = (args: Record<string, unknown>, key: string): string | undefined => {
  const v = args[key];
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
};

export const missing = (field: string): MethodResult =>
  fail('invalid_arguments', { response_metadata: { messages: [`[ERROR] missing required field: ${field}`] } });

/** The token's owner, for handlers whose spec says `needsToken` (the server guarantees it). */
export function authOf(ctx: MethodContext): TokenInfo {
  if (!ctx.auth) throw new Error('fake Slack: method declared needsToken but ran without a token');
  return ctx.auth;
}
