/**
 * A channel argument as the bot may receive it. Slack escapes what was picked from its list (`<#C123|growth>`, because
 * the manifest sets should_escape); a name typed by hand arrives as plain `#growth`. Rather than refuse that, the bot
 * looks the name up in the workspace's channel list (conversations.list, scopes channels:read + groups:read).
 */
import { CommandError } from '../errors.js';
import type { CommandContext } from '../registry/command.js';
import { slackError } from '../slack-error.js';
import { parseChannel } from './inputs.js';

const CHANNEL_NAME = /^#?([a-z0-9][a-z0-9._-]{0,79})$/;
/** Enough pages for a large workspace; a name further down still gets a clear answer. */
const MAX_PAGES = 10;

export async function findChannel(ctx: Pick<CommandContext, 'slack' | 'teamId'>, text: string): Promise<string> {
  const typed = text.trim();
  const name = typed.startsWith('#') ? CHANNEL_NAME.exec(typed.toLowerCase())?.[1] : undefined;
  if (!name) return parseChannel(typed);
  let cursor: string | undefined;
  try {
    for (let page = 0; page < MAX_PAGES; page += 1) {
      // team_id: an org-wide install must name the workspace; Slack then lists only that workspace's channels.
      const res = await ctx.slack.conversations.list({
        types: 'public_channel,private_channel',
        exclude_archived: true,
        limit: 1000,
        team_id: ctx.teamId,
        ...(cursor ? { cursor } : {}),
      });
      const found = (res.channels ?? []).find((c) => c.name === name && typeof c.id === 'string');
      if (found?.id) return found.id;
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
  } catch (error) {
    throw new CommandError(
      `I could not read this workspace's channels (${slackError(error)}). Type \`#\` and pick the channel from Slack's list, or leave it out to use this channel.`,
    );
  }
  throw new CommandError(
    `There is no channel \`#${name}\` I can see in this workspace. Check the name, or type \`#\` and pick the channel from Slack's list (invite me to a private channel first).`,
  );
}
