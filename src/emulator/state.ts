/**
 * The emulator's mutable world, and the handle tests use to read or tweak it (`emulator.state`): look up a flag by
 * key, expire a connection's grant, reset to the seed.
 */
import type { DemoDataset } from './dataset-types.js';
import { isoTime } from './http.js';
import type { Account, Connection, ConnectionStatus, FeatureFlag, ProjectData } from './model.js';
import type { Rng } from './prng.js';
import type { IdKind } from './seed-content.js';
import type { SeedOptions, World } from './seed.js';
import { ACME, GLOBEX, addAccount, authorizeUrl, runtimeTemplate, seedWorld } from './seed.js';

export type StateSeedOptions = Omit<SeedOptions, 'datasetCache'>;

export class EmulatorState {
  private world: World;
  private readonly datasetCache = new Map<number, DemoDataset>();

  constructor(
    private readonly seedOptions: StateSeedOptions,
    readonly clock: () => Date,
  ) {
    this.world = seedWorld(this.options());
  }

  /** Back to the seed: connections, accounts and every project's objects. Datasets are kept (they never change). */
  reset(): void {
    this.world = seedWorld(this.options());
  }

  now(): Date {
    return this.clock();
  }

  get rng(): Rng {
    return this.world.rng;
  }

  nextId(kind: IdKind): number {
    return this.world.ids.next(kind);
  }

  // Connections (Maton).

  connections(): Connection[] {
    return [...this.world.connections];
  }

  connection(id: string): Connection | undefined {
    return this.world.connections.find((c) => c.connection_id === id);
  }

  /** Maton's default when no Maton-Connection header is sent: the oldest ACTIVE connection. */
  defaultConnection(): Connection | undefined {
    return this.world.connections.filter((c) => c.status === 'ACTIVE').sort((a, b) => a.creation_time.localeCompare(b.creation_time))[0];
  }

  createConnection(): Connection {
    const now = isoTime(this.clock());
    const token = this.world.rng.alnum(32);
    const connection: Connection = {
      connection_id: this.world.rng.uuid4(),
      status: 'PENDING',
      creation_time: now,
      last_updated_time: now,
      url: authorizeUrl(this.seedOptions.publicUrl, token),
      app: 'posthog',
      method: 'OAUTH2',
      metadata: {},
      accountId: null,
      grantExpired: false,
      sessionToken: token,
    };
    this.world.connections.push(connection);
    return connection;
  }

  deleteConnection(id: string): boolean {
    const before = this.world.connections.length;
    this.world.connections = this.world.connections.filter((c) => c.connection_id !== id);
    return this.world.connections.length !== before;
  }

  connectionByToken(token: string): Connection | undefined {
    return this.world.connections.find((c) => c.sessionToken === token);
  }

  /**
   * Finishes a PENDING connection's OAuth. `account` picks an existing account ("acme", "globex") to reconnect to,
   * as after an expired grant; otherwise the connection gets a fresh account (Initech, then Umbrella, Hooli...).
   */
  authorize(connection: Connection, choice: { account?: string; deny?: boolean } = {}): Connection {
    connection.last_updated_time = isoTime(this.clock());
    if (choice.deny) {
      connection.status = 'FAILED';
      return connection;
    }
    if (connection.accountId === null) {
      const existing = choice.account !== undefined && choice.account !== 'new' ? this.reconnectableAccount(choice.account) : undefined;
      connection.accountId = existing?.id ?? addAccount(this.world, runtimeTemplate(this.world.runtimeAccounts++), this.options()).id;
    }
    connection.status = 'ACTIVE';
    connection.grantExpired = false;
    return connection;
  }

  expireGrant(connectionId: string, expired = true): void {
    const connection = this.mustConnection(connectionId);
    connection.grantExpired = expired;
  }

  setConnectionStatus(connectionId: string, status: ConnectionStatus): void {
    const connection = this.mustConnection(connectionId);
    connection.status = status;
    connection.last_updated_time = isoTime(this.clock());
  }

  // PostHog accounts and projects.

  account(id: string): Account | undefined {
    return this.world.accounts.get(id);
  }

  accountOf(connectionId: string): Account | undefined {
    const accountId = this.connection(connectionId)?.accountId;
    return accountId == null ? undefined : this.world.accounts.get(accountId);
  }

  /** A connection's projects, first one being `@current`. */
  projectsOf(connectionId: string): ProjectData[] {
    const account = this.accountOf(connectionId);
    return account ? this.projectsOfAccount(account) : [];
  }

  projectsOfAccount(account: Account): ProjectData[] {
    return account.projectIds.flatMap((id) => this.world.projects.get(id) ?? []);
  }

  project(projectId: number): ProjectData | undefined {
    return this.world.projects.get(projectId);
  }

  /** The live flag object (mutations show in the API); a non-deleted flag wins over deleted ones with the same key. */
  flag(projectId: number, key: string): FeatureFlag | undefined {
    const flags = this.project(projectId)?.feature_flags.filter((f) => f.key === key) ?? [];
    return flags.find((f) => !f.deleted) ?? flags[0];
  }

  dataset(projectId: number): DemoDataset {
    const project = this.project(projectId);
    if (!project) throw new Error(`no project ${projectId}`);
    return project.dataset();
  }

  private reconnectableAccount(id: string): Account | undefined {
    return this.world.accounts.get(id) ?? [ACME, GLOBEX].map((t) => this.world.accounts.get(t.id)).find((a) => a?.organization.slug === id);
  }

  private mustConnection(id: string): Connection {
    const connection = this.connection(id);
    if (!connection) throw new Error(`no connection ${id}`);
    return connection;
  }

  private options(): SeedOptions {
    return { ...this.seedOptions, datasetCache: this.datasetCache };
  }
}
