/**
 * Events: plays a laid-out session through, page by page, drawing from the events stream, and sorts the result.
 */
import * as C from '../dataset-catalog.js';
import type { DemoEvent } from '../dataset-types.js';
import type { Rng } from '../prng.js';
import type { SessionExposure } from './experiments.js';
import { Kind, fillKind } from './kinds.js';
import type { SessionLayout } from './kinds.js';
import type { PersonDraft } from './persons.js';
import type { SessionOutcome, SessionPlan } from './sessions.js';
import { SECOND } from './time.js';

const SIGNUP_METHODS = ['email', 'google', 'github'] as const;

interface SessionProps {
  browser: string;
  browserVersion: number;
  os: string;
  deviceType: string;
  host: string;
  country: string;
  city: string;
  sessionId: string;
  windowId: string;
  utm: string | null;
  flags: (readonly [string, string])[];
}

export interface EventSink {
  events: DemoEvent[];
  /** `times[i]` is `events[i]`'s timestamp in ms, kept apart so sorting need not read Date objects. */
  times: number[];
}

/** Full URLs for site paths, built once per path: 200k string concatenations add up. */
export function urlCache(site: string): (path: string) => string {
  const urls = new Map<string, string>();
  return (path) => {
    let url = urls.get(path);
    if (url === undefined) urls.set(path, (url = site + path));
    return url;
  };
}

/** Emits the session's events into `sink`; marks the person identified at their `$identify`. */
export function playSession(
  rng: Rng,
  person: PersonDraft,
  plan: SessionPlan,
  exposure: SessionExposure,
  layout: SessionLayout,
  host: string,
  urlOf: (path: string) => string,
  sink: EventSink,
): SessionOutcome {
  const { loggedInAtStart } = plan;
  const { kinds, flagSlots, identifyIdx } = layout;
  const session: SessionProps = {
    browser: person.device.browser,
    browserVersion: person.browserVersion,
    os: person.device.os,
    deviceType: person.device.deviceType,
    host,
    country: person.location[0],
    city: person.location[1],
    sessionId: plan.sessionId,
    windowId: plan.windowId,
    utm: plan.utm,
    flags: exposure.flags,
  };
  const at = (pathname: string): Record<string, unknown> => eventProps(session, urlOf(pathname), pathname);
  let t = plan.start;
  let path = pickPage(rng, loggedInAtStart);
  const entryUrl = urlOf(path);
  let pageviews = 0;
  let clicks = 0;
  let lastPageviewAt = t;
  for (let j = 0; j < kinds.length; j++) {
    if (j > 0) t += plan.gaps[j - 1] as number;
    const loggedIn = loggedInAtStart || (identifyIdx >= 0 && j >= identifyIdx);
    let kind = kinds[j] as Kind;
    if (kind === Kind.Fill) kind = fillKind(rng, loggedIn);
    const distinctId = loggedIn ? person.email : person.anonId;
    let props: Record<string, unknown>;
    let event: string;
    let elementsChain = '';
    switch (kind) {
      case Kind.Pageview: {
        const previous = path;
        if (j > 0) path = nextPage(rng, loggedIn, path);
        event = '$pageview';
        props = at(path);
        props.$referrer = j === 0 ? plan.referrer : urlOf(previous);
        pageviews++;
        lastPageviewAt = t;
        break;
      }
      case Kind.Autocapture: {
        const target = rng.pick(C.CLICK_TARGETS);
        event = '$autocapture';
        props = at(path);
        props.$event_type = 'click';
        props.$el_text = target.text;
        elementsChain = target.chain;
        clicks++;
        break;
      }
      case Kind.InsightViewed:
        event = 'insight viewed';
        props = at(path);
        props.insight_type = rng.weighted(C.INSIGHT_TYPES, C.INSIGHT_TYPE_WEIGHTS);
        props.insight_id = 1 + rng.int(40);
        break;
      case Kind.Identify:
        event = '$identify';
        props = at(path);
        props.$anon_distinct_id = person.anonId;
        props.$set = { email: person.email, name: person.name };
        person.identified = true;
        break;
      case Kind.SignedUp:
        event = 'signed_up';
        props = at('/signup');
        props.plan = person.plan;
        props.signup_method = rng.pick(SIGNUP_METHODS);
        break;
      case Kind.Purchase: {
        const plan = person.plan === 'free' ? 'pro' : person.plan;
        event = 'purchase';
        props = at('/checkout');
        props.amount = rng.pick(C.PLAN_PRICES[plan]);
        props.plan = plan;
        props.currency = 'USD';
        break;
      }
      case Kind.FlagCalled: {
        // The n-th flag slot names the n-th experiment this person is exposed to (not the n-th active one).
        const called = exposure.exposed[flagSlots.indexOf(j)]!;
        event = '$feature_flag_called';
        props = at(path);
        props.$feature_flag = called.flagKey;
        props.$feature_flag_response = called.variant;
        break;
      }
      default:
        event = '$pageleave';
        props = at(path);
        props.$prev_pageview_duration = Math.round((t - lastPageviewAt) / SECOND);
    }
    sink.events.push({
      uuid: rng.uuid7(t),
      event,
      distinctId,
      personId: person.id,
      timestamp: new Date(t),
      properties: props,
      elementsChain,
    });
    sink.times.push(t);
  }
  return { lastEventAt: t, pageviews, clicks, entryUrl, exitUrl: urlOf(path) };
}

/** Sorted by timestamp through an index, which beats comparing Date objects 200k times. */
export function sortByTime({ events, times }: EventSink): DemoEvent[] {
  const order = new Uint32Array(events.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => (times[a] as number) - (times[b] as number) || a - b);
  return Array.from(order, (i) => events[i] as DemoEvent);
}

/**
 * The properties every event carries. A fixed-shape literal on purpose: object spread here was 25x slower and
 * dominated generation time.
 */
function eventProps(s: SessionProps, url: string, pathname: string): Record<string, unknown> {
  const props: Record<string, unknown> = {
    $browser: s.browser,
    $browser_version: s.browserVersion,
    $os: s.os,
    $device_type: s.deviceType,
    $lib: 'web',
    $lib_version: '1.203.0',
    $host: s.host,
    $geoip_country_code: s.country,
    $geoip_city_name: s.city,
    $session_id: s.sessionId,
    $window_id: s.windowId,
    $current_url: url,
    $pathname: pathname,
  };
  if (s.utm !== null) props.utm_source = s.utm;
  for (const [key, value] of s.flags) props[key] = value;
  return props;
}

function pickPage(rng: Rng, loggedIn: boolean): string {
  return loggedIn ? rng.weighted(C.APP_PAGES, C.APP_PAGE_WEIGHTS) : rng.weighted(C.PUBLIC_PAGES, C.PUBLIC_PAGE_WEIGHTS);
}

function nextPage(rng: Rng, loggedIn: boolean, current: string): string {
  for (let tries = 0; tries < 3; tries++) {
    const page = pickPage(rng, loggedIn);
    if (page !== current) return page;
  }
  return loggedIn ? '/app' : '/';
}
