/**
 * The single place an UpstreamError becomes user text: one or two short Slack mrkdwn sentences, what happened and
 * what to do next. Text copied from PostHog is escaped for mrkdwn and clipped.
 */
import type { UpstreamError } from './errors.js';
import { escapeMrkdwn } from '../../views/blocks.js';

const CONNECT = '`/ph connection connect`';
const DETAIL_MAX = 200;

export function describeUpstreamError(e: UpstreamError): string {
  switch (e.kind) {
    case 'gateway_no_connection':
      return `This workspace has no PostHog connection yet. Run ${CONNECT}, or \`/ph connection use &lt;id&gt;\`.`;
    case 'gateway_bad_key':
      return "Hogbot's Maton API key was rejected. An admin needs to update MATON_API_KEY.";
    case 'gateway_rate_limited':
      return `The Maton gateway is rate limiting Hogbot; ${tryAgain(e.retryAfterSeconds)}`;
    case 'gateway_grant_expired':
      return `The PostHog authorization behind this connection has expired. Reconnect with ${CONNECT}.`;
    case 'gateway_other':
      return `The Maton gateway could not manage connections right now${statusNote(e)}. Try again in a minute.`;
    case 'posthog_validation': {
      const reason = sentence(e.detail) ?? 'the input is invalid.';
      return `PostHog rejected the request${field(e.attr)}: ${reason} Fix it and try again.`;
    }
    case 'posthog_auth':
      return `PostHog did not accept this connection's credentials. Reconnect with ${CONNECT}.`;
    case 'posthog_permission':
      return `This PostHog connection is not allowed to do that${colon(e.detail)} Ask a PostHog admin for access.`;
    case 'posthog_not_found':
      return (
        `PostHog could not find \`${escapeMrkdwn(e.path)}\`. ` +
        'Check the id or key, and that the right project is selected.'
      );
    case 'posthog_method_not_allowed':
      return `PostHog does not allow that operation here${colon(e.detail)}`;
    case 'posthog_throttled':
      return `PostHog is rate limiting this project; ${tryAgain(e.retryAfterSeconds)}`;
    case 'posthog_server':
      return `PostHog had a server error${statusNote(e)}. Try again in a minute.`;
    case 'posthog_other':
      return `PostHog refused the request${statusNote(e)}${colon(e.detail)}`;
    case 'timeout':
      return 'PostHog did not answer in time. Try again, or ask for less (a shorter date range or a smaller limit).';
    case 'network':
      return 'Hogbot could not reach the Maton gateway. Try again in a minute.';
    case 'malformed':
      return 'PostHog sent an answer Hogbot did not understand. Try again; if it keeps happening, tell a Hogbot admin.';
    default:
      return unreachable(e.kind);
  }
}

function tryAgain(seconds: number | undefined): string {
  return seconds === undefined ? 'try again in a few seconds.' : `try again in ${seconds} s.`;
}

function statusNote(e: UpstreamError): string {
  return e.status === undefined ? '' : ` (HTTP ${e.status})`;
}

function field(attr: string | undefined): string {
  return attr ? ` (field \`${escapeMrkdwn(attr)}\`)` : '';
}

/** ": Detail." or "." when there is none. */
function colon(detail: string | undefined): string {
  const text = sentence(detail);
  return text === undefined ? '.' : `: ${text}`;
}

/** Escaped, clipped, and ending with punctuation so the next sentence reads right. */
function sentence(detail: string | undefined): string | undefined {
  if (detail === undefined || detail.trim() === '') return undefined;
  const flat = detail.replace(/\s+/g, ' ').trim();
  const clipped = flat.length <= DETAIL_MAX ? flat : `${flat.slice(0, DETAIL_MAX - 1)}…`;
  const text = escapeMrkdwn(clipped);
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

function unreachable(kind: never): string {
  return `Something went wrong talking to PostHog (${String(kind)}). Try again.`;
}
