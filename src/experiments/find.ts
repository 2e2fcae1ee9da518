/** Finds the experiment a user means by id or by (part of) its name. */
import { escapeMrkdwn } from '../../views/blocks.js';
import { CommandError } from '../errors.js';
import type { PostHogClient } from '../posthog/client.js';
import { isUpstreamError } from '../posthog/errors.js';
import { path } from '../posthog/path.js';
import { closestMatches } from '../registry/suggest.js';
import { type Experiment, experimentSchema } from './experiment.js';

export type ExperimentLookup = { kind: 'found'; experiment: Experiment } | { kind: 'several'; experiments: Experiment[] };

const MAX_CANDIDATES = 200;
/** How many experiments a flag-key lookup reads (PostHog's search cannot find a flag key). */
const MAX_SCANNED = 1000;

export async function getExperiment(posthog: PostHogClient, projectId: number, id: number): Promise<Experiment> {
  try {
    return await posthog.request('GET', path`/api/projects/${projectId}/experiments/${id}/`, experimentSchema);
  } catch (error) {
    if (isUpstreamError(error) && error.kind === 'posthog_not_found') {
      throw new CommandError(`No experiment \`${id}\` in this project. See \`/ph experiments\`.`);
    }
    throw error;
  }
}

/** An id is fetched; a name matches exactly (ignoring case) first, then as a substring; several matches are returned for a pick list. */
export async function findExperiment(posthog: PostHogClient, projectId: number, query: string): Promise<ExperimentLookup> {
  const wanted = query.trim();
  if (/^\d+$/.test(wanted)) return { kind: 'found', experiment: await getExperiment(posthog, projectId, Number(wanted)) };
  const list = (search?: string) =>
    posthog
      .collect(path`/api/projects/${projectId}/experiments/`, experimentSchema, {
        maxItems: MAX_CANDIDATES,
        ...(search ? { query: { search } } : {}),
      })
      .then((c) => c.items);
  const lower = wanted.toLowerCase();
  // PostHog's experiment search matches names only (name__icontains): a flag key is looked for here, over the list.
  const candidates = await list(wanted);
  const exact = candidates.filter((e) => e.name.toLowerCase() === lower);
  const matches = exact.length > 0 ? exact : candidates.filter((e) => e.name.toLowerCase().includes(lower));
  if (matches.length === 1) return { kind: 'found', experiment: matches[0] as Experiment };
  if (matches.length > 1) return { kind: 'several', experiments: matches };
  const all = (await posthog.collect(path`/api/projects/${projectId}/experiments/`, experimentSchema, { maxItems: MAX_SCANNED })).items;
  const byKey = all.filter((e) => e.feature_flag_key.toLowerCase() === lower);
  if (byKey.length === 1) return { kind: 'found', experiment: byKey[0] as Experiment };
  if (byKey.length > 1) return { kind: 'several', experiments: byKey };
  const close = closestMatches(
    wanted,
    all.map((e) => e.name),
  );
  const hint = close.length > 0 ? ` Did you mean ${close.map((n) => `“${escapeMrkdwn(n)}”`).join(' or ')}?` : ' See `/ph experiments`.';
  throw new CommandError(`No experiment named “${escapeMrkdwn(wanted)}” in this project.${hint}`);
}
