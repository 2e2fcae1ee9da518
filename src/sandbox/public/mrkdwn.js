// Slack's mrkdwn, minimally: *bold*, _italic_, ~strike~, `code`, ```blocks```, > quotes, <url|label>, <@U>, <#C|name>,
// <!here>, :emoji: (common ones as characters, the rest as text) and Slack's three escapes (&amp; &lt; &gt;).

const EMOJI = {
  warning: '⚠️', white_check_mark: '✅', heavy_check_mark: '✔️', x: '❌', no_entry_sign: '🚫', no_entry: '⛔',
  hourglass: '⌛', hourglass_flowing_sand: '⏳', boom: '💥', thinking_face: '🤔', tada: '🎉', rocket: '🚀',
  mag: '🔍', bar_chart: '📊', chart_with_upwards_trend: '📈', chart_with_downwards_trend: '📉', calendar: '📆',
  bulb: '💡', lock: '🔒', key: '🔑', link: '🔗', memo: '📝', pushpin: '📌', bell: '🔔', information_source: 'ℹ️',
  large_green_circle: '🟢', red_circle: '🔴', large_yellow_circle: '🟡', white_circle: '⚪', black_circle: '⚫',
  green_circle: '🟢', yellow_circle: '🟡', arrow_right: '➡️', arrows_counterclockwise: '🔄', eyes: '👀',
  hedgehog: '🦔', wave: '👋', clipboard: '📋', gear: '⚙️', busts_in_silhouette: '👥', bust_in_silhouette: '👤',
  film_frames: '🎞️', movie_camera: '🎥', test_tube: '🧪', triangular_flag_on_post: '🚩', checkered_flag: '🏁',
  sparkles: '✨', fire: '🔥', zap: '⚡', stopwatch: '⏱️', clock1: '🕐', page_facing_up: '📄', card_index: '📇',
  heavy_plus_sign: '➕', heavy_minus_sign: '➖', pencil2: '✏️', wastebasket: '🗑️', electric_plug: '🔌',
  globe_with_meridians: '🌐', house: '🏠', question: '❓', exclamation: '❗', speech_balloon: '💬',
  email: '📧', star: '⭐', file_cabinet: '🗄️', spiral_calendar_pad: '🗓️', scroll: '📜', rotating_light: '🚨',
  double_vertical_bar: '⏸️', black_square_for_stop: '⏹️', pencil: '📝', floppy_disk: '💾', grey_question: '❔',
  abacus: '🧮', label: '🏷️', bookmark: '🔖', calendar_spiral: '🗓️', envelope: '✉️', inbox_tray: '📥', outbox_tray: '📤',
  arrow_forward: '▶️', arrow_up: '⬆️', arrow_down: '⬇️', heavy_multiplication_x: '✖️', hammer_and_wrench: '🛠️',
  person_frowning: '🙍', ok: '🆗', new: '🆕', package: '📦', shield: '🛡️', lock_with_ink_pen: '🔏', unlock: '🔓',
};

const SAFE_URL = /^(https?:|mailto:)/i;

export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** Slack escapes only these three; everything else arrives as is. */
export function decodeEntities(text) {
  return String(text).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export function emoji(html) {
  return html.replace(/:([a-z0-9_+-]+):/g, (whole, name) => EMOJI[name] ?? whole);
}

/** plain_text objects: shown as typed (with `emoji: true`, :shortcodes: become characters). */
export function plainText(text, withEmoji = true) {
  const html = escapeHtml(text ?? '');
  return withEmoji ? emoji(html) : html;
}

/** The local Slack's file links (url_private, permalink) are served by the sandbox page itself under /files/<id>. */
export function localFileUrl(href, slackUrl) {
  if (!slackUrl || !href.startsWith(`${slackUrl}/files/`)) return href;
  const id = /^\/files\/([A-Z0-9]+)/.exec(href.slice(slackUrl.length))?.[1];
  return id ? `/files/${id}` : href;
}

function link(url, label, ctx = {}) {
  const href = localFileUrl(decodeEntities(url), ctx.slackUrl);
  const shown = escapeHtml(decodeEntities(label ?? url));
  if (!SAFE_URL.test(href) && !href.startsWith('/files/')) return shown;
  return `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${shown}</a>`;
}

const ORDINAL = (n) => `${n}${n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'}`;

/** The calendar parts of `date` in `timeZone` (the viewer's Slack zone, not the browser's). */
function partsIn(date, timeZone) {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone, year: 'numeric', month: 'long', day: 'numeric', weekday: 'long', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  });
  const p = Object.fromEntries(fmt.formatToParts(date).map((x) => [x.type, x.value]));
  return { year: Number(p.year), month: p.month, monthNum: new Date(`${p.month} 1, 2000`).getMonth() + 1, day: Number(p.day), weekday: p.weekday, hour: p.hour, minute: p.minute, second: p.second };
}

const pad = (n) => String(n).padStart(2, '0');
const dayKey = (p) => p.year * 10000 + p.monthNum * 100 + p.day;

/** today / yesterday / tomorrow relative to `now` in the same zone, or null. */
function relativeDay(date, now, timeZone) {
  const at = partsIn(date, timeZone);
  for (const [offset, word] of [[0, 'today'], [-1, 'yesterday'], [1, 'tomorrow']]) {
    if (dayKey(partsIn(new Date(now.getTime() + offset * 86_400_000), timeZone)) === dayKey(at)) return word;
  }
  return null;
}

function ago(date, now) {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  const abs = Math.abs(seconds);
  const [value, unit] = abs < 60 ? [abs, 'second'] : abs < 3600 ? [Math.round(abs / 60), 'minute'] : abs < 86_400 ? [Math.round(abs / 3600), 'hour'] : [Math.round(abs / 86_400), 'day'];
  const words = `${value} ${unit}${value === 1 ? '' : 's'}`;
  return seconds <= 0 ? `${words} ago` : `in ${words}`;
}

/**
 * Slack's date tokens (https://docs.slack.dev/messaging/formatting-message-text#date-formatting), drawn in the viewing
 * user's Slack time zone with a 24-hour clock, as Slack does for each reader.
 */
export function formatDate(seconds, format, { tz = 'UTC', now = new Date() } = {}) {
  const date = new Date(seconds * 1000);
  const p = partsIn(date, tz);
  const short = `${p.month.slice(0, 3)} ${p.day}, ${p.year}`;
  const plain = `${p.month} ${ORDINAL(p.day)}, ${p.year}`;
  const long = `${p.weekday}, ${plain}`;
  const rel = () => relativeDay(date, now, tz);
  const thisYear = partsIn(now, tz).year === p.year;
  const tokens = {
    date_num: `${p.year}-${pad(p.monthNum)}-${pad(p.day)}`,
    date_slash: `${pad(p.day)}/${pad(p.monthNum)}/${p.year}`,
    date: plain,
    date_short: short,
    date_long: long,
    date_pretty: rel() ?? plain,
    date_short_pretty: rel() ?? short,
    date_long_pretty: rel() ?? long,
    day_divider_pretty: rel() ?? (thisYear ? `${p.weekday}, ${p.month} ${ORDINAL(p.day)}` : long),
    time: `${p.hour}:${p.minute}`,
    time_secs: `${p.hour}:${p.minute}:${p.second}`,
    ago: ago(date, now),
  };
  return format.replace(/\{([a-z_]+)\}/g, (whole, name) => tokens[name] ?? whole);
}

function dateToken(inner, ctx = {}) {
  // <!date^1392734382^{date_short} at {time}^optional_link|fallback>
  const [spec, fallback] = inner.split(/\|(.*)/s);
  const [, secondsText, format = '{date_num} {time_secs}', url] = spec.split('^');
  const seconds = Number(secondsText);
  if (!Number.isFinite(seconds) || seconds <= 0) return escapeHtml(decodeEntities(fallback ?? ''));
  try {
    const shown = formatDate(seconds, decodeEntities(format), { tz: ctx.tz ?? 'UTC', now: ctx.now ?? new Date() });
    return url ? link(url, shown, ctx) : escapeHtml(shown);
  } catch {
    return escapeHtml(decodeEntities(fallback ?? ''));
  }
}

/** One `<...>` token: a mention, a channel, a special mention, a date or a link. */
function angle(inner, ctx) {
  const [target, label] = inner.split(/\|(.*)/s);
  if (target.startsWith('@')) {
    const user = ctx.users?.get(target.slice(1));
    return `<span class="mention">@${escapeHtml(label ?? user?.name ?? target.slice(1))}</span>`;
  }
  if (target.startsWith('#')) {
    const channel = ctx.channels?.get(target.slice(1));
    return `<span class="mention">#${escapeHtml(label ?? channel?.name ?? target.slice(1))}</span>`;
  }
  if (target.startsWith('!date^')) return dateToken(inner.slice(1), ctx);
  if (target.startsWith('!subteam^')) return `<span class="mention">${escapeHtml(label ?? '@group')}</span>`;
  if (target.startsWith('!')) return `<span class="mention">@${escapeHtml(target.slice(1))}</span>`;
  return link(target, label, ctx);
}

/**
 * mrkdwn to HTML. Code and `<...>` tokens are set aside first (their content is not formatted), the rest is escaped,
 * formatted, and the set-aside pieces put back, so `*<url|label>*` still comes out bold.
 */
export function mrkdwn(text, ctx = {}) {
  const slots = [];
  const hold = (html) => `\u0000${slots.push(html) - 1}\u0000`;
  let s = String(text ?? '');
  s = s.replace(/```\n?([\s\S]*?)```/g, (_, code) => hold(`<pre class="code-block">${escapeHtml(decodeEntities(code))}</pre>`));
  s = s.replace(/`([^`\n]+)`/g, (_, code) => hold(`<code>${escapeHtml(decodeEntities(code))}</code>`));
  s = s.replace(/<([^<>\n]+)>/g, (_, inner) => hold(angle(inner, ctx)));
  s = escapeHtml(decodeEntities(s));
  s = s
    .split('\n')
    .map((line) => (/^&gt; ?/.test(line) ? `<span class="quote">${line.replace(/^&gt; ?/, '')}</span>` : line))
    .join('\n');
  s = s.replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?!\w)/g, '$1<b>$2</b>');
  s = s.replace(/(^|[^\w_])_(?=\S)([^_\n]*?\S)_(?!\w)/g, '$1<i>$2</i>');
  s = s.replace(/(^|[^\w~])~(?=\S)([^~\n]*?\S)~(?!\w)/g, '$1<s>$2</s>');
  s = emoji(s).replace(/\n/g, '<br>');
  return s.replace(/\u0000(\d+)\u0000/g, (_, i) => slots[Number(i)]);
}

/** A text object of either kind. */
export function textObject(obj, ctx = {}) {
  if (!obj) return '';
  if (typeof obj === 'string') return mrkdwn(obj, ctx);
  return obj.type === 'mrkdwn' ? mrkdwn(obj.text, ctx) : plainText(obj.text, obj.emoji !== false);
}
