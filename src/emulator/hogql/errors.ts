/**
 * The one error class of the HogQL engine. `kind` tells a caller (and the query service) what went wrong:
 * `syntax` (the parser refused the text), `unsupported` (valid HogQL the emulator does not implement, or a name
 * it cannot resolve) and `execution` (DuckDB failed while running the translated SQL).
 */
export interface HogQLPosition {
  /** 1-based line. */
  line: number;
  /** 0-based column within the line. */
  column: number;
  /** 0-based character offset in the query text. */
  offset: number;
}

export type HogQLErrorKind = 'syntax' | 'unsupported' | 'execution';

export class HogQLError extends Error {
  override readonly name = 'HogQLError' as const;
  readonly kind: HogQLErrorKind;
  /** The text PostHog would put in the 400's `detail`. */
  readonly detail: string;
  readonly start?: HogQLPosition;
  readonly end?: HogQLPosition;

  constructor(kind: HogQLErrorKind, detail: string, position?: { start?: HogQLPosition; end?: HogQLPosition }) {
    super(detail);
    this.kind = kind;
    this.detail = detail;
    if (position?.start) this.start = position.start;
    if (position?.end) this.end = position.end;
  }
}

export function isHogQLError(value: unknown): value is HogQLError {
  return value instanceof Error && value.name === 'HogQLError' && 'kind' in value && 'detail' in value;
}

/** Shorthand for the common "valid HogQL, but not here" error. */
export function unsupported(detail: string): HogQLError {
  return new HogQLError('unsupported', detail);
}
