/**
 * What Slack does to slash-command text when the command has `should_escape: true` (manifest.yml; "Escape channels,
 * users, and links sent to your app" in the app settings): a `#channel` picked in the composer arrives as
 * `<#C123|name>`, an `@user` as `<@U123>`, `@here`/`@channel`/`@everyone` as `<!here>`..., a URL as `<https://...>`, an
 * email as `<mailto:a@b.co|a@b.co>`, and `&`, `<`, `>` as `&amp;`, `&lt;`, `&gt;` (docs.slack.dev/interactivity/implementing-slash-commands, "Escaping";
 * docs.slack.dev/messaging/formatting-message-text, "Escaping text"). Only names that exist in the workspace become
 * links: an unknown `#nowhere` stays plain text, which is how the bot tells a typo from a channel.
 *
 * Pure (no Node APIs), so the sandbox page's composer can reuse it in the browser. Text that is already in Slack's
 * format (`<#C123|growth>`, `<@U123|ana>`, `<https://...>`) passes through unchanged, so tests may type either.
 */

export interface EscapeUser {
  id: string;
  name?: string;
  displayName?: string;
  teamId?: string;
  deleted?: boolean;
}

export interface EscapeChannel {
  id: string;
  name?: string;
  teamId?: string;
  isIm?: boolean;
}

export interface EscapeDirectory {
  users: Iterable<EscapeUser>;
  channels: Iterable<EscapeChannel>;
}

const SPECIAL = new Set(['here', 'channel', 'everyone']);

// Already-escaped markup | #channel | @user | an email | a URL | a character Slack escapes. Names start after a space
// or `(`; an email after a space, `(` or a quote.
const TOKEN =
  /<(?:[#@!][^<>\s]+|(?:https?|mailto):[^<>\s]+)>|(?<=^|[\s(])#([a-z0-9][a-z0-9_-]*)|(?<=^|[\s(])@([A-Za-z0-9][A-Za-z0-9._-]*)|(?<=^|[\s('"])([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})|https?:\/\/[^\s<>]+|[&<>]/g;

const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const escapeEntities = (text: string) => text.replace(/[&<>]/g, (c) => ENTITY[c]!);

/** Splits trailing sentence punctuation off a name or URL: `@ana.` mentions ana. */
function trailing(text: string, pattern: RegExp): [string, string] {
  const match = pattern.exec(text);
  return match ? [text.slice(0, match.index), match[0]] : [text, ''];
}

/** `teamId`: only that workspace's users and channels (entries without a team count everywhere). */
export function escapeCommandText(text: string, directory: EscapeDirectory, teamId?: string): string {
  const inTeam = (t: string | undefined) => teamId === undefined || t === undefined || t === teamId;
  const channels = new Map<string, string>();
  for (const c of directory.channels) if (!c.isIm && c.name && inTeam(c.teamId)) channels.set(c.name.toLowerCase(), c.id);
  const users = new Map<string, string>();
  for (const u of directory.users) {
    if (u.deleted || !inTeam(u.teamId)) continue;
    for (const n of [u.name, u.displayName]) if (n && !users.has(n.toLowerCase())) users.set(n.toLowerCase(), u.id);
  }
  return text.replace(TOKEN, (whole: string, channel: string | undefined, user: string | undefined, email: string | undefined) => {
    if (whole.startsWith('<') && whole.length > 1) return whole;
    if (channel !== undefined) {
      const [name, rest] = trailing(channel, /[_-]+$/);
      const id = channels.get(name.toLowerCase());
      return id ? `<#${id}|${name.toLowerCase()}>${rest}` : whole;
    }
    if (user !== undefined) {
      const [name, rest] = trailing(user, /[._-]+$/);
      if (SPECIAL.has(name.toLowerCase())) return `<!${name.toLowerCase()}>${rest}`;
      const id = users.get(name.toLowerCase());
      return id ? `<@${id}>${rest}` : whole;
    }
    if (email !== undefined) return `<mailto:${email}|${email}>`;
    if (whole.startsWith('http')) {
      const [url, rest] = trailing(whole, /[.,;:!?)\]'"]+$/);
      return `<${escapeEntities(url)}>${rest}`;
    }
    return ENTITY[whole] ?? whole;
  });
}
