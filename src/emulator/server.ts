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
import type { QueryEngine } from './query-engine.js';
import { RateLimiter } from './rate-limit.js';
import { buildApiRoutes } from './resources/index.js';
import { DEFAULT_DATASET } from './seed.js';
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
  queryEngine?: QueryEngine;
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
    queryEngine: opts.queryEngine,
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
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const res of hung) res.destroy();
        hung.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
