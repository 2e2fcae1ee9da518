/**
 * The single place an UpstreamError becomes user text: one or two short Slack mrkdwn sentences, what happened and
 * what to do next. Text copied from PostHog is escaped for mrkdwn and clipped.
 */
import type { UpstreamError } from './errors.js';
import { escapeMrkdwn } from '../../views/blocks.js';
import type { ApproverNames } from './approvers.js';

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
      // A bare 500 (no PostHog error body) is often, not always, an expired OAuth grant: say what is known. Only when
      // the gateway says the token could not be refreshed is the cause certain.
      if (e.detail && /invalid_grant|refresh .*token|token .*(expired|revoked)/i.test(e.detail)) {
        return `The PostHog authorization behind this connection has expired. Reconnect with ${CONNECT}.`;
      }
      return `PostHog or the Maton gateway failed${statusNote(e)} without saying why. Try again in a minute; if it keeps failing, the PostHog authorization behind this connection may have expired: reconnect with ${CONNECT}.`;
    case 'gateway_other':
      return `The Maton gateway could not manage connections right now${statusNote(e)}. Try again in a minute.`;
    case 'posthog_validation': {
      const reason = sentence(e.detail) ?? 'the input is invalid.';
      // A refusal about the object's links (dependent flags, running experiments) is PostHog's own answer: say it plainly.
      if (!e.attr && e.detail && /^Cannot /.test(e.detail)) return `PostHog refused the change: ${reason}`;
      return `PostHog rejected the request${field(e.attr)}: ${reason} Fix it and try again.`;
    }
    case 'posthog_auth':
      return `PostHog did not accept this connection's credentials. Reconnect with ${CONNECT}.`;
    case 'posthog_permission':
      // An approval policy that denies (posthog/approvals/decorators.py): no access request will help, the policy decides.
      if (e.detail && /approval policy/i.test(e.detail))
        return `PostHog refused the change${colon(e.detail)} Nothing was changed; a PostHog admin can review the policy.`;
      return `This PostHog connection is not allowed to do that${colon(e.detail)} Ask a PostHog admin for access.`;
    case 'posthog_not_found':
      return `PostHog could not find \`${escapeMrkdwn(e.path)}\`. ` + 'Check the id or key, and that the right project is selected.';
    case 'posthog_method_not_allowed':
      return `PostHog does not allow that operation here${colon(e.detail)}`;
    case 'posthog_throttled':
      return `PostHog is rate limiting this project; ${tryAgain(e.retryAfterSeconds)}`;
    case 'posthog_server':
      return `PostHog had a server error${statusNote(e)}. Try again in a minute.`;
    case 'posthog_approval_pending':
      return approvalText(e);
    case 'posthog_other':
      // posthog/api/feature_flag.py `update()`: a write carrying `version` + `original_flag` that would overwrite a
      // colleague's edit is refused with 409 `conflict`; nothing was written.
      if (e.status === 409 && e.code === 'conflict')
        return `Someone changed this in PostHog while Hogbot was writing it, so PostHog refused the write: nothing was overwritten${colon(e.detail)}`;
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

/** A change an approval policy holds: it waits for approval in PostHog (see approval.ts for the message with its link). */
export function approvalText(e: UpstreamError, names?: ApproverNames): string {
  const hold = e.approval;
  if (!hold) return 'PostHog holds this change for approval.';
  const id = `\`${escapeMrkdwn(hold.changeRequestId.slice(0, 8))}\``;
  const lead =
    hold.state === 'required'
      ? `This change now waits for approval in PostHog: change request ${id} was opened`
      : `A change request for this change is already waiting for approval in PostHog (${id})`;
  return `${lead}${approversText(hold.approvers, names)}. Nothing changes until it is approved.`;
}

/**
 * `, needing 1 approval from Ada Lovelace (ada@acme.com), users 42, 99 or role Release managers`: approvers PostHog's
 * organization named (approvers.ts) by name, the rest by id.
 */
export function approversText(a: { users: number[]; roles: string[]; quorum: number | null }, names?: ApproverNames): string {
  const namedUsers = a.users.flatMap((u) => names?.users.get(u) ?? []);
  const userIds = a.users.filter((u) => !names?.users.has(u));
  const namedRoles = a.roles.flatMap((r) => names?.roles.get(r) ?? []);
  const roleIds = a.roles.filter((r) => !names?.roles.has(r));
  const roles = [...namedRoles, ...roleIds.map((r) => r.slice(0, 40))];
  const who = [
    ...namedUsers.map(escapeMrkdwn),
    ...(userIds.length > 0 ? [`user${userIds.length === 1 ? '' : 's'} ${userIds.join(', ')}`] : []),
    ...(roles.length > 0 ? [`role${roles.length === 1 ? '' : 's'} ${roles.map(escapeMrkdwn).join(', ')}`] : []),
  ];
  const count = a.quorum !== null ? ` ${a.quorum} approval${a.quorum === 1 ? '' : 's'}` : ' approval';
  return who.length > 0 ? `, needing${count} from ${joinOr(who)}` : `, needing${count}`;
}

function joinOr(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}`;
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
