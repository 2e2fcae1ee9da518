export type StoreErrorCode = 'open_failed' | 'migration_failed' | 'plan_not_executing';

/** Everything the store itself rejects. Driver errors (a lost connection mid-query) pass through as they are. */
export class StoreError extends Error {
  override readonly name = 'StoreError' as const;

  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export function isStoreError(error: unknown): error is StoreError {
  return error instanceof Error && error.name === 'StoreError' && 'code' in error;
}
