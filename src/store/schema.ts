import type { ColumnType } from 'kysely';

/**
 * Row shapes as the drivers return them. Times are epoch milliseconds in a `bigint` column on both dialects:
 * numeric comparison needs no format discipline, and SQLite gives it INTEGER affinity. `pg` returns int8 as a
 * string (it may exceed 2^53), hence the `number | string` on read; the store converts with Number().
 */
type Millis = ColumnType<number | string, number, number>;
type NullableInt = ColumnType<number | string | null, number | null, number | null>;

export interface WorkspacesTable {
  team_id: string;
  connection_id: string | null;
  project_id: NullableInt;
  updated_at: Millis;
  updated_by: string | null;
}

export interface PlansTable {
  id: string;
  team_id: string;
  user_id: string;
  channel_id: string | null;
  command: string;
  /** JSON text. */
  payload: string;
  status: string;
  created_at: Millis;
  expires_at: Millis;
  decided_by: string | null;
  /** JSON text, null until finished. */
  outcome: string | null;
}

export interface OnceKeysTable {
  key: string;
  expires_at: Millis;
}

export interface InstallationsTable {
  key: string;
  /** JSON text of Bolt's Installation. Holds tokens: never log it. */
  json: string;
  updated_at: Millis;
}

export interface RoleGrantsTable {
  team_id: string;
  user_id: string;
  role: string;
  granted_by: string;
  granted_at: Millis;
}

export interface AuditLogTable {
  id: string;
  team_id: string;
  at: Millis;
  user_id: string;
  confirmed_by: string | null;
  approved_by: string | null;
  command: string;
  title: string;
  connection_id: string | null;
  project_id: NullableInt;
  object_type: string | null;
  object_id: string | null;
  object_label: string | null;
  /** JSON text. */
  before: string;
  /** JSON text. */
  after: string;
  outcome: string;
  detail: string | null;
  plan_id: string | null;
}

export interface WorkspacePoliciesTable {
  team_id: string;
  /** 0 or 1: a bigint, like every other number here, so both dialects agree. */
  approvals_required: Millis;
  audit_channel_id: string | null;
  updated_at: Millis;
  updated_by: string | null;
  /** 0 or 1 (migration 004): Slack guests may read PostHog data here. Optional on insert: the column defaults to 0. */
  guests_allowed: ColumnType<number | string, number | undefined, number>;
}

export interface PlanApprovalsTable {
  plan_id: string;
  requested_by: string;
  requested_at: Millis;
  channel_id: string | null;
  message_ts: string | null;
  thread_ts: string | null;
  decided_by: string | null;
  decision: string | null;
  decided_at: NullableInt;
}

/** Which workspace a Maton connection belongs to (src/tenancy.ts). */
export interface ConnectionOwnersTable {
  connection_id: string;
  team_id: string;
  enterprise_id: string | null;
  claimed_by: string | null;
  claimed_at: Millis;
  /** `created` (connection connect), `chosen` (first connection use), `seeded`, `migrated`. */
  how: string;
}

/** A connection an Enterprise Grid org admin lent to another workspace of the owner's enterprise. */
export interface ConnectionAssignmentsTable {
  connection_id: string;
  team_id: string;
  assigned_by: string;
  assigned_at: Millis;
}

export interface StoreTables {
  workspaces: WorkspacesTable;
  plans: PlansTable;
  once_keys: OnceKeysTable;
  installations: InstallationsTable;
  role_grants: RoleGrantsTable;
  audit_log: AuditLogTable;
  workspace_policies: WorkspacePoliciesTable;
  plan_approvals: PlanApprovalsTable;
  connection_owners: ConnectionOwnersTable;
  connection_assignments: ConnectionAssignmentsTable;
}
