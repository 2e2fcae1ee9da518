import { InvalidPathSegmentError } from '../errors.js';

/**
 * Builds a PostHog path with every interpolation encoded as one path segment, so user input (a flag key, an id
 * typed in Slack) can never add segments, a query string or a `..`.
 *
 * @example path`/api/projects/${projectId}/feature_flags/${flagId}/` // '/api/projects/12/feature_flags/7/'
 * @throws InvalidPathSegmentError (a CommandError, so guarded() answers it in one sentence) when an interpolation is
 *   empty, `.` or `..` (URL parsers resolve even their %2E forms).
 */
export function path(strings: TemplateStringsArray, ...values: ReadonlyArray<string | number>): string {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += encodeSegment(value) + (strings[i + 1] ?? '');
  });
  return out;
}

export function encodeSegment(value: string | number): string {
  const text = String(value);
  if (text === '' || text === '.' || text === '..') {
    throw new InvalidPathSegmentError(text);
  }
  return encodeURIComponent(text);
}
