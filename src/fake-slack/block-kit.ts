/**
 * Block Kit limits as Slack enforces them, so tests fail here instead of in a real workspace.
 * Messages answer `invalid_blocks` / `invalid_blocks_format` / `msg_blocks_too_long` / `msg_too_long`;
 * views answer `invalid_arguments`. Like Slack, details go in `response_metadata.messages` as
 * `[ERROR] ... [json-pointer:/...]`.
 */

export const MESSAGE_MAX_BLOCKS = 50;
export const VIEW_MAX_BLOCKS = 100;
/** Slack documents no exact figure; rejections start around 11-13k characters of block text. */
export const DEFAULT_BLOCK_TEXT_LIMIT = 12_000;
export const MESSAGE_TEXT_LIMIT = 40_000;

export interface BlockKitProblem {
  error: string;
  messages: string[];
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

const textOf = (value: unknown): string | undefined => (isObject(value) && typeof value.text === 'string' ? value.text : undefined);

const tooLong = (max: number, pointer: string) => `[ERROR] must be less than ${max + 1} characters [json-pointer:${pointer}]`;
const tooMany = (max: number, pointer: string) => `[ERROR] must provide an array of no more than ${max} items [json-pointer:${pointer}]`;

class Collector {
  readonly messages: string[] = [];

  maxLength(value: unknown, max: number, pointer: string): void {
    if (typeof value === 'string' && value.length > max) this.messages.push(tooLong(max, pointer));
  }

  maxText(obj: unknown, max: number, pointer: string): void {
    this.maxLength(textOf(obj), max, `${pointer}/text`);
  }

  maxItems(value: unknown, max: number, pointer: string): void {
    if (Array.isArray(value) && value.length > max) this.messages.push(tooMany(max, pointer));
  }

  add(message: string): void {
    this.messages.push(message);
  }
}

function checkElement(el: unknown, at: string, c: Collector): void {
  if (!isObject(el) || typeof el.type !== 'string') {
    c.add(`[ERROR] must provide an object with a string type [json-pointer:${at}]`);
    return;
  }
  c.maxLength(el.action_id, 255, `${at}/action_id`);
  if (el.type === 'button') {
    c.maxText(el.text, 75, `${at}/text`);
    c.maxLength(el.value, 2000, `${at}/value`);
    c.maxLength(el.url, 3000, `${at}/url`);
  }
  if (isObject(el.confirm)) {
    c.maxText(el.confirm.title, 100, `${at}/confirm/title`);
    c.maxText(el.confirm.text, 300, `${at}/confirm/text`);
    c.maxText(el.confirm.confirm, 30, `${at}/confirm/confirm`);
    c.maxText(el.confirm.deny, 30, `${at}/confirm/deny`);
  }
  if (Array.isArray(el.options)) {
    c.maxItems(el.options, 100, `${at}/options`);
    el.options.forEach((opt, i) => {
      c.maxText(isObject(opt) ? opt.text : undefined, 75, `${at}/options/${i}/text`);
      c.maxLength(isObject(opt) ? opt.value : undefined, 150, `${at}/options/${i}/value`);
    });
  }
}

function checkTable(block: Json, at: string, c: Collector): void {
  if (!Array.isArray(block.rows)) {
    c.add(`[ERROR] missing required field: rows [json-pointer:${at}]`);
    return;
  }
  c.maxItems(block.rows, 100, `${at}/rows`);
  block.rows.forEach((row, r) => {
    if (!Array.isArray(row)) c.add(`[ERROR] must be an array of cells [json-pointer:${at}/rows/${r}]`);
    else c.maxItems(row, 20, `${at}/rows/${r}`);
  });
}

const isHttpUrl = (value: string): boolean => {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

/**
 * An image block or element: exactly one of `image_url` (a public http(s) URL Slack downloads) or `slack_file`, and
 * alt text. Whether a slack_file may be shown where it is sent needs the fake's state: see images.ts.
 * (docs.slack.dev/reference/block-kit/blocks/image-block, .../block-elements/image-element)
 */
function checkImage(el: Json, at: string, c: Collector): void {
  const hasUrl = el.image_url !== undefined;
  const hasFile = el.slack_file !== undefined;
  if (hasUrl === hasFile) c.add(`[ERROR] must provide exactly one of image_url or slack_file [json-pointer:${at}]`);
  if (hasUrl && (typeof el.image_url !== 'string' || !isHttpUrl(el.image_url))) c.add(`[ERROR] invalid url [json-pointer:${at}/image_url]`);
  c.maxLength(el.image_url, 3000, `${at}/image_url`);
  if (typeof el.alt_text !== 'string' || el.alt_text === '') c.add(`[ERROR] missing required field: alt_text [json-pointer:${at}]`);
  c.maxLength(el.alt_text, 2000, `${at}/alt_text`);
}

function checkBlock(block: unknown, at: string, c: Collector): void {
  if (!isObject(block) || typeof block.type !== 'string' || block.type === '') {
    c.add(`[ERROR] must provide an object with a string type [json-pointer:${at}]`);
    return;
  }
  c.maxLength(block.block_id, 255, `${at}/block_id`);
  switch (block.type) {
    case 'section':
      if (block.text === undefined && block.fields === undefined) {
        c.add(`[ERROR] must provide text or fields [json-pointer:${at}]`);
      }
      c.maxText(block.text, 3000, `${at}/text`);
      c.maxItems(block.fields, 10, `${at}/fields`);
      if (Array.isArray(block.fields)) block.fields.forEach((f, i) => c.maxText(f, 2000, `${at}/fields/${i}`));
      if (block.accessory !== undefined) checkElement(block.accessory, `${at}/accessory`, c);
      if (isObject(block.accessory) && block.accessory.type === 'image') checkImage(block.accessory, `${at}/accessory`, c);
      break;
    case 'header':
      if (textOf(block.text) === undefined) c.add(`[ERROR] missing required field: text [json-pointer:${at}]`);
      c.maxText(block.text, 150, `${at}/text`);
      break;
    case 'actions':
      if (!Array.isArray(block.elements)) c.add(`[ERROR] missing required field: elements [json-pointer:${at}]`);
      else {
        c.maxItems(block.elements, 25, `${at}/elements`);
        block.elements.forEach((el, i) => checkElement(el, `${at}/elements/${i}`, c));
      }
      break;
    case 'context':
      if (!Array.isArray(block.elements)) c.add(`[ERROR] missing required field: elements [json-pointer:${at}]`);
      else {
        c.maxItems(block.elements, 10, `${at}/elements`);
        block.elements.forEach((el, i) => {
          if (isObject(el) && el.type === 'image') checkImage(el, `${at}/elements/${i}`, c);
        });
      }
      break;
    case 'image':
      checkImage(block, at, c);
      c.maxText(block.title, 2000, `${at}/title`);
      break;
    case 'input':
      if (block.element !== undefined) checkElement(block.element, `${at}/element`, c);
      c.maxText(block.label, 2000, `${at}/label`);
      break;
    case 'table':
      checkTable(block, at, c);
      break;
  }
}

function checkBlockList(blocks: unknown[], max: number, pointer: string, c: Collector): void {
  c.maxItems(blocks, max, pointer);
  blocks.forEach((b, i) => checkBlock(b, `${pointer}/${i}`, c));
  const tables = blocks.filter((b) => isObject(b) && b.type === 'table').length;
  if (tables > 1) c.add(`[ERROR] only one table block is allowed per message [json-pointer:${pointer}]`);
}

/** Sum of every `text` string in a block tree: what Slack's `msg_blocks_too_long` budget counts. */
export function blockTextLength(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + blockTextLength(v), 0);
  if (!isObject(value)) return 0;
  let total = 0;
  for (const [key, v] of Object.entries(value)) {
    if (key === 'text' && typeof v === 'string') total += v.length;
    else total += blockTextLength(v);
  }
  return total;
}

/** Checks a message payload (chat.postMessage / postEphemeral / update, response_url). */
export function checkMessage(
  payload: { text?: unknown; blocks?: unknown },
  blockTextLimit = DEFAULT_BLOCK_TEXT_LIMIT,
): BlockKitProblem | undefined {
  if (typeof payload.text === 'string' && payload.text.length > MESSAGE_TEXT_LIMIT) {
    return { error: 'msg_too_long', messages: [] };
  }
  const { blocks } = payload;
  if (blocks === undefined) return undefined;
  if (!Array.isArray(blocks)) {
    return { error: 'invalid_blocks_format', messages: ['[ERROR] must be a JSON array of blocks [json-pointer:/blocks]'] };
  }
  const c = new Collector();
  checkBlockList(blocks, MESSAGE_MAX_BLOCKS, '/blocks', c);
  if (c.messages.length > 0) return { error: 'invalid_blocks', messages: c.messages };
  if (blockTextLength(blocks) > blockTextLimit) return { error: 'msg_blocks_too_long', messages: [] };
  return undefined;
}

/** Checks a view payload (views.open / push / update / publish). */
export function checkView(view: unknown): BlockKitProblem | undefined {
  const c = new Collector();
  if (!isObject(view)) {
    c.add('[ERROR] must provide a view object [json-pointer:/view]');
    return { error: 'invalid_arguments', messages: c.messages };
  }
  if (view.type !== 'modal' && view.type !== 'home') {
    c.add('[ERROR] type must be one of modal, home [json-pointer:/view/type]');
  }
  if (view.type === 'modal' && textOf(view.title) === undefined) {
    c.add('[ERROR] missing required field: title [json-pointer:/view]');
  }
  c.maxText(view.title, 24, '/view/title');
  c.maxText(view.submit, 24, '/view/submit');
  c.maxText(view.close, 24, '/view/close');
  c.maxLength(view.private_metadata, 3000, '/view/private_metadata');
  c.maxLength(view.callback_id, 255, '/view/callback_id');
  c.maxLength(view.external_id, 255, '/view/external_id');
  if (!Array.isArray(view.blocks)) c.add('[ERROR] missing required field: blocks [json-pointer:/view]');
  else checkBlockList(view.blocks, VIEW_MAX_BLOCKS, '/view/blocks', c);
  return c.messages.length > 0 ? { error: 'invalid_arguments', messages: c.messages } : undefined;
}
