/**
 * The pool's failures, typed once. Both are the user's answer as they stand (CommandError: shown as written,
 * ephemeral), so every caller that lets them through gets the same sentence.
 */
import { CommandError } from '../errors.js';

/** The pool's queue is full: more heavy work is waiting than Hogbot takes on at once. */
export class PoolBusyError extends CommandError {
  readonly code = 'pool_busy' as const;
  constructor() {
    super('Hogbot is busy, try again in a minute.');
  }
}

/** A task ran past its time limit; its worker was terminated. */
export class TaskTimeoutError extends Error {
  override readonly name = 'TaskTimeoutError' as const;
  constructor(readonly limitMs: number) {
    super(`The task ran longer than ${limitMs} ms and was stopped`);
  }
}

export const isPoolBusy = (error: unknown): error is PoolBusyError => error instanceof PoolBusyError;
export const isTaskTimeout = (error: unknown): error is TaskTimeoutError => error instanceof TaskTimeoutError;
