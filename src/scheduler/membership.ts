/**
 * A digest or alert posts PostHog data into a channel on its creator's behalf, so its creator must be in that channel:
 * otherwise anyone could push numbers into a channel they can't read, or read results in one they were never invited
 * to. Slack answers who is in a conversation with conversations.members (channels:read / groups:read; cursor pages;
 * `channel_not_found` when the bot's token can't see it): https://api.slack.com/methods/conversations.members
 */
import { CommandError } from '../errors.js';
import type { CommandContext } from '../registry/command.js';
import { slackErrorCode } from '../slack-error.js';

/** Pages of 200 (Slack's advice), at most 50 of them: 10,000 members is plenty for a channel a digest posts in. */
const PAGE = 200;
const MAX_PAGES = 50;

export async function requireChannelMember(
  ctx: Pick<CommandContext, 'slack' | 'userId' | 'channelId'>,
  channelId: string,
  what: 'digest' | 'alert',
): Promise<void> {
  // Typed in that very channel (or its form opened there): Slack only delivers the command from a conversation the
  // caller is in.
  if (channelId === ctx.channelId) return;
  if (channelId.startsWith('D')) {
    throw new CommandError(
      `${what === 'alert' ? 'An' : 'A'} ${what} can post in a channel you are in, or in this conversation: not in someone else’s direct messages.`,
    );
  }
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    let res: Awaited<ReturnType<CommandContext['slack']['conversations']['members']>>;
    try {
      res = await ctx.slack.conversations.members({ channel: channelId, limit: PAGE, ...(cursor ? { cursor } : {}) });
    } catch (error) {
      if (slackErrorCode(error) === 'channel_not_found') {
        throw new CommandError(`Hogbot can’t see <#${channelId}>: invite it there (\`/invite @Hogbot\`) and try again.`);
      }
      throw error;
    }
    if ((res.members ?? []).includes(ctx.userId)) return;
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!cursor) break;
  }
  throw new CommandError(
    `You are not in <#${channelId}>, so you can’t have ${what === 'alert' ? 'an' : 'a'} ${what} post there: join it first, or pick a channel you are in.`,
  );
}
