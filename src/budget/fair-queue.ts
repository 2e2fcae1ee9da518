/**
 * Waiters for the shared Maton budget, served interactive first, and within each class round-robin between
 * workspaces: one workspace queueing 200 requests waits behind itself, not in front of everybody else.
 */
import type { Priority } from '../request-context.js';

export interface Waiter {
  resolve(): void;
}

export class FairQueue {
  /** Map order is the round-robin ring: the workspace at the front is served next, then moves to the back. */
  private readonly classes: Record<Priority, Map<string, Waiter[]>> = { interactive: new Map(), scheduled: new Map() };
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(priority: Priority, workspace: string, waiter: Waiter): void {
    const ring = this.classes[priority];
    const line = ring.get(workspace);
    if (line) line.push(waiter);
    else ring.set(workspace, [waiter]);
    this.count += 1;
  }

  /** The class of the waiter `shift()` would return. */
  peekPriority(): Priority | null {
    if (this.classes.interactive.size > 0) return 'interactive';
    return this.classes.scheduled.size > 0 ? 'scheduled' : null;
  }

  shift(): Waiter | undefined {
    const priority = this.peekPriority();
    if (!priority) return undefined;
    const ring = this.classes[priority];
    const [workspace, line] = ring.entries().next().value as [string, Waiter[]];
    const waiter = line.shift();
    ring.delete(workspace);
    if (line.length > 0) ring.set(workspace, line);
    this.count -= 1;
    return waiter;
  }
}
