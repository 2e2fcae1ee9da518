import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { DEFAULT_BLOCK_TEXT_LIMIT } from './block-kit.js';
import { extractToken, parseApiArgs, readRawBody } from './body.js';
import { escapeCommandText } from './escape.js';
import { DEFAULT_APP_ID, DEFAULT_BOT_ID, DEFAULT_BOT_TOKEN, DEFAULT_BOT_USER_ID, DEFAULT_TEAM, Directory } from './directory.js';
import { ChannelPostLimiter, postRateLimit } from './methods/chat.js';
import { receiveUpload } from './methods/files.js';
import { METHODS } from './methods/index.js';
import { Recorder, isCall, isResponse } from './recorder.js';
import { DEFAULT_USER_ID, ResponseUrls, type ResponseUrlContext } from './response-urls.js';
import { SOCKET_MODE_PATH, type FakeSocketMode } from './socket-mode.js';
import { FakeState, fail, type MethodResult } from './state.js';
import { rejectUpgrade } from './websocket.js';
import type {
  FailNextOptions,
  FakeChannelInput,
  FakeInstallGrant,
  FakeMessage,
  FakeSlackChange,
  FakeSlackEvent,
  FakeSlackOptions,
  FakeTokenInput,
  FakeUpload,
  FakeUserInput,
  FakeView,
  RecordedCall,
  RecordedResponse,
  WaitOptions,
} from './types.js';

export interface FakeSlack {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  /** `http://127.0.0.1:PORT/api/`: pass as `slackApiUrl` to WebClient / Bolt `clientOptions`. */
  readonly apiUrl: string;
  readonly calls: readonly RecordedCall[];
  readonly responses: readonly RecordedResponse[];
  /** file id -> upload, from files.getUploadURLExternal on. */
  readonly uploads: ReadonlyMap<string, FakeUpload>;
  /** Messages of a channel in posting order; with `viewer`, hides ephemerals meant for other users. */
  messages(channel: string, opts?: { viewer?: string }): FakeMessage[];
  /** Channels that have had messages. */
  channels(): string[];
  view(idOrExternalId: string): FakeView | undefined;
  homeView(userId: string): FakeView | undefined;
  /** Socket Mode: the WebSocket side (`ws://127.0.0.1:PORT/socket-mode/...`), its envelopes and the app's acks. */
  readonly socketMode: FakeSocketMode;
  /** Mints a response_url on this server (5 uses, 30 minutes on the fake's clock). */
  responseUrl(ctx?: ResponseUrlContext): string;
  /**
   * Slash-command text as Slack sends it with `should_escape: true`: this workspace's known `#channels` and `@users`
   * become `<#C…|name>` / `<@U…>`, URLs `<https://…>`, and `&<>` entities (src/fake-slack/escape.ts).
   */
  commandText(text: string, teamId?: string): string;
  /** Mints a trigger_id that views.open/push accept once within 3 s on the fake's clock. */
  triggerId(opts?: { userId?: string }): string;
  /** Mints a code that oauth.v2.access exchanges once (within 10 minutes) for a new bot token. */
  oauthCode(grant?: Partial<FakeInstallGrant>): string;
  waitFor<E extends FakeSlackEvent>(predicate: (e: FakeSlackEvent) => e is E, opts?: WaitOptions): Promise<E>;
  waitFor(predicate: (e: FakeSlackEvent) => boolean, opts?: WaitOptions): Promise<FakeSlackEvent>;
  waitForCall(method: string, predicate?: (c: RecordedCall) => boolean, opts?: WaitOptions): Promise<RecordedCall>;
  waitForResponse(predicate?: (r: RecordedResponse) => boolean, opts?: WaitOptions): Promise<RecordedResponse>;
  /** Live stream of recorded calls/responses ('event') and model changes ('change'); returns an unsubscribe. */
  on(name: 'event', listener: (e: FakeSlackEvent) => void): () => void;
  on(name: 'change', listener: (c: FakeSlackChange) => void): () => void;
  setUser(user: FakeUserInput): void;
  setChannel(channel: FakeChannelInput): void;
  addToken(token: string | FakeTokenInput): void;
  /** Makes the next call(s) to `method` fail; `'response_url'` targets response_url posts. */
  failNext(method: string, opts?: FailNextOptions): void;
  now(): Date;
  advanceClock(ms: number): void;
  /** Forgets everything recorded and modelled; keeps users, channels, tokens and configuration. */
  reset(): void;
  close(): Promise<void>;
}

interface Failure {
  status: number;
  error: string;
  retryAfter: number;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    ...headers,
  });
  res.end(text);
}

/**
 * Starts a fake Slack on 127.0.0.1 (ephemeral port unless told otherwise).
 *
 * @example
 * const fake = await startFakeSlack();
 * const client = new WebClient(DEFAULT_BOT_TOKEN, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
 * await client.chat.postMessage({ channel: 'C1', text: 'hi' });
 * await fake.waitForCall('chat.postMessage');
 * await fake.close();
 */
export async function startFakeSlack(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
  const team = { ...DEFAULT_TEAM, ...opts.team };
  const directory = new Directory(team, opts.botUserId ?? DEFAULT_BOT_USER_ID, opts.botId ?? DEFAULT_BOT_ID, opts.appId ?? DEFAULT_APP_ID);
  for (const other of opts.otherTeams ?? []) directory.teams.set(other.id, other);
  for (const token of opts.tokens ?? [DEFAULT_BOT_TOKEN]) directory.addToken(token);
  for (const user of opts.users ?? []) directory.setUser(user);
  for (const channel of opts.channels ?? []) directory.setChannel(channel);

  const recorder = new Recorder();
  const clock = opts.now ?? (() => new Date());
  const state = new FakeState(
    directory,
    recorder,
    {
      strictChannels: opts.strictChannels ?? false,
      strictTriggers: opts.strictTriggers ?? false,
      blockTextLimit: opts.blockTextLimit ?? DEFAULT_BLOCK_TEXT_LIMIT,
      ...(opts.imageDownload === undefined ? {} : { imageDownload: opts.imageDownload }),
      ...(opts.oauth === undefined ? {} : { oauth: opts.oauth }),
    },
    clock,
  );
  const responseUrls = new ResponseUrls(state);
  for (const token of opts.appTokens ?? []) state.socketMode.addAppToken(token);
  const failures = new Map<string, Failure[]>();
  const postLimiter = opts.postsPerSecondPerChannel
    ? new ChannelPostLimiter(opts.postsPerSecondPerChannel, opts.postBurst ?? 3)
    : undefined;

  const takeFailure = (method: string): Failure | undefined => {
    const queue = failures.get(method);
    const next = queue?.shift();
    if (queue && queue.length === 0) failures.delete(method);
    return next;
  };

  interface Answer {
    result: MethodResult;
    status: number;
    headers: Record<string, string>;
  }

  const answer = (result: MethodResult, status = 200, headers: Record<string, string> = {}): Answer => ({
    result,
    status,
    headers,
  });

  async function runMethod(
    method: string,
    args: Record<string, unknown>,
    token: string | undefined,
    authorization: string | undefined,
  ): Promise<Answer> {
    const spec = METHODS[method];
    if (!spec) return answer(fail('unknown_method', { req_method: method }));
    const failure = takeFailure(method);
    if (failure) {
      const headers: Record<string, string> = failure.status === 429 ? { 'retry-after': String(failure.retryAfter) } : {};
      return answer(fail(failure.error), failure.status, headers);
    }
    const auth = token === undefined ? undefined : directory.tokens.get(token);
    if (spec.needsToken && token === undefined) return answer(fail('not_authed'));
    if (spec.needsToken && auth === undefined) return answer(fail('invalid_auth'));
    const retryAfter = postRateLimit(postLimiter, state, method, args);
    if (retryAfter > 0) return answer(fail('ratelimited'), 429, { 'retry-after': String(retryAfter) });
    return answer(await spec.handle({ state, args, auth, token, authorization }));
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, method: string, url: URL, raw: Buffer) {
    let args: Record<string, unknown> = {};
    let token: string | undefined;
    let out: Answer;
    try {
      args = await parseApiArgs(raw, req.headers['content-type'], url.searchParams);
      token = extractToken(req.headers.authorization, args);
      delete args.token;
      out = await runMethod(method, args, token, req.headers.authorization);
    } catch (error) {
      out = answer(error instanceof SyntaxError ? fail('invalid_json') : fail('fatal_error', { detail: String(error) }));
    }
    recorder.record({
      kind: 'call',
      method,
      args,
      at: state.now(),
      ok: out.result.ok,
      status: out.status,
      result: out.result,
      ...(token === undefined ? {} : { token }),
      ...(typeof out.result.error === 'string' ? { error: out.result.error } : {}),
    });
    send(res, out.status, out.result, out.headers);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', state.baseUrl);
    const raw = await readRawBody(req);
    const path = url.pathname;
    if (path.startsWith('/api/')) {
      await handleApi(req, res, decodeURIComponent(path.slice('/api/'.length)), url, raw);
      return;
    }
    if (req.method === 'POST' && path.startsWith('/upload/v1/')) {
      const out = await receiveUpload(state, decodeURIComponent(path.slice('/upload/v1/'.length)), raw, req.headers['content-type']);
      send(res, out.status, out.body);
      return;
    }
    if (req.method === 'POST' && path.startsWith('/response/')) {
      const failure = takeFailure('response_url');
      const out = responseUrls.handle(decodeURIComponent(path.slice('/response/'.length)), raw, failure);
      send(res, out.status, out.json, failure?.status === 429 ? { 'retry-after': String(failure.retryAfter) } : {});
      return;
    }
    send(res, 404, { ok: false, error: 'not_found' });
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { ok: false, error: 'fatal_error', detail: String(error) });
      else res.end();
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', state.baseUrl).pathname;
    if (path.startsWith(SOCKET_MODE_PATH))
      state.socketMode.upgrade(req, socket, head, decodeURIComponent(path.slice(SOCKET_MODE_PATH.length)));
    else rejectUpgrade(socket, 404, 'Not Found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  state.baseUrl = `http://${host}:${port}`;

  let seq = 0;
  const fake: FakeSlack = {
    url: state.baseUrl,
    apiUrl: `${state.baseUrl}/api/`,
    calls: recorder.calls,
    responses: recorder.responses,
    uploads: state.uploads,
    socketMode: state.socketMode,
    messages: (channel, o) => state.conversations.list(directory.resolveChannel(channel), o?.viewer),
    channels: () => state.conversations.channels(),
    view: (id) => state.views.get(id) ?? [...state.views.values()].find((v) => v.external_id === id && id !== ''),
    homeView: (userId) => {
      const id = state.homeViews.get(userId);
      return id === undefined ? undefined : state.views.get(id);
    },
    responseUrl: (ctx) => responseUrls.mint(ctx),
    commandText: (text, teamId) =>
      escapeCommandText(text, { users: directory.users.values(), channels: directory.channels.values() }, teamId),
    triggerId: (o) => {
      seq += 1;
      const id = `${Math.floor(state.now().getTime() / 1000)}.${seq}.faketrigger`;
      state.triggers.set(id, { issuedAt: state.now().getTime(), used: false, ...(o?.userId ? { userId: o.userId } : {}) });
      return id;
    },
    oauthCode: (grant) => {
      seq += 1;
      const code = `fake-oauth-code-${seq}`;
      const full: FakeInstallGrant = {
        teamId: team.id,
        teamName: team.name,
        isEnterpriseInstall: false,
        userId: DEFAULT_USER_ID,
        scope: 'commands,chat:write,users:read,users:read.email,files:write,links:read,links:write',
        botUserId: directory.botUserId,
        botId: directory.botId,
        appId: directory.appId,
        ...grant,
      };
      state.oauthCodes.set(code, { grant: full, issuedAt: state.now().getTime(), used: false });
      return code;
    },
    waitFor: ((predicate: (e: FakeSlackEvent) => boolean, o?: WaitOptions) => recorder.waitFor(predicate, o)) as FakeSlack['waitFor'],
    waitForCall: (method, predicate, o) =>
      recorder.waitFor((e): e is RecordedCall => isCall(e) && e.method === method && (predicate?.(e) ?? true), o),
    waitForResponse: (predicate, o) => recorder.waitFor((e): e is RecordedResponse => isResponse(e) && (predicate?.(e) ?? true), o),
    on: ((name: 'event' | 'change', listener: (arg: never) => void) =>
      name === 'event'
        ? recorder.on('event', listener as (e: FakeSlackEvent) => void)
        : recorder.on('change', listener as (c: FakeSlackChange) => void)) as FakeSlack['on'],
    setUser: (user) => directory.setUser(user),
    setChannel: (channel) => directory.setChannel(channel),
    addToken: (token) => {
      directory.addToken(token);
    },
    failNext: (method, o = {}) => {
      const status = o.status ?? 200;
      const failure: Failure = {
        status,
        error: o.error ?? (status === 429 ? 'ratelimited' : 'internal_error'),
        retryAfter: o.retryAfter ?? 1,
      };
      const queue = failures.get(method) ?? [];
      for (let i = 0; i < (o.times ?? 1); i += 1) queue.push(failure);
      failures.set(method, queue);
    },
    now: () => state.now(),
    advanceClock: (ms) => state.advanceClock(ms),
    reset: () => {
      recorder.clear();
      state.reset();
      responseUrls.clear();
      failures.clear();
    },
    close: async () => {
      const closed = new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      // Upgraded sockets are no longer the HTTP server's to close, but server.close() still waits for them.
      await state.socketMode.closeAll();
      await closed;
    },
  };
  return fake;
}
