/**
 * How many HogQL queries may run at once: PostHog allows 3 concurrent queries per project (the rest wait here rather
 * than be refused upstream), and one person or one workspace may not take everyone's turn: past their cap they are
 * told at once to wait for the queries they already have running. Counted in the shared budget store, so the caps
 * hold across replicas.
 *
 * Counts are rate-limiter-flexible points consumed on start and rewarded back on finish; a key lives `leaseSeconds`,
 * so slots held by a replica that crashed come back by themselves.
 */
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { CommandError } from '../errors.js';
import type { LimiterClock } from '../limiter.js';
import { currentRequest } from '../request-context.js';
import type { BudgetBackend } from './backend.js';

export type BusyScope = 'user' | 'workspace';

/** Too many queries of this person or workspace running: the text is the whole answer (translated here, once). */
export class BusyError extends CommandError {
  readonly busy: BusyScope;
  constructor(scope: BusyScope, limit: number) {
    super(
      scope === 'user'
        ? `You already have ${limit} queries running. Wait for them to finish (or cancel one), then try again.`
        : `This workspace already has ${limit} queries running. Wait a moment for them to finish, then try again.`,
    );
    this.busy = scope;
  }
}

export function isBusyError(error: unknown): error is BusyError {
  return error instanceof CommandError && 'busy' in error;
}

export interface QuerySlotsOptions {
  backend: BudgetBackend;
  clock: LimiterClock;
  /** Default 3 (PostHog's concurrent queries per project). */
  perProject?: number;
  /** Default 3. */
  perUser?: number;
  /** Default 10. */
  perWorkspace?: number;
  /** Default 300 s: longer than the longest query deadline. */
  leaseSeconds?: number;
}

export type Release = () => Promise<void>;

export class QuerySlots {
  readonly perProject: number;
  readonly perUser: number;
  readonly perWorkspace: number;
  private readonly project: RateLimiterAbstract;
  private readonly user: RateLimiterAbstract;
  private readonly workspace: RateLimiterAbstract;

  constructor(private readonly o: QuerySlotsOptions) {
    const duration = o.leaseSeconds ?? 300;
    this.perProject = o.perProject ?? 3;
    this.perUser = o.perUser ?? 3;
    this.perWorkspace = o.perWorkspace ?? 10;
    this.project = o.backend.limiter({ keyPrefix: 'q_project', points: this.perProject, duration });
    this.user = o.backend.limiter({ keyPrefix: 'q_user', points: this.perUser, duration });
    this.workspace = o.backend.limiter({ keyPrefix: 'q_workspace', points: this.perWorkspace, duration });
  }

  /**
   * Takes a slot for one query on (connection, project): throws BusyError at once when the person or workspace is at
   * its cap (interactive work only; schedules are paced by the scheduler), then waits for the project's turn.
   */
  async acquire(connectionId: string | null, projectId: number | string): Promise<Release> {
    const scope = currentRequest();
    const held: Array<[RateLimiterAbstract, string]> = [];
    const release: Release = async () => {
      await Promise.all(held.map(([limiter, key]) => limiter.reward(key, 1).catch(() => undefined)));
    };
    if (scope?.priority !== 'scheduled' && scope?.teamId) {
      if (scope.userId && !(await take(this.user, `${scope.teamId}:${scope.userId}`))) throw new BusyError('user', this.perUser);
      if (scope.userId) held.push([this.user, `${scope.teamId}:${scope.userId}`]);
      if (!(await take(this.workspace, scope.teamId))) {
        await release();
        throw new BusyError('workspace', this.perWorkspace);
      }
      held.push([this.workspace, scope.teamId]);
    }
    const projectKey = `${connectionId ?? 'default'}:${projectId}`;
    // Interactive queries look again sooner, so they take a freed slot before a schedule's query does.
    const pollMs = scope?.priority === 'scheduled' ? 200 : 50;
    try {
      while (!(await take(this.project, projectKey))) await this.o.clock.sleep(pollMs);
    } catch (error) {
      await release();
      throw error;
    }
    held.push([this.project, projectKey]);
    return release;
  }
}

/**
 * One point, or false when none is left. rate-limiter-flexible counts a refused consume too, so a refusal pays its
 * point back at once (meanwhile the count reads one high: at worst a concurrent caller is refused too, never admitted
 * past the limit). A store failure the insurance limiter could not cover admits the query: PostHog's own limit still
 * answers 429.
 */
async function take(limiter: RateLimiterAbstract, key: string): Promise<boolean> {
  try {
    await limiter.consume(key, 1);
    return true;
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) return true;
    await limiter.reward(key, 1).catch(() => undefined);
    return false;
  }
}
