/**
 * The PostHog-behind-Maton emulator: a real, stateful HTTP server for tests and the local sandbox. The bot never
 * imports it; it only sees its URL and key.
 *
 * @example
 * const emulator = await startEmulator({ rateLimitPerSecond: 0 });
 * const res = await fetch(`${emulator.url}/posthog/api/projects/`, {
 *   headers: { Authorization: `Bearer ${emulator.apiKey}`, 'Maton-Connection': 'conn_acme' },
 * });
 * await emulator.close();
 */
import type { ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DatasetOptions } from './dataset-types.js';
import type { PublicConnection } from './connections.js';
import { publicConnection } from './connections.js';
import { FaultControls } from './faults.js';
import type { RecordedRequest } from './gateway.js';
import { createHandler } from './gateway.js';
import type { ClosableQueryEngine, HogQLQueryEngineOptions } from './hogql/index.js';
import type { QueryEngine } from './query-engine.js';
import { RateLimiter } from './rate-limit.js';
import { buildApiRoutes } from './resources/index.js';
import { DEFAULT_DATASET } from './seed.js';

export { DEFAULT_DATASET, DEMO_DATASET } from './seed.js';
import { EmulatorState } from './state.js';

export const DEFAULT_API_KEY = 'emulator-maton-key';

export interface EmulatorOptions {
  /** Default 0 (an ephemeral port). */
  port?: number;
  host?: '127.0.0.1';
  /** The Maton API key clients must send as `Authorization: Bearer ...`. Default "emulator-maton-key". */
  apiKey?: string;
  /**
   * Demo data size and seed. Project 1001 (Acme Web) gets exactly these; the other projects a fraction, with
   * derived seeds. `now` defaults to the clock at start. Defaults: seed 42, 30 days, 300 persons, 20k events.
   */
  dataset?: Partial<DatasetOptions>;
  /** Maton's limit, per API key over a sliding second. Default 10; 0 disables. */
  rateLimitPerSecond?: number;
  /** The clock for data and timestamps (not for the rate limit, which uses real time). */
  clock?: () => Date;
  /** Base of the OAuth authorize links handed out by `POST /connections`. Default: the server's own URL. */
  publicUrl?: string;
  /**
   * Answers `/query/`. Default: the HogQL engine (src/emulator/hogql) over each project's dataset, loaded into DuckDB on
   * the project's first query. `false` turns queries off (the route then answers 400).
   */
  queryEngine?: QueryEngine | false;
  /** Options of the default HogQL engine, e.g. `delayMs` so tests can exercise polling, cancel and timeouts. */
  hogql?: HogQLQueryEngineOptions;
}

export interface Emulator {
  url: string;
  port: number;
  apiKey: string;
  faults: FaultControls;
  /** Maton's view of the connections (as `GET /connections` returns them). */
  connections(): PublicConnection[];
  /** Read or modify the world: `state.flag(1001, 'dark-mode')`, `state.expireGrant('conn_acme')`, `state.reset()`. */
  state: EmulatorState;
  /** Every gateway request, oldest first (capped at the last 2000). Clear with `requests.length = 0`. */
  requests: RecordedRequest[];
  /** Restores the seed data and clears rate-limit windows (faults and the request log stay; see `faults.clear()`). */
  reset(): void;
  close(): Promise<void>;
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const host = opts.host ?? '127.0.0.1';
  const apiKey = opts.apiKey ?? DEFAULT_API_KEY;
  const clock = opts.clock ?? (() => new Date());
  const faults = new FaultControls();
  const limiter = new RateLimiter(opts.rateLimitPerSecond ?? 10);
  const requests: RecordedRequest[] = [];
  const hung = new Set<ServerResponse>();
  const api = buildApiRoutes();
  const ownEngine = opts.queryEngine === undefined ? lazyHogQLEngine(opts.hogql ?? {}) : undefined;

  // The handler needs the state, which needs the public URL, which needs the port: listen first, attach after.
  let handler: ReturnType<typeof createHandler> | undefined;
  const server = createServer((req, res) => handler?.(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;

  const state = new EmulatorState(
    {
      seed: opts.dataset?.seed ?? DEFAULT_DATASET.seed,
      now: opts.dataset?.now ?? clock(),
      dataset: {
        seed: opts.dataset?.seed ?? DEFAULT_DATASET.seed,
        days: opts.dataset?.days ?? DEFAULT_DATASET.days,
        persons: opts.dataset?.persons ?? DEFAULT_DATASET.persons,
        events: opts.dataset?.events ?? DEFAULT_DATASET.events,
        ...(opts.dataset?.alsoFeatured ? { alsoFeatured: opts.dataset.alsoFeatured } : {}),
      },
      publicUrl: opts.publicUrl ?? url,
    },
    clock,
  );
  const reset = () => {
    state.reset();
    limiter.reset();
  };
  handler = createHandler({
    apiKey,
    state,
    faults,
    limiter,
    api,
    queryEngine: ownEngine ?? (opts.queryEngine || undefined),
    requests,
    hung,
    control: { state, faults, requests, reset },
  });

  return {
    url,
    port,
    apiKey,
    faults,
    state,
    requests,
    reset,
    connections: () => state.connections().map(publicConnection),
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        for (const res of hung) res.destroy();
        hung.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      await ownEngine?.close();
    },
  };
}

/** The HogQL engine, imported on the first query so emulators that never query never load DuckDB. */
function lazyHogQLEngine(options: HogQLQueryEngineOptions): QueryEngine & { close(): Promise<void> } {
  let engine: Promise<ClosableQueryEngine> | undefined;
  const load = () => (engine ??= import('./hogql/index.js').then((m) => m.createHogQLQueryEngine(options)));
  const missing = { status: 404, body: { type: 'invalid_request', code: 'not_found', detail: 'Not found.', attr: null } };
  return {
    run: async (projectId, body, ctx) => (await load()).run(projectId, body, ctx),
    status: async (projectId, queryId, ctx) => (await load()).status?.(projectId, queryId, ctx) ?? missing,
    cancel: async (projectId, queryId, ctx) => (await load()).cancel?.(projectId, queryId, ctx) ?? missing,
    close: async () => {
      if (engine) await (await engine).close();
    },
  };
}
