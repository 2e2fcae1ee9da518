/**
 * The one storage interface. SQLite (default, zero setup) and PostgreSQL (several replicas) both implement it,
 * and one contract suite (test/store/store.contract.test.ts) runs against each.
 */

export type Role = 'admin' | 'writer' | 'reader';

/** Per Slack workspace (team id) choices. Null means "not chosen": the gateway default connection / first project. */
export interface WorkspaceSettings {
  teamId: string;
  connectionId: string | null;
  projectId: number | null;
  updatedAt: Date;
  updatedBy: string | null;
}

export type PlanStatus = 'pending' | 'executing' | 'done' | 'failed' | 'cancelled' | 'expired';

/** A write shown to a user and waiting for Confirm. `payload` is the command's own JSON. */
export interface PlanRecord {
  id: string;
  teamId: string;
  userId: string;
  channelId: string | null;
  command: string;
  payload: unknown;
  status: PlanStatus;
  createdAt: Date;
  expiresAt: Date;
  decidedBy: string | null;
  outcome: unknown;
}

export type NewPlan = Pick<PlanRecord, 'id' | 'teamId' | 'userId' | 'channelId' | 'command' | 'payload' | 'createdAt' | 'expiresAt'>;

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';

  getWorkspace(teamId: string): Promise<WorkspaceSettings | null>;
  /** Choosing a connection forgets the project, which belonged to the previous account. */
  setWorkspaceConnection(teamId: string, connectionId: string | null, by: string, at: Date): Promise<void>;
  setWorkspaceProject(teamId: string, projectId: number | null, by: string, at: Date): Promise<void>;

  createPlan(plan: NewPlan): Promise<void>;
  getPlan(id: string): Promise<PlanRecord | null>;
  /**
   * Atomically moves a pending, unexpired plan to `executing` and returns it; returns null when another click,
   * retry or replica got there first, or when it expired. This is what makes Confirm exactly-once.
   */
  claimPlan(id: string, by: string, now: Date): Promise<PlanRecord | null>;
  finishPlan(id: string, status: 'done' | 'failed', outcome: unknown): Promise<void>;
  /** pending -> cancelled; false when it was no longer pending. */
  cancelPlan(id: string, by: string): Promise<boolean>;

  /**
   * Records `key` once. True the first time, false while it is remembered (until `expiresAt`).
   * Used to drop Slack retries and double submissions.
   */
  rememberOnce(key: string, now: Date, expiresAt: Date): Promise<boolean>;

  /** Slack OAuth installations (Bolt's InstallationStore), keyed by enterprise or team id, stored as JSON. */
  saveInstallation(key: string, installation: unknown): Promise<void>;
  getInstallation(key: string): Promise<unknown | null>;
  deleteInstallation(key: string): Promise<void>;

  close(): Promise<void>;
}
