/**
 * What the emulator keeps in memory. PostHog objects are stored in their API shape (snake_case, ISO timestamps), so
 * handlers mostly copy them out; only fields the emulator reasons about are typed, the rest ride along.
 */
import type { DatasetOptions, DemoDataset } from './dataset-types.js';

export type ConnectionStatus = 'ACTIVE' | 'PENDING' | 'FAILED';

export interface Connection {
  connection_id: string;
  status: ConnectionStatus;
  creation_time: string;
  last_updated_time: string;
  url: string;
  app: 'posthog';
  method: 'OAUTH2';
  metadata: Record<string, unknown>;
  /** Emulator-only: which PostHog account the OAuth grant belongs to (null while PENDING). */
  accountId: string | null;
  /** Emulator-only: requests through it fail like an expired OAuth grant (Maton 500). */
  grantExpired: boolean;
  sessionToken: string;
}

export interface UserRecord {
  id: number;
  uuid: string;
  distinct_id: string;
  first_name: string;
  last_name: string;
  email: string;
  date_joined: string;
}

export interface Organization {
  id: string;
  name: string;
  slug: string;
  created_at: string;
}

export interface Account {
  /** Emulator-only handle ("acme", "globex"). */
  id: string;
  organization: Organization;
  user: UserRecord;
  projectIds: number[];
}

export interface Project {
  id: number;
  uuid: string;
  organization: string;
  api_token: string;
  name: string;
  timezone: string;
  created_at: string;
  siteUrl: string;
}

/** A stored PostHog object: always an integer or uuid `id`, plus whatever its API shape holds. */
export type Stored = Record<string, unknown> & { id: number | string };

export interface FeatureFlag extends Stored {
  id: number;
  key: string;
  name: string;
  active: boolean;
  deleted: boolean;
  filters: Record<string, unknown>;
  version: number;
  created_at: string;
  updated_at: string;
  tags: string[];
}

export interface Experiment extends Stored {
  id: number;
  name: string;
  feature_flag_key: string;
  start_date: string | null;
  end_date: string | null;
  archived: boolean;
  deleted: boolean;
  parameters: { feature_flag_variants: { key: string; rollout_percentage: number }[] } & Record<string, unknown>;
}

/** The per-project collections, named as in PostHog's URLs. */
export interface ProjectCollections {
  feature_flags: FeatureFlag[];
  experiments: Experiment[];
  dashboards: Stored[];
  insights: Stored[];
  cohorts: Stored[];
  actions: Stored[];
  annotations: Stored[];
  surveys: Stored[];
}

export interface ProjectData extends ProjectCollections {
  project: Project;
  accountId: string;
  datasetOptions: DatasetOptions;
  /** Generated on first use, then cached for the emulator's life (it is immutable). */
  dataset(): DemoDataset;
}
