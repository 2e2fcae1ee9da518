import { FLAG_CREATE_CALLBACK, FLAG_CREATE_FIELDS } from '../../views/flags.js';
import { DEFAULT_DATASET } from '../../src/emulator/server.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { WebClient } from '@slack/web-api';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Registry } from '../../src/registry/registry.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/start.js';
import { WORKSPACES } from '../../src/sandbox/people.js';
import { PROJECT_BLOCK, QUERY_BLOCK, QUERY_MODAL_CALLBACK } from '../../views/query.js';
import { botMessage, chromiumProblem, inCi, launchChromium, screenshot, send } from './browser.js';
import { galleryBlocks, registryWithFixtures } from './fixtures.js';

const [ACME, GLOBEX] = WORKSPACES;
const ANA = ACME!.users[0]!;
const MAX = ACME!.users[1]!;
const GUS = GLOBEX!.users[0]!;

if (chromiumProblem) {
  console.warn(
    inCi
      ? `[sandbox browser tests] will FAIL: ${chromiumProblem}. CI must install Debian's chromium.`
      : `[sandbox browser tests] SKIPPED: ${chromiumProblem}.`,
  );
}

describe.skipIf(chromiumProblem !== null && !inCi)('the sandbox page in Chromium', () => {
  let sandbox: Sandbox;
  let registry: Registry;
  let browser: Browser;
  let page: Page;
  let tempDir: string;

  // Every command the page is demonstrated with must exist: a missing one fails here rather than being skipped.
  const skipUnless = (command: string, _skip: (note: string) => never) => {
    expect(registry.get(command), `/ph ${command} must be registered`).toBeDefined();
  };

  beforeAll(async () => {
    if (chromiumProblem) throw new Error(`Chromium is required in CI: ${chromiumProblem}`);
    tempDir = await mkdtemp(join(tmpdir(), 'hogbot-sandbox-'));
    registry = await registryWithFixtures();
    sandbox = await startSandbox({
      env: { PORT: '0' },
      databaseUrl: join(tempDir, 'sandbox.sqlite'),
      dataset: DEFAULT_DATASET,
      registry,
      print: () => {},
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1320, height: 900 } });
    page.on('pageerror', (error) => console.error('[page error]', error));
    await page.goto(sandbox.url);
    await page.waitForSelector('body[data-ready="true"]');
  });

  // A failed test must not leave a modal over the page for the next one.
  afterEach(async () => {
    const close = page?.locator('.modal .icon-btn');
    if (close && (await close.count()) > 0) await close.first().click();
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.stop();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  });

  it('shows a Slack-like channel and answers /ph help privately', async () => {
    await expect(page.locator('#pane-title').textContent()).resolves.toBe(`# ${ACME!.channel.name}`);
    const box = page.locator('#composer-input');
    await box.pressSequentially('/ph help');
    await box.press('Enter');
    const help = botMessage(page, 'Hogbot: PostHog from Slack');
    await help.waitFor();
    for (const command of ['/ph whoami', '/ph connection use', '/ph projects'])
      await expect(help.textContent()).resolves.toContain(command);
    await expect(help.locator('.ephemeral-note').textContent()).resolves.toContain('Only visible to you');
    await expect(help.locator('.bk-header').first().textContent()).resolves.toContain('Hogbot');
    await help.locator('.bk-header').first().scrollIntoViewIfNeeded();
    await screenshot(page, '01-help');
  });

  it('completes commands from the registry and recalls history with the arrow keys', async () => {
    const box = page.locator('#composer-input');
    await box.fill('');
    await box.pressSequentially('/ph conn');
    await page.locator('#completion').waitFor();
    await expect(page.locator('#completion').textContent()).resolves.toContain('/ph connection list');
    await box.press('Tab');
    await expect(box.inputValue()).resolves.toMatch(/^\/ph connection \S+/);
    await box.fill('');
    await box.press('ArrowUp');
    await expect(box.inputValue()).resolves.toBe('/ph help');
    await box.fill('');
  });

  it('runs a HogQL query and shows the result table', async ({ skip }) => {
    skipUnless('query', skip);
    await send(page, '/ph query SELECT event, count() FROM events GROUP BY event ORDER BY count() DESC LIMIT 5');
    const table = page.locator('#messages .message[data-kind="bot"] .bk-table').last();
    await table.waitFor({ timeout: 15_000 });
    await expect(table.locator('th').first().textContent()).resolves.toMatch(/event/i);
    expect(await table.locator('tbody tr').count()).toBeGreaterThan(0);
    await screenshot(page, '02-query');
  });

  it('turns a flag off after Confirm, and the emulator has it off', async ({ skip }) => {
    skipUnless('flag off', skip);
    const before = sandbox.emulator.state.flag(1001, 'dark-mode');
    expect(before?.active).toBe(true);
    await send(page, '/ph flag off dark-mode');
    const plan = botMessage(page, 'Confirm');
    await plan.locator('button', { hasText: 'Confirm' }).click();
    await expect.poll(() => sandbox.emulator.state.flag(1001, 'dark-mode')?.active, { timeout: 10_000 }).toBe(false);
    await screenshot(page, '03-flag-off');
  });

  it('opens the HogQL editor modal, shows inline errors, and runs the query on the picked project', async ({ skip }) => {
    skipUnless('query', skip);
    await send(page, '/ph query');
    const modal = page.locator(`.modal[data-callback-id="${QUERY_MODAL_CALLBACK}"]`);
    await modal.waitFor();
    // The bot adds the project picker with views.update once it has listed the projects.
    const picker = modal.locator(`[data-block-id="${PROJECT_BLOCK}"] select`);
    await picker.waitFor();
    await modal.locator('.modal-submit').click();
    await expect.poll(() => modal.locator(`[data-block-id="${QUERY_BLOCK}"] .input-error`).textContent()).toContain('Write a HogQL query');
    await modal.locator(`[data-block-id="${QUERY_BLOCK}"] textarea`).fill('SELECT count() FROM events');
    await picker.selectOption('1002');
    await screenshot(page, '04-query-editor');
    await modal.locator('.modal-submit').click();
    await modal.waitFor({ state: 'detached' });
    const table = botMessage(page, 'SELECT count() FROM events').locator('.bk-table');
    await table.waitFor({ timeout: 15_000 });
    expect(await table.locator('tbody tr').count()).toBe(1);
    expect(sandbox.emulator.requests.some((r) => r.path.startsWith('/posthog/api/projects/1002/query'))).toBe(true);
  });

  it('creates a flag from the real create form: inline error, plan, Confirm, and the flag exists in the emulator', async () => {
    await send(page, '/ph flag create');
    const modal = page.locator(`.modal[data-callback-id="${FLAG_CREATE_CALLBACK}"]`);
    await modal.waitFor();
    await modal.locator(`[data-block-id="${FLAG_CREATE_FIELDS.key}"] input`).fill('sandbox-checkout');
    await modal.locator(`[data-block-id="${FLAG_CREATE_FIELDS.variants}"] textarea`).fill('control=50\ntest=40');
    await modal.locator('.modal-submit').click();
    await expect.poll(() => modal.locator(`[data-block-id="${FLAG_CREATE_FIELDS.variants}"] .input-error`).textContent()).toContain('100');
    await modal.locator(`[data-block-id="${FLAG_CREATE_FIELDS.variants}"] textarea`).fill('control=50\ntest=50');
    await modal.locator(`[data-block-id="${FLAG_CREATE_FIELDS.rollout}"] input`).fill('25');
    await modal.locator('.modal-submit').click();
    await modal.waitFor({ state: 'detached' });
    const plan = botMessage(page, 'sandbox-checkout');
    await plan.locator('button', { hasText: 'Confirm' }).click();
    await expect.poll(() => sandbox.emulator.state.flag(1001, 'sandbox-checkout')?.key, { timeout: 10_000 }).toBe('sandbox-checkout');
    await screenshot(page, '04b-flag-created');
  });

  it('submits a modal whose select updates it (views.update keeps what was typed) and posts the result where it was opened', async () => {
    // A fixture command (./fixtures.ts) in the real registry: a dispatching select, a datepicker, a view that changes.
    await send(page, '/ph sandbox-demo create');
    const modal = page.locator('.modal[data-callback-id="sandbox_test_create"]');
    await modal.waitFor();
    await modal.locator('.modal-submit').click();
    await expect.poll(() => modal.locator('[data-block-id="title"] .input-error').textContent()).toBe('Give the annotation a title');
    await modal.locator('[data-block-id="title"] input').fill('Pricing page launched');
    // The select sends block_actions from the modal; the bot answers with views.update, adding a field.
    await modal.locator('[data-block-id="scope"] select').selectOption('organization');
    await modal.locator('[data-block-id="reason"] input').waitFor();
    await expect(modal.locator('[data-block-id="title"] input').inputValue()).resolves.toBe('Pricing page launched');
    await expect(modal.locator('[data-block-id="scope"] select').inputValue()).resolves.toBe('organization');
    await modal.locator('[data-block-id="date"] input').fill('2024-05-02');
    await screenshot(page, '05-fixture-modal');
    await modal.locator('.modal-submit').click();
    await modal.waitFor({ state: 'detached' });
    const result = botMessage(page, 'Created “Pricing page launched” (organization) on 2024-05-02');
    await result.waitFor();
    await expect(result.textContent()).resolves.toContain(`origin channel ${ACME!.channel.id}`);
  });

  it('draws every block type an app posts, with uploads inline or as downloads, and sends clicks to the bot', async () => {
    const token = 'xoxb-sandbox-test-gallery';
    sandbox.slack.addToken({ token, teamId: ACME!.id });
    const client = new WebClient(token, { slackApiUrl: sandbox.slack.apiUrl, retryConfig: { retries: 0 } });
    const png = new Resvg(
      '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="120"><rect width="240" height="120" fill="#1d4aff"/><rect x="20" y="60" width="40" height="50" fill="#f9bd2b"/><rect x="80" y="30" width="40" height="80" fill="#f9bd2b"/><rect x="140" y="10" width="40" height="100" fill="#f9bd2b"/></svg>',
    )
      .render()
      .asPng();
    const upload = (await client.files.uploadV2({
      channel_id: ACME!.channel.id,
      file: Buffer.from(png),
      filename: 'chart.png',
      title: 'Weekly signups',
    })) as { files?: Array<{ files?: Array<{ id?: string }> }> };
    await client.files.uploadV2({
      channel_id: ACME!.channel.id,
      file: Buffer.from('event,count\n$pageview,1200\n'),
      filename: 'result.csv',
      title: 'Query result',
    });
    const imageId = upload.files?.[0]?.files?.[0]?.id;
    expect(imageId).toBeTruthy();
    await client.chat.postMessage({ channel: ACME!.channel.id, text: 'gallery', blocks: galleryBlocks(imageId!) });

    const gallery = botMessage(page, 'Block Kit gallery');
    await gallery.waitFor();
    await expect(gallery.locator('.section-text b').first().textContent()).resolves.toBe('Bold');
    await expect(gallery.locator('.section-text a[href="https://posthog.com"]').textContent()).resolves.toBe('a link');
    await expect(gallery.locator('.section-text').first().textContent()).resolves.toContain('1 < 2 && 3 > 2');
    await expect(gallery.locator('.mention').first().textContent()).resolves.toBe('@ana');
    await expect(gallery.locator('.code-block').first().textContent()).resolves.toBe('SELECT 1');
    await expect(gallery.locator('.fields .field').count()).resolves.toBe(2);
    // Images load after the message is drawn: wait for the bytes the local Slack serves.
    await expect.poll(() => gallery.locator('.bk-image img').evaluate((img: { naturalWidth: number }) => img.naturalWidth)).toBe(240);
    await expect(gallery.locator('.rich-text li').textContent()).resolves.toBe('first item');
    await expect(gallery.locator('select[data-action-id="gallery_pick"] option').count()).resolves.toBe(3);
    await expect(gallery.locator('input[data-action-id="gallery_date"]').inputValue()).resolves.toBe('2024-05-01');
    await expect(gallery.locator('.bk-table td.align-right').textContent()).resolves.toBe('1200');
    const chart = page.locator('.message .file-image img[alt="Weekly signups"]');
    await expect.poll(() => chart.evaluate((img: { naturalWidth: number }) => img.naturalWidth)).toBe(240);
    const csv = page.locator('.message a.file-chip[download="result.csv"]');
    await expect(csv.textContent()).resolves.toContain('Query result');
    const downloaded = await page.evaluate(async (href) => (await fetch(href)).text(), (await csv.getAttribute('href')) ?? '');
    expect(downloaded).toContain('$pageview,1200');
    await gallery.scrollIntoViewIfNeeded();
    await screenshot(page, '06-gallery');

    // A confirm dialog first; then the click reaches the bot as a signed block_actions and it answers.
    const helpCount = await page.locator('#messages .message[data-kind="bot"]', { hasText: 'Hogbot: PostHog from Slack' }).count();
    await gallery.locator('button', { hasText: 'Run help' }).click();
    const dialog = page.locator('.confirm-dialog');
    await expect(dialog.locator('.dialog-title').textContent()).resolves.toBe('Run it?');
    await dialog.locator('button', { hasText: 'Run' }).click();
    await expect
      .poll(() => page.locator('#messages .message[data-kind="bot"]', { hasText: 'Hogbot: PostHog from Slack' }).count())
      .toBe(helpCount + 1);
  });

  it('switches workspace and user: others’ ephemerals stay hidden, roles and connections follow the workspace', async () => {
    await page.locator('#user').selectOption(MAX.id);
    await expect(page.locator('#me').textContent()).resolves.toContain(MAX.realName);
    // Ana's private answers are not Max's to see; the gallery posted to the channel is.
    await expect.poll(() => page.locator('#messages .message', { hasText: 'Hogbot: PostHog from Slack' }).count()).toBe(0);
    await expect.poll(() => page.locator('#messages .message', { hasText: 'Block Kit gallery' }).count()).toBe(1);
    await send(page, '/ph connection use conn_globex');
    await botMessage(page, 'needs the admin role').waitFor();

    await page.locator('#workspace').selectOption(GLOBEX!.id);
    await expect(page.locator('#pane-title').textContent()).resolves.toBe(`# ${GLOBEX!.channel.name}`);
    await expect(page.locator('#user').inputValue()).resolves.toBe(GUS.id);
    // A workspace setting is a write since issue 11: a plan, then Confirm.
    await send(page, '/ph connection use conn_globex');
    await botMessage(page, 'Use connection conn_globex').locator('button', { hasText: 'Confirm' }).click();
    await botMessage(page, 'now uses connection').waitFor();
    await send(page, '/ph whoami');
    await botMessage(page, 'Globex').waitFor();
    await screenshot(page, '07-globex');

    await page.locator('#workspace').selectOption(ACME!.id);
    await page.locator('#user').selectOption(ANA.id);
    await botMessage(page, 'Hogbot: PostHog from Slack').waitFor();
  });

  it('opens the app: sends app_home_opened, and the Messages tab is the DM with the app', async () => {
    const before = sandbox.slack.calls.length;
    const opened = page.waitForResponse((r) => r.url().endsWith('/api/home'));
    await page.locator('#app-link').click();
    await page.locator('#home').waitFor();
    // Bolt answers 200 only to a correctly signed event: the event reached the bot as Slack would send it.
    await expect((await opened).json()).resolves.toMatchObject({ delivered: true });
    // The bot publishes its Home tab with views.publish, and the page draws it.
    const published = await sandbox.slack.waitForCall('views.publish', (c) => c.args.user_id === ANA.id, { timeoutMs: 8000 });
    expect(published.ok).toBe(true);
    await page.locator('#home .blocks .block').first().waitFor();
    const home = await page.locator('#home').textContent();
    expect(home).toContain('Hogbot: PostHog in Slack');
    expect(home).toContain('Your role');
    expect(home).not.toContain('has not published a Home tab');
    await screenshot(page, '08-app-home');
    await page.locator('.tab[data-tab="dm"]').click();
    await send(page, '/ph whoami');
    await botMessage(page, 'Acme').waitFor();
    expect(sandbox.slack.calls.slice(before).every((c) => c.ok)).toBe(true);
    await page.locator('#channel-link').click();
  });

  it('sends link_shared for a PostHog link typed in the channel and shows the card the bot unfurls', async () => {
    await send(page, '/ph connection use conn_acme');
    await botMessage(page, 'Use connection conn_acme').locator('button', { hasText: 'Confirm' }).click();
    await botMessage(page, 'now uses connection').waitFor();
    const from = sandbox.slack.calls.length;
    const link = 'https://us.posthog.com/project/1001/feature_flags/10001';
    await send(page, `Is this one still on? ${link}`);
    const said = page.locator('#messages .message[data-kind="user"]', { hasText: 'Is this one still on?' });
    await said.waitFor();
    const unfurl = await sandbox.slack.waitForCall('chat.unfurl', (c) => sandbox.slack.calls.indexOf(c) >= from, { timeoutMs: 8000 });
    expect(unfurl.ok).toBe(true);
    await said.locator('.attachment').first().waitFor();
    await expect(said.locator('.attachment').first().textContent()).resolves.toMatch(/new-onboarding-flow|onboarding/i);
    await screenshot(page, '09-unfurl');
  });

  it('never lets the fake Slack reject a message the bot sent', () => {
    expect(sandbox.slack.calls.filter((c) => !c.ok)).toEqual([]);
    expect(sandbox.slack.responses.filter((r) => !r.ok)).toEqual([]);
  });
});
