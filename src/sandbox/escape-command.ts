/**
 * What Slack does to slash-command text when the manifest sets `should_escape: true`: `&`, `<`, `>` become entities,
 * links are wrapped as `<url>`, and a `#channel` or `@user` that names someone in the workspace becomes `<#C…|name>` or
 * `<@U…>` (/work/shared/reference/real-behaviour.md; https://api.slack.com/interactivity/slash-commands "escape
 * channels, users, and links"). Names that match nobody in this workspace stay plain text, as in Slack.
 */
import type { SandboxWorkspace } from './people.js';

const URL_PATTERN = /https?:\/\/[^\s<>|]+/g;
const MENTION = /(^|[\s(,"'“”=])([#@])([a-z0-9][a-z0-9._-]*)/gi;

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Channels and members of one workspace, by the name people type. */
export interface WorkspaceNames {
  channels: ReadonlyArray<{ id: string; name: string }>;
  users: ReadonlyArray<{ id: string; name: string }>;
}

export function namesOf(workspace: SandboxWorkspace): WorkspaceNames {
  return { channels: [workspace.channel], users: workspace.users };
}

function mentions(text: string, names: WorkspaceNames): string {
  return text.replace(MENTION, (whole, before: string, sigil: string, raw: string) => {
    // A trailing full stop or comma ends the sentence, not the name.
    const name = raw.replace(/[._-]+$/, '');
    const rest = raw.slice(name.length);
    const key = name.toLowerCase();
    if (sigil === '#') {
      const channel = names.channels.find((c) => c.name === key);
      return channel ? `${before}<#${channel.id}|${channel.name}>${rest}` : whole;
    }
    const user = names.users.find((u) => u.name === key);
    return user ? `${before}<@${user.id}>${rest}` : whole;
  });
}

export function escapeCommandText(text: string, names: WorkspaceNames): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    out += `${mentions(escapeText(text.slice(last, match.index)), names)}<${escapeText(match[0])}>`;
    last = match.index + match[0].length;
  }
  return out + mentions(escapeText(text.slice(last)), names);
}
