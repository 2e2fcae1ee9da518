/**
 * Why a query produced no result, in one line with what to do next. Query failures deserve more specific advice than
 * the generic upstream translator gives (OFFSET, timeouts, the per-project query limits); everything else goes to it.
 */
import type { UpstreamError } from '../posthog/errors.js';
import { escapeMrkdwn } from '../../views/blocks.js';
import { describeUpstreamError } from '../posthog/translate.js';
import type { QueryRunError } from './run.js';

const DETAIL_MAX = 300;
const NARROW = 'narrow the time range (e.g. `timestamp > now() - INTERVAL 7 DAY`), aggregate instead of selecting raw rows, or add a LIMIT';
const TIMEOUT_TEXT = /time(d)? ?out|timeout|max(imum)? execution time|too long to (run|execute)|estimated .*execution time/i;

function clipped(detail: string): string {
  const flat = detail.replace(/\s+/g, ' ').trim();
  const text = escapeMrkdwn(flat.length <= DETAIL_MAX ? flat : `${flat.slice(0, DETAIL_MAX - 1)}…`);
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

/** PostHog's own reason, when it rejected or failed the query (validation 400, or an async status with an error). */
function explainDetail(detail: string): string {
  if (/\boffset\b/i.test(detail)) {
    return (
      `PostHog refused the query's OFFSET (${clipped(detail)}) ` +
      "Page by time instead: `WHERE timestamp < '<last timestamp you saw>' ORDER BY timestamp DESC LIMIT 100`."
    );
  }
  if (TIMEOUT_TEXT.test(detail)) return `PostHog stopped the query: it ran too long (${clipped(detail)}) To make it lighter, ${NARROW}.`;
  return `PostHog could not run the query: ${clipped(detail)} Fix it and run it again (\`/ph query\` alone opens the editor).`;
}

export function explainRunError(e: QueryRunError, timeoutSeconds: number): string {
  switch (e.kind) {
    case 'timeout':
      return `The query was still running after ${timeoutSeconds} s, so Hogbot cancelled it. To make it faster, ${NARROW}; or allow more time with \`--timeout 300\`.`;
    case 'cancelled':
      return 'The query was cancelled before it finished. Nothing more will run.';
    case 'failed':
      return explainDetail(e.detail);
  }
}

export function explainUpstreamError(e: UpstreamError): string {
  switch (e.kind) {
    case 'posthog_validation':
      return explainDetail(e.detail ?? 'the query is invalid');
    case 'posthog_throttled': {
      const wait = e.retryAfterSeconds === undefined ? 'in a minute' : `in ${e.retryAfterSeconds} s`;
      return `PostHog is rate limiting queries on this project (it allows 3 at a time and about 240 a minute). Try again ${wait}.`;
    }
    case 'timeout':
      return `PostHog did not answer in time. Try again; if it keeps happening, ${NARROW}.`;
    default:
      return describeUpstreamError(e);
  }
}
