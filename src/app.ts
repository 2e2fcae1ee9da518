import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type CustomRoute, HTTPReceiver, type Logger, type Receiver, SocketModeReceiver } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import type { AppConfig } from './config.js';
import { InFlight } from './inflight.js';
import { handleOpsRequest, opsRoutes } from './http-routes.js';
import { imageRoute, type ImageRouteDeps, isImagePath, serveImage } from './images/route.js';
import { imageKey } from './images/signing.js';
import { type Limits, openBudget, setSharedLimits } from './limiter.js';
import { observeAck, observeBudgetWait, observeUpstream } from './metrics.js';
import { requestScope } from './request-scope.js';
import { createGateway, type GatewayOptions } from './posthog/client.js';
import { loadRegistry } from './registry/load.js';
import type { Registry } from './registry/registry.js';
import { createRuntime } from './scheduler/runtime.js';
import { createScheduler, type Scheduler } from './scheduler/scheduler.js';
import { createSlackClients } from './scheduler/slack-clients.js';
import { registerActions } from './slack/actions.js';
import { registerSlashCommand } from './slack/commands.js';
import { registerEvents } from './slack/events.js';
import { registerModals } from './slack/modals.js';
import type { Services } from './slack/context.js';
import { BOT_SCOPES } from './slack/scopes.js';
import { slackFailureCode } from './slack-error.js';
import { createInstallationStore } from './store/installation-store.js';
import { closeSharedPool } from './workers/pool.js';
import type { Store } from './store/store.js';
import type { HomeTeam } from './tenancy.js';

export interface HogbotOptions {
  config: AppConfig;
  store: Store;
  logger: Logger;
  /** The network, for PostHog/Maton calls: tests and the sandbox pass their own. */
  fetch?: typeof fetch;
  now?: () => Date;
  registry?: Registry;
  /** Client tuning (tests shorten timeouts and skip real backoff sleeps). */
  gateway?: Partial<Omit<GatewayOptions, 'baseUrl' | 'apiKey'>>;
  /** Extra Web API client options (tests turn retries off). */
  slackClientOptions?: WebClientOptions;
  /** Slack's per-channel pace, Maton's rate, query slots. Default: the replicas' shared budget (see openBudget). */
  limits?: Limits;
  /** Interface to listen on. Default: all (a server behind a load balancer); the sandbox passes 127.0.0.1. */
  host?: string;
  /** The digest and alert scheduler. Default: on, ticking every 30 s. */
  scheduler?: { enabled?: boolean; intervalMs?: number };
}

export interface Hogbot {
  app: App;
  services: Services;
  /** Delivers digests and checks alerts while the app runs (stopped by `stop()`). */
  scheduler: Scheduler;
  /** Listens on config.port (0 picks a free port) and resolves with the port in use. */
  start(): Promise<{ port: number }>;
  stop(): Promise<void>;
}

/** Below the 10 s after which main.ts force-exits, and well inside a typical orchestrator's 30 s grace period. */
const SHUTDOWN_GRACE_MS = 8_000;

function answerHealthy(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"ok":true}');
}

const healthz: CustomRoute = { path: '/healthz', method: ['GET'], handler: (_req, res) => answerHealthy(res) };

/** Socket Mode has no HTTP endpoint of its own: this small server answers health checks, ops routes and chart images on PORT. */
async function startHealthServer(port: number, host: string | undefined, store: Store, images: ImageRouteDeps): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === healthz.path) answerHealthy(res);
    else if ((req.method === 'GET' || req.method === 'HEAD') && isImagePath(req.url)) void serveImage(images, req, res);
    else if (!handleOpsRequest(store, req, res)) res.writeHead(404).end();
  });
  server.listen(port, host);
  await once(server, 'listening');
  return server;
}

/** The composition root: config in, a Bolt app with every listener registered out. */
export async function createHogbot(options: HogbotOptions): Promise<Hogbot> {
  const { config, store, logger } = options;
  if (config.mode === 'sandbox') throw new Error('createHogbot needs Slack credentials; the sandbox starts through src/sandbox');
  // Filled in by start() from auth.test: the gateway's default connection serves this team only (src/tenancy.ts).
  const homeTeam: HomeTeam = { teamId: null };
  const limits =
    options.limits ??
    (await openBudget({ databaseUrl: config.databaseUrl, redisUrl: config.redisUrl ?? null, onMatonWait: observeBudgetWait }));
  setSharedLimits(limits);
  const onRequest = options.gateway?.onRequest;
  const services: Services = {
    homeTeam,
    config,
    store,
    logger,
    now: options.now ?? (() => new Date()),
    registry: options.registry ?? (await loadRegistry()),
    gateway: createGateway({
      ...options.gateway,
      baseUrl: config.maton.baseUrl,
      apiKey: config.maton.apiKey ?? '',
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      // Every request to Maton takes its turn first (its limit is per account, whoever sends), before its timeout starts.
      acquire: () => limits.maton.take(),
      ...(limits.querySlots && { querySlot: limits.querySlots.acquire.bind(limits.querySlots) }),
      onRequest: (info) => {
        observeUpstream('maton', info.status);
        onRequest?.(info);
      },
    }),
  };
  const clientOptions: WebClientOptions = { slackApiUrl: config.slack.apiUrl, ...options.slackClientOptions };
  // Chart images at signed URLs (PUBLIC_URL), served by every replica from the shared store.
  const images: ImageRouteDeps = { store, key: imageKey(config), now: services.now, logger };
  const { receiver, httpReceiver } = buildReceiver(config, store, logger, clientOptions, [...opsRoutes(store), imageRoute(images)]);
  const app = new App({
    receiver,
    logger,
    clientOptions,
    // auth.test runs in start(), where a refused token can stop startup with a clear message instead of crashing later.
    deferInitialization: true,
    ...(config.mode === 'oauth' ? {} : { token: config.slack.botToken ?? '' }),
  });
  // Registered first, so it wraps every listener: shutdown waits for acked work (see stop()).
  const inflight = new InFlight();
  app.use(async ({ next }) => {
    await inflight.track(next());
  });
  app.use(requestScope);
  registerSlashCommand(app, services);
  registerActions(app, services);
  registerModals(app, services);
  registerEvents(app, services);
  app.error(async (error) => {
    logger.error('Unhandled Bolt error:', error);
  });

  const slackFor = createSlackClients({ botToken: config.mode === 'oauth' ? null : config.slack.botToken, store, clientOptions });
  const runtime = createRuntime({ services, slackFor, limits });
  const scheduler = createScheduler({
    store,
    now: services.now,
    run: runtime.run,
    logger,
    ...(options.scheduler?.intervalMs ? { intervalMs: options.scheduler.intervalMs } : {}),
  });

  let server: Server | undefined;
  return {
    app,
    services,
    scheduler,
    async start() {
      await app.init().catch((error: unknown) => {
        throw new Error(
          `Slack did not accept the bot token (${slackFailureCode(error) ?? 'no answer'}): check SLACK_BOT_TOKEN and SLACK_API_URL.`,
        );
      });
      if (config.mode !== 'oauth') homeTeam.teamId = await homeTeamOf(app, config.slack.botToken ?? '');
      // Socket Mode: health checks answered before the socket opens; a busy PORT rejects start() right here.
      if (!httpReceiver) server = await startHealthServer(config.port, options.host, store, images);
      const started = await app.start(options.host ? { port: config.port, host: options.host } : config.port);
      if (httpReceiver) {
        server = started as Server;
        timeAcks(server);
      }
      if (options.scheduler?.enabled !== false) scheduler.start();
      const address = server?.address() as AddressInfo | null | undefined;
      return { port: address?.port ?? config.port };
    },
    async stop() {
      // Stop taking requests, then let acked work finish (a Confirm between its PATCH and its audit row, an answer on
      // its way) and the delivery in progress: a half-posted digest would be claimed already.
      await app.stop();
      if (!httpReceiver && server?.listening) await new Promise<void>((resolve) => server?.close(() => resolve()));
      const drained = await inflight.drain(SHUTDOWN_GRACE_MS);
      if (!drained) logger.warn(`Shutting down with ${inflight.size} request(s) still running after ${SHUTDOWN_GRACE_MS / 1000} s`);
      await scheduler.stop();
      if (!options.limits) await limits.close?.();
      await closeSharedPool();
    },
  };
}

/** Slack's requests are answered when acked: the time to the response's end is the ack latency. */
function timeAcks(server: Server): void {
  server.prependListener('request', (req, res) => {
    if (req.method !== 'POST' || req.url?.split('?')[0] !== '/slack/events') return;
    const started = performance.now();
    res.once('finish', () => observeAck('slack', (performance.now() - started) / 1000));
  });
}

function buildReceiver(
  config: AppConfig,
  store: Store,
  logger: Logger,
  clientOptions: WebClientOptions,
  routes: CustomRoute[],
): { receiver: Receiver; httpReceiver: boolean } {
  const { slack } = config;
  if (config.mode === 'socket') {
    return {
      // clientOptions (SLACK_API_URL) is copied: the Socket Mode client writes its own retryConfig into what it's given.
      receiver: new SocketModeReceiver({
        appToken: slack.appToken ?? '',
        logger,
        installerOptions: { clientOptions: { ...clientOptions } },
      }),
      httpReceiver: false,
    };
  }
  const oauth =
    config.mode === 'oauth'
      ? {
          clientId: slack.clientId ?? '',
          clientSecret: slack.clientSecret ?? '',
          stateSecret: slack.stateSecret ?? '',
          scopes: [...BOT_SCOPES],
          installationStore: createInstallationStore(store),
          installerOptions: { directInstall: true, clientOptions },
        }
      : {};
  return {
    receiver: new HTTPReceiver({
      signingSecret: slack.signingSecret ?? '',
      endpoints: '/slack/events',
      customRoutes: [healthz, ...routes],
      logger,
      ...oauth,
    }),
    httpReceiver: true,
  };
}

/** The bot token's own workspace; null for an org-wide (Enterprise Grid) token, which serves many. */
async function homeTeamOf(app: App, token: string): Promise<string | null> {
  const auth = await app.client.auth.test({ token }).catch((error: unknown) => {
    throw new Error(
      `Slack did not accept the bot token (${slackFailureCode(error) ?? 'no answer'}): check SLACK_BOT_TOKEN and SLACK_API_URL.`,
    );
  });
  return auth.is_enterprise_install === true ? null : (auth.team_id ?? null);
}
