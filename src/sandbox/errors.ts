/** The sandbox could not start (a port in use, a piece that failed to boot); the message says what to do. */
export class SandboxError extends Error {
  override readonly name = 'SandboxError';
}
