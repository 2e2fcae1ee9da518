import { context, escapeMrkdwn, type KnownBlock, type Message, section } from './blocks.js';
import { projectUrl } from './links.js';
import { runButton } from './run-button.js';

export interface ProjectRow {
  id: number;
  name: string;
  timezone: string | null;
}

export function projectsMessage(m: { projects: ProjectRow[]; inUseId: number | null; appUrl: string; total: number }): Message {
  if (m.projects.length === 0) {
    return { text: 'No projects', blocks: [section('This PostHog organization has no projects Hogbot can see.')] };
  }
  const blocks: KnownBlock[] = [section(`*Projects* (${m.total})`)];
  for (const p of m.projects) {
    const inUse = p.id === m.inUseId;
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${inUse ? ':white_check_mark: ' : ''}*<${projectUrl(m.appUrl, p.id)}|${escapeMrkdwn(p.name)}>*  \`${p.id}\`  ${p.timezone ?? 'UTC'}${inUse ? '  _in use_' : ''}`,
      },
      ...(inUse ? {} : { accessory: runButton('Use', `project use ${p.id}`) }),
    });
  }
  if (m.total > m.projects.length) blocks.push(context(`Showing ${m.projects.length} of ${m.total}.`));
  if (m.inUseId === null) blocks.push(context('No project chosen: Hogbot uses the connection’s current project.'));
  return { text: `${m.total} PostHog projects`, blocks };
}

export function projectChosenText(m: { project: ProjectRow; appUrl: string }): string {
  return `This workspace now uses *<${projectUrl(m.appUrl, m.project.id)}|${escapeMrkdwn(m.project.name)}>* (\`${m.project.id}\`).`;
}

export function projectChosenMessage(m: { project: ProjectRow; appUrl: string }): Message {
  const text = projectChosenText(m);
  return { text: `Now using project ${m.project.name}`, blocks: [section(`:white_check_mark: ${text}`)] };
}

export function projectAmbiguousMessage(m: { query: string; matches: ProjectRow[] }): Message {
  const blocks: KnownBlock[] = [section(`Several projects match “${escapeMrkdwn(m.query)}”. Pick one:`)];
  for (const p of m.matches.slice(0, 20)) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `*${escapeMrkdwn(p.name)}* \`${p.id}\`` },
      accessory: runButton('Use', `project use ${p.id}`),
    });
  }
  return { text: `Several projects match ${m.query}`, blocks };
}
