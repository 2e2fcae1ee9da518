/**
 * The common shape of a PostHog model viewset: list (paginated, filtered, ordered), create, retrieve, partial update
 * and either soft delete only (`DELETE` -> 405, `PATCH {"deleted": true}` hides) or a real delete (204).
 */
import type { Reply } from '../http.js';
import { json, noContent, softDeleteOnly } from '../http.js';
import type { ProjectData, Stored } from '../model.js';
import type { ApiRoutes, ProjectContext } from './context.js';
import { bodyObject, findLive, icontains, live } from './context.js';
import { paginate } from './pagination.js';
import { optionalBool } from './validate.js';

export interface CrudSpec<T extends Stored> {
  /** e.g. `/dashboards`. */
  path: string;
  collection: (data: ProjectData) => T[];
  softDelete: boolean;
  /** Fields `?search=` looks in (case-insensitive substring); an empty list: the viewset has no search and ignores it. */
  searchFields?: string[];
  filter?: (ctx: ProjectContext, item: T) => boolean;
  order?: (a: T, b: T) => number;
  /** Detail view; defaults to the stored object. */
  present?: (ctx: ProjectContext, item: T) => unknown;
  /** List items; defaults to `present`. */
  presentListItem?: (ctx: ProjectContext, item: T) => unknown;
  /** Validates and builds; the helper stores it. */
  create: (ctx: ProjectContext, body: Record<string, unknown>) => T;
  /** Validates everything first, then mutates `item` (a 400 must leave it unchanged). */
  update: (ctx: ProjectContext, item: T, body: Record<string, unknown>) => void;
}

export function registerCrud<T extends Stored>(routes: ApiRoutes, spec: CrudSpec<T>): void {
  const present = (ctx: ProjectContext, item: T) => (spec.present ? spec.present(ctx, item) : item);
  const item = `${spec.path}/:id`;
  routes
    .project('GET', spec.path, (ctx) => {
      const search = ctx.query.get('search')?.trim();
      const fields = spec.searchFields ?? ['name'];
      let items = live(spec.collection(ctx.data))
        .filter((i) => !search || fields.length === 0 || fields.some((f) => icontains(i[f], search)))
        .filter((i) => !spec.filter || spec.filter(ctx, i));
      if (spec.order) items = [...items].sort(spec.order);
      return json(
        200,
        paginate(ctx, items, (i) => (spec.presentListItem ?? present)(ctx, i)),
      );
    })
    .project('POST', spec.path, (ctx) => {
      const created = spec.create(ctx, bodyObject(ctx));
      spec.collection(ctx.data).push(created);
      return json(201, present(ctx, created));
    })
    .project('GET', item, (ctx) => json(200, present(ctx, findLive(spec.collection(ctx.data), ctx.params.id))))
    .project('PATCH', item, (ctx) => update(ctx, spec, present))
    .project('PUT', item, (ctx) => update(ctx, spec, present))
    .project('DELETE', item, (ctx): Reply => {
      const found = findLive(spec.collection(ctx.data), ctx.params.id);
      if (spec.softDelete) return softDeleteOnly();
      const collection = spec.collection(ctx.data);
      collection.splice(collection.indexOf(found), 1);
      return noContent();
    });
}

function update<T extends Stored>(ctx: ProjectContext, spec: CrudSpec<T>, present: (ctx: ProjectContext, item: T) => unknown): Reply {
  const found = findLive(spec.collection(ctx.data), ctx.params.id);
  const body = bodyObject(ctx);
  const deleted = spec.softDelete ? optionalBool(body, 'deleted') : undefined;
  spec.update(ctx, found, body);
  if (deleted !== undefined) (found as Stored).deleted = deleted;
  return json(200, present(ctx, found));
}

export const byNewest = (a: Stored, b: Stored): number =>
  String(b.created_at ?? '').localeCompare(String(a.created_at ?? '')) || String(b.id).localeCompare(String(a.id), 'en', { numeric: true });

export const byName = (a: Stored, b: Stored): number => String(a.name ?? '').localeCompare(String(b.name ?? ''));
