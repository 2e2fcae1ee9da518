/**
 * Image checks Slack makes that need the fake's state: an image whose `slack_file` Slack can't show in that place.
 *
 * Real Slack answers `invalid_blocks` with "invalid slack file [json-pointer:/blocks/N/slack_file]" when the file was
 * uploaded without a channel: only the uploading bot can see it (slackapi/python-slack-sdk#1658, #1797;
 * slackapi/java-slack-sdk#1349, #1335). The fake goes one step further, on purpose: the file must be shared in the very
 * conversation that shows it, so a chart shared in the caller's DM can't quietly ride in a channel message that other
 * members can't open. Surfaces without a conversation (modals, unfurls from the composer) accept any shared file;
 * a Home tab counts as the user's DM with the app.
 */
import type { BlockKitProblem } from './block-kit.js';
import type { StateOptions } from './state.js';
import type { FakeUpload } from './types.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where the blocks will be shown: a conversation id, or null where there is none (modal, composer unfurl). */
export type ImageSurface = { conversation: string | null };

function fileProblem(slackFile: unknown, at: string, surface: ImageSurface, uploads: ReadonlyMap<string, FakeUpload>): string | undefined {
  if (!isObject(slackFile)) return undefined;
  const id = typeof slackFile.id === 'string' ? slackFile.id : undefined;
  // A `url` slack_file is a file permalink; the fake only models uploads it made, by id.
  if (id === undefined) return typeof slackFile.url === 'string' ? undefined : `[ERROR] invalid slack file [json-pointer:${at}]`;
  const upload = uploads.get(id);
  const visible =
    upload !== undefined &&
    upload.completed &&
    upload.channel !== undefined &&
    (surface.conversation === null || upload.channel === surface.conversation);
  return visible ? undefined : `[ERROR] invalid slack file [json-pointer:${at}]`;
}

/** What the check reads of the fake's state. */
export interface ImageState {
  uploads: ReadonlyMap<string, FakeUpload>;
  options: Pick<StateOptions, 'imageDownload'>;
}

/**
 * Image blocks, and image elements in context blocks and section accessories: a slack_file must be shared here, and
 * an image_url must download (Slack fetches it on post: "downloading image failed", python-slack-sdk#1782).
 */
export function checkImageFiles(blocks: unknown, pointer: string, surface: ImageSurface, state: ImageState): BlockKitProblem | undefined {
  const { uploads } = state;
  const downloads = state.options.imageDownload;
  if (!Array.isArray(blocks)) return undefined;
  const messages: string[] = [];
  const visit = (el: unknown, at: string) => {
    if (!isObject(el) || el.type !== 'image') return;
    if (typeof el.image_url === 'string' && downloads && !downloads(el.image_url))
      messages.push(`[ERROR] downloading image failed [json-pointer:${at}/image_url]`);
    if (el.slack_file === undefined) return;
    const problem = fileProblem(el.slack_file, `${at}/slack_file`, surface, uploads);
    if (problem) messages.push(problem);
  };
  blocks.forEach((block, i) => {
    const at = `${pointer}/${i}`;
    visit(block, at);
    if (!isObject(block)) return;
    if (Array.isArray(block.elements)) block.elements.forEach((el, j) => visit(el, `${at}/elements/${j}`));
    if (block.accessory !== undefined) visit(block.accessory, `${at}/accessory`);
  });
  return messages.length > 0 ? { error: 'invalid_blocks', messages } : undefined;
}
