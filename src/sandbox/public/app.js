// The sandbox page: a Slack-like client for the local Slack. Everything it shows arrives from the server (what the bot
// posted through Slack's APIs); everything the user does goes back as a Slack request to the real bot.

import { attachment, collectState, fileList, renderBlocks } from './blocks.js';
import { Composer } from './composer.js';
import { h } from './dom.js';
import { confirmDialog, ModalStack } from './modal.js';
import { mrkdwn } from './mrkdwn.js';

const $ = (selector) => document.querySelector(selector);
const CHOICE_KEY = 'hogbot-sandbox-who';
const EYE = '<svg viewBox="0 0 20 20" width="14" height="14" aria-hidden="true"><path fill="currentColor" d="M10 4C5.5 4 2.3 7.4 1.2 9.6a.9.9 0 0 0 0 .8C2.3 12.6 5.5 16 10 16s7.7-3.4 8.8-5.6a.9.9 0 0 0 0-.8C17.7 7.4 14.5 4 10 4Zm0 10a4 4 0 1 1 0-8 4 4 0 0 1 0 8Zm0-6a2 2 0 1 0 0 4 2 2 0 0 0 0-4Z"/></svg>';

const state = {
  boot: null,
  team: '',
  user: '',
  /** 'channel' | 'home' | 'dm' */
  surface: 'channel',
  entries: new Map(),
  home: null,
};

const workspace = () => state.boot.workspaces.find((w) => w.id === state.team);
const me = () => workspace().users.find((u) => u.id === state.user);
const currentChannel = () => (state.surface === 'channel' ? workspace().channel.id : state.surface === 'dm' ? me().dm : null);

async function api(path, body) {
  const res = await fetch(`/api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(json.error ?? `HTTP ${res.status}`);
  return json;
}

function toast(text) {
  const el = h('div', { class: 'toast', role: 'alert' }, text);
  $('#toasts').append(el);
  setTimeout(() => el.remove(), 6000);
}

/* ---------- rendering context ---------- */

/**
 * Names the page can draw, scoped to the workspace shown: as in Slack, Acme's pickers and mentions never list Globex's
 * channels or people. `tz` is the viewer's Slack time zone, which date tokens are drawn in.
 */
function directory() {
  const w = workspace();
  const users = new Map([[state.boot.bot.id, { name: 'Hogbot', realName: 'Hogbot' }], ['USLACKBOT', { name: 'Slackbot', realName: 'Slackbot' }]]);
  const members = new Map(w.users.map((u) => [u.id, { name: u.name, realName: u.realName }]));
  for (const [id, u] of members) users.set(id, u);
  const channels = new Map([[w.channel.id, { name: w.channel.name }]]);
  return { users, members, channels, tz: me()?.tz ?? 'UTC', slackUrl: state.boot.slackUrl };
}

function context(surface, dispatch) {
  const names = directory();
  return { surface, ...names, inputs: [], confirm: (c) => confirmDialog(c, names), dispatch };
}

/** Clicks in a view (modal or Home tab) carry the view's id and its inputs' state. */
function viewContext(surface, view) {
  const ctx = context(surface, (action) => reportAck(api('action', { team: state.team, user: state.user, where: { viewId: view.id }, action, state: collectState(ctx) })));
  return ctx;
}

async function reportAck(promise) {
  try {
    const ack = await promise;
    if (!ack.ok) toast(ack.timedOut ? 'Hogbot did not respond in time (Slack gives apps 3 seconds).' : `Hogbot answered HTTP ${ack.status}.`);
  } catch (error) {
    toast(String(error.message ?? error));
  }
}

/* ---------- messages ---------- */

const visible = (entry) => !entry.ephemeralTo || entry.ephemeralTo === state.user;

function avatar(entry) {
  const name = directory().users.get(entry.user)?.realName ?? entry.user;
  const kind = entry.kind === 'bot' ? 'bot' : entry.kind === 'slackbot' ? 'slackbot' : 'person';
  return h('div', { class: `avatar avatar-${kind}` }, kind === 'bot' ? 'H' : kind === 'slackbot' ? 'S' : name.slice(0, 1).toUpperCase());
}

function messageElement(entry) {
  const users = directory().users;
  const author = users.get(entry.user)?.realName ?? entry.user;
  // In the viewer's Slack time zone, as Slack shows it; not the browser's.
  const time = new Date(Number(entry.ts.split('.')[0]) * 1000).toLocaleTimeString('en-US', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: me()?.tz ?? 'UTC' });
  const isCommand = entry.kind === 'user' && entry.text?.startsWith('/');
  const ctx = context('message', (action) => reportAck(api('action', { team: state.team, user: state.user, where: { channel: entry.channel, ts: entry.ts }, action, state: collectState(ctx) })));
  const body = h('div', { class: 'body' });
  if (entry.blocks?.length) body.append(renderBlocks(entry.blocks, ctx));
  else if (entry.text) body.append(h('div', { class: `text ${isCommand ? 'command-text' : ''}`, html: isCommand ? escapeText(entry.text) : mrkdwn(entry.text, ctx) }));
  for (const a of entry.attachments ?? []) body.append(attachment(a, ctx));
  if (entry.files?.length) body.append(fileList(entry.files));
  for (const [url, unfurl] of Object.entries(entry.unfurls ?? {})) {
    body.append(attachment({ ...unfurl, color: unfurl.color ?? '#1d4aff', footer: unfurl.footer ?? url }, ctx));
  }
  return h(
    'div',
    { class: `message ${entry.ephemeralTo && !isCommand ? 'ephemeral' : ''} ${isCommand ? 'command' : ''}`, 'data-ts': entry.ts, 'data-kind': entry.kind },
    avatar(entry),
    h(
      'div',
      { class: 'content' },
      h(
        'div',
        { class: 'meta' },
        h('span', { class: 'author' }, author),
        entry.kind === 'bot' ? h('span', { class: 'app-badge' }, 'APP') : null,
        h('time', {}, time),
        entry.threadTs ? h('span', { class: 'thread-note' }, 'replied in a thread') : null,
      ),
      entry.ephemeralTo && !isCommand ? h('div', { class: 'ephemeral-note', html: `${EYE} Only visible to you` }) : null,
      body,
    ),
  );
}

function escapeText(text) {
  const div = document.createElement('div');
  div.textContent = text;
  return div.innerHTML;
}

function upsert(entry) {
  if (entry.channel !== currentChannel() || !visible(entry)) return;
  const list = $('#messages');
  const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  const old = list.querySelector(`.message[data-ts="${CSS.escape(entry.ts)}"]`);
  const el = messageElement(entry);
  el.dataset.seq = String(entry.seq);
  state.entries.set(entry.ts, entry);
  if (old) old.replaceWith(el);
  else {
    const after = [...list.querySelectorAll('.message')].find((m) => Number(m.dataset.seq) > entry.seq);
    list.insertBefore(el, after ?? null);
  }
  $('#empty-channel').hidden = true;
  if (nearBottom || entry.user === state.user) list.scrollTop = list.scrollHeight;
}

function removeEntry({ channel, ts }) {
  if (channel !== currentChannel()) return;
  state.entries.delete(ts);
  document.querySelector(`#messages .message[data-ts="${CSS.escape(ts)}"]`)?.remove();
}

async function loadTimeline() {
  const channel = currentChannel();
  const list = $('#messages');
  list.querySelectorAll('.message').forEach((m) => m.remove());
  state.entries.clear();
  if (!channel) return;
  const q = new URLSearchParams({ team: state.team, user: state.user, channel });
  const res = await fetch(`/api/timeline?${q}`);
  const { entries, home } = await res.json();
  state.home = home;
  $('#empty-channel').hidden = entries.length > 0;
  for (const entry of entries) upsert(entry);
  list.scrollTop = list.scrollHeight;
}

/* ---------- App Home ---------- */

function renderHome() {
  const pane = $('#home');
  if (!state.home) {
    pane.replaceChildren(h('div', { class: 'home-empty' }, h('div', { class: 'home-empty-icon' }, 'H'), h('p', {}, 'Hogbot has not published a Home tab for you yet.'), h('p', { class: 'muted' }, 'Slack sent it app_home_opened; whatever it publishes with views.publish appears here.')));
    return;
  }
  pane.replaceChildren(renderBlocks(state.home.blocks, viewContext('home', state.home)));
}

/* ---------- modals ---------- */

const modals = new ModalStack({
  root: $('#modal-root'),
  makeContext: (view) => viewContext('modal', view),
  submit: (view, values) => api('submit', { team: state.team, user: state.user, viewId: view.id, values }),
  closed: (view) => api('close', { team: state.team, user: state.user, viewId: view.id }).catch(() => {}),
});

function onView({ action, view }) {
  if (view.userId && view.userId !== state.user) return;
  if (view.type !== 'home') return modals.onView(action, view);
  state.home = view;
  if (state.surface === 'home') renderHome();
}

/* ---------- navigation and switchers ---------- */

function show(surface) {
  state.surface = surface;
  const w = workspace();
  document.querySelectorAll('.nav-item').forEach((b) => b.classList.toggle('active', b.dataset.surface === (surface === 'dm' ? 'home' : surface)));
  const inApp = surface !== 'channel';
  $('#pane-title').textContent = inApp ? 'Hogbot' : `# ${w.channel.name}`;
  $('#pane-subtitle').textContent = inApp ? 'PostHog from Slack' : w.channel.purpose;
  $('#app-tabs').hidden = !inApp;
  document.querySelectorAll('.tab').forEach((t) => t.classList.toggle('active', t.dataset.tab === surface));
  $('#home').hidden = surface !== 'home';
  $('#messages').hidden = surface === 'home';
  $('#composer').hidden = surface === 'home';
  composer.setPlaceholder(surface === 'dm' ? 'Message Hogbot — try /ph help' : `Message #${w.channel.name} — try /ph help`);
  if (surface === 'home') {
    renderHome();
    api('home', { team: state.team, user: state.user })
      .then(({ view }) => {
        if (view && state.surface === 'home') {
          state.home = view;
          renderHome();
        }
      })
      .catch((error) => toast(error.message));
  } else {
    loadTimeline().catch((error) => toast(error.message));
    $('#composer-input').focus();
  }
}

function fillSwitchers() {
  const ws = $('#workspace');
  ws.replaceChildren(...state.boot.workspaces.map((w) => h('option', { value: w.id, selected: w.id === state.team }, `${w.name} (${w.id})`)));
  const us = $('#user');
  us.replaceChildren(...workspace().users.map((u) => h('option', { value: u.id, selected: u.id === state.user }, `${u.realName} — ${u.role}`)));
  $('#workspace-name').textContent = workspace().name;
  $('#channel-link').textContent = `# ${workspace().channel.name}`;
  $('#me').textContent = `${me().realName} · ${me().role}`;
  localStorage.setItem(CHOICE_KEY, JSON.stringify({ team: state.team, user: state.user }));
}

function switchTo(team, user) {
  state.team = team;
  state.user = user ?? workspace().users[0].id;
  state.home = null;
  modals.reset();
  fillSwitchers();
  show(state.surface === 'channel' ? 'channel' : state.surface);
}

/* ---------- suggestions ---------- */

const TRY = [
  { command: 'help', text: '/ph help' },
  { command: 'whoami', text: '/ph whoami' },
  { command: 'query', text: '/ph query SELECT event, count() FROM events GROUP BY event ORDER BY count() DESC LIMIT 5' },
  { command: 'flag off', text: '/ph flag off dark-mode' },
  { command: 'connection use', text: '/ph connection use conn_globex' },
  { command: 'projects', text: '/ph projects' },
];

function fillTry() {
  const known = new Set(state.boot.commands.flatMap((c) => [c.name, ...c.aliases]));
  const items = TRY.filter((t) => known.has(t.command)).slice(0, 5);
  $('#try').replaceChildren(
    ...items.map((t) =>
      h('button', { class: 'try-item', type: 'button', title: t.text, onclick: () => {
        if (state.surface === 'home') show('channel');
        $('#composer-input').value = t.text;
        $('#composer-input').focus();
      } }, h('code', {}, t.text.length > 34 ? `${t.text.slice(0, 33)}…` : t.text)),
    ),
  );
}

/* ---------- start ---------- */

let composer;

async function send(text) {
  const channel = currentChannel();
  try {
    if (text.startsWith('/')) await api('command', { team: state.team, user: state.user, channel, text });
    else await api('message', { team: state.team, user: state.user, channel, text });
  } catch (error) {
    toast(error.message);
  }
}

function connectEvents() {
  const events = new EventSource('/api/events');
  let dropped = false;
  events.addEventListener('message', (e) => upsert(JSON.parse(e.data)));
  events.addEventListener('deleted', (e) => removeEntry(JSON.parse(e.data)));
  events.addEventListener('view', (e) => onView(JSON.parse(e.data)));
  events.addEventListener('error', () => {
    dropped = true;
    $('#status').textContent = 'reconnecting…';
    $('#status').classList.add('offline');
  });
  events.addEventListener('open', () => {
    $('#status').textContent = 'connected';
    $('#status').classList.remove('offline');
    document.body.dataset.ready = 'true';
    // Whatever happened while the stream was down is fetched again.
    if (dropped && state.surface !== 'home') loadTimeline();
  });
}

async function main() {
  state.boot = await (await fetch('/api/bootstrap')).json();
  const saved = JSON.parse(localStorage.getItem(CHOICE_KEY) ?? 'null');
  const w = state.boot.workspaces.find((x) => x.id === saved?.team) ?? state.boot.workspaces[0];
  state.team = w.id;
  state.user = w.users.find((u) => u.id === saved?.user)?.id ?? w.users[0].id;

  composer = new Composer({
    form: $('#composer'),
    textarea: $('#composer-input'),
    popup: $('#completion'),
    slash: state.boot.slashCommand,
    commands: state.boot.commands,
    names: () => ({ channels: [workspace().channel], users: workspace().users }),
    onSend: send,
  });
  $('#workspace').addEventListener('change', (e) => switchTo(e.target.value));
  $('#user').addEventListener('change', (e) => switchTo(state.team, e.target.value));
  $('#channel-link').addEventListener('click', () => show('channel'));
  $('#app-link').addEventListener('click', () => show('home'));
  document.querySelectorAll('.tab').forEach((t) => t.addEventListener('click', () => show(t.dataset.tab)));
  fillSwitchers();
  fillTry();
  connectEvents();
  show('channel');
}

main().catch((error) => {
  document.body.prepend(h('div', { class: 'fatal' }, `The sandbox page could not start: ${error.message}`));
});
