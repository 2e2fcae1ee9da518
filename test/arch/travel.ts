/**
 * How a request travels: the project files on the (async) call stack each time Hogbot does something with an effect
 * (stores or claims a plan, calls PostHog, writes the audit log, answers in Slack). Read from V8's stack traces, so it is
 * what ran, not what a reader guesses.
 */
import { relative } from 'node:path';
import type { Services } from '../../src/slack/context.js';
import { ROOT } from './imports.js';

/**
 * Shared rooms every request passes by, whatever the command: the PostHog client (src/posthog/), the store, the
 * composition root's request tracking (app.ts, inflight.ts, request-scope.ts: the request id every log line carries), the
 * replier, logger, metrics, the shared rate budget (limiter.ts, budget/) and the worker pool. Not "travelled through".
 */
export const INFRASTRUCTURE =
  /^src\/(posthog\/|store\/|budget\/|workers\/|slack\/replier\.ts|app\.ts|inflight\.ts|request-scope\.ts|logger\.ts|metrics\.ts|limiter\.ts)/;

export interface Travel {
  /** Each file once, in the order it was first seen (outermost frame first). */
  files: string[];
  start(): void;
  stop(): string[];
}

function projectFiles(stack: string): string[] {
  const out: string[] = [];
  for (const line of stack.split('\n').slice(1)) {
    const match = /\(?((?:file:\/\/)?\/[^():]+\.ts):\d+:\d+\)?$/.exec(line.trim());
    if (!match) continue;
    const file = relative(ROOT, match[1]!.replace('file://', ''));
    if (!/^(src|commands|views)\//.test(file) || INFRASTRUCTURE.test(file)) continue;
    out.push(file);
  }
  return out.reverse();
}

/** Wraps the store and the gateway of a running Hogbot so every effect records where it was called from. */
export function traceEffects(services: Services): Travel {
  const seen: string[] = [];
  let on = false;
  const note = () => {
    if (!on) return;
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 200;
    const stack = new Error('travel').stack ?? '';
    Error.stackTraceLimit = limit;
    for (const file of projectFiles(stack)) if (!seen.includes(file) && !file.startsWith('test/')) seen.push(file);
  };
  const store = services.store as unknown as Record<string, unknown>;
  for (const name of ['createPlan', 'claimPlan', 'appendAudit', 'completeAudit', 'finishPlan', 'getPlan']) {
    const original = store[name] as (...args: unknown[]) => unknown;
    store[name] = (...args: unknown[]) => {
      note();
      return original.apply(services.store, args);
    };
  }
  const gateway = services.gateway as unknown as { posthog: (id: string | null) => Record<string, unknown> };
  const posthog = gateway.posthog.bind(services.gateway);
  gateway.posthog = (id) => {
    const client = posthog(id);
    return new Proxy(client, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          note();
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  };
  return {
    files: seen,
    start: () => {
      seen.length = 0;
      on = true;
    },
    stop: () => {
      on = false;
      return [...seen];
    },
  };
}
