/**
 * Sessions: how many events each holds, whose they are, and the per-session facts drawn from the sessions stream
 * (timing, ids, recording, referrer). Every draw from `rng` here happens in a fixed order: reordering them changes
 * the whole dataset.
 */
import * as C from '../dataset-catalog.js';
import type { DemoSession } from '../dataset-types.js';
import type { Rng } from '../prng.js';
import type { PersonDraft } from './persons.js';
import { SECOND, lowerBound } from './time.js';

const FEATURED_SESSIONS = 8;

export interface SessionPlan {
  /** The person's nth session (0-based). */
  nth: number;
  identifiesNow: boolean;
  /** `gaps[j - 1]` is the time between event j - 1 and event j. */
  gaps: number[];
  /** Time the session runs on after its last event. */
  tail: number;
  start: number;
  sessionId: string;
  windowId: string;
  recorded: boolean;
  consoleErrors: number;
  loggedInAtStart: boolean;
  utm: string | null;
  referrer: string;
}

export function sessionSizes(rng: Rng, totalEvents: number): number[] {
  const sizes: number[] = [];
  let total = 0;
  while (total < totalEvents) {
    const size = Math.min(totalEvents - total, 1 + Math.min(59, Math.floor(rng.exp(6.5))));
    sizes.push(size);
    total += size;
  }
  return sizes;
}

/** Everyone gets a session if there are enough; the featured person gets several; the rest follow a heavy tail. */
export function sessionOwners(rng: Rng, people: PersonDraft[], sessionCount: number, featuredCount = 1): number[] {
  const owners: number[] = [];
  const featured = Math.min(featuredCount, people.length);
  for (let f = 0; f < featured; f++) for (let k = 0; k < FEATURED_SESSIONS && owners.length < sessionCount; k++) owners.push(f);
  for (let i = featured; i < people.length && owners.length < sessionCount; i++) owners.push(i);
  const cumulative = new Float64Array(people.length);
  let total = 0;
  for (let i = 0; i < people.length; i++) cumulative[i] = total += (people[i] as PersonDraft).weight;
  while (owners.length < sessionCount) {
    const u = rng.next() * total;
    owners.push(total > 0 ? lowerBound(cumulative, u) : 0);
  }
  for (let i = owners.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [owners[i], owners[j]] = [owners[j] as number, owners[i] as number];
  }
  for (const o of owners) (people[o] as PersonDraft).sessionCount++;
  return owners;
}

/** Counts the session against the person and draws its facts; the featured person's sessions are always recorded. */
export function planSession(
  rng: Rng,
  person: PersonDraft,
  featured: boolean,
  size: number,
  sampledStart: number,
  nowMs: number,
): SessionPlan {
  const nth = person.seen++;
  const identifiesNow = person.wantsIdentify && !person.identified && nth >= Math.min(person.identifyAt, person.sessionCount - 1);

  // Timing first, so the whole session can be kept before `now`.
  const gaps: number[] = [];
  let span = 0;
  for (let j = 1; j < size; j++) {
    const gap = Math.min(5 * 60 * SECOND, 2 * SECOND + rng.exp(25 * SECOND));
    gaps.push(gap);
    span += gap;
  }
  const tail = 2 * SECOND + rng.int(20 * SECOND);
  let start = sampledStart;
  if (start + span + tail > nowMs) start = nowMs - span - tail - SECOND;
  const sessionId = rng.uuid7(start);
  const windowId = rng.uuid7(start);
  const recorded = featured || rng.chance(0.72);
  const consoleErrors = rng.chance(0.12) ? 1 + rng.int(5) : 0;
  const loggedInAtStart = person.identified;
  const utm = nth === 0 || rng.chance(0.1) ? (rng.chance(0.45) ? rng.weighted(C.UTM_SOURCES, C.UTM_WEIGHTS) : null) : null;
  const referrer = loggedInAtStart ? '$direct' : rng.weighted(C.REFERRERS, C.REFERRER_WEIGHTS);
  return { nth, identifiesNow, gaps, tail, start, sessionId, windowId, recorded, consoleErrors, loggedInAtStart, utm, referrer };
}

/** What the session's events produced, needed to close it. */
export interface SessionOutcome {
  lastEventAt: number;
  pageviews: number;
  clicks: number;
  entryUrl: string;
  exitUrl: string;
}

/** Closes the session; draws keypresses then active time from `rng`, after all its events. */
export function sessionRecord(rng: Rng, person: PersonDraft, plan: SessionPlan, outcome: SessionOutcome): DemoSession {
  const end = outcome.lastEventAt + plan.tail;
  const duration = (end - plan.start) / SECOND;
  return {
    id: plan.sessionId,
    distinctId: plan.loggedInAtStart ? person.email : person.anonId,
    personId: person.id,
    start: new Date(plan.start),
    end: new Date(end),
    pageviews: outcome.pageviews,
    clicks: outcome.clicks,
    keypresses: plan.loggedInAtStart ? rng.int(60) : rng.int(8),
    consoleErrors: plan.consoleErrors,
    activeSeconds: Math.max(1, Math.round(duration * (0.45 + 0.5 * rng.next()))),
    entryUrl: outcome.entryUrl,
    exitUrl: outcome.exitUrl,
    hasRecording: plan.recorded,
  };
}
