/**
 * Persons: drafted up front from their own random stream (so ids and emails do not depend on `now`), updated while
 * their sessions are generated, then turned into PostHog-shaped persons.
 */
import * as C from '../dataset-catalog.js';
import type { DemoPerson } from '../dataset-types.js';
import type { Rng } from '../prng.js';
import { DAY } from './time.js';

/** Anonymous ids are UUIDv7-shaped; their time part comes from the seed, not the clock, to keep them stable. */
const ANON_EPOCH_MS = Date.UTC(2024, 0, 1);

export interface PersonDraft {
  id: string;
  anonId: string;
  email: string;
  name: string;
  company: string;
  plan: (typeof C.PLANS)[number];
  device: C.Device;
  browserVersion: number;
  location: readonly [string, string];
  wantsIdentify: boolean;
  /** Which of the person's sessions (0-based) carries the `$identify`. */
  identifyAt: number;
  weight: number;
  sessionCount: number;
  seen: number;
  identified: boolean;
  firstSeenMs: number;
  /** Where in the window a person with no session was created (0..1). */
  fallbackCreated: number;
  initialUrl: string | null;
  initialReferrer: string | null;
  initialUtm: string | null;
}

export function draftPersons(
  rng: Rng,
  count: number,
  first: { email: string; name: string },
  also: ReadonlyArray<{ email: string; name: string }> = [],
): PersonDraft[] {
  // The featured persons come first: index 0 is `first`, then `also`, in order.
  const featuredList = [first, ...also];
  const emails = new Set<string>(featuredList.map((f) => f.email.toLowerCase()));
  const people: PersonDraft[] = [];
  for (let i = 0; i < count; i++) {
    const isFeatured = i < featuredList.length;
    const featured = featuredList[Math.min(i, featuredList.length - 1)]!;
    const first = rng.pick(C.FIRST_NAMES);
    const last = rng.pick(C.LAST_NAMES);
    const domain = rng.weighted(C.EMAIL_DOMAINS, C.EMAIL_DOMAIN_WEIGHTS);
    let email = isFeatured ? featured.email : `${ascii(first)}.${ascii(last)}@${domain}`;
    for (let n = 2; !isFeatured && emails.has(email); n++) email = `${ascii(first)}.${ascii(last)}${n}@${domain}`;
    emails.add(email);
    const wantsIdentify = isFeatured || rng.chance(0.45);
    const identifiedWeight = wantsIdentify ? 2.5 : 1;
    const device = rng.weighted(C.DEVICES, C.DEVICE_WEIGHTS);
    people.push({
      id: rng.uuid4(),
      anonId: rng.uuid7(ANON_EPOCH_MS + rng.int(365 * DAY)),
      email,
      name: isFeatured ? featured.name : `${first} ${last}`,
      company: companyOf(email.split('@')[1] ?? ''),
      plan: isFeatured ? 'enterprise' : rng.weighted(C.PLANS, C.PLAN_WEIGHTS),
      device,
      browserVersion: rng.pick(device.versions),
      location: rng.weighted(C.LOCATIONS, C.LOCATION_WEIGHTS),
      wantsIdentify,
      identifyAt: isFeatured ? 0 : rng.chance(0.65) ? 0 : 1 + rng.int(2),
      weight: isFeatured ? 0 : Math.pow(rng.exp(1), 1.6) * identifiedWeight,
      sessionCount: 0,
      seen: 0,
      identified: false,
      firstSeenMs: Number.NaN,
      // Drawn here even if unused, so the stream does not depend on how sessions fall.
      fallbackCreated: rng.next(),
      initialUrl: null,
      initialReferrer: null,
      initialUtm: null,
    });
  }
  return people;
}

/** The `$initial_*` person properties come from the person's first session. */
export function noteFirstSession(person: PersonDraft, startMs: number, entryUrl: string, referrer: string, utm: string | null): void {
  person.firstSeenMs = startMs;
  person.initialUrl = entryUrl;
  person.initialReferrer = referrer;
  person.initialUtm = utm;
}

export function finishPersons(people: PersonDraft[], startMs: number, nowMs: number): DemoPerson[] {
  return people.map((p) => {
    const created = Number.isNaN(p.firstSeenMs) ? startMs + p.fallbackCreated * (nowMs - startMs) : p.firstSeenMs;
    const properties: Record<string, unknown> = {
      $initial_browser: p.device.browser,
      $initial_os: p.device.os,
      $initial_device_type: p.device.deviceType,
      $geoip_country_code: p.location[0],
      $geoip_city_name: p.location[1],
      $browser: p.device.browser,
      $os: p.device.os,
    };
    if (p.initialUrl !== null) {
      properties.$initial_current_url = p.initialUrl;
      properties.$initial_pathname = new URL(p.initialUrl).pathname;
    }
    if (p.initialReferrer !== null) properties.$initial_referring_domain = referringDomain(p.initialReferrer);
    if (p.initialUtm !== null) properties.$initial_utm_source = p.initialUtm;
    if (p.identified) {
      properties.email = p.email;
      properties.name = p.name;
      properties.plan = p.plan;
      properties.company = p.company;
    }
    return {
      id: p.id,
      distinctIds: p.identified ? [p.anonId, p.email] : [p.anonId],
      properties,
      createdAt: new Date(created),
      isIdentified: p.identified,
    };
  });
}

function referringDomain(referrer: string): string {
  return referrer === '$direct' ? '$direct' : new URL(referrer).host;
}

function ascii(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

function companyOf(domain: string): string {
  const personal = ['gmail.com', 'outlook.com', 'yahoo.com', 'hey.com', 'proton.me'];
  if (personal.includes(domain)) return '';
  const word = domain.split('.')[0] ?? domain;
  return word.charAt(0).toUpperCase() + word.slice(1);
}
