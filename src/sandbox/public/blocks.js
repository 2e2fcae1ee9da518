// Block Kit to DOM: the blocks Hogbot sends, drawn the way Slack draws them; interactive elements live in elements.js.

import { h, safeHref } from './dom.js';
import { element, imageSource, textOf } from './elements.js';
import { escapeHtml, mrkdwn, plainText, textObject } from './mrkdwn.js';

export { collectState, restoreState } from './elements.js';
export { h } from './dom.js';

function richTextElements(elements, ctx) {
  return (elements ?? [])
    .map((e) => {
      let html;
      switch (e.type) {
        case 'text':
          html = escapeHtml(e.text).replace(/\n/g, '<br>');
          break;
        case 'link':
          html = /^(https?:|mailto:)/i.test(e.url) ? `<a href="${escapeHtml(e.url)}" target="_blank" rel="noopener noreferrer">${escapeHtml(e.text ?? e.url)}</a>` : escapeHtml(e.text ?? e.url);
          break;
        case 'user':
          html = `<span class="mention">@${escapeHtml(ctx.users.get(e.user_id)?.name ?? e.user_id)}</span>`;
          break;
        case 'channel':
          html = `<span class="mention">#${escapeHtml(ctx.channels.get(e.channel_id)?.name ?? e.channel_id)}</span>`;
          break;
        case 'usergroup':
          html = `<span class="mention">@${escapeHtml(e.usergroup_id)}</span>`;
          break;
        case 'broadcast':
          html = `<span class="mention">@${escapeHtml(e.range)}</span>`;
          break;
        case 'emoji':
          html = e.unicode ? String.fromCodePoint(...e.unicode.split('-').map((c) => parseInt(c, 16))) : mrkdwn(`:${e.name}:`);
          break;
        case 'date':
          html = escapeHtml(e.fallback ?? new Date(e.timestamp * 1000).toLocaleString());
          break;
        default:
          html = escapeHtml(e.text ?? '');
      }
      const s = e.style ?? {};
      if (s.code) html = `<code>${html}</code>`;
      if (s.bold) html = `<b>${html}</b>`;
      if (s.italic) html = `<i>${html}</i>`;
      if (s.strike) html = `<s>${html}</s>`;
      return html;
    })
    .join('');
}

function richText(block, ctx) {
  const root = h('div', { class: 'rich-text' });
  for (const part of block.elements ?? []) {
    switch (part.type) {
      case 'rich_text_section':
        root.append(h('div', { class: 'rt-section', html: richTextElements(part.elements, ctx) }));
        break;
      case 'rich_text_preformatted':
        root.append(h('pre', { class: 'code-block', html: richTextElements(part.elements, ctx) }));
        break;
      case 'rich_text_quote':
        root.append(h('blockquote', { class: 'quote-block', html: richTextElements(part.elements, ctx) }));
        break;
      case 'rich_text_list': {
        const list = h(part.style === 'ordered' ? 'ol' : 'ul', { class: `rt-list indent-${part.indent ?? 0}` });
        for (const item of part.elements ?? []) list.append(h('li', { html: richTextElements(item.elements, ctx) }));
        root.append(list);
        break;
      }
      default:
        root.append(h('div', { class: 'unsupported' }, `[${part.type}]`));
    }
  }
  return root;
}

function tableCell(cell, ctx) {
  if (!cell) return '';
  if (cell.type === 'raw_text') return escapeHtml(cell.text ?? '');
  if (cell.type === 'rich_text') return [...richText(cell, ctx).childNodes].map((n) => n.innerHTML ?? '').join(' ');
  return escapeHtml(cell.text ?? '');
}

/** Slack's table block: the first row is the header; column_settings align and wrap columns. */
function table(block, ctx) {
  const settings = block.column_settings ?? [];
  const cellAttrs = (i) => {
    const s = settings[i] ?? {};
    return { class: `${s.is_wrapped ? 'wrap' : 'nowrap'} align-${s.align ?? 'left'}` };
  };
  const [head, ...rows] = block.rows ?? [];
  const thead = h('thead', {}, h('tr', {}, (head ?? []).map((c, i) => h('th', { ...cellAttrs(i), html: tableCell(c, ctx) }))));
  const tbody = h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) => h('td', { ...cellAttrs(i), html: tableCell(c, ctx) })))));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'bk-table' }, thead, tbody));
}

function section(block, ctx, blockId) {
  const main = h('div', { class: 'section-main' });
  if (block.text) main.append(h('div', { class: 'section-text', html: textObject(block.text, ctx) }));
  if (block.fields?.length) {
    main.append(h('div', { class: 'fields' }, block.fields.map((f) => h('div', { class: 'field', html: textObject(f, ctx) }))));
  }
  const out = h('div', { class: 'section' }, main);
  if (block.accessory) out.append(h('div', { class: 'accessory' }, element(block.accessory, blockId, ctx)));
  return out;
}

function input(block, ctx, blockId) {
  const optional = block.optional ? h('span', { class: 'optional' }, ' (optional)') : null;
  return h(
    'div',
    { class: 'input-block' },
    h('label', { class: 'input-label' }, h('span', { html: plainText(textOf(block.label)) }), optional),
    element(block.element, blockId, ctx, block.dispatch_action === true),
    block.hint ? h('div', { class: 'hint', html: plainText(textOf(block.hint)) }) : null,
    h('div', { class: 'input-error', hidden: true }),
  );
}

/** Standard markdown (the `markdown` block), through mrkdwn with the common differences translated. */
function markdownBlock(block, ctx) {
  const text = (block.text ?? '')
    .replace(/\*\*(.+?)\*\*/g, '*$1*')
    .replace(/\[([^\]]+)\]\((https?:[^)]+)\)/g, '<$2|$1>')
    .replace(/^#{1,6} (.*)$/gm, '*$1*');
  return h('div', { class: 'section-text', html: mrkdwn(text, ctx) });
}

/** One block. Unknown types show as such, so a new block type is noticed rather than silently dropped. */
export function block(b, ctx, index) {
  const blockId = b.block_id ?? `b${index}`;
  let body;
  switch (b.type) {
    case 'header':
      body = h('div', { class: 'bk-header', html: plainText(textOf(b.text)) });
      break;
    case 'section':
      body = section(b, ctx, blockId);
      break;
    case 'divider':
      body = h('hr', { class: 'divider' });
      break;
    case 'context':
      body = h(
        'div',
        { class: 'context' },
        (b.elements ?? []).map((e) => (e.type === 'image' ? h('img', { src: imageSource(e), alt: e.alt_text ?? '', class: 'context-image' }) : h('span', { html: textObject(e, ctx) }))),
      );
      break;
    case 'image':
      body = h(
        'figure',
        { class: 'bk-image' },
        b.title ? h('figcaption', { html: plainText(textOf(b.title)) }) : null,
        h('img', { src: imageSource(b), alt: b.alt_text ?? '' }),
      );
      break;
    case 'actions':
      body = h('div', { class: 'actions' }, (b.elements ?? []).map((e) => element(e, blockId, ctx)));
      break;
    case 'input':
      body = input(b, ctx, blockId);
      break;
    case 'rich_text':
      body = richText(b, ctx);
      break;
    case 'table':
      body = table(b, ctx);
      break;
    case 'markdown':
      body = markdownBlock(b, ctx);
      break;
    case 'video':
      body = h('div', { class: 'section-text' }, h('a', { href: safeHref(b.title_url ?? b.video_url), target: '_blank', rel: 'noopener' }, `▶ ${textOf(b.title)}`));
      break;
    case 'file':
      body = h('div', { class: 'file-chip' }, `📄 ${b.external_id ?? 'file'}`);
      break;
    default:
      body = h('div', { class: 'unsupported' }, `Unsupported block: ${b.type}`);
  }
  return h('div', { class: `block block-${b.type}`, 'data-block-id': blockId }, body);
}

export function renderBlocks(blocks, ctx) {
  return h('div', { class: 'blocks' }, (blocks ?? []).map((b, i) => block(b, ctx, i)));
}

/** Legacy attachments: a colored bar, then blocks or the classic fields. */
export function attachment(a, ctx) {
  const color = /^#?[0-9a-f]{3,8}$/i.test(a.color ?? '') ? (a.color.startsWith('#') ? a.color : `#${a.color}`) : ({ good: '#2eb67d', warning: '#ecb22e', danger: '#e01e5a' }[a.color] ?? '#dddddd');
  const box = h('div', { class: 'attachment', style: `border-left-color: ${color}` });
  if (a.blocks) box.append(renderBlocks(a.blocks, ctx));
  if (a.pretext) box.append(h('div', { html: mrkdwn(a.pretext, ctx) }));
  if (a.title) box.append(h('div', { class: 'att-title' }, safeHref(a.title_link) ? h('a', { href: a.title_link, target: '_blank', rel: 'noopener' }, a.title) : a.title));
  if (a.text) box.append(h('div', { html: mrkdwn(a.text, ctx) }));
  if (a.fields?.length) {
    box.append(h('div', { class: 'fields' }, a.fields.map((f) => h('div', { class: 'field', html: `<b>${escapeHtml(f.title ?? '')}</b><br>${mrkdwn(f.value ?? '', ctx)}` }))));
  }
  if (a.image_url) box.append(h('img', { class: 'att-image', src: a.image_url, alt: '' }));
  if (a.footer) box.append(h('div', { class: 'context', html: mrkdwn(a.footer, ctx) }));
  return box;
}

const IMAGE_FILE = /\.(png|jpe?g|gif|svg|webp)$/i;

/** Files uploaded with a message: images inline, everything else as a download. */
export function fileList(files) {
  return h(
    'div',
    { class: 'files' },
    files.map((f) => {
      const href = `/files/${encodeURIComponent(f.id)}`;
      if (IMAGE_FILE.test(f.name)) {
        return h('figure', { class: 'file-image' }, h('figcaption', {}, f.title || f.name), h('a', { href, target: '_blank', rel: 'noopener' }, h('img', { src: href, alt: f.title || f.name })));
      }
      const kb = f.size >= 1024 ? `${(f.size / 1024).toFixed(1)} KB` : `${f.size} B`;
      return h('a', { class: 'file-chip', href, download: f.name }, h('span', { class: 'file-icon' }, '📄'), h('span', {}, h('b', {}, f.title || f.name), h('small', {}, ` ${f.name} · ${kb}`)));
    }),
  );
}
