/** Slack's error code from a Web API failure (`not_in_channel`, `channel_not_found`...). */
export function slackError(error: unknown): string {
  const code = (error as { data?: { error?: unknown } } | null)?.data?.error;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : 'unknown error';
}
