/**
 * What Slack does to slash-command text when the manifest sets `should_escape: true`, for the sandbox page's composer:
 * the one implementation lives with the fake Slack (src/fake-slack/escape.ts); here it is scoped to one sandbox
 * workspace's channels and members, so a name from the other workspace stays plain text, as in Slack.
 */
import { escapeCommandText as escapeAsSlack } from '../fake-slack/escape.js';
import type { SandboxWorkspace } from './people.js';

/** Channels and members of one workspace, by the name people type. */
export interface WorkspaceNames {
  channels: ReadonlyArray<{ id: string; name: string }>;
  users: ReadonlyArray<{ id: string; name: string }>;
}

export function namesOf(workspace: SandboxWorkspace): WorkspaceNames {
  return { channels: [workspace.channel], users: workspace.users };
}

export function escapeCommandText(text: string, names: WorkspaceNames): string {
  return escapeAsSlack(text, names);
}
