/**
 * What a PostHog resource handler sees, and how project-scoped routes are registered: every `/api/projects/{id}/...`
 * route also answers under `/api/environments/{id}/...`, with `@current` resolved to the connection's first project.
 */
import type { Reply } from '../http.js';
import { ReplyError, notFound, permissionDenied, validationError } from '../http.js';
import type { Account, Connection, ProjectData } from '../model.js';
import type { QueryEngine } from '../query-engine.js';
import type { Params } from '../router.js';
import { Router } from '../router.js';
import type { EmulatorState } from '../state.js';

export interface ApiContext {
  method: string;
  /** The PostHog path as requested (without the gateway's `/posthog` prefix). */
  path: string;
  query: URLSearchParams;
  /** Parsed JSON body; undefined when there was none. */
  body: unknown;
  params: Params;
  state: EmulatorState;
  connection: Connection;
  account: Account;
  now: Date;
  queryEngine: QueryEngine | undefined;
}

export interface ProjectContext extends ApiContext {
  data: ProjectData;
  projectId: number;
}

export type ApiHandler = (ctx: ApiContext) => Reply | Promise<Reply>;
export type ProjectHandler = (ctx: ProjectContext) => Reply | Promise<Reply>;

const PROJECT_PREFIX = '/api/projects|environments/:projectId';

export class ApiRoutes {
  readonly router = new Router<ApiHandler>();

  add(method: string, pattern: string, handler: ApiHandler): this {
    this.router.add(method, pattern, handler);
    return this;
  }

  /** `sub` is relative to the project, e.g. `/feature_flags/:id`. */
  project(method: string, sub: string, handler: ProjectHandler): this {
    this.router.add(method, PROJECT_PREFIX + sub, (ctx) => {
      const data = resolveProject(ctx, ctx.params.projectId ?? '');
      return handler({ ...ctx, data, projectId: data.project.id });
    });
    return this;
  }
}

/** `@current`, or a numeric id the connection's account can see (403 for another account's, 404 for unknown). */
export function resolveProject(ctx: ApiContext, raw: string): ProjectData {
  const own = ctx.state.projectsOfAccount(ctx.account);
  if (raw === '@current') {
    const first = own[0];
    if (!first) throw new ReplyError(notFound());
    return first;
  }
  if (!/^\d+$/.test(raw)) throw new ReplyError(notFound());
  const data = ctx.state.project(Number(raw));
  if (!data) throw new ReplyError(notFound());
  if (data.accountId !== ctx.account.id) throw new ReplyError(permissionDenied("You don't have access to the project."));
  return data;
}

/** The body as a JSON object, or drf's "Expected a dictionary" error. */
export function bodyObject(ctx: ApiContext): Record<string, unknown> {
  const body = ctx.body ?? {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    const got = Array.isArray(body) ? 'list' : typeof body === 'string' ? 'str' : typeof body === 'number' ? 'int' : typeof body;
    throw new ReplyError(validationError(`Invalid data. Expected a dictionary, but got ${got}.`, 'non_field_errors', 'invalid'));
  }
  return body as Record<string, unknown>;
}

/** Finds a live (not soft-deleted) object by numeric id, or throws a 404. */
export function findLive<T extends { id: number | string }>(items: T[], rawId: string | undefined): T {
  const found = items.find((item) => String(item.id) === rawId && !isDeleted(item));
  if (!found) throw new ReplyError(notFound());
  return found;
}

export function live<T extends object>(items: T[]): T[] {
  return items.filter((item) => !isDeleted(item));
}

function isDeleted(item: object): boolean {
  return (item as { deleted?: unknown }).deleted === true;
}

export function intParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || !/^-?\d+$/.test(raw.trim())) return undefined;
  return Number(raw.trim());
}

/** drf-style booleans in query strings ("true", "1", "false", "0"); undefined when absent or unreadable. */
export function boolParam(query: URLSearchParams, name: string): boolean | undefined {
  const raw = query.get(name)?.toLowerCase();
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  return undefined;
}

/** A query parameter holding a JSON list (PostHog's convention for structured filters), or a single bare value. */
export function jsonListParam(query: URLSearchParams, name: string): unknown[] | undefined {
  const raw = query.get(name);
  if (raw === null || raw.trim() === '') return undefined;
  try {
    const parsed = JSON.parse(raw) as unknown;
    return Array.isArray(parsed) ? parsed : [parsed];
  } catch {
    return raw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }
}

export function icontains(haystack: unknown, needle: string): boolean {
  return typeof haystack === 'string' && haystack.toLowerCase().includes(needle.toLowerCase());
}
