import { z } from 'zod';
import { context, escapeMrkdwn, type Message, section } from '../../views/blocks.js';
import type { PageModel } from '../../views/pager.js';
import { type PickOption, pickListMessage } from '../../views/pick-list.js';
import { CommandError } from '../errors.js';
import type { PostHogClient, Query } from '../posthog/client.js';
import type { CommandContext } from '../registry/command.js';
import { orNullOn404 } from '../posthog/errors.js';
import { findByIdOrName, linkProjectId, missHint, quoteArg } from './named.js';

/*
 * The list and show commands of PostHog's named objects (actions, cohorts, dashboards, insights, surveys, definitions)
 * page and resolve names the same way, so each command file says only what is its own: path, schema, rows, nouns.
 */

/** What `ctx.projectId()` answers: the chosen project, or PostHog's `@current`. */
export type ProjectSelector = number | '@current';

/** `--offset N` on every paged list. */
export const offsetArg = z.coerce.number().int().min(0).optional();

export interface PageRequest<T> {
  /** The list command's own words, e.g. `actions`: the More button re-runs them with the search and `options`. */
  command: string;
  /** Options the More button must repeat after the search, e.g. `--type person`; empty ones are skipped. */
  options?: ReadonlyArray<string | null>;
  path: string;
  schema: z.ZodType<T>;
  limit: number;
  offset?: number | undefined;
  /** Sent as PostHog's `?search=` when not empty (or matched here, see `localSearch`). */
  search?: string | null | undefined;
  /**
   * For lists PostHog cannot search (dashboards, actions take no `search` and ignore it): the texts `search` must appear
   * in. Hogbot then pages through the list itself (up to LOCAL_SEARCH_CAP objects) and filters here.
   */
  localSearch?: (item: T) => Array<string | null | undefined>;
  /** Sent with every page besides `search`, e.g. `{ saved: true }`. */
  query?: Query;
}

/**
 * How many objects Hogbot reads to search a list PostHog cannot search: 10 pages of 100. A project with more is told
 * that only the first ones were searched (see `capNotice`).
 */
export const LOCAL_SEARCH_CAP = 1000;

/** Case-insensitive "contains" over the texts an object is searched by. */
export function matchesSearch(texts: Array<string | null | undefined>, search: string): boolean {
  const wanted = search.trim().toLowerCase();
  return texts.some((t) => typeof t === 'string' && t.toLowerCase().includes(wanted));
}

/** Every object of a list PostHog cannot search (up to the cap) whose texts contain `search`. */
export async function searchLocally<T>(
  posthog: PostHogClient,
  listPath: string,
  schema: z.ZodType<T>,
  search: string,
  textsOf: (item: T) => Array<string | null | undefined>,
  query?: Query,
): Promise<{ items: T[]; capped: boolean }> {
  const all = await posthog.collect(listPath, schema, { maxItems: LOCAL_SEARCH_CAP, ...(query ? { query } : {}) });
  return { items: all.items.filter((item) => matchesSearch(textsOf(item), search)), capped: all.truncated };
}

/** Said under a list or a miss when the project has more objects than Hogbot searches. */
export function capNotice(noun: string): string {
  return `This project has more than ${LOCAL_SEARCH_CAP.toLocaleString('en-US')} ${noun}s and PostHog cannot search them: only the first ${LOCAL_SEARCH_CAP.toLocaleString('en-US')} were searched. Open PostHog to search them all.`;
}

/** One page of a PostHog list and the pager model for it; `capped` when a local search stopped at the cap. */
export async function fetchPage<T>(posthog: PostHogClient, r: PageRequest<T>): Promise<{ results: T[]; page: PageModel; capped: boolean }> {
  const offset = r.offset ?? 0;
  const command = [r.command, r.search ? quoteArg(r.search) : null, ...(r.options ?? [])].filter(Boolean).join(' ');
  if (r.search && r.localSearch) {
    const { items, capped } = await searchLocally(posthog, r.path, r.schema, r.search, r.localSearch, r.query);
    const results = items.slice(offset, offset + r.limit);
    const nextOffset = offset + r.limit < items.length ? offset + r.limit : null;
    return { results, capped, page: { command, offset, shown: results.length, total: items.length, nextOffset } };
  }
  const query = { ...r.query, ...(r.search ? { search: r.search } : {}) };
  const page = await posthog.listPage(r.path, r.schema, { limit: r.limit, offset, query });
  return {
    results: page.results,
    capped: false,
    page: { command, offset, shown: page.results.length, total: page.count, nextOffset: page.nextOffset },
  };
}

export interface ListSpec<T, R> extends Omit<PageRequest<T>, 'path'> {
  path: (pid: ProjectSelector) => string;
  row: (item: T) => R;
}

/** Where a view's links point: the PostHog app and the project's number. */
export interface Where {
  appUrl: string;
  projectId: number;
}

/** What a list view takes: rows, the search they match, where links point, and the pager. */
export interface ListModel<R> extends Where {
  rows: R[];
  search: string | null;
  page: PageModel;
  /** True when a local search stopped at LOCAL_SEARCH_CAP objects: say so under the list (see `withCapNotice`). */
  capped?: boolean;
}

/** A page of the workspace's project's objects, ready for the family's list view. */
export async function listResource<T, R>(ctx: CommandContext, spec: ListSpec<T, R>): Promise<ListModel<R>> {
  const [posthog, pid, linkPid] = await Promise.all([ctx.posthog(), ctx.projectId(), linkProjectId(ctx)]);
  const { results, page, capped } = await fetchPage(posthog, { ...spec, path: spec.path(pid) });
  return { rows: results.map(spec.row), search: spec.search ?? null, appUrl: ctx.config.posthogAppUrl, projectId: linkPid, page, capped };
}

/** The list message, with the cap's notice under it when a local search stopped short. */
export function withCapNotice(message: Message, capped: boolean | undefined, noun: string): Message {
  if (!capped) return message;
  return { ...message, blocks: [...(message.blocks ?? [section(message.text)]), context(`:warning: ${capNotice(noun)}`)] };
}

export interface FindSpec<T> {
  /** What the user typed. */
  input: string;
  /** Singular, for the pick list and the miss: `action`. */
  noun: string;
  /** The list command a miss points to: `actions`. */
  listCommand: string;
  /** How a miss names the input, before it: `with id or name` (default), `named`, … */
  missing?: string;
  /** The list endpoint, searched by name. */
  path: (pid: ProjectSelector) => string;
  schema: z.ZodType<T>;
  /** Sent with every search besides `search`, e.g. `{ saved: true }`. */
  query?: Query;
  /**
   * False for lists PostHog cannot search (dashboards, actions): names are then matched here over the whole list (up to
   * LOCAL_SEARCH_CAP objects) instead of sending `?search=`.
   */
  serverSearch?: boolean;
  /** The object when `input` is one of its ids; null when it is not one (no request) or PostHog has none (404). */
  byId?: (at: { pid: ProjectSelector; posthog: PostHogClient; get: (path: string) => Promise<T | null> }) => Promise<T | null> | null;
  nameOf: (item: T) => string;
  /** The object's line and button in a pick list. */
  pick: (item: T) => PickOption;
}

/** One object, or the pick list to answer with when several names match. */
export type Resolved<T> = { kind: 'one'; item: T } | { kind: 'pick'; message: Message };

/**
 * Resolves `<id|name>` for a show (or write) command: by id, then by name. Several matches come back as a pick list;
 * none throws a CommandError with the closest names.
 */
export async function findResource<T>(ctx: CommandContext, spec: FindSpec<T>): Promise<Resolved<T>> {
  const [posthog, pid] = await Promise.all([ctx.posthog(), ctx.projectId()]);
  const { input, schema, byId } = spec;
  const get = (p: string) => orNullOn404(() => posthog.request('GET', p, schema));
  let capped = false;
  // One read of the whole list serves both the local search and the miss's suggestions.
  let everything: Promise<T[]> | null = null;
  const all = () => {
    everything ??= posthog
      .collect(spec.path(pid), schema, { maxItems: LOCAL_SEARCH_CAP, ...(spec.query ? { query: spec.query } : {}) })
      .then((c) => {
        capped = c.truncated;
        return c.items;
      });
    return everything;
  };
  const found = await findByIdOrName({
    input,
    byId: byId ? async () => byId({ pid, posthog, get }) : undefined,
    search: async () =>
      spec.serverSearch === false
        ? (await all()).filter((item) => matchesSearch([spec.nameOf(item)], input))
        : (await posthog.listPage(spec.path(pid), schema, { limit: 50, query: { ...spec.query, search: input } })).results,
    names: async () =>
      spec.serverSearch === false
        ? (await all()).map(spec.nameOf)
        : (await posthog.collect(spec.path(pid), schema, { maxItems: 200, query: spec.query })).items.map(spec.nameOf),
    nameOf: spec.nameOf,
  });
  if (found.kind === 'many')
    return { kind: 'pick', message: pickListMessage({ noun: spec.noun, query: input, options: found.items.map(spec.pick) }) };
  if (found.kind === 'none') {
    const what = `${spec.missing ?? 'with id or name'} “${escapeMrkdwn(input)}”`;
    const cap = capped ? ` ${capNotice(spec.noun)}` : '';
    throw new CommandError(`No ${spec.noun} ${what} in this project.${missHint(found.suggestions, spec.listCommand)}${cap}`);
  }
  return { kind: 'one', item: found.item };
}

/** A show command's answer: the object's card, or the pick list (a miss throws, see findResource). */
export async function showResource<T>(
  ctx: CommandContext,
  spec: FindSpec<T>,
  card: (item: T, where: Where) => Message | Promise<Message>,
): Promise<Message> {
  const [found, projectId] = await Promise.all([findResource(ctx, spec), linkProjectId(ctx)]);
  if (found.kind === 'pick') return found.message;
  return card(found.item, { appUrl: ctx.config.posthogAppUrl, projectId });
}
