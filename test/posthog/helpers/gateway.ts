import { createGateway } from '../../../src/posthog/client.js';
import type { Gateway, GatewayOptions, RequestInfo } from '../../../src/posthog/client.js';
import type { UpstreamError } from '../../../src/posthog/errors.js';
import { isUpstreamError } from '../../../src/posthog/errors.js';

/** Looks like a real key so a leak would be obvious; tests assert it never shows up in any text. */
export const API_KEY = 'mk_live_TOPSECRET_9f8e7d6c';

export interface Harness {
  gateway: Gateway;
  /** Delays the client asked to sleep, in order; nothing really waits. */
  sleeps: number[];
  infos: RequestInfo[];
}

/** A gateway with injected sleep and `random() = 0.5`, so backoff delays are exact: 100, 200, 400 ms... */
export function harness(baseUrl: string, overrides: Partial<GatewayOptions> = {}): Harness {
  const sleeps: number[] = [];
  const infos: RequestInfo[] = [];
  const gateway = createGateway({
    baseUrl,
    apiKey: API_KEY,
    timeoutMs: 5_000,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    onRequest: (info) => infos.push(info),
    ...overrides,
  });
  return { gateway, sleeps, infos };
}

export async function rejection(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (e) {
    if (isUpstreamError(e)) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}
