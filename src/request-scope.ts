/**
 * Bolt middleware that opens a request scope (src/request-context.ts) around every command, click, view and event:
 * a request id for its log lines, its workspace and priority for the shared budget, and its handler latency.
 */
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { observeHandler } from './metrics.js';
import { withRequest } from './request-context.js';

export function requestKind(body: Record<string, unknown>): string {
  if (typeof body.command === 'string') return 'command';
  switch (body.type) {
    case 'block_actions':
      return 'click';
    case 'view_submission':
    case 'view_closed':
      return 'view';
    case 'block_suggestion':
      return 'options';
    case 'event_callback':
      return 'event';
    default:
      return 'other';
  }
}

export const requestScope: Middleware<AnyMiddlewareArgs> = async ({ body, context, next }) => {
  const raw = body as unknown as Record<string, unknown>;
  const kind = requestKind(raw);
  const userId =
    context.userId ?? (typeof raw.user_id === 'string' ? raw.user_id : ((raw.user as { id?: string } | undefined)?.id ?? null));
  const started = performance.now();
  let outcome: 'ok' | 'error' = 'error';
  try {
    await withRequest({ kind, teamId: context.teamId ?? context.enterpriseId ?? null, userId, priority: 'interactive' }, next);
    outcome = 'ok';
  } finally {
    observeHandler(kind, outcome, (performance.now() - started) / 1000);
  }
};
