import { actions, button, context, type KnownBlock } from './blocks.js';

/**
 * "More" on a list: the button carries the command text with the next `--offset`, and the click replaces the list in
 * place with the next page. Every click comes with its own response_url, so paging never runs out of Slack's five uses.
 */
export const MORE_ACTION = 'hogbot_more';

export interface PageModel {
  /** The command that produced the page, without `--offset` (e.g. `flag list checkout --active`). */
  command: string;
  offset: number;
  shown: number;
  /** Total when the API reports one (`count`); null for `has_next` lists. */
  total: number | null;
  nextOffset: number | null;
}

export function pagerBlocks(page: PageModel): KnownBlock[] {
  const from = page.shown === 0 ? 0 : page.offset + 1;
  const to = page.offset + page.shown;
  const of = page.total !== null ? ` of ${page.total}` : page.nextOffset !== null ? '' : ` of ${to}`;
  const blocks: KnownBlock[] = [context(`Showing ${from}–${to}${of}`)];
  if (page.nextOffset !== null) {
    blocks.push(
      actions('hogbot_pager', [button({ text: 'More', actionId: MORE_ACTION, value: `${page.command} --offset ${page.nextOffset}` })]),
    );
  }
  return blocks;
}
