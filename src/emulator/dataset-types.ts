/**
 * The demo dataset shared by the emulator's REST resources (persons, recordings, flags, experiments) and its HogQL
 * engine (events, persons, sessions), so both tell the same story.
 */

export interface DemoPerson {
  /** UUID, PostHog's person id. */
  id: string;
  distinctIds: string[];
  properties: Record<string, unknown>;
  createdAt: Date;
  isIdentified: boolean;
}

export interface DemoEvent {
  uuid: string;
  event: string;
  distinctId: string;
  personId: string;
  timestamp: Date;
  /** `$session_id` and `$window_id` live in properties, as in PostHog. */
  properties: Record<string, unknown>;
  elementsChain: string;
}

export interface DemoSession {
  /** `$session_id` (UUIDv7-like string); also the session recording id. */
  id: string;
  distinctId: string;
  personId: string;
  start: Date;
  end: Date;
  pageviews: number;
  clicks: number;
  keypresses: number;
  consoleErrors: number;
  activeSeconds: number;
  entryUrl: string;
  exitUrl: string;
  hasRecording: boolean;
}

export interface DemoDataset {
  persons: DemoPerson[];
  events: DemoEvent[];
  sessions: DemoSession[];
}

export interface DatasetOptions {
  seed: number;
  /** The dataset ends at `now` and spans `days` before it. */
  now: Date;
  days: number;
  events: number;
  persons: number;
  /** Added (optional): the site whose pages events visit. Default "https://acme.com". */
  siteUrl?: string;
  /** Added (optional): the first identified person, with several recorded sessions. Default ana@acme.com. */
  featuredPerson?: { email: string; name: string };
  /**
   * Added (optional): more featured persons after it (identified, several recorded sessions each), so a demo can look up
   * every person it names, e.g. the sandbox's Slack users. Absent, the data is exactly as without it.
   */
  alsoFeatured?: Array<{ email: string; name: string }>;
  /**
   * Added (optional): running experiments whose flags show up in events (`$feature_flag_called` with
   * `$feature_flag`/`$feature_flag_response`, and `$feature/<key>` on every event of an exposed session).
   * Default none.
   */
  experiments?: DemoExperimentExposure[];
}

/** A flag-backed experiment as the event generator sees it. */
export interface DemoExperimentExposure {
  flagKey: string;
  /** Rollout percentages should sum to 100; the first variant is the baseline. */
  variants: { key: string; rolloutPercentage: number }[];
  start: Date;
  end?: Date | null;
  /** Relative uplift of purchase probability for non-baseline variants (0.25 = +25%). Default 0. */
  lift?: number;
}
