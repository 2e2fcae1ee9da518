/**
 * The seeded world: Maton connections, PostHog accounts (organization, user, projects) and each project's content.
 * Deterministic from the seed and the emulator's start time; numeric ids never depend on the clock.
 */
import { generateDataset } from './dataset.js';
import type { DatasetOptions, DemoDataset, DemoExperimentExposure } from './dataset-types.js';
import { isoTime } from './http.js';
import type { Account, Connection, ProjectData } from './model.js';
import type { Rng } from './prng.js';
import { createRng, deriveSeed } from './prng.js';
import type { ContentBuilder } from './seed-content.js';
import { Ids, acmeMobile, acmeWeb, contentBuilder, globex, starter } from './seed-content.js';

const DAY = 86_400_000;

/** What `startEmulator()` seeds unless told otherwise: small, so tests start fast. */
export const DEFAULT_DATASET = { seed: 42, days: 30, persons: 300, events: 20_000 } as const;

/** The demo's size (`npm run emulator`, the sandbox): a month of a busy small product. Same seed as the default. */
export const DEMO_DATASET = { ...DEFAULT_DATASET, persons: 5_000, events: 200_000 } as const;

interface ProjectTemplate {
  id: number;
  name: string;
  timezone: string;
  siteUrl: string;
  /** Share of the configured dataset size. */
  scale: number;
  featured?: { email: string; name: string };
  content: (b: ContentBuilder) => void;
}

export interface AccountTemplate {
  id: string;
  orgName: string;
  user: { first: string; last: string; email: string };
  createdDaysAgo: number;
  projects: ProjectTemplate[];
}

export const ACME: AccountTemplate = {
  id: 'acme',
  orgName: 'Acme Inc',
  user: { first: 'Ana', last: 'Alvarez', email: 'ana@acme.com' },
  createdDaysAgo: 400,
  projects: [
    { id: 1001, name: 'Acme Web', timezone: 'UTC', siteUrl: 'https://acme.com', scale: 1, content: acmeWeb },
    { id: 1002, name: 'Acme Mobile', timezone: 'America/Los_Angeles', siteUrl: 'https://m.acme.com', scale: 0.3, content: acmeMobile },
  ],
};

export const GLOBEX: AccountTemplate = {
  id: 'globex',
  orgName: 'Globex',
  user: { first: 'Hank', last: 'Scorpio', email: 'hank@globex.com' },
  createdDaysAgo: 200,
  projects: [
    {
      id: 2001,
      name: 'Globex Storefront',
      timezone: 'America/New_York',
      siteUrl: 'https://shop.globex.com',
      scale: 0.5,
      featured: { email: 'hank@globex.com', name: 'Hank Scorpio' },
      content: globex,
    },
  ],
};

/** Accounts handed out, in order, to connections authorized at runtime. */
const RUNTIME_ACCOUNTS: [string, string, string, string, string][] = [
  ['initech', 'Initech', 'Bill', 'Lumbergh', 'bill@initech.com'],
  ['umbrella', 'Umbrella Corp', 'Albert', 'Wesker', 'albert@umbrella.co'],
  ['hooli', 'Hooli', 'Gavin', 'Belson', 'gavin@hooli.xyz'],
];

/** The nth (0-based) account created at runtime: Initech (project 3001), Umbrella (4001), Hooli (5001), then generic. */
export function runtimeTemplate(n: number): AccountTemplate {
  const known = RUNTIME_ACCOUNTS[n];
  const [id, orgName, first, last, email] = known ?? [
    `demo${n + 1}`,
    `Demo Org ${n + 1}`,
    'Demo',
    `User ${n + 1}`,
    `demo${n + 1}@example.com`,
  ];
  const domain = email.split('@')[1] ?? 'example.com';
  return {
    id,
    orgName,
    user: { first, last, email },
    createdDaysAgo: 1,
    projects: [
      {
        id: (n + 3) * 1000 + 1,
        name: `${orgName} Web`,
        timezone: 'UTC',
        siteUrl: `https://${domain}`,
        scale: 0.2,
        featured: { email, name: `${first} ${last}` },
        content: starter,
      },
    ],
  };
}

export interface World {
  connections: Connection[];
  accounts: Map<string, Account>;
  projects: Map<number, ProjectData>;
  ids: Ids;
  /** For runtime ids (new connections, insight short ids, survey uuids). */
  rng: Rng;
  runtimeAccounts: number;
}

export interface SeedOptions {
  seed: number;
  /** The emulator's start time; seeded timestamps are relative to it. */
  now: Date;
  dataset: Omit<DatasetOptions, 'now'>;
  publicUrl: string;
  /** Datasets survive `reset` (they never change), keyed by project id. */
  datasetCache: Map<number, DemoDataset>;
}

export function seedWorld(opts: SeedOptions): World {
  const world: World = {
    connections: [],
    accounts: new Map(),
    projects: new Map(),
    ids: new Ids(),
    rng: createRng(deriveSeed(opts.seed, 'world')),
    runtimeAccounts: 0,
  };
  addAccount(world, ACME, opts);
  addAccount(world, GLOBEX, opts);
  world.connections.push(
    seededConnection(world, 'conn_acme', 'acme', 40, opts),
    seededConnection(world, 'conn_globex', 'globex', 12, opts),
  );
  return world;
}

export function addAccount(world: World, template: AccountTemplate, opts: SeedOptions): Account {
  const nowMs = opts.now.getTime();
  const rng = createRng(deriveSeed(opts.seed, `account:${template.id}`));
  const created = isoTime(new Date(nowMs - template.createdDaysAgo * DAY));
  const userUuid = rng.uuid4();
  const account: Account = {
    id: template.id,
    organization: { id: rng.uuid4(), name: template.orgName, slug: slugify(template.orgName), created_at: created },
    user: {
      id: world.accounts.size + 1,
      uuid: userUuid,
      distinct_id: rng.alnum(43),
      first_name: template.user.first,
      last_name: template.user.last,
      email: template.user.email,
      date_joined: created,
    },
    projectIds: template.projects.map((p) => p.id),
  };
  world.accounts.set(account.id, account);

  for (const t of template.projects) {
    const exposures: DemoExperimentExposure[] = [];
    const data: ProjectData = {
      project: {
        id: t.id,
        uuid: rng.uuid4(),
        organization: account.organization.id,
        api_token: `phc_${rng.alnum(43)}`,
        name: t.name,
        timezone: t.timezone,
        created_at: created,
        siteUrl: t.siteUrl,
      },
      accountId: account.id,
      datasetOptions: {
        // Acme Web uses the configured seed and sizes as is (plus its site and experiments); other projects derive
        // theirs. `datasetOptions` is kept on the project, so anyone can regenerate the same data.
        seed: t.id === 1001 ? opts.dataset.seed : deriveSeed(opts.dataset.seed, t.id),
        now: opts.now,
        days: opts.dataset.days,
        persons: Math.max(1, Math.round(opts.dataset.persons * t.scale)),
        events: Math.round(opts.dataset.events * t.scale),
        siteUrl: t.siteUrl,
        ...(t.featured && { featuredPerson: t.featured }),
        // Extra featured persons go to the projects of their email's site (max@acme.com to acme.com and m.acme.com).
        ...alsoFeaturedFor(opts.dataset.alsoFeatured, t.siteUrl),
        experiments: exposures,
      },
      feature_flags: [],
      experiments: [],
      dashboards: [],
      insights: [],
      cohorts: [],
      actions: [],
      annotations: [],
      surveys: [],
      dataset() {
        let dataset = opts.datasetCache.get(t.id);
        if (dataset === undefined) {
          dataset = generateDataset(data.datasetOptions);
          opts.datasetCache.set(t.id, dataset);
        }
        return dataset;
      },
    };
    t.content(contentBuilder(t.id, data, account.user, nowMs, world.ids, rng, exposures));
    world.projects.set(t.id, data);
  }
  return account;
}

function seededConnection(world: World, id: string, accountId: string, daysAgo: number, opts: SeedOptions): Connection {
  const created = new Date(opts.now.getTime() - daysAgo * DAY);
  const token = world.rng.alnum(32);
  return {
    connection_id: id,
    status: 'ACTIVE',
    creation_time: isoTime(created),
    last_updated_time: isoTime(new Date(created.getTime() + 74_000)),
    url: authorizeUrl(opts.publicUrl, token),
    app: 'posthog',
    method: 'OAUTH2',
    metadata: {},
    accountId,
    grantExpired: false,
    sessionToken: token,
  };
}

export function authorizeUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/_emulator/authorize?session_token=${token}`;
}

function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function alsoFeaturedFor(people: DatasetOptions['alsoFeatured'], siteUrl: string): Pick<DatasetOptions, 'alsoFeatured'> {
  const host = new URL(siteUrl).host;
  const mine = (people ?? []).filter((p) => {
    const domain = p.email.split('@')[1] ?? '';
    return host === domain || host.endsWith(`.${domain}`);
  });
  return mine.length > 0 ? { alsoFeatured: mine } : {};
}
