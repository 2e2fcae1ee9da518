import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type CustomRoute, HTTPReceiver, type Logger, type Receiver, SocketModeReceiver } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import type { AppConfig } from './config.js';
import { InFlight } from './inflight.js';
import { type Limits, limitedFetch, sharedLimits } from './limiter.js';
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
import { createInstallationStore } from './store/installation-store.js';
import { closeSharedPool } from './workers/pool.js';
import type { Store } from './store/store.js';

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
  /** Slack's per-channel pace and Maton's rate. Default: the process's shared limits on the system clock. */
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

/** Socket Mode has no HTTP endpoint of its own: this small server answers health checks on PORT. */
async function startHealthServer(port: number, host: string | undefined): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === healthz.path) answerHealthy(res);
    else res.writeHead(404).end();
  });
  server.listen(port, host);
  await once(server, 'listening');
  return server;
}

/** The composition root: config in, a Bolt app with every listener registered out. */
export async function createHogbot(options: HogbotOptions): Promise<Hogbot> {
  const { config, store, logger } = options;
  const limits = options.limits ?? sharedLimits();
  if (config.mode === 'sandbox') throw new Error('createHogbot needs Slack credentials; the sandbox starts through src/sandbox');
  const services: Services = {
    config,
    store,
    logger,
    now: options.now ?? (() => new Date()),
    registry: options.registry ?? (await loadRegistry()),
    gateway: createGateway({
      ...options.gateway,
      baseUrl: config.maton.baseUrl,
      apiKey: config.maton.apiKey ?? '',
      // Every request to Maton takes a token first: its limit is per account, whoever sends.
      fetch: limitedFetch(options.fetch ?? ((input, init) => globalThis.fetch(input, init)), limits.maton),
    }),
  };
  const clientOptions: WebClientOptions = { slackApiUrl: config.slack.apiUrl, ...options.slackClientOptions };
  const { receiver, httpReceiver } = buildReceiver(config, store, logger, clientOptions);
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
  registerSlashCommand(app, services);
  registerActions(app, services);
  registerModals(app, services);
  registerEvents(app, services);
  app.error(async (error) => {
    logger.error('Unhandled Bolt error:', error);
  });

  const slackFor = createSlackClients({ botToken: config.mode === 'oauth' ? null : config.slack.botToken, store, clientOptions });
  const runtime = createRuntime({ services, slackFor, limits });
  const scheduler = createScheduler({ store, now: services.now, run: runtime.run, logger, ...(options.scheduler?.intervalMs ? { intervalMs: options.scheduler.intervalMs } : {}) });

  let server: Server | undefined;
  return {
    app,
    services,
    scheduler,
    async start() {
      await app.init().catch((error: unknown) => {
        throw new Error(`Slack did not accept the bot token (${slackErrorCode(error)}): check SLACK_BOT_TOKEN and SLACK_API_URL.`);
      });
      // Socket Mode: health checks answered before the socket opens; a busy PORT rejects start() right here.
      if (!httpReceiver) server = await startHealthServer(config.port, options.host);
      const started = await app.start(options.host ? { port: config.port, host: options.host } : config.port);
      if (httpReceiver) server = started as Server;
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
      await closeSharedPool();
    },
  };
}

function buildReceiver(config: AppConfig, store: Store, logger: Logger, clientOptions: WebClientOptions): { receiver: Receiver; httpReceiver: boolean } {
  const { slack } = config;
  if (config.mode === 'socket') {
    return {
      // clientOptions (SLACK_API_URL) is copied: the Socket Mode client writes its own retryConfig into what it's given.
      receiver: new SocketModeReceiver({ appToken: slack.appToken ?? '', logger, installerOptions: { clientOptions: { ...clientOptions } } }),
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
      customRoutes: [healthz],
      logger,
      ...oauth,
    }),
    httpReceiver: true,
  };
}

function slackErrorCode(error: unknown): string {
  const data = (error as { data?: { error?: unknown } } | null)?.data;
  if (typeof data?.error === 'string') return data.error;
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'no answer';
}
