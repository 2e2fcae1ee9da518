import { escapeMrkdwn, fields, header, type KnownBlock, type Message, section, truncate } from './blocks.js';
import { projectUrl } from './links.js';
import { type PageModel, pagerBlocks } from './pager.js';
import { runButton } from './run-button.js';
import { slackDate } from './slack-date.js';

interface Where {
  appUrl: string;
  projectId: number;
}

export interface ActionStep {
  event: string | null;
  url: string | null;
  urlMatching: string | null;
  text: string | null;
  selector: string | null;
}

export interface ActionRow {
  id: number;
  name: string;
  description: string;
  tags: string[];
  steps: ActionStep[];
  createdAt: string | null;
}

export const actionUrl = (w: Where, id: number) => projectUrl(w.appUrl, w.projectId, `/data-management/actions/${id}`);

const MATCHING: Record<string, string> = { contains: 'contains', exact: 'is', regex: 'matches' };

/** `$pageview where URL contains “/pricing”`, in mrkdwn. */
export function stepText(step: ActionStep): string {
  const parts: string[] = [];
  if (step.url) parts.push(`URL ${MATCHING[step.urlMatching ?? 'contains'] ?? 'contains'} “${escapeMrkdwn(step.url)}”`);
  if (step.text) parts.push(`text is “${escapeMrkdwn(step.text)}”`);
  if (step.selector) parts.push(`element matches \`${escapeMrkdwn(step.selector)}\``);
  const event = step.event ? `\`${escapeMrkdwn(step.event)}\`` : 'any event';
  return parts.length > 0 ? `${event} where ${parts.join(' and ')}` : event;
}

const stepsText = (steps: ActionStep[]) => (steps.length === 0 ? '_no steps_' : steps.map(stepText).join(' _or_ '));
const displayName = (name: string) => (name.trim() === '' ? 'Untitled action' : name);

export function actionsMessage(m: Where & { rows: ActionRow[]; search: string | null; page: PageModel }): Message {
  if (m.rows.length === 0) {
    const text = m.search
      ? `No actions match “${escapeMrkdwn(m.search)}”. See them all with \`/ph actions\`.`
      : m.page.offset > 0
        ? 'No more actions.'
        : 'This project has no actions yet. Create one with `/ph action create "Name" --event <event>`.';
    return { text: 'No actions', blocks: [section(text)] };
  }
  const blocks: KnownBlock[] = [section(m.search ? `*Actions matching “${escapeMrkdwn(m.search)}”*` : '*Actions*')];
  for (const a of m.rows) {
    const tags = a.tags.length > 0 ? `  ${a.tags.map((t) => `\`${escapeMrkdwn(t)}\``).join(' ')}` : '';
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(`*<${actionUrl(m, a.id)}|${escapeMrkdwn(displayName(a.name))}>*  \`${a.id}\`${tags}\n${stepsText(a.steps)}`, 3000),
      },
      accessory: runButton('Show', `action ${a.id}`),
    });
  }
  blocks.push(...pagerBlocks(m.page));
  return { text: `${m.page.total ?? m.rows.length} actions`, blocks };
}

export function actionMessage(m: Where & { action: ActionRow }): Message {
  const a = m.action;
  return {
    text: `Action ${a.name}`,
    blocks: [
      header(displayName(a.name)),
      section(`${a.description ? `${escapeMrkdwn(truncate(a.description, 500))}\n` : ''}<${actionUrl(m, a.id)}|Open in PostHog>`),
      fields([
        ['Id', `\`${a.id}\``],
        ['Tags', a.tags.length > 0 ? a.tags.map((t) => `\`${escapeMrkdwn(t)}\``).join(' ') : '–'],
        ['Created', slackDate(a.createdAt)],
      ]),
      section(truncate(`*Matches*\n${a.steps.length === 0 ? '_no steps_' : a.steps.map((s) => `• ${stepText(s)}`).join('\n')}`, 3000)),
    ],
  };
}

export function actionCreatedMessage(m: Where & { id: number; name: string; event: string }): Message {
  const text = `:white_check_mark: Created action *<${actionUrl(m, m.id)}|${escapeMrkdwn(m.name)}>* (\`${m.id}\`): every \`${escapeMrkdwn(m.event)}\` event counts.`;
  return {
    text: `Created action ${m.name}`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text }, accessory: runButton('Show', `action ${m.id}`) }],
  };
}
