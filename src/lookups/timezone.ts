import type { CommandContext } from '../registry/command.js';

/**
 * The caller's Slack time zone (users.info `tz`), for showing times as they read them. UTC when Slack does not say or
 * cannot be asked: a time in the wrong zone, labelled as such, beats no answer at all.
 */
export async function userTimezone(ctx: CommandContext): Promise<string> {
  try {
    const info = await ctx.slack.users.info({ user: ctx.userId });
    const tz = info.user?.tz;
    return tz && isKnownZone(tz) ? tz : 'UTC';
  } catch {
    return 'UTC';
  }
}

export function isKnownZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
