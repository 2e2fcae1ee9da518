/**
 * The sandbox's memory (issue 15: under 500 MB RSS). Run in its own process by bench/run.ts: starts the sandbox as
 * `npm start` does (default demo data), types the README's commands through the page's API, waits for the answers, and
 * prints one JSON line with the process's RSS after start-up, after the commands, and its peak (VmHWM).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORKSPACES } from '../src/sandbox/people.js';
import { startSandbox } from '../src/sandbox/start.js';

const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);
const mb = (field: string) => kb(field) / 1024;

const dir = await mkdtemp(join(tmpdir(), 'hogbot-bench-sandbox-'));
const sandbox = await startSandbox({ env: { PORT: '0' }, databaseUrl: join(dir, 'sandbox.sqlite'), print: () => {} });
const [acme, globex] = WORKSPACES;

async function command(team: string, user: string, channel: string, text: string): Promise<void> {
  const before = sandbox.slack.responses.length + sandbox.slack.calls.length;
  await fetch(new URL('/api/command', sandbox.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ team, user, channel, text }),
  });
  // The answer lands in the local Slack (a response_url post or a Web API call); give slow ones up to 20 s.
  for (let i = 0; i < 200 && sandbox.slack.responses.length + sandbox.slack.calls.length === before; i++)
    await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 300));
}

try {
  // The first query builds the demo data and DuckDB (start.ts warms it up): wait for that as a person would.
  await new Promise((r) => setTimeout(r, 5000));
  const ready = mb('VmRSS');
  const a = [acme!.id, acme!.users[0]!.id, acme!.channel.id] as const;
  const g = [globex!.id, globex!.users[0]!.id, globex!.channel.id] as const;
  for (const text of [
    '/ph help',
    '/ph whoami',
    '/ph query SELECT event, count() FROM events GROUP BY event ORDER BY count() DESC LIMIT 5',
    '/ph query SELECT distinct_id, event, timestamp FROM events LIMIT 5000',
    '/ph query SELECT toStartOfDay(timestamp) AS d, count() FROM events GROUP BY d ORDER BY d --chart line',
    '/ph flag off dark-mode',
    '/ph persons',
    '/ph recordings max@acme.com',
  ])
    await command(...a, text);
  for (const text of ['/ph connection use conn_globex', '/ph query SELECT event, count() FROM events GROUP BY event'])
    await command(...g, text);
  console.log(JSON.stringify({ readyMb: ready, afterMb: mb('VmRSS'), peakMb: mb('VmHWM') }));
} finally {
  await sandbox.stop();
  await rm(dir, { recursive: true, force: true });
}
