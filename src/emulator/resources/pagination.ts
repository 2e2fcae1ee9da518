/**
 * drf's LimitOffsetPagination as PostHog serves it: `{count, next, previous, results}`, with `next`/`previous` as
 * full URLs on PostHog's own host. Behind Maton that host is not the one the client called, so clients must read the
 * offset out of `next` rather than follow it; the emulator reproduces exactly that trap.
 */
import type { ApiContext } from './context.js';
import { intParam } from './context.js';

export const POSTHOG_PUBLIC_ORIGIN = 'https://us.posthog.com';
export const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export function pageParams(ctx: ApiContext, defaultLimit = DEFAULT_PAGE_SIZE): { limit: number; offset: number } {
  const limit = intParam(ctx.query, 'limit');
  const offset = intParam(ctx.query, 'offset');
  return {
    limit: limit !== undefined && limit > 0 ? Math.min(limit, MAX_PAGE_SIZE) : defaultLimit,
    offset: offset !== undefined && offset > 0 ? offset : 0,
  };
}

export function paginate<T, R = T>(ctx: ApiContext, items: T[], present?: (item: T) => R, defaultLimit?: number): Page<R> {
  const { limit, offset } = pageParams(ctx, defaultLimit);
  const slice = items.slice(offset, offset + limit);
  return {
    count: items.length,
    next: offset + limit < items.length ? pageUrl(ctx, limit, offset + limit) : null,
    previous: offset <= 0 ? null : pageUrl(ctx, limit, offset - limit <= 0 ? null : offset - limit),
    results: present ? slice.map(present) : (slice as unknown as R[]),
  };
}

/** Like drf: same path and parameters, `limit` set, `offset` replaced (or removed for the first page). */
export function pageUrl(ctx: ApiContext, limit: number, offset: number | null): string {
  const params = new URLSearchParams(ctx.query);
  params.set('limit', String(limit));
  if (offset === null) params.delete('offset');
  else params.set('offset', String(offset));
  return `${POSTHOG_PUBLIC_ORIGIN}${ctx.path}?${params.toString()}`;
}
