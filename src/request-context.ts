/**
 * Who a piece of work is for, carried across awaits without threading it through every call: the request id that
 * ties a command's, click's or delivery's log lines together, the workspace the shared Maton budget is queued by,
 * and whether a person is waiting (interactive) or a schedule is (scheduled, which takes what interactive leaves).
 *
 * @example
 * await withRequest({ kind: 'command', teamId: 'T1', userId: 'U1' }, () => handle());
 * currentRequest()?.requestId; // inside handle(), however deep
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

export type Priority = 'interactive' | 'scheduled';

export interface RequestScope {
  requestId: string;
  /** command, click, view, event, delivery... */
  kind: string;
  teamId: string | null;
  userId: string | null;
  priority: Priority;
}

const storage = new AsyncLocalStorage<RequestScope>();

/** 12 hex characters: unique enough to grep one request out of a day's logs. */
export function newRequestId(): string {
  return randomBytes(6).toString('hex');
}

export function withRequest<T>(scope: Partial<RequestScope> & { kind: string }, work: () => T): T {
  const full: RequestScope = {
    requestId: scope.requestId ?? newRequestId(),
    kind: scope.kind,
    teamId: scope.teamId ?? null,
    userId: scope.userId ?? null,
    priority: scope.priority ?? 'interactive',
  };
  return storage.run(full, work);
}

export function currentRequest(): RequestScope | undefined {
  return storage.getStore();
}

/** Work outside any request (startup, a test calling the client directly) counts as interactive. */
export function currentPriority(): Priority {
  return storage.getStore()?.priority ?? 'interactive';
}
