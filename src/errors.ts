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

/**
 * An id or key that can't be one path segment of a PostHog URL (empty, `.` or `..`: URL parsers resolve even their
 * %2E forms). Thrown by path`` wherever typed input reaches a URL, so every command answers it in one sentence
 * instead of each having to validate first.
 */
export class InvalidPathSegmentError extends CommandError {
  constructor(readonly segment: string) {
    super(segment === '' ? 'An empty id or key is not valid.' : `\`${segment}\` is not a valid id or key.`);
  }
}
