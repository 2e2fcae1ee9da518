/** Talks to a real emulator over HTTP, as the bot would. */
import type { Emulator, EmulatorOptions } from '../../src/emulator/server.js';
import { startEmulator } from '../../src/emulator/server.js';

/** A fixed clock keeps seeded timestamps and relative dates stable within a test file. */
export const FIXED_NOW = new Date('2026-03-02T15:30:00Z');

export function start(opts: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ rateLimitPerSecond: 0, clock: () => FIXED_NOW, ...opts });
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  /** Raw body text (sent as is). */
  raw?: string;
  connection?: string;
  /** Overrides the bearer key; null sends no Authorization header. */
  key?: string | null;
  headers?: Record<string, string>;
}

export interface CallResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export async function call<T = any>(emulator: Emulator, path: string, opts: CallOptions = {}): Promise<CallResult<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  const key = opts.key === undefined ? emulator.apiKey : opts.key;
  if (key !== null) headers.Authorization = `Bearer ${key}`;
  if (opts.connection) headers['Maton-Connection'] = opts.connection;
  let body: string | undefined = opts.raw;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(emulator.url + path, { method: opts.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

/** Shorthand for PostHog paths through the gateway. */
export const ph = (path: string) => `/posthog${path}`;

export function offsetOf(nextUrl: string): number {
  return Number(new URL(nextUrl).searchParams.get('offset'));
}
