/** `/ph flag list` and `/ph flag show`: reading, nothing changes. */
import type { Message } from '../../views/blocks.js';
import { flagCardMessage, flagListMessage } from '../../views/flags.js';
import { hasRole } from '../access.js';
import { CommandError } from '../errors.js';
import { pinnedClient, pinTarget } from '../plans/pinned-target.js';
import type { CommandContext } from '../registry/command.js';
import { flagSchema, flagsPath, flagUrl, toView } from './flag.js';
import { findFlag } from './lookup.js';

const PAGE_SIZE = 15;

export interface ListArgs {
  search?: string | undefined;
  active?: boolean | undefined;
  inactive?: boolean | undefined;
  offset?: number | undefined;
}

export async function listFlags(ctx: CommandContext, args: ListArgs): Promise<Message> {
  if (args.active && args.inactive) throw new CommandError('Pick one of `--active` and `--inactive`.');
  const t = await pinTarget(ctx);
  const offset = args.offset ?? 0;
  const search = args.search?.trim() || null;
  const query = { search: search ?? undefined, active: args.active ? 'true' : args.inactive ? 'false' : undefined };
  const page = await pinnedClient(ctx, t).listPage(flagsPath(t), flagSchema, { limit: PAGE_SIZE, offset, query });
  // The pager's More re-runs this same list from the next offset.
  const command = [
    'flag list',
    search ? `"${search.replace(/"/g, '')}"` : '',
    args.active ? '--active' : '',
    args.inactive ? '--inactive' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return flagListMessage({
    flags: page.results.map(toView),
    projectName: t.projectName,
    search,
    offset,
    total: page.count,
    nextOffset: page.nextOffset,
    command,
  });
}

export async function showFlag(ctx: CommandContext, key: string): Promise<Message> {
  const t = await pinTarget(ctx);
  const flag = await findFlag(ctx, t, key);
  // A reader gets no button that would only refuse them (the click re-checks the role anyway).
  const canWrite = hasRole(await ctx.role(), 'writer');
  return flagCardMessage({ flag: toView(flag), projectName: t.projectName, url: flagUrl(ctx, t, flag.id), canWrite });
}
