import { escapeMrkdwn, type KnownBlock, LIMITS, type Message, section, truncate } from './blocks.js';
import { slackDate } from './audit.js';
import { pagerBlocks } from './pager.js';

export interface AnnotationRow {
  id: number;
  content: string;
  dateMarker: string | null;
  scope: string;
  createdBy: string | null;
}

export function annotationsMessage(m: {
  rows: AnnotationRow[];
  projectName: string;
  search: string | null;
  offset: number;
  total: number | null;
  nextOffset: number | null;
  command: string;
}): Message {
  if (m.rows.length === 0) {
    const text = m.search
      ? `No annotations match “${escapeMrkdwn(m.search)}” in *${escapeMrkdwn(m.projectName)}*.`
      : `*${escapeMrkdwn(m.projectName)}* has no annotations yet. Add one with \`/ph annotate "text"\`.`;
    return { text: 'No annotations', blocks: [section(text)] };
  }
  const blocks: KnownBlock[] = [
    section(
      `*Annotations* in *${escapeMrkdwn(m.projectName)}*${m.search ? ` matching “${escapeMrkdwn(m.search)}”` : ''}, newest date first`,
    ),
  ];
  for (const a of m.rows) {
    const when = a.dateMarker ? slackDate(new Date(a.dateMarker)) : 'no date';
    const meta = [a.scope !== 'project' ? a.scope : null, a.createdBy ? `by ${escapeMrkdwn(a.createdBy)}` : null, `id \`${a.id}\``]
      .filter(Boolean)
      .join(' · ');
    blocks.push(section(truncate(`*${when}*  ${escapeMrkdwn(truncate(a.content, 600))}\n_${meta}_`, LIMITS.sectionText)));
  }
  blocks.push(...pagerBlocks({ command: m.command, offset: m.offset, shown: m.rows.length, total: m.total, nextOffset: m.nextOffset }));
  return { text: `${m.rows.length} annotations`, blocks };
}
