// Interactive Block Kit elements: buttons, selects, pickers, choices and text inputs. Each reports a change through
// ctx.dispatch(action) and registers a reader (and a writer) in ctx.inputs, so clicks and submits carry the surface's state.

import { h, safeHref } from './dom.js';
import { plainText, textObject } from './mrkdwn.js';

/**
 * @typedef {object} RenderContext
 * @property {'message'|'modal'|'home'} surface
 * @property {Map<string, {name: string}>} users
 * @property {Map<string, {name: string}>} channels
 * @property {(action: object) => Promise<void>} dispatch  sends a block_actions for this surface
 * @property {(confirm: object) => Promise<boolean>} confirm  shows a confirm dialog
 * @property {Array<{blockId: string, actionId: string, read: () => object, write: (value: object) => void}>} inputs
 */

export const textOf = (obj) => (obj && typeof obj === 'object' ? (obj.text ?? '') : (obj ?? ''));
const option = (o) => ({ text: o.text, value: o.value });

/** Where an image lives: a public URL, or a file uploaded to the local Slack. */
export function imageSource(block) {
  if (block.image_url) return block.image_url;
  const file = block.slack_file;
  if (file?.id) return `/files/${encodeURIComponent(file.id)}`;
  if (file?.url) return file.url.replace(/^https?:\/\/[^/]+\/files\/([A-Z0-9]+).*$/, '/files/$1');
  return '';
}

function allOptions(el) {
  return el.options ?? (el.option_groups ?? []).flatMap((g) => g.options ?? []);
}

/** Runs a control's action, after its confirm dialog when it has one. */
async function fire(el, blockId, ctx, fields) {
  if (el.confirm && !(await ctx.confirm(el.confirm))) return false;
  await ctx.dispatch({ type: el.type, action_id: el.action_id, block_id: blockId, ...fields });
  return true;
}

function selectControl(el, blockId, ctx, opts) {
  const multiple = el.type.startsWith('multi_');
  const select = h('select', { class: 'select', 'data-action-id': el.action_id, multiple });
  if (!multiple) select.append(h('option', { value: '' }, textOf(el.placeholder) || 'Select an item'));
  const initial = new Set([el.initial_option?.value, ...(el.initial_options ?? []).map((o) => o.value)].filter(Boolean));
  const addOptions = (parent, options) => {
    for (const o of options) parent.append(h('option', { value: o.value, selected: initial.has(o.value) }, textOf(o.text)));
  };
  if (el.option_groups) {
    for (const group of el.option_groups) {
      const og = h('optgroup', { label: textOf(group.label) });
      addOptions(og, group.options ?? []);
      select.append(og);
    }
  } else addOptions(select, opts);
  const chosen = () => opts.filter((o) => [...select.selectedOptions].some((s) => s.value === o.value)).map(option);
  return { select, chosen, multiple };
}

/** Users and conversations selects draw their options from the workspace the page shows. */
function directoryOptions(el, ctx) {
  const source = el.type.startsWith('users') || el.type.startsWith('multi_users') ? (ctx.members ?? ctx.users) : ctx.channels;
  return [...source.entries()].map(([id, v]) => ({ text: { type: 'plain_text', text: v.realName ?? v.name }, value: id }));
}

const SELECTED_KEY = {
  users_select: 'selected_user',
  conversations_select: 'selected_conversation',
  channels_select: 'selected_channel',
  multi_users_select: 'selected_users',
  multi_conversations_select: 'selected_conversations',
  multi_channels_select: 'selected_channels',
};

/** One interactive element. `dispatches`: whether changing it sends block_actions (inputs only with dispatch_action). */
export function element(el, blockId, ctx, dispatches = true) {
  const register = (read, write) => el.action_id && ctx.inputs.push({ blockId, actionId: el.action_id, read, write });
  switch (el.type) {
    case 'button': {
      const button = h('button', { class: `btn ${el.style ? `btn-${el.style}` : ''}`, type: 'button', 'data-action-id': el.action_id }, h('span', { html: plainText(textOf(el.text)) }));
      button.addEventListener('click', async () => {
        if (safeHref(el.url)) window.open(el.url, '_blank', 'noopener');
        button.disabled = true;
        try {
          await fire(el, blockId, ctx, { text: el.text, ...(el.value !== undefined ? { value: el.value } : {}) });
        } finally {
          button.disabled = false;
        }
      });
      return button;
    }
    case 'static_select':
    case 'external_select':
    case 'multi_static_select':
    case 'users_select':
    case 'conversations_select':
    case 'channels_select':
    case 'multi_users_select':
    case 'multi_conversations_select':
    case 'multi_channels_select': {
      const byDirectory = SELECTED_KEY[el.type] !== undefined;
      const opts = byDirectory ? directoryOptions(el, ctx) : allOptions(el);
      if (byDirectory) {
        const initial = el.initial_user ?? el.initial_conversation ?? el.initial_channel;
        const initials = el.initial_users ?? el.initial_conversations ?? el.initial_channels;
        if (initial) el = { ...el, initial_option: { value: initial } };
        if (initials) el = { ...el, initial_options: initials.map((value) => ({ value })) };
      }
      const { select, chosen, multiple } = selectControl(el, blockId, ctx, opts);
      const state = () => {
        const picked = chosen();
        if (byDirectory) {
          const key = SELECTED_KEY[el.type];
          return { type: el.type, [key]: multiple ? picked.map((o) => o.value) : (picked[0]?.value ?? null) };
        }
        return multiple ? { type: el.type, selected_options: picked } : { type: el.type, selected_option: picked[0] ?? null };
      };
      register(state, (value) => {
        const key = SELECTED_KEY[el.type];
        const raw = key ? value[key] : (value.selected_options ?? [value.selected_option]).map((o) => o?.value);
        const wanted = new Set([raw].flat().filter(Boolean));
        for (const o of select.options) o.selected = wanted.has(o.value);
      });
      let previous = select.value;
      if (dispatches) {
        select.addEventListener('change', async () => {
          const fired = await fire(el, blockId, ctx, state());
          if (fired === false) select.value = previous;
          previous = select.value;
        });
      }
      return select;
    }
    case 'overflow': {
      const wrap = h('span', { class: 'overflow' });
      const menu = h('div', { class: 'overflow-menu', hidden: true });
      const toggle = h('button', { class: 'btn btn-overflow', type: 'button', 'data-action-id': el.action_id, title: 'More actions' }, '⋯');
      toggle.addEventListener('click', () => (menu.hidden = !menu.hidden));
      for (const o of el.options ?? []) {
        const item = h('button', { type: 'button', class: 'overflow-item' }, textOf(o.text));
        item.addEventListener('click', async () => {
          menu.hidden = true;
          if (safeHref(o.url)) window.open(o.url, '_blank', 'noopener');
          await fire(el, blockId, ctx, { selected_option: option(o) });
        });
        menu.append(item);
      }
      wrap.append(toggle, menu);
      return wrap;
    }
    case 'datepicker':
    case 'timepicker':
    case 'datetimepicker': {
      const kind = { datepicker: 'date', timepicker: 'time', datetimepicker: 'datetime-local' }[el.type];
      const input = h('input', { class: 'picker', type: kind, 'data-action-id': el.action_id });
      if (el.initial_date) input.value = el.initial_date;
      if (el.initial_time) input.value = el.initial_time;
      if (el.initial_date_time) input.value = new Date(el.initial_date_time * 1000).toISOString().slice(0, 16);
      const state = () => {
        if (el.type === 'datepicker') return { type: el.type, selected_date: input.value || null };
        if (el.type === 'timepicker') return { type: el.type, selected_time: input.value || null };
        return { type: el.type, selected_date_time: input.value ? Math.floor(new Date(input.value).getTime() / 1000) : null };
      };
      register(state, (value) => {
        if (value.selected_date || value.selected_time) input.value = value.selected_date ?? value.selected_time;
      });
      if (dispatches) input.addEventListener('change', () => fire(el, blockId, ctx, state()));
      return input;
    }
    case 'checkboxes':
    case 'radio_buttons': {
      const multiple = el.type === 'checkboxes';
      const name = `${blockId}-${el.action_id}-${Math.random().toString(36).slice(2)}`;
      const initial = new Set([el.initial_option?.value, ...(el.initial_options ?? []).map((o) => o.value)].filter(Boolean));
      const boxes = (el.options ?? []).map((o) => {
        const input = h('input', { type: multiple ? 'checkbox' : 'radio', name, value: o.value, checked: initial.has(o.value) });
        return { o, input, label: h('label', { class: 'choice' }, input, h('span', { html: textObject(o.text, ctx) }), o.description ? h('small', { html: textObject(o.description, ctx) }) : null) };
      });
      const state = () => {
        const picked = boxes.filter((b) => b.input.checked).map((b) => option(b.o));
        return multiple ? { type: el.type, selected_options: picked } : { type: el.type, selected_option: picked[0] ?? null };
      };
      register(state, (value) => {
        const wanted = new Set((value.selected_options ?? [value.selected_option]).map((o) => o?.value).filter(Boolean));
        for (const b of boxes) b.input.checked = wanted.has(b.o.value);
      });
      const group = h('div', { class: 'choices', 'data-action-id': el.action_id }, boxes.map((b) => b.label));
      if (dispatches) group.addEventListener('change', () => fire(el, blockId, ctx, state()));
      return group;
    }
    case 'plain_text_input':
    case 'number_input':
    case 'email_text_input':
    case 'url_text_input': {
      const type = { number_input: 'number', email_text_input: 'email', url_text_input: 'url' }[el.type] ?? 'text';
      const input = el.multiline
        ? h('textarea', { class: 'text-input', rows: 4, 'data-action-id': el.action_id })
        : h('input', { class: 'text-input', type, 'data-action-id': el.action_id, step: el.is_decimal_allowed ? 'any' : undefined });
      input.placeholder = textOf(el.placeholder);
      if (el.initial_value !== undefined) input.value = el.initial_value;
      if (el.max_length) input.maxLength = el.max_length;
      register(
        () => ({ type: el.type, value: input.value === '' ? null : input.value }),
        (value) => {
          if (typeof value.value === 'string') input.value = value.value;
        },
      );
      if (dispatches) {
        input.addEventListener('keydown', (e) => {
          if (e.key === 'Enter' && !el.multiline) fire(el, blockId, ctx, { value: input.value });
        });
      }
      return input;
    }
    case 'image':
      return h('img', { class: 'accessory-image', src: el.image_url ?? imageSource(el), alt: el.alt_text ?? '' });
    default:
      return h('span', { class: 'unsupported' }, `[${el.type}]`);
  }
}

/** The surface's input values as Slack reports them: `values[block_id][action_id]`. */
export function collectState(ctx) {
  const values = {};
  for (const { blockId, actionId, read } of ctx.inputs) {
    values[blockId] ??= {};
    values[blockId][actionId] = read();
  }
  return values;
}

/**
 * Puts values typed before a views.update back into the new view, as Slack keeps the state of inputs whose
 * block_id and action_id did not change.
 */
export function restoreState(ctx, values) {
  for (const { blockId, actionId, write } of ctx.inputs) {
    const value = values[blockId]?.[actionId];
    if (value && write) write(value);
  }
}
