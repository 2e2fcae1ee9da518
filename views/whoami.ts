import { context, escapeMrkdwn, fields, header, type Message } from './blocks.js';
import { projectUrl } from './links.js';

export interface WhoamiModel {
  user: { name: string; email: string | null };
  organization: { name: string } | null;
  connection: { id: string | null };
  project: { id: number; name: string; timezone: string | null; chosen: boolean };
  slackRole: string;
  appUrl: string;
}

export function whoamiMessage(m: WhoamiModel): Message {
  const connection = m.connection.id ? `\`${m.connection.id}\`` : '_gateway default_';
  const project = `<${projectUrl(m.appUrl, m.project.id)}|${escapeMrkdwn(m.project.name)}> (${m.project.id})${m.project.chosen ? '' : ' _default_'}`;
  return {
    text: `PostHog user ${m.user.email ?? m.user.name}, project ${m.project.name}`,
    blocks: [
      header('Who Hogbot is in PostHog'),
      fields([
        ['PostHog user', `${escapeMrkdwn(m.user.name)}${m.user.email ? `\n${escapeMrkdwn(m.user.email)}` : ''}`],
        ['Organization', m.organization ? escapeMrkdwn(m.organization.name) : '_unknown_'],
        ['Connection', connection],
        ['Project', project],
        ['Project timezone', m.project.timezone ?? 'UTC'],
        ['Your Hogbot role', m.slackRole],
      ]),
      context('Change with `/ph connection use &lt;id&gt;` and `/ph project use &lt;id|name&gt;`.'),
    ],
  };
}
