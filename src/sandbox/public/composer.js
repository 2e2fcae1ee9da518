// The message box: Enter sends what was typed, Shift+Enter adds a line, "/" opens completion from the bot's command
// registry, "#" and "@" open a picker of the workspace's channels and members; Tab (or a click) accepts a suggestion,
// Enter with the picker open picks the highlighted name (as Slack does). Up and Down walk through what you sent before.

import { h } from './dom.js';

const HISTORY_KEY = 'hogbot-sandbox-history';
const HISTORY_MAX = 50;

/** Suggestions for what is typed so far: the slash command itself, then the registry's commands and usage. */
export function suggest(text, slash, commands) {
  if (!text.startsWith('/') || text.includes('\n')) return [];
  if (!(text + ' ').startsWith(`${slash} `)) {
    return slash.startsWith(text) ? [{ label: slash, detail: 'Hogbot: PostHog from Slack', completion: `${slash} ` }] : [];
  }
  const typed = text.slice(slash.length).replace(/^\s+/, '').toLowerCase();
  const out = [];
  for (const c of commands) {
    for (const name of [c.name, ...c.aliases]) {
      const full = `${slash} ${name}`;
      if (name.startsWith(typed) && name !== typed.trimEnd()) {
        out.push({ label: name === c.name ? c.usage : `${full} (${c.name})`, detail: c.summary, completion: `${full} `, name });
        break;
      }
      if (typed === name || typed.startsWith(`${name} `)) {
        out.push({ label: c.usage, detail: c.summary, completion: null, name });
        break;
      }
    }
  }
  // When the words typed so far match a command exactly, only its usage remains useful.
  const exact = out.filter((s) => s.completion === null);
  return (exact.length > 0 ? exact.sort((a, b) => b.name.length - a.name.length).slice(0, 1) : out).slice(0, 12);
}

/**
 * The `#channel` or `@member` being typed at the caret, with the names of the current workspace that match it.
 * `completion` is the whole text with the name filled in; the server escapes it as Slack would.
 */
export function mentionSuggest(text, caret, names) {
  const before = text.slice(0, caret);
  const m = /(^|[\s("'“=])([#@])([a-z0-9._-]*)$/i.exec(before);
  if (!m || !names) return [];
  const [sigil, typed] = [m[2], m[3].toLowerCase()];
  const start = before.length - typed.length - 1;
  const after = text.slice(caret).replace(/^\S*/, '');
  const pool = sigil === '#'
    ? names.channels.map((c) => ({ name: c.name, detail: c.purpose ?? 'Channel' }))
    : names.users.map((u) => ({ name: u.name, detail: u.realName }));
  return pool
    .filter((p) => p.name.startsWith(typed))
    .map((p) => {
      const head = `${text.slice(0, start)}${sigil}${p.name}`;
      return { label: `${sigil}${p.name}`, detail: p.detail, completion: `${head}${after.startsWith(' ') ? after : ` ${after}`}`, caret: head.length + 1, mention: true };
    });
}

export class Composer {
  constructor({ form, textarea, popup, slash, commands, names, onSend }) {
    Object.assign(this, { form, textarea, popup, slash, commands, names, onSend });
    this.items = [];
    this.active = 0;
    this.history = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? '[]');
    this.cursor = this.history.length;
    this.draft = '';
    textarea.addEventListener('input', () => this.refresh());
    textarea.addEventListener('keydown', (e) => this.onKey(e));
    // Closes a moment after focus leaves (a click on a suggestion lands first), unless the box has focus again by then.
    textarea.addEventListener('blur', () => setTimeout(() => document.activeElement !== textarea && this.close(), 150));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.send();
    });
  }

  setPlaceholder(text) {
    this.textarea.placeholder = text;
  }

  refresh() {
    const caret = this.textarea.selectionStart ?? this.textarea.value.length;
    const mentions = mentionSuggest(this.textarea.value, caret, this.names?.());
    this.items = mentions.length > 0 ? mentions : suggest(this.textarea.value, this.slash, this.commands);
    this.active = Math.min(this.active, Math.max(0, this.items.length - 1));
    this.popup.replaceChildren(
      ...this.items.map((item, i) =>
        h(
          'div',
          { class: `suggestion ${i === this.active ? 'active' : ''} ${item.completion ? '' : 'usage'}`, onmousedown: (e) => (e.preventDefault(), this.complete(i)) },
          h('code', {}, item.label),
          h('span', { class: 'suggestion-detail' }, item.detail),
        ),
      ),
    );
    this.popup.hidden = this.items.length === 0;
  }

  close() {
    this.items = [];
    this.popup.replaceChildren();
    this.popup.hidden = true;
  }

  /** Completes to the chosen command; false when there is nothing to complete (the usage line is only a hint). */
  complete(i = this.active) {
    const item = this.items[i];
    if (!item?.completion || item.completion.trimEnd() === this.textarea.value.trimEnd()) return false;
    this.textarea.value = item.completion;
    this.textarea.focus();
    if (item.caret !== undefined) this.textarea.setSelectionRange(item.caret, item.caret);
    this.refresh();
    return true;
  }

  onKey(e) {
    const open = this.items.length > 0 && !this.popup.hidden;
    if (open && (e.key === 'ArrowDown' || e.key === 'ArrowUp') && this.items.some((s) => s.completion)) {
      e.preventDefault();
      this.active = (this.active + (e.key === 'ArrowDown' ? 1 : this.items.length - 1)) % this.items.length;
      return this.refresh();
    }
    if (open && e.key === 'Tab') {
      e.preventDefault();
      return this.complete();
    }
    if (open && e.key === 'Escape') return this.close();
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      // Enter sends what was typed; only a picked #channel / @member is taken, as Slack's own picker does.
      if (open && this.items[this.active]?.mention && this.complete()) return;
      return this.send();
    }
    const atEdge = !this.textarea.value.includes('\n');
    if (e.key === 'ArrowUp' && atEdge && this.cursor > 0) {
      e.preventDefault();
      if (this.cursor === this.history.length) this.draft = this.textarea.value;
      this.cursor -= 1;
      this.textarea.value = this.history[this.cursor];
      this.close();
    } else if (e.key === 'ArrowDown' && atEdge && this.cursor < this.history.length) {
      e.preventDefault();
      this.cursor += 1;
      this.textarea.value = this.cursor === this.history.length ? this.draft : this.history[this.cursor];
      this.close();
    }
  }

  send() {
    const text = this.textarea.value.trim();
    if (!text) return;
    if (this.history.at(-1) !== text) this.history.push(text);
    this.history = this.history.slice(-HISTORY_MAX);
    localStorage.setItem(HISTORY_KEY, JSON.stringify(this.history));
    this.cursor = this.history.length;
    this.draft = '';
    this.textarea.value = '';
    this.close();
    this.onSend(text);
  }
}
