/**
 * Finds the person a Slack user means by an email, a distinct id, a person UUID or a name, the way people type them
 * (Slack sends emails as `<mailto:a@b.com|a@b.com>`). When nothing matches, offers the closest persons instead of a
 * bare "not found".
 */
import type { PostHogClient } from '../posthog/client.js';
import { orNullOn404 } from '../posthog/errors.js';
import { path } from '../posthog/path.js';
import { editDistance } from '../registry/suggest.js';
import { type Person, personEmail, personLabel, personSchema } from './schemas.js';

export type PersonLookup =
  | { kind: 'found'; person: Person }
  /** `total`: how many matched in all, when PostHog said (the list holds at most the first few). */
  | { kind: 'several'; persons: Person[]; total: number | null }
  | { kind: 'none'; suggestions: Person[] };

const SEARCH_LIMIT = 100;
const MAX_PICKS = 10;
const MAX_SUGGESTIONS = 5;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `<mailto:ana@acme.com|ana@acme.com>` -> `ana@acme.com`; other text trimmed. */
export function normalizePersonInput(raw: string): string {
  const text = raw.trim();
  const mailto = /^<mailto:([^|>]+)(?:\|[^>]*)?>$/i.exec(text);
  return (mailto?.[1] ?? text).trim();
}

export function looksLikeEmail(text: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text);
}

export async function resolvePerson(posthog: PostHogClient, projectId: number, raw: string): Promise<PersonLookup> {
  const input = normalizePersonInput(raw);
  const page = (query: Record<string, string>, limit = MAX_PICKS) =>
    posthog.listPage(path`/api/projects/${projectId}/persons/`, personSchema, { limit, query });
  const list = (query: Record<string, string>, limit = MAX_PICKS) => page(query, limit).then((p) => p.results);

  if (looksLikeEmail(input)) {
    const byEmail = await page({ email: input });
    if (byEmail.results.length > 0) return oneOrSeveral(byEmail);
  }
  // Identified persons often use their email as a distinct id too, so an email that matched no property still may.
  const byDistinctId = await page({ distinct_id: input });
  if (byDistinctId.results.length > 0) return oneOrSeveral(byDistinctId);
  if (UUID.test(input)) {
    const byUuid = await getPerson(posthog, projectId, input);
    if (byUuid) return { kind: 'found', person: byUuid };
  }
  if (!looksLikeEmail(input)) {
    const bySearch = await page({ search: input });
    if (bySearch.results.length > 0) return oneOrSeveral(bySearch);
  }
  return { kind: 'none', suggestions: await closestPersons(list, input) };
}

async function getPerson(posthog: PostHogClient, projectId: number, id: string): Promise<Person | null> {
  return orNullOn404(() => posthog.request('GET', path`/api/projects/${projectId}/persons/${id}/`, personSchema));
}

function oneOrSeveral(page: { results: Person[]; count: number | null }): PersonLookup {
  const unique = [...new Map(page.results.map((p) => [String(p.uuid ?? p.id), p])).values()];
  return unique.length === 1 ? { kind: 'found', person: unique[0] as Person } : { kind: 'several', persons: unique, total: page.count };
}

/**
 * Persons whose email (or name) is a few typos away from the input. PostHog's `search` is a substring match, so
 * the candidates come from searching the pieces a typo is least likely to touch: the domain and the name's start.
 */
async function closestPersons(
  list: (query: Record<string, string>, limit?: number) => Promise<Person[]>,
  input: string,
): Promise<Person[]> {
  const [local = '', domain = ''] = input.toLowerCase().split('@');
  const terms = [...new Set([domain, local.slice(0, 3), local.split(/[\s.]/)[0] ?? ''].filter((t) => t.length >= 2))];
  const pools = await Promise.all(terms.map((search) => list({ search }, SEARCH_LIMIT)));
  const candidates = [...new Map(pools.flat().map((p) => [String(p.uuid ?? p.id), p])).values()];
  const needle = input.toLowerCase();
  const scored = candidates
    .map((person) => {
      const keys = [personEmail(person), personLabel(person)].filter((k): k is string => k !== null).map((k) => k.toLowerCase());
      return { person, distance: Math.min(...keys.map((k) => editDistance(needle, k))) };
    })
    .filter(({ distance }) => distance <= Math.max(2, Math.ceil(needle.length / 4)))
    .sort((a, b) => a.distance - b.distance || personLabel(a.person).localeCompare(personLabel(b.person)));
  return scored.slice(0, MAX_SUGGESTIONS).map((s) => s.person);
}
