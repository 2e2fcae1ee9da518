/**
 * The one home for reading a Slack Web API failure. @slack/web-api errors carry Slack's error name in `data.error`
 * (`not_in_channel`, `user_not_found`...) and their own kind in `code` (`slack_webapi_platform_error`...).
 */
const hasData = (error: unknown): error is { data: { error?: unknown } } =>
  typeof error === 'object' && error !== null && 'data' in error && typeof error.data === 'object' && error.data !== null;

const ownCode = (error: unknown): string | null =>
  error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : null;

/** Slack's error name, or null when the failure carries none (a network error, a bug). */
export function slackErrorCode(error: unknown): string | null {
  return hasData(error) && typeof error.data.error === 'string' ? error.data.error : null;
}

/** Slack's error name, else the client's own error code, else null: for logs and start-up checks. */
export function slackFailureCode(error: unknown): string | null {
  return slackErrorCode(error) ?? ownCode(error);
}

/** A @slack/web-api failure's code (Slack's error name when it has one); null for anything that is not one. */
export function slackApiError(error: unknown): string | null {
  const code = ownCode(error);
  if (!code?.startsWith('slack_webapi')) return null;
  return slackErrorCode(error) ?? code;
}

/**
 * Slack's error code from a Web API failure (`not_in_channel`, `channel_not_found`...). Never the error's message:
 * @slack/web-api puts transport detail there ("A request error occurred: connect ECONNREFUSED 10.0.0.7:443"), which is
 * no use to a user and says too much about where Hogbot runs. Without a code from Slack, the SDK's own code
 * (`slack_webapi_request_error`...) or `request_failed`.
 */
export function slackError(error: unknown): string {
  const code = slackFailureCode(error);
  return code !== null && /^[a-z0-9_.-]{1,80}$/i.test(code) ? code : 'request_failed';
}

/** True for an error thrown by @slack/web-api (its codes start with `slack_webapi`). */
export function isSlackApiError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('slack_webapi');
}

/** What a user can do about a Slack error code, as the end of a sentence. */
export function slackErrorAdvice(code: string): string {
  switch (code) {
    case 'not_in_channel':
    case 'channel_not_found':
    case 'is_archived':
      return 'invite Hogbot to the channel (`/invite @Hogbot`), or pick another channel, and try again';
    case 'ratelimited':
    case 'rate_limited':
    case 'slack_webapi_rate_limited_error':
      return 'Slack is rate-limiting Hogbot: wait a minute and try again';
    case 'missing_scope':
    case 'not_allowed_token_type':
    case 'invalid_auth':
    case 'token_revoked':
    case 'account_inactive':
    case 'not_authed':
      return 'ask a workspace admin to reinstall Hogbot, then try again';
    case 'msg_too_long':
    case 'msg_blocks_too_long':
    case 'invalid_blocks':
      return 'ask for less (a smaller `--limit`, a shorter query) and try again';
    case 'user_not_found':
    case 'users_not_found':
      return 'check the user you named and try again';
    default:
      return 'try again in a moment; if it keeps happening, give this code to whoever runs Hogbot';
  }
}
