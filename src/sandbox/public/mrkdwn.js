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

function link(url, label) {
  const href = decodeEntities(url);
  const shown = escapeHtml(decodeEntities(label ?? url));
  if (!SAFE_URL.test(href)) return shown;
  return `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${shown}</a>`;
}

function dateToken(inner) {
  // <!date^1392734382^{date_short} at {time}|fallback>
  const [spec, fallback] = inner.split('|');
  const seconds = Number(spec.split('^')[1]);
  if (Number.isFinite(seconds) && seconds > 0) return escapeHtml(new Date(seconds * 1000).toLocaleString());
  return escapeHtml(decodeEntities(fallback ?? ''));
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
  if (target.startsWith('!date^')) return dateToken(inner.slice(1));
  if (target.startsWith('!subteam^')) return `<span class="mention">${escapeHtml(label ?? '@group')}</span>`;
  if (target.startsWith('!')) return `<span class="mention">@${escapeHtml(target.slice(1))}</span>`;
  return link(target, label);
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
