/**
 * When Slack can't download a chart from PUBLIC_URL (not reachable from the internet, a proxy in the way), it refuses
 * the whole message: `invalid_blocks`, "downloading image failed [json-pointer:/blocks/N/image_url]"
 * (slackapi/python-slack-sdk#1782). The answer matters more than its picture, so callers send it again without the
 * image blocks, saying why.
 */
import { context, type KnownBlock } from '../../views/blocks.js';

export const IMAGE_UNREACHABLE_NOTE =
  'The chart could not be shown: Slack could not download it from Hogbot’s PUBLIC_URL. Ask an admin to check that Slack can reach it.';

const isUrlImage = (block: unknown): boolean => {
  const b = block as { type?: unknown; image_url?: unknown };
  return b?.type === 'image' && typeof b.image_url === 'string';
};

/** The same blocks with each image_url image replaced by the note; null when there was no such image. */
export function withoutUrlImages(blocks: readonly KnownBlock[] | undefined): KnownBlock[] | null {
  if (!blocks?.some(isUrlImage)) return null;
  return blocks.map((b) => (isUrlImage(b) ? context(IMAGE_UNREACHABLE_NOTE) : b));
}
