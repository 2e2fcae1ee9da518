/**
 * The one storage interface. SQLite (default, zero setup) and PostgreSQL (several replicas) both implement it,
 * and one contract suite (test/store/store.contract.test.ts) runs against each.
 */
import type { ImageStore } from './images.js';
import type { ScheduleStore } from './schedules.js';

export type Role = 'admin' | 'writer' | 'reader';

/** Per Slack workspace (team id) choices. Null means "not chosen": the gateway default connection / first project. */
export interface WorkspaceSettings {
  teamId: string;
  connectionId: string | null;
  projectId: number | null;
  updatedAt: Date;
  updatedBy: string | null;
}

/** The workspace a Maton connection belongs to: who made it through Hogbot, or first chose it (src/tenancy.ts). */
export interface ConnectionOwner {
  connectionId: string;
  teamId: string;
  /** The owner's Enterprise Grid, when it has one: its org admins may lend the connection to another workspace of it. */
  enterpriseId: string | null;
  claimedBy: string | null;
  claimedAt: Date;
  how: 'created' | 'chosen' | 'seeded' | 'migrated';
}

export type NewConnectionOwner = Omit<ConnectionOwner, 'how'> & { how: Exclude<ConnectionOwner['how'], 'migrated'> };

export type PlanStatus = 'pending' | 'awaiting_approval' | 'executing' | 'done' | 'failed' | 'cancelled' | 'expired';

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

/** A role granted in Hogbot. Slack workspace owners and admins are admins without one; nobody is granted `reader`. */
export interface RoleGrant {
  teamId: string;
  userId: string;
  role: Exclude<Role, 'reader'>;
  grantedBy: string;
  grantedAt: Date;
}

/** How a workspace governs writes. Defaults (nothing stored): no approvals, no audit channel. */
export interface WritePolicy {
  teamId: string;
  /** A writer's write waits for a second writer or admin to approve it. */
  approvalsRequired: boolean;
  /** Where every executed write is also posted. */
  auditChannelId: string | null;
  /** Slack guests may read PostHog data (never write). Off unless an admin turned it on. */
  guestsAllowed: boolean;
  updatedAt: Date | null;
  updatedBy: string | null;
}

/**
 * One write, kept for good. It is recorded as `executing` just before the upstream call and completed after it, so a
 * crash in between leaves a visible "outcome unknown" rather than no trace. `before` / `after` are JSON.
 */
export interface AuditEntry {
  id: string;
  teamId: string;
  at: Date;
  /** Who asked for the change. */
  userId: string;
  confirmedBy: string | null;
  approvedBy: string | null;
  command: string;
  title: string;
  connectionId: string | null;
  projectId: number | null;
  objectType: string | null;
  objectId: string | null;
  objectLabel: string | null;
  before: unknown;
  after: unknown;
  outcome: AuditOutcome;
  detail: string | null;
  planId: string | null;
}

/** `pending_posthog`: PostHog's own approval policy holds the change (a change request waits there); nothing changed yet. */
export type AuditOutcome = 'executing' | 'done' | 'failed' | 'pending_posthog';

/** A plan waiting for (or decided by) a second person, and where its request was posted. */
export interface ApprovalRecord {
  planId: string;
  requestedBy: string;
  requestedAt: Date;
  channelId: string | null;
  messageTs: string | null;
  threadTs: string | null;
  decidedBy: string | null;
  decision: 'approved' | 'rejected' | null;
  decidedAt: Date | null;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** Saved queries, digests, alerts and their deliveries (src/store/schedules.ts). */
  readonly schedules: ScheduleStore;
  /** Chart images served at signed URLs (src/store/images.ts). */
  readonly images: ImageStore;

  getWorkspace(teamId: string): Promise<WorkspaceSettings | null>;
  /** Choosing a connection forgets the project, which belonged to the previous account. */
  setWorkspaceConnection(teamId: string, connectionId: string | null, by: string, at: Date): Promise<void>;
  setWorkspaceProject(teamId: string, projectId: number | null, by: string, at: Date): Promise<void>;

  getConnectionOwner(connectionId: string): Promise<ConnectionOwner | null>;
  /** The owners of those of `connectionIds` that have one. */
  getConnectionOwners(connectionIds: readonly string[]): Promise<ConnectionOwner[]>;
  /** Makes `owner.teamId` the owner unless the connection has one; returns the owner afterwards (first claim wins). */
  claimConnection(owner: NewConnectionOwner): Promise<ConnectionOwner>;
  /** A deleted connection: drops its owner and every assignment. */
  forgetConnection(connectionId: string): Promise<void>;
  /** An Enterprise Grid org admin lends a connection to another workspace of the owner's enterprise. */
  assignConnection(connectionId: string, teamId: string, by: string, at: Date): Promise<void>;
  isConnectionAssigned(connectionId: string, teamId: string): Promise<boolean>;
  /** Connection ids a workspace owns or was lent. */
  connectionsOf(teamId: string): Promise<string[]>;

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
   * pending -> awaiting_approval (only for its initiator `by`, only while unexpired), with a new expiry for the wait.
   * False when another click got there first or it expired.
   */
  requestApproval(id: string, by: string, now: Date, expiresAt: Date): Promise<boolean>;
  /** Where the approval request was posted, so the decision can update it. */
  setApprovalMessage(id: string, where: { channelId: string; messageTs: string; threadTs: string | null }): Promise<void>;
  getApproval(id: string): Promise<ApprovalRecord | null>;
  /**
   * awaiting_approval -> executing, atomically, for anyone but the initiator: like claimPlan, exactly one approver wins.
   * Null when it was decided already, expired, or `by` is the initiator.
   */
  approvePlan(id: string, by: string, now: Date): Promise<PlanRecord | null>;
  /** awaiting_approval -> cancelled (a reviewer declined, or the initiator withdrew); false when no longer waiting. */
  rejectPlan(id: string, by: string, now: Date): Promise<boolean>;

  getGrant(teamId: string, userId: string): Promise<RoleGrant | null>;
  listGrants(teamId: string): Promise<RoleGrant[]>;
  /** Grants (or replaces) a user's role. */
  setGrant(grant: RoleGrant): Promise<void>;
  /** False when the user had no grant. */
  revokeGrant(teamId: string, userId: string): Promise<boolean>;

  getPolicy(teamId: string): Promise<WritePolicy>;
  setApprovalsRequired(teamId: string, required: boolean, by: string, at: Date): Promise<void>;
  setAuditChannel(teamId: string, channelId: string | null, by: string, at: Date): Promise<void>;
  setGuestsAllowed(teamId: string, allowed: boolean, by: string, at: Date): Promise<void>;

  appendAudit(entry: AuditEntry): Promise<void>;
  /** Records how an `executing` entry ended; a created object's id and the state after, when the write reported them. */
  completeAudit(
    id: string,
    result: { outcome: AuditEntry['outcome']; detail: string | null; objectId?: string; after?: unknown },
  ): Promise<void>;
  getAudit(id: string): Promise<AuditEntry | null>;
  /** A workspace's entries, newest first. */
  listAudit(teamId: string, opts: { limit: number; offset?: number }): Promise<AuditEntry[]>;

  /**
   * Records `key` once. True the first time, false while it is remembered (until `expiresAt`).
   * Used to drop Slack retries and double submissions.
   */
  rememberOnce(key: string, now: Date, expiresAt: Date): Promise<boolean>;

  /** Slack OAuth installations (Bolt's InstallationStore), keyed by enterprise or team id, stored as JSON. */
  saveInstallation(key: string, installation: unknown): Promise<void>;
  getInstallation(key: string): Promise<unknown | null>;
  deleteInstallation(key: string): Promise<void>;

  /** Migrations not yet applied (none once open); throws when the database does not answer. For `GET /readyz`. */
  pendingMigrations?(): Promise<string[]>;
  close(): Promise<void>;
}
