/**
 * The top-level `text` of every message Hogbot sends, made safe (issue 11 item 5). Slack parses that text for
 * mentions and uses it in notifications, and views often build it from PostHog names and the user's own words, so
 * `/ph persons <!channel> --share` used to post "No persons match <!channel>" and notify the whole channel.
 *
 * Why one pass over the finished text (called by fitMessage, which every message passes through on its way out),
 * rather than escaping where each value enters the text: there are dozens of views, several helpers edit them at
 * once, and a view that forgets would reopen the hole silently. The pass is idempotent, so text a view already
 * escaped for mrkdwn (`&lt;`, `&amp;`) is left as it is, never double-escaped.
 *
 * Hogbot's own markup is kept by shape, only in the forms Hogbot writes and Slack never sends from user input:
 * - `<@U123>` / `<#C123>`: a mention or channel link with NO label. A mention a user types arrives from Slack as
 *   `<@U123|name>` or `<#C123|name>` (the manifest sets should_escape), so it is escaped here like any other text;
 * - `<!date^…>`: a date Slack formats in the reader's zone (never a notification);
 * - `<https://…|label>` / `<https://…>`: links (no notification).
 * Everything else in angle brackets (`<!channel>`, `<!here>`, `<!everyone>`, `<!subteam^…>`, labelled mentions)
 * becomes `&lt;…&gt;`, shown as typed and notifying no one. Residual risk, accepted: a PostHog value that is
 * exactly `<@U123>` would still mention that one user in the notification text; blocks escape it.
 */
const OWN_MARKUP = /^<(?:[@][UW][A-Z0-9]+|#[CGD][A-Z0-9]+|!date\^[^<>|]*(?:\|[^<>]*)?|https?:\/\/[^\s<>|]+(?:\|[^<>]*)?)>$/;

export function safeText(text: string): string {
  // `&` not already starting one of the three entities Slack uses: so escaping twice changes nothing.
  const amp = text.replace(/&(?!(?:amp|lt|gt);)/g, '&amp;');
  return amp.replace(/<[^<>]*>|[<>]/g, (piece) => (OWN_MARKUP.test(piece) ? piece : piece.replace(/</g, '&lt;').replace(/>/g, '&gt;')));
}
