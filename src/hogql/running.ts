/**
 * Queries this process is polling, by PostHog query id, so a Cancel click handled here stops the poll loop at once.
 * A click handled by another replica still works: it cancels upstream, and the loop's next poll finds the query gone.
 */
const running = new Map<string, { controller: AbortController; startedAt: number }>();

export function track(queryId: string, startedAt = performance.now()): AbortController {
  const controller = new AbortController();
  running.set(queryId, { controller, startedAt });
  return controller;
}

export function untrack(queryId: string): void {
  running.delete(queryId);
}

/** Stops the local poll loop of a query; returns how long it had been running, or null if it is not polled here. */
export function stopLocal(queryId: string, now = performance.now()): number | null {
  const entry = running.get(queryId);
  if (!entry) return null;
  entry.controller.abort();
  running.delete(queryId);
  return now - entry.startedAt;
}
