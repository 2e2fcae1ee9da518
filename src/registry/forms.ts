/** Opening a family's create form from a slash command or a button: one home for the trigger check and the origin. */
import type { Message, View } from '../../views/blocks.js';
import { formOpenedMessage } from '../../views/form.js';
import { CommandError } from '../errors.js';
import type { CommandContext } from './command.js';
import { encodeOrigin } from './interaction.js';

/** Opens `build(privateMetadata)` and says so; `command` and `noun` word the answers (`cohort create`, `cohort`). */
export async function openCreateForm(
  ctx: CommandContext,
  command: string,
  noun: string,
  build: (m: { privateMetadata: string }) => View,
): Promise<Message> {
  if (!ctx.triggerId) throw new CommandError(`\`/ph ${command}\` opens a form, which needs a slash command or a button click.`);
  await ctx.openModal(build({ privateMetadata: encodeOrigin({ channelId: ctx.channelId, responseUrl: ctx.responseUrl }) }));
  return formOpenedMessage(noun);
}
