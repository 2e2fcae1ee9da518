import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHogbot, type Hogbot } from '../../src/app.js';
import { type AppConfig, loadConfig } from '../../src/config.js';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../src/emulator/server.js';
import {
  blockActions,
  DEFAULT_BOT_TOKEN,
  type FakeSlack,
  type FakeUserInput,
  type RecordedResponse,
  type SendOptions,
  type SendResult,
  sendToApp,
  slashCommand,
  startFakeSlack,
  viewSubmission,
} from '../../src/fake-slack/index.js';
import { createLogger, type LogLine } from '../../src/logger.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';

export const SIGNING_SECRET = 'rig-signing-secret-8f742231b10e8888';
export const MATON_KEY = 'rig-maton-key-5f1c0e3a9d';

/** Two workspaces; T1 has an admin and a member, T2 an admin. */
export const T1 = 'T0000000001';
export const T2 = 'T0000000002';
export const ADMIN = 'U0ADMIN0001';
export const MEMBER = 'U0MEMBER001';
export const ADMIN_T2 = 'U0ADMIN0002';
export const CHANNEL = 'C0GROWTH001';
export const OAUTH_CLIENT = { clientId: '1111.2222', clientSecret: 'rig-client-secret-77aa', stateSecret: 'rig-state-secret-0123456789' };

const USERS: FakeUserInput[] = [
  { id: ADMIN, teamId: T1, name: 'ana', realName: 'Ana Admin', email: 'ana@acme.com', tz: 'America/Los_Angeles', isAdmin: true },
  { id: MEMBER, teamId: T1, name: 'max', realName: 'Max Member', email: 'max@acme.com', tz: 'Europe/Berlin' },
  { id: ADMIN_T2, teamId: T2, name: 'gus', realName: 'Gus Globex', email: 'gus@globex.com', tz: 'UTC', isOwner: true },
];

export interface RigOptions {
  /** Default: a fresh SQLite file in a temp folder. */
  databaseUrl?: string;
  emulator?: EmulatorOptions;
  users?: FakeUserInput[];
  env?: Record<string, string>;
  /** Run the app's own real-clock scheduler (off by default: tests tick schedulers with fake clocks). */
  scheduler?: boolean;
  /** `oauth`: multi-workspace install through /slack/install (no bot token until a workspace installs). */
  mode?: 'http' | 'oauth';
  /** Fake Slack behaviour: e.g. `imageDownload: () => false` for a PUBLIC_URL Slack can't reach. */
  fakeSlack?: { imageDownload?: (url: string) => boolean };
  /** The bot's clock (plan expiry, "yesterday"); default the real one. */
  now?: () => Date;
  /** The gateway's per-request timeout; default 500 ms, so "hang" faults end quickly. */
  gatewayTimeoutMs?: number;
}

export interface Who {
  team?: string;
  user?: string;
  channel?: string;
}

/**
 * The real bot over HTTP, with a fake Slack and the PostHog/Maton emulator, as every integration test uses them.
 * Requests are signed like Slack's; replies are read back from what the fake Slack recorded.
 */
export class Rig {
  hogbot!: Hogbot;
  store!: Store;
  config!: AppConfig;
  appUrl = '';
  readonly logs: LogLine[] = [];
  private tempDir: string | null = null;
  private schedulerEnabled = false;
  private gatewayTimeoutMs = 500;
  private now: (() => Date) | undefined;

  private constructor(
    readonly slack: FakeSlack,
    readonly emulator: Emulator,
    private readonly databaseUrl: string,
    private readonly env: Record<string, string>,
  ) {}

  static async start(opts: RigOptions = {}): Promise<Rig> {
    const slack = await startFakeSlack({
      users: opts.users ?? USERS,
      channels: [{ id: CHANNEL, name: 'growth', teamId: T1 }],
      // A single-workspace install: the bot token is T1's, the only workspace the gateway's default connection serves.
      // T2's people reach this bot through channels T1 shares with T2 (Slack Connect), so users.info knows them; T2's
      // channels and email addresses stay out of this token's reach.
      tokens: [{ token: DEFAULT_BOT_TOKEN, teamId: T1, connectedTeams: [T2] }],
      // Their names, as team.info reads them for plans.
      otherTeams: [
        { id: T1, name: 'Acme', domain: 'acme' },
        { id: T2, name: 'Globex', domain: 'globex' },
      ],
      oauth: { clientId: OAUTH_CLIENT.clientId, clientSecret: OAUTH_CLIENT.clientSecret },
      ...opts.fakeSlack,
    });
    const emulator = await startEmulator({ apiKey: MATON_KEY, rateLimitPerSecond: 0, ...opts.emulator });
    let tempDir: string | null = null;
    let databaseUrl = opts.databaseUrl;
    if (!databaseUrl) {
      tempDir = await mkdtemp(join(tmpdir(), 'hogbot-rig-'));
      databaseUrl = join(tempDir, 'hogbot.sqlite');
    }
    const slackEnv: Record<string, string> =
      opts.mode === 'oauth'
        ? {
            SLACK_CLIENT_ID: OAUTH_CLIENT.clientId,
            SLACK_CLIENT_SECRET: OAUTH_CLIENT.clientSecret,
            SLACK_STATE_SECRET: OAUTH_CLIENT.stateSecret,
          }
        : { SLACK_BOT_TOKEN: DEFAULT_BOT_TOKEN };
    const rig = new Rig(slack, emulator, databaseUrl, { ...slackEnv, ...opts.env });
    rig.tempDir = tempDir;
    rig.schedulerEnabled = opts.scheduler ?? false;
    rig.gatewayTimeoutMs = opts.gatewayTimeoutMs ?? 500;
    rig.now = opts.now;
    await rig.boot();
    return rig;
  }

  /** Starts (or restarts) the bot on the same database: what survives here survives a deploy. */
  async boot(): Promise<void> {
    this.config = loadConfig({
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: this.slack.apiUrl,
      MATON_API_KEY: MATON_KEY,
      MATON_BASE_URL: this.emulator.url,
      DATABASE_URL: this.databaseUrl,
      PORT: '0',
      ...this.env,
    });
    const logger = createLogger({ secrets: this.config.secrets, sink: (line) => this.logs.push(line) });
    this.store = await openStore(this.config.databaseUrl, { logger });
    this.hogbot = await createHogbot({
      config: this.config,
      store: this.store,
      logger,
      slackClientOptions: { retryConfig: { retries: 0 } },
      // Real backoff arithmetic, but no real waiting; a short timeout so "hang" faults end quickly.
      gateway: { timeoutMs: this.gatewayTimeoutMs, sleep: async () => undefined },
      // Tests drive schedules with their own fake clocks; the app's real-clock scheduler would race them.
      scheduler: { enabled: this.schedulerEnabled },
      ...(this.now ? { now: this.now } : {}),
    });
    const { port } = await this.hogbot.start();
    this.appUrl = `http://127.0.0.1:${port}/slack/events`;
  }

  async restart(): Promise<void> {
    await this.hogbot.stop();
    await this.store.close();
    await this.boot();
  }

  /**
   * Sends `/ph <text>` and returns the ack and the response_url the answers will arrive on. The text is typed as in
   * Slack's composer: with should_escape (manifest.yml) Slack sends known `#channels`/`@users` as `<#C…|name>`/`<@U…>`.
   * `typed.plain` sends the text as is: a `#name` typed by hand rather than picked from Slack's list arrives plain.
   */
  async slash(
    text: string,
    who: Who = {},
    send: SendOptions = {},
    typed: { plain?: boolean } = {},
  ): Promise<{ ack: SendResult; responseUrl: string }> {
    const user = who.user ?? ADMIN;
    const responseUrl = this.slack.responseUrl({ channel: who.channel ?? CHANNEL, user });
    const body = slashCommand({
      team_id: who.team ?? T1,
      user_id: user,
      channel_id: who.channel ?? CHANNEL,
      text: typed.plain ? text : this.slack.commandText(text, who.team ?? T1),
      response_url: responseUrl,
      trigger_id: this.slack.triggerId({ userId: user }),
    });
    const ack = await sendToApp(this.appUrl, SIGNING_SECRET, body, send);
    return { ack, responseUrl };
  }

  /** `/ph <text>`, then the final answer (the n-th post on its response_url, default the first). */
  async ask(text: string, who: Who = {}, opts: { nth?: number; timeoutMs?: number; plain?: boolean } = {}): Promise<RecordedResponse> {
    const { ack, responseUrl } = await this.slash(text, who, {}, { plain: opts.plain ?? false });
    if (ack.status !== 200) throw new Error(`/ph ${text} was answered ${ack.status}: ${ack.body}`);
    return this.replyOn(responseUrl, opts);
  }

  async replyOn(responseUrl: string, opts: { nth?: number; timeoutMs?: number } = {}): Promise<RecordedResponse> {
    const nth = opts.nth ?? 1;
    return this.slack.waitForResponse((r) => r.url === responseUrl && r.use === nth, { timeoutMs: opts.timeoutMs ?? 8000 });
  }

  /** Clicks a button (or picks an option) the bot sent, as `who`. */
  async click(
    actionId: string,
    value: string,
    who: Who = {},
    extra: { type?: string; block_id?: string; message_ts?: string } = {},
  ): Promise<{ ack: SendResult; responseUrl: string }> {
    const user = who.user ?? ADMIN;
    const responseUrl = this.slack.responseUrl({
      channel: who.channel ?? CHANNEL,
      user,
      ...(extra.message_ts ? { messageTs: extra.message_ts } : {}),
    });
    const body = blockActions({
      team_id: who.team ?? T1,
      user_id: user,
      trigger_id: this.slack.triggerId({ userId: user }),
      channel_id: who.channel ?? CHANNEL,
      response_url: responseUrl,
      message_ts: extra.message_ts ?? '1700000000.000100',
      // A select sends its choice as `selected_option`, a button as `value`.
      actions: [
        {
          action_id: actionId,
          ...(extra.type === 'static_select' ? { selected_option: { text: { type: 'plain_text', text: value }, value } } : { value }),
          ...(extra.block_id ? { block_id: extra.block_id } : {}),
          ...(extra.type ? { type: extra.type } : {}),
        },
      ],
    });
    const ack = await sendToApp(this.appUrl, SIGNING_SECRET, body);
    return { ack, responseUrl };
  }

  async clickAndWait(actionId: string, value: string, who: Who = {}): Promise<RecordedResponse> {
    const { ack, responseUrl } = await this.click(actionId, value, who);
    if (ack.status !== 200) throw new Error(`click ${actionId} was answered ${ack.status}`);
    return this.replyOn(responseUrl);
  }

  /** Submits a modal with `values[blockId][actionId]`; returns the ack (which carries inline errors, if any). */
  async submit(
    callbackId: string,
    values: Record<string, Record<string, unknown>>,
    privateMetadata: string,
    who: Who = {},
  ): Promise<SendResult> {
    const body = viewSubmission({
      team_id: who.team ?? T1,
      user_id: who.user ?? ADMIN,
      trigger_id: this.slack.triggerId({ userId: who.user ?? ADMIN }),
      view: { id: `V${Date.now()}`, callback_id: callbackId, private_metadata: privateMetadata, state: { values } },
    });
    return sendToApp(this.appUrl, SIGNING_SECRET, body);
  }

  /** Everything the bot said or logged, for the "no secret anywhere" scan. Excludes tokens in auth positions. */
  transcript(): string {
    const calls = this.slack.calls.map((c) => JSON.stringify({ method: c.method, args: c.args, result: c.result }));
    const responses = this.slack.responses.map((r) => JSON.stringify(r.body));
    return [...calls, ...responses, ...this.logs.map((l) => l.message)].join('\n');
  }

  async close(): Promise<void> {
    await this.hogbot?.stop().catch(() => undefined);
    await this.store?.close().catch(() => undefined);
    await this.slack.close();
    await this.emulator.close();
    if (this.tempDir) await rm(this.tempDir, { recursive: true, force: true });
  }
}

/** The text of a reply: its mrkdwn and plain text, flattened, for readable assertions. */
export function textOf(reply: { body: { text?: string; blocks?: unknown } } | { text?: string; blocks?: unknown }): string {
  const body = 'body' in reply ? reply.body : reply;
  const parts: string[] = [body.text ?? ''];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'text' && typeof value === 'string') parts.push(value);
        else walk(value);
      }
    }
  };
  walk(body.blocks);
  return parts.join('\n');
}

/** Every button with this action_id in a reply, in order: its value and/or url. */
export function buttons(reply: { body: { blocks?: unknown } }, actionId: string): Array<{ value?: string; url?: string }> {
  const out: Array<{ value?: string; url?: string }> = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const el = node as { action_id?: string; value?: string; url?: string };
      if (el.action_id === actionId)
        out.push({ ...(el.value !== undefined && { value: el.value }), ...(el.url !== undefined && { url: el.url }) });
      Object.values(node).forEach(walk);
    }
  };
  walk(reply.body.blocks);
  return out;
}

/** The value of the first button with this action_id in a reply. */
export function buttonValue(reply: { body: { blocks?: unknown } }, actionId: string): string {
  const found = buttons(reply, actionId).find((b) => b.value !== undefined)?.value;
  if (found === undefined) throw new Error(`No ${actionId} button in ${JSON.stringify(reply.body.blocks)}`);
  return found;
}
