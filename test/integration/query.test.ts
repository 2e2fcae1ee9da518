import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedResponse } from '../../src/fake-slack/index.js';
import { encodeOrigin } from '../../src/registry/interaction.js';
import { PROJECT_BLOCK, PROJECT_SELECT, QUERY_BLOCK, QUERY_CANCEL_ACTION, QUERY_INPUT, QUERY_MODAL_CALLBACK } from '../../views/query.js';
import { ADMIN, buttonValue, CHANNEL, MATON_KEY, MEMBER, Rig, textOf } from '../rig/harness.js';
import { askConfirmed } from '../rig/confirm.js';

/** Queries that mention 'slow' take a minute in the emulator (so polling, Cancel and timeouts can be seen). */
const SLOW_MS = 60_000;

let rig: Rig;

beforeAll(async () => {
  rig = await Rig.start({ emulator: { hogql: { delayMs: (q) => (q.includes("'slow'") ? SLOW_MS : 0) } } });
  // `project use` plans first since issue 11.
  expect(textOf(await askConfirmed(rig, 'project use 1001'))).toContain('Acme Web');
}, 30_000);
afterAll(async () => {
  await rig?.close();
});

const RUNNING = /^HogQL: (Running|Still running)/;

/** `/ph <text>` and its final answer: the first post on the response_url that is not the "Running…" message. */
async function ask(text: string, who: { user?: string } = {}): Promise<{ reply: RecordedResponse; responseUrl: string }> {
  const { ack, responseUrl } = await rig.slash(text, who);
  expect(ack.status).toBe(200);
  const reply = await rig.slack.waitForResponse((r) => r.url === responseUrl && !RUNNING.test(String(r.body.text ?? '')), {
    timeoutMs: 15_000,
  });
  return { reply, responseUrl };
}

interface TableJson {
  type: 'table';
  rows: Array<Array<{ type: string; text: string }>>;
  column_settings?: Array<{ align?: string }>;
}

function tableOf(reply: RecordedResponse): TableJson {
  const blocks = (reply.body.blocks ?? []) as Array<{ type: string }>;
  const tables = blocks.filter((b) => b.type === 'table');
  expect(tables).toHaveLength(1);
  expect(blocks.at(-1)?.type).toBe('table');
  return tables[0] as unknown as TableJson;
}

const cells = (table: TableJson) => table.rows.map((row) => row.map((c) => c.text));
const queryRequests = (from: number) => rig.emulator.requests.slice(from).filter((r) => r.path.includes('/query'));

describe('/ph query: results', () => {
  it('answers the top-events query with a table whose numbers match the dataset', async () => {
    const from = rig.emulator.requests.length;
    const { reply } = await ask('query SELECT event, count() FROM events GROUP BY event ORDER BY count() DESC LIMIT 10');
    expect(reply.ok).toBe(true);
    const table = tableOf(reply);
    const [header, ...rows] = cells(table);
    expect(header).toEqual(['event', 'count()']);
    expect(table.column_settings?.map((c) => c.align)).toEqual(['left', 'right']);

    const expected = new Map<string, number>();
    for (const e of rig.emulator.state.dataset(1001).events) expected.set(e.event, (expected.get(e.event) ?? 0) + 1);
    const top = [...expected.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10);
    expect(rows).toHaveLength(top.length);
    const shown = rows.map(([event, n]) => [event, Number(n!.replace(/,/g, ''))] as const);
    for (const [event, n] of shown) expect(n).toBe(expected.get(event!));
    expect(shown.map(([, n]) => n)).toEqual(top.map(([, n]) => n));
    // Thousands separators on the big ones.
    expect(rows[0]![1]).toMatch(/^\d{1,3}(,\d{3})+$/);

    const sent = queryRequests(from);
    expect(sent[0]).toMatchObject({ method: 'POST', path: '/posthog/api/projects/1001/query/' });
    expect(sent[0]!.body).toMatchObject({ refresh: 'async', query: { kind: 'HogQLQuery' } });
  });

  it('posts "Running…" with a Cancel button first, then replaces it in place', async () => {
    const { responseUrl, reply } = await ask('query SELECT count() FROM events');
    const posts = rig.slack.responses.filter((r) => r.url === responseUrl);
    expect(posts[0]!.body.text).toMatch(RUNNING);
    expect(buttonValue(posts[0]!, QUERY_CANCEL_ACTION)).toMatch(/^1001:[0-9a-f]{32}$/);
    expect(reply.body.replace_original).toBe(true);
    expect(cells(tableOf(reply))[1]![0]).toBe(rig.emulator.state.dataset(1001).events.length.toLocaleString('en-US'));
  });

  it("shows DateTimes on each reader's Slack clock", async () => {
    const first = [...rig.emulator.state.dataset(1001).events].sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime())[0]!;
    const clock = (zone: string) =>
      new Intl.DateTimeFormat('sv-SE', {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      }).format(first.timestamp);
    const query = 'query SELECT timestamp FROM events ORDER BY timestamp LIMIT 1';
    const la = await ask(query, { user: ADMIN });
    const berlin = await ask(query, { user: MEMBER });
    expect(cells(tableOf(la.reply))[1]).toEqual([clock('America/Los_Angeles')]);
    expect(textOf(la.reply)).toContain('Times in America/Los_Angeles');
    expect(cells(tableOf(berlin.reply))[1]).toEqual([clock('Europe/Berlin')]);
  });

  it('truncates a 10,000-row result in the message and sends every row as CSV to the caller', async () => {
    const { reply } = await ask('query SELECT uuid, event, timestamp FROM events ORDER BY timestamp, uuid LIMIT 10000');
    const table = tableOf(reply);
    expect(table.rows.length).toBeLessThanOrEqual(100);
    expect(textOf(reply)).toMatch(new RegExp(`Showing ${table.rows.length - 1} of 10,000 rows`));
    expect(textOf(reply)).toContain('query-result.csv');

    const csv = [...rig.slack.uploads.values()].filter((u) => u.filename === 'query-result.csv' && u.completed).at(-1)!;
    expect(csv.channel).toMatch(/^D/);
    const lines = csv.bytes
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('uuid,event,timestamp');
    expect(lines).toHaveLength(10_001);
    const known = new Set(rig.emulator.state.dataset(1001).events.map((e) => e.uuid));
    const uuids = lines.slice(1).map((l) => l.split(',')[0]!);
    expect(new Set(uuids).size).toBe(10_000);
    expect(uuids.every((u) => known.has(u))).toBe(true);
    expect(uuids[0]).toBe(table.rows[1]![0]!.text);
  });

  it('surfaces hasMore: PostHog’s default 100 rows, and --limit N', async () => {
    const plain = await ask('query SELECT event FROM events');
    expect(textOf(plain.reply)).toContain('100 rows+');
    expect(textOf(plain.reply)).toContain('PostHog has more rows than these (the limit was 100)');

    const from = rig.emulator.requests.length;
    const limited = await ask('query SELECT event FROM events --limit 5');
    expect(cells(tableOf(limited.reply))).toHaveLength(6);
    expect(textOf(limited.reply)).toContain('(the limit was 5)');
    const body = queryRequests(from)[0]!.body as { query: { query: string } };
    expect(body.query.query).toBe('SELECT event FROM events\nLIMIT 6');
  });

  it('reads the curly quotes Slack clients substitute as the straight ones HogQL needs', async () => {
    const { reply } = await ask('query SELECT count() FROM events WHERE event = \u2018$pageview\u2019');
    const expected = rig.emulator.state.dataset(1001).events.filter((e) => e.event === '$pageview').length;
    expect(cells(tableOf(reply))[1]).toEqual([expected.toLocaleString('en-US')]);
    expect(textOf(reply)).toContain('the query ran with straight quotes');
  });

  it('keeps to 20 columns and puts every column in the CSV', async () => {
    const columns = Array.from({ length: 25 }, (_, i) => `${i} AS c${i}`).join(', ');
    const { reply } = await ask(`query SELECT ${columns}`);
    const table = tableOf(reply);
    expect(table.rows[0]).toHaveLength(20);
    expect(textOf(reply)).toContain('Showing 20 of 25 columns');
    const csv = [...rig.slack.uploads.values()].filter((u) => u.filename === 'query-result.csv').at(-1)!;
    expect(csv.bytes.toString('utf8').split('\r\n')[0]).toContain('c24');
  });
});

describe('/ph query: charts', () => {
  function lastPng() {
    const png = [...rig.slack.uploads.values()].filter((u) => u.filename === 'query-chart.png' && u.completed).at(-1)!;
    expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
    return { width: png.bytes.readUInt32BE(16), height: png.bytes.readUInt32BE(20), upload: png };
  }

  it('--share posts the answer in the channel, removes the private "Running…" and puts the files in the channel', async () => {
    const { ack, responseUrl } = await rig.slash('query SELECT uuid FROM events ORDER BY uuid LIMIT 150 --share');
    expect(ack.status).toBe(200);
    const reply = await rig.slack.waitForResponse((r) => r.url === responseUrl && r.body.response_type === 'in_channel', {
      timeoutMs: 15_000,
    });
    const posts = rig.slack.responses.filter((r) => r.url === responseUrl);
    expect(posts[0]!.body.response_type).toBe('ephemeral');
    expect(posts.some((p) => p.body.delete_original === true)).toBe(true);
    expect(reply.body.response_type).toBe('in_channel');
    expect(textOf(reply)).toContain('in this channel');
    const csv = [...rig.slack.uploads.values()].filter((u) => u.filename === 'query-result.csv' && u.completed).at(-1)!;
    expect(csv.channel).toBe(CHANNEL);
  });

  it('attaches a bar chart as a PNG', async () => {
    const { reply } = await ask('query SELECT event, count() AS c FROM events GROUP BY event ORDER BY c DESC --chart bar');
    expect(textOf(reply)).toContain('query-chart.png');
    const { width, height, upload } = lastPng();
    expect(width).toBeGreaterThan(1000);
    expect(height).toBeGreaterThan(500);
    expect(upload.title).toBe('c by event');
    expect(upload.channel).toMatch(/^D/);
  });

  it('draws a line chart of a daily series', async () => {
    const { reply } = await ask(
      "query SELECT toStartOfDay(timestamp) AS day, count() AS views FROM events WHERE event = '$pageview' GROUP BY day ORDER BY day --chart line",
    );
    expect(reply.ok).toBe(true);
    expect(lastPng().width).toBeGreaterThan(1000);
  });

  it('says what a chart needs when the columns do not fit', async () => {
    const { reply } = await ask('query SELECT event FROM events LIMIT 3 --chart bar');
    expect(textOf(reply)).toContain('`--chart` needs at least two columns');
  });
});

describe('/ph query: problems, each in one line', () => {
  it('answers a syntax error at once with the parser’s message and a caret, and sends nothing', async () => {
    const from = rig.emulator.requests.length;
    const { reply, responseUrl } = await ask('query SELEC x');
    const text = textOf(reply);
    expect(text).toContain("line 1, column 1: mismatched input 'SELEC'");
    expect(text).toContain('```SELEC x\n^^^^^```');
    expect(rig.emulator.requests.length).toBe(from);
    expect(rig.slack.responses.filter((r) => r.url === responseUrl)).toHaveLength(1);
  });

  it('points at the right line of a multi-line query', async () => {
    const from = rig.emulator.requests.length;
    const { reply } = await ask('query SELECT event,\n  count()\nFROM events WHERE event = = 1');
    expect(textOf(reply)).toContain('line 3, column 27');
    expect(textOf(reply)).toContain('FROM events WHERE event = = 1\n                          ^');
    expect(rig.emulator.requests.length).toBe(from);
  });

  it('explains an upstream validation error with PostHog’s detail', async () => {
    const from = rig.emulator.requests.length;
    const { reply } = await ask('query SELECT nosuchfunction(1) FROM events');
    expect(textOf(reply)).toMatch(/PostHog could not run the query: .*nosuchfunction/);
    expect(queryRequests(from).length).toBeGreaterThan(0);
  });

  it('explains an OFFSET refusal with keyset paging', async () => {
    rig.emulator.faults.inject({
      kind: 'status',
      status: 400,
      path: '/query/',
      method: 'POST',
      body: {
        type: 'validation_error',
        code: 'invalid_input',
        detail: 'OFFSET is not supported for queries made with a personal API key.',
        attr: null,
      },
    });
    const { reply } = await ask('query SELECT event FROM events LIMIT 10 OFFSET 10');
    expect(textOf(reply)).toContain("PostHog refused the query's OFFSET");
    expect(textOf(reply)).toContain('Page by time instead');
  });

  it('rides out one 429 and answers; a long throttle is explained', async () => {
    const from = rig.emulator.requests.length;
    rig.emulator.faults.inject({ kind: 'rate_limit', source: 'posthog', path: '/query/', method: 'POST', times: 1 });
    const { reply } = await ask('query SELECT count() FROM events');
    expect(tableOf(reply).rows).toHaveLength(2);
    expect(
      queryRequests(from)
        .filter((r) => r.method === 'POST')
        .map((r) => r.status),
    ).toEqual([429, 202]);

    rig.emulator.faults.inject({ kind: 'rate_limit', source: 'posthog', path: '/query/', method: 'POST', times: 1, retryAfterSeconds: 30 });
    const throttled = await ask('query SELECT count() FROM events');
    expect(textOf(throttled.reply)).toContain('PostHog is rate limiting queries on this project');
    expect(textOf(throttled.reply)).toContain('Try again in 30 s');
  });

  it('cancels a query past --timeout, upstream too', async () => {
    const from = rig.emulator.requests.length;
    const { reply } = await ask("query SELECT 'slow', count() FROM events --timeout 1");
    expect(textOf(reply)).toContain('still running after 1 s, so Hogbot cancelled it');
    expect(textOf(reply)).toContain('--timeout 300');
    const sent = queryRequests(from);
    const id = (sent[0]!.body as { client_query_id: string }).client_query_id;
    expect(sent.some((r) => r.method === 'DELETE' && r.path === `/posthog/api/projects/1001/query/${id}/`)).toBe(true);
  });

  it('explains a gateway that never answers', async () => {
    rig.emulator.faults.inject({ kind: 'hang', path: '/query/', method: 'POST', times: 'always' });
    try {
      const { reply } = await ask('query SELECT count() FROM events');
      expect(textOf(reply)).toContain('PostHog did not answer in time');
    } finally {
      rig.emulator.faults.clear();
    }
  });

  it('shows the elapsed time, and Cancel stops the query upstream and here', async () => {
    const from = rig.emulator.requests.length;
    const { responseUrl } = await rig.slash("query SELECT 'slow', count() FROM events");
    const still = await rig.slack.waitForResponse((r) => r.url === responseUrl && /Still running… \d/.test(String(r.body.text)), {
      timeoutMs: 10_000,
    });
    const value = buttonValue(still, QUERY_CANCEL_ACTION);
    const click = await rig.clickAndWait(QUERY_CANCEL_ACTION, value);
    expect(textOf(click)).toContain(`Query cancelled by <@${ADMIN}>`);
    expect(click.body.replace_original).toBe(true);
    const final = await rig.slack.waitForResponse((r) => r.url === responseUrl && /cancelled/.test(String(r.body.text)), {
      timeoutMs: 5_000,
    });
    expect(final.body.replace_original).toBe(true);
    const queryId = value.split(':')[1]!;
    expect(queryRequests(from).some((r) => r.method === 'DELETE' && r.path.endsWith(`/query/${queryId}/`))).toBe(true);
    expect(rig.slack.responses.filter((r) => r.url === responseUrl).length).toBeLessThanOrEqual(5);
  });
});

describe('/ph query: the editor', () => {
  it('opens the modal first, then adds the project picker', async () => {
    const calls = rig.slack.calls.length;
    const requests = rig.emulator.requests.length;
    const { reply } = await ask('query');
    expect(textOf(reply)).toContain('Opened the HogQL editor');
    const opened = rig.slack.calls.slice(calls).find((c) => c.method === 'views.open')!;
    const updated = await rig.slack.waitForCall('views.update', (c) => c.at >= opened.at);
    const projectsAt = rig.emulator.requests.slice(requests).find((r) => r.path === '/posthog/api/projects/')!.at;
    expect(opened.at.getTime()).toBeLessThanOrEqual(projectsAt.getTime());
    const openedView = opened.args.view as { callback_id: string; blocks: Array<{ block_id?: string }> };
    expect(openedView.callback_id).toBe(QUERY_MODAL_CALLBACK);
    expect(openedView.blocks.map((b) => b.block_id)).not.toContain(PROJECT_BLOCK);
    const picker = (
      updated.args.view as {
        blocks: Array<{ block_id?: string; element?: { options?: Array<{ value: string }>; initial_option?: { value: string } } }>;
      }
    ).blocks.find((b) => b.block_id === PROJECT_BLOCK)!;
    expect(picker.element?.options?.map((o) => o.value)).toEqual(['1001', '1002']);
    expect(picker.element?.initial_option?.value).toBe('1001');
  });

  // Changed with issue 11: the editor's validation answers Slack's submission itself, so it no longer runs the parser
  // (never before the ack); a syntax error comes back on the response_url, with the caret, once the check has run.
  it('answers a syntax error after the submission, and runs a good query on the picked project', async () => {
    const origin = (responseUrl: string) => encodeOrigin({ channelId: CHANNEL, responseUrl });
    const input = (query: string, project = '1002') => ({
      [QUERY_BLOCK]: { [QUERY_INPUT]: { type: 'plain_text_input', value: query } },
      [PROJECT_BLOCK]: { [PROJECT_SELECT]: { type: 'static_select', selected_option: { value: project } } },
    });
    const badUrl = rig.slack.responseUrl({ channel: CHANNEL, user: ADMIN });
    const bad = await rig.submit(QUERY_MODAL_CALLBACK, input('SELECT count( FROM events'), origin(badUrl));
    expect(bad.status).toBe(200);
    expect((bad.json as { response_action?: string } | null)?.response_action).toBeUndefined();
    const problem = await rig.slack.waitForResponse((r) => r.url === badUrl && !RUNNING.test(String(r.body.text ?? '')), {
      timeoutMs: 15_000,
    });
    expect(textOf(problem)).toMatch(/HogQL syntax error\* at line 1, column 20: no viable alternative/);

    const responseUrl = rig.slack.responseUrl({ channel: CHANNEL, user: ADMIN });
    const from = rig.emulator.requests.length;
    const good = await rig.submit(QUERY_MODAL_CALLBACK, input('SELECT count() FROM events'), origin(responseUrl));
    expect(good.status).toBe(200);
    const reply = await rig.slack.waitForResponse((r) => r.url === responseUrl && !RUNNING.test(String(r.body.text ?? '')), {
      timeoutMs: 15_000,
    });
    expect(reply.body.replace_original).toBe(true);
    expect(cells(tableOf(reply))[1]).toEqual([rig.emulator.state.dataset(1002).events.length.toLocaleString('en-US')]);
    expect(queryRequests(from)[0]!.path).toBe('/posthog/api/projects/1002/query/');
  });
});

describe('/ph query: Slack’s limits and secrets', () => {
  it('no posted message broke a Block Kit limit, and no secret was shown', async () => {
    expect(rig.slack.responses.filter((r) => !r.ok)).toEqual([]);
    expect(rig.slack.calls.filter((c) => !c.ok)).toEqual([]);
    expect(rig.transcript()).not.toContain(MATON_KEY);
  });
});
