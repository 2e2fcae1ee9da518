import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { type Logger, LogLevel } from '@slack/bolt';
import { createHogbot, type Hogbot } from '../app.js';
import { loadConfig } from '../config.js';
import type { DatasetOptions } from '../emulator/dataset-types.js';
import { DEMO_DATASET, type Emulator, startEmulator } from '../emulator/server.js';
import { DEFAULT_BOT_USER_ID, type FakeSlack, startFakeSlack } from '../fake-slack/index.js';
import { createLogger } from '../logger.js';
import { buildManifest } from '../manifest.js';
import { loadRegistry } from '../registry/load.js';
import type { Registry } from '../registry/registry.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { SlackBridge } from './bridge.js';
import { LocalSlack } from './local-slack.js';
import { fakeDirectory, type SandboxWorkspace, WORKSPACES } from './people.js';
import { startPageServer } from './server.js';
import { SseHub } from './sse.js';

export const SANDBOX_DATABASE_URL = './data/sandbox.sqlite';

/**
 * The sandbox's demo data: a month of a small product (Acme Web; the other projects are scaled from it). Smaller than
 * `npm run emulator`'s DEMO_DATASET so the whole sandbox (bot, local Slack, emulator, DuckDB) stays under 500 MB RSS
 * (issue 15; measured with the README's commands in `npm run bench`-style runs, see the README).
 */
export const SANDBOX_DATASET = { ...DEMO_DATASET, persons: 1_200, events: 40_000 } as const;
/**
 * The sandbox's Slack users are persons in their workspace's PostHog data, with recordings, so `/ph person max@acme.com`
 * or `/ph recordings gus@globex.com` show something for everyone on the page (Ana is the emulator's own featured person).
 */
function demoPeople(): Array<{ email: string; name: string }> {
  return WORKSPACES.flatMap((w) => w.users)
    .filter((u) => u.email !== 'ana@acme.com')
    .map((u) => ({ email: u.email, name: u.realName }));
}

/** One DuckDB thread and a bounded buffer: the sandbox answers one person at a time. */
export const SANDBOX_DUCKDB = { threads: 1, memoryLimit: '192MB' } as const;

export interface SandboxOptions {
  /** PORT (default 3000; 0 picks a free port), LOG_LEVEL (default warn) and POSTHOG_APP_URL are read from it. */
  env: Record<string, string | undefined>;
  /** Where the bot keeps its SQLite file. Default ./data/sandbox.sqlite, apart from a real deployment's database. */
  databaseUrl?: string;
  /** The commands the bot runs (default: every module in commands/). Tests add fixture commands this way. */
  registry?: Registry;
  /** The emulator's demo data. Default SANDBOX_DATASET (30 days, 40k events, 1.2k persons); tests pass a smaller one. */
  dataset?: Partial<DatasetOptions>;
  /** Where the one ready line goes; default stdout. */
  print?: (line: string) => void;
}

export interface Sandbox {
  /** The page, e.g. `http://localhost:3000/`. */
  url: string;
  stop(): Promise<void>;
  /** For tests: the pieces behind the page. */
  emulator: Emulator;
  slack: FakeSlack;
}

const LEVELS = { debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN, error: LogLevel.ERROR } as const;
const secret = (prefix: string) => `${prefix}${randomBytes(18).toString('hex')}`;

/**
 * `npm start` with no Slack credentials: the PostHog/Maton emulator with demo data, a local Slack, the real bot in HTTP
 * mode between them, and a Slack-like page. Secrets are generated per run; no request leaves the machine.
 *
 * @example
 * const sandbox = await startSandbox({ env: { PORT: '0' }, print: () => {} });
 * await fetch(sandbox.url);
 * await sandbox.stop();
 */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const base = loadConfig({
    PORT: options.env.PORT,
    LOG_LEVEL: options.env.LOG_LEVEL ?? 'warn',
    POSTHOG_APP_URL: options.env.POSTHOG_APP_URL,
  });
  const secrets: Secrets = { signingSecret: secret(''), botToken: secret('xoxb-sandbox-'), matonKey: secret('maton-sandbox-') };
  const logger = createLogger({ secrets: Object.values(secrets), level: LEVELS[base.logLevel], name: 'sandbox' });

  const cleanup: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const step of cleanup.splice(0).reverse())
      await step().catch((error: unknown) => logger.warn('Sandbox shutdown step failed:', error));
  };

  try {
    const directory = fakeDirectory();
    const [slack, emulator, registry] = await Promise.all([
      startFakeSlack({
        ...directory,
        team: { id: WORKSPACES[0]!.id, name: WORKSPACES[0]!.name, domain: WORKSPACES[0]!.domain },
        otherTeams: WORKSPACES.slice(1).map((w) => ({ id: w.id, name: w.name, domain: w.domain })),
        // One org-wide install reaches both workspaces (as on Enterprise Grid); each sees only its own channels.
        tokens: [{ token: secrets.botToken, teamId: WORKSPACES[0]!.id, teams: WORKSPACES.slice(1).map((w) => w.id) }],
        strictTriggers: true,
      }),
      startEmulator({
        apiKey: secrets.matonKey,
        dataset: { ...(options.dataset ?? SANDBOX_DATASET), alsoFeatured: demoPeople() },
        hogql: { engine: SANDBOX_DUCKDB },
      }),
      options.registry ? Promise.resolve(options.registry) : loadRegistry(),
    ]);
    cleanup.push(
      () => slack.close(),
      () => emulator.close(),
    );

    const host = options.env.SANDBOX_HOST?.trim() || '127.0.0.1';
    // The page's address is the bot's PUBLIC_URL, so insight charts sit in the answer as image blocks (as where Hogbot
    // has a public URL in Slack): the page server passes /images/... on to the bot. The bot needs that URL before it
    // starts, and the page server needs the bot, so the page's port is chosen first.
    const pagePort = base.port === 0 ? await freePort(host) : base.port;
    const url = `http://${host === '127.0.0.1' || host === '0.0.0.0' ? 'localhost' : host}:${pagePort}/`;
    const botUrl = await startBot({
      slack,
      emulator,
      registry,
      secrets,
      logger,
      cleanup,
      env: options.env,
      databaseUrl: options.databaseUrl ?? SANDBOX_DATABASE_URL,
      publicUrl: url.replace(/\/$/, ''),
    });

    const hub = new SseHub();
    cleanup.push(async () => hub.close());
    const bridge = new SlackBridge(slack, botUrl, secrets.signingSecret);
    const local = new LocalSlack(slack, bridge, hub, unfurlDomains(registry));
    cleanup.push(async () => local.stop());

    const { server } = await startPageServer(
      {
        local,
        hub,
        registry,
        botUserId: DEFAULT_BOT_USER_ID,
        slackUrl: slack.url,
        botOrigin: new URL(botUrl).origin,
        logError: (message, error) => logger.error(message, error),
      },
      host,
      pagePort,
    );
    cleanup.push(() => closeServer(server));

    warmUp(emulator, secrets.matonKey);
    (options.print ?? console.log)(`Hogbot sandbox: open ${url} (local Slack, emulated PostHog, the real bot; Ctrl-C to stop)`);
    let stopped: Promise<void> | undefined;
    return {
      url,
      emulator,
      slack,
      stop: () => {
        stopped ??= stopAll();
        return stopped;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** A port free on `host` now, for a server that must know its own address before it listens. */
async function freePort(host: string): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, host, () => resolve());
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

interface Secrets {
  signingSecret: string;
  botToken: string;
  matonKey: string;
}

interface BotDeps {
  slack: FakeSlack;
  emulator: Emulator;
  registry: Registry;
  secrets: Secrets;
  logger: Logger;
  cleanup: Array<() => Promise<unknown>>;
  env: SandboxOptions['env'];
  databaseUrl: string;
  /** The page's address: chart images are served under it (src/sandbox/server.ts passes them to the bot). */
  publicUrl: string;
}

/** The real bot in HTTP mode, configured as a deployment would be but pointed at the local Slack and the emulator. */
async function startBot(deps: BotDeps): Promise<string> {
  const { slack, emulator, secrets, logger, cleanup } = deps;
  const config = loadConfig({
    SLACK_SIGNING_SECRET: secrets.signingSecret,
    SLACK_BOT_TOKEN: secrets.botToken,
    SLACK_API_URL: slack.apiUrl,
    MATON_API_KEY: secrets.matonKey,
    MATON_BASE_URL: emulator.url,
    POSTHOG_APP_URL: deps.env.POSTHOG_APP_URL,
    DATABASE_URL: deps.databaseUrl,
    LOG_LEVEL: deps.env.LOG_LEVEL ?? 'warn',
    PORT: '0',
    PUBLIC_URL: deps.publicUrl,
  });
  const store: Store = await openStore(config.databaseUrl, { logger });
  cleanup.push(() => store.close());
  await seedConnectionOwners(store);
  const hogbot: Hogbot = await createHogbot({
    config,
    store,
    logger,
    registry: deps.registry,
    // The local Slack is in this process: there is no outage to wait out, and a retry loop would outlive Ctrl-C.
    slackClientOptions: { retryConfig: { retries: 0 } },
    host: '127.0.0.1',
  });
  const { port } = await hogbot.start();
  cleanup.push(() => hogbot.stop());
  return `http://127.0.0.1:${port}/slack/events`;
}

/** The emulator's demo connection of each sandbox workspace: Acme's and Globex's, on one Maton account. */
const DEMO_CONNECTIONS: ReadonlyArray<[workspace: SandboxWorkspace | undefined, connectionId: string]> = [
  [WORKSPACES[0], 'conn_acme'],
  [WORKSPACES[1], 'conn_globex'],
];

/**
 * Each workspace owns its demo connection from the start, as if it had connected it (src/tenancy.ts): Globex can
 * `/ph connection use conn_globex`, and neither workspace sees the other's. A claim kept from an earlier run stays.
 */
async function seedConnectionOwners(store: Store): Promise<void> {
  for (const [workspace, connectionId] of DEMO_CONNECTIONS) {
    if (!workspace) continue;
    await store.claimConnection({
      connectionId,
      teamId: workspace.id,
      enterpriseId: null,
      claimedBy: null,
      claimedAt: new Date(),
      how: 'seeded',
    });
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

/** The domains Slack would send `link_shared` for: the manifest's, from the same source the manifest is built from. */
function unfurlDomains(registry: Registry): string[] {
  const features = buildManifest(registry).features as { unfurl_domains?: unknown };
  return Array.isArray(features.unfurl_domains) ? features.unfurl_domains.filter((d): d is string => typeof d === 'string') : [];
}

/**
 * The demo data and its query engine are built on first use (a second or two for 200k events). Ask for it now, over HTTP
 * like any client, so the first `/ph query` someone types after opening the page answers at once.
 */
function warmUp(emulator: Emulator, matonKey: string): void {
  void fetch(`${emulator.url}/posthog/api/projects/@current/query/`, {
    method: 'POST',
    headers: { authorization: `Bearer ${matonKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query: { kind: 'HogQLQuery', query: 'SELECT count() FROM events' } }),
  }).catch(() => undefined);
}
