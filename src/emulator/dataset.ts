/**
 * The demo dataset generator: persons, sessions and events with a believable shape (daily and weekly rhythm, a long
 * tail of heavy users, anonymous visitors who later sign up, purchases, experiment exposures).
 *
 * Deterministic: the same options give the same dataset. Persons (ids, distinct ids, emails) come from their own
 * random stream and do not depend on `now`, so they stay stable across restarts; session and event ids are
 * time-ordered UUIDs and move with `now`, as in PostHog. The pieces live in `./dataset/`; the order in which they draw
 * from the sessions and events streams is fixed here, and changing it changes every dataset.
 *
 * Fast on purpose (the HogQL engine loads this output into DuckDB): 200k events in a few hundred milliseconds.
 */
import type { DatasetOptions, DemoDataset, DemoSession } from './dataset-types.js';
import { createRng, deriveSeed } from './prng.js';
import type { EventSink } from './dataset/events.js';
import { playSession, sortByTime, urlCache } from './dataset/events.js';
import { sessionExposure, toExposures } from './dataset/experiments.js';
import { layoutSession } from './dataset/kinds.js';
import type { PersonDraft } from './dataset/persons.js';
import { draftPersons, finishPersons, noteFirstSession } from './dataset/persons.js';
import { planSession, sessionOwners, sessionRecord, sessionSizes } from './dataset/sessions.js';
import { DAY, timeSampler } from './dataset/time.js';

export const DEFAULT_FEATURED_PERSON = { email: 'ana@acme.com', name: 'Ana Alvarez' } as const;

export function generateDataset(opts: DatasetOptions): DemoDataset {
  const nowMs = opts.now.getTime();
  const startMs = nowMs - Math.max(1, opts.days) * DAY;
  const site = (opts.siteUrl ?? 'https://acme.com').replace(/\/+$/, '');
  const host = new URL(site).host;
  const featured = opts.featuredPerson ?? DEFAULT_FEATURED_PERSON;
  const exposures = toExposures(opts.experiments);

  const also = opts.alsoFeatured ?? [];
  const people = draftPersons(createRng(deriveSeed(opts.seed, 'persons')), Math.max(0, opts.persons), featured, also);
  const rngS = createRng(deriveSeed(opts.seed, 'sessions'));
  const rngE = createRng(deriveSeed(opts.seed, 'events'));

  const sizes = sessionSizes(rngS, Math.max(0, opts.events));
  const owners = people.length === 0 ? [] : sessionOwners(rngS, people, sizes.length, 1 + also.length);
  const sampleTime = timeSampler(startMs, nowMs);
  const starts = sizes.map(() => sampleTime(rngS.next(), rngS.next())).sort((a, b) => a - b);

  const urlOf = urlCache(site);
  const sink: EventSink = { events: [], times: [] };
  const sessions: DemoSession[] = [];

  for (let k = 0; k < sizes.length; k++) {
    const person = people[owners[k] as number] as PersonDraft;
    const size = sizes[k] as number;
    const plan = planSession(rngS, person, (owners[k] as number) <= also.length, size, starts[k] as number, nowMs);
    const exposure = sessionExposure(exposures, plan.start, person.id);
    const canBuy = plan.loggedInAtStart || plan.identifiesNow;
    const layout = layoutSession(rngE, size, exposure.variants, plan.identifiesNow, canBuy, exposure.liftFactor);
    const outcome = playSession(rngE, person, plan, exposure, layout, host, urlOf, sink);
    if (plan.nth === 0) noteFirstSession(person, plan.start, outcome.entryUrl, plan.referrer, plan.utm);
    sessions.push(sessionRecord(rngS, person, plan, outcome));
  }

  return { persons: finishPersons(people, startMs, nowMs), events: sortByTime(sink), sessions };
}
