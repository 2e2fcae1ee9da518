import { context, escapeMrkdwn, type KnownBlock, LIMITS, type Message, section, truncate } from './blocks.js';
import { queryEcho } from './query.js';
import { runButton } from './run-button.js';

export interface SavedQueryRow {
  name: string;
  hogql: string;
  createdBy: string;
  updatedAt: Date;
}

/** A Run button re-sends the query as `/ph query …`, when it fits a button's value. */
function runAccessory(q: SavedQueryRow) {
  const command = `query ${q.hogql}`;
  return command.length <= LIMITS.buttonValue ? { accessory: runButton('Run', command) } : {};
}

export function savedQueriesMessage(m: { queries: SavedQueryRow[] }): Message {
  if (m.queries.length === 0) {
    const text = "No saved queries yet. Save one with `/ph query save signups SELECT count() FROM events WHERE event = 'signed_up'`.";
    return { text, blocks: [section(text)] };
  }
  const blocks: KnownBlock[] = [section(`*Saved queries* (${m.queries.length})`)];
  for (const q of m.queries.slice(0, 40)) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(`*${escapeMrkdwn(q.name)}* · by <@${q.createdBy}>\n${queryEcho(q.hogql, 300)}`, 3000) },
      ...runAccessory(q),
    });
  }
  blocks.push(
    context(
      'Use them in digests (`/ph digest add`). Replace one with `/ph query save &lt;name&gt; … --replace`; remove with `/ph query delete &lt;name&gt;`.',
    ),
  );
  return { text: `${m.queries.length} saved ${m.queries.length === 1 ? 'query' : 'queries'}`, blocks };
}

export function querySavedMessage(m: { query: SavedQueryRow; replaced: boolean }): Message {
  const text = `${m.replaced ? 'Replaced' : 'Saved'} query \`${escapeMrkdwn(m.query.name)}\`. Add it to a digest with \`/ph digest add\`.`;
  return {
    text,
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `:floppy_disk: ${text}\n${queryEcho(m.query.hogql, 600)}` },
        ...runAccessory(m.query),
      },
    ],
  };
}

export function queryDeletedMessage(m: { name: string; usedBy: Array<{ id: string; title: string }> }): Message {
  const used =
    m.usedBy.length > 0
      ? ` It was in ${m.usedBy.map((d) => `*${escapeMrkdwn(d.title)}* (\`${d.id}\`)`).join(', ')}: those digests will show it as missing until it is saved again.`
      : '';
  const text = `Deleted saved query \`${escapeMrkdwn(m.name)}\`.${used}`;
  return { text, blocks: [section(`:wastebasket: ${text}`)] };
}
