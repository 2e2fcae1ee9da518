/**
 * A failure the user can fix, with the text to show them ("No project named 'web'. Try `/ph projects`.").
 * Anything else that escapes a command is a bug: it is logged with a reference and the user sees only the reference.
 */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}

export function isCommandError(error: unknown): error is CommandError {
  return error instanceof Error && error.name === 'CommandError';
}
