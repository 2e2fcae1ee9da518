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

/** Slack's error code from a Web API failure (`not_in_channel`, `channel_not_found`...), else the error's message. */
export function slackError(error: unknown): string {
  return slackErrorCode(error) ?? (error instanceof Error ? error.message : 'unknown error');
}

/** A @slack/web-api failure's code (Slack's error name when it has one); null for anything that is not one. */
export function slackApiError(error: unknown): string | null {
  const code = ownCode(error);
  if (!code?.startsWith('slack_webapi')) return null;
  return slackErrorCode(error) ?? code;
}
