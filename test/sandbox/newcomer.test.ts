import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKSPACES } from '../../src/sandbox/people.js';
import type { Sandbox } from '../../src/sandbox/start.js';
import { DIGEST_FORM } from '../../views/digest.js';
import { botMessage, chromiumProblem, inCi, screenshot, openSandboxPage, type SandboxPage } from './browser.js';

// Issue 15, "a newcomer's first fifteen minutes", through the page in Chromium: the #/@ picker and Slack's escaping,
// Enter vs Tab, dates in each reader's zone, files that open, one workspace never seeing another's channels.
const [ACME, GLOBEX] = WORKSPACES;
const ANA = ACME!.users[0]!;
const MAX = ACME!.users[1]!;

describe.skipIf(chromiumProblem !== null && !inCi)('the sandbox page, as a newcomer uses it', () => {
  let opened: SandboxPage;
  let sandbox: Sandbox;
  let page: Page;

  const box = () => page.locator('#composer-input');
  const picker = () => page.locator('#completion');

  /** Types text key by key (so the picker sees it), as a person would. */
  async function type(text: string): Promise<void> {
    await box().pressSequentially(text);
  }

  async function pick(label: string, key: 'Tab' | 'Enter'): Promise<void> {
    await expect.poll(() => picker().locator('.suggestion.active code').textContent()).toBe(label);
    await box().press(key);
  }

  async function confirmPlan(text: string | RegExp): Promise<void> {
    const plan = botMessage(page, text);
    await plan.locator('button', { hasText: 'Confirm' }).click();
  }

  beforeAll(async () => {
    opened = await openSandboxPage('newcomer', { viewport: { width: 1320, height: 900 }, acceptDownloads: true });
    ({ sandbox, page } = opened);
  });

  afterAll(async () => {
    await opened?.close();
  });

  it('answers /healthz in sandbox mode', async () => {
    const res = await fetch(new URL('/healthz', sandbox.url));
    expect(res.status).toBe(200);
  });

  it('Enter sends what was typed; Tab takes the completion', async () => {
    await box().fill('');
    await type('/ph flag');
    await expect.poll(() => picker().isHidden()).toBe(false);
    await box().press('Enter');
    // `/ph flag` went to the bot as typed: no create form opened, and the composer is empty.
    await expect(page.locator('#messages .message.command').last().textContent()).resolves.toContain('/ph flag');
    await expect(box().inputValue()).resolves.toBe('');
    expect(await page.locator('.modal').count()).toBe(0);
    await type('/ph conn');
    await box().press('Tab');
    await expect(box().inputValue()).resolves.toMatch(/^\/ph connection \S+ $/);
    await box().fill('');
  });

  it('creates a digest for #growth picked with #, and the picker lists only this workspace’s channels', async () => {
    await type('/ph digest add daily 09:00 #');
    await expect.poll(() => picker().textContent()).toContain('#growth');
    expect(await picker().textContent()).not.toContain('#analytics');
    await type('gr');
    await pick('#growth', 'Tab');
    await expect(box().inputValue()).resolves.toBe('/ph digest add daily 09:00 #growth ');
    await type('"Growth"');
    await box().press('Enter');
    const plan = botMessage(page, 'Create digest “Growth”');
    await plan.waitFor();
    // Slack escaped the picked name (<#C…|growth>), so the bot knew the channel; the plan names it, never by id.
    const planText = (await plan.textContent()) ?? '';
    expect(planText).toContain('#growth');
    expect(planText).not.toContain(ACME!.channel.id);
    await screenshot(page, 'n01-digest-plan');
    await confirmPlan('Create digest “Growth”');
    await botMessage(page, /Digest \*?Growth/).waitFor();
    const done = await botMessage(page, /will post in/).textContent();
    expect(done).toContain('will post in #growth');
    expect(done).not.toMatch(/<!date|<#C|&lt;/);
  });

  it('creates an alert with --channel #growth typed with the picker', async () => {
    await type('/ph alert add "SELECT count() FROM events" --above 1 --every hour --channel #gro');
    await pick('#growth', 'Enter');
    await box().press('Enter');
    const plan = botMessage(page, 'Create alert');
    await plan.waitFor();
    expect(await plan.textContent()).toMatch(/Channel\s*#growth/);
    await confirmPlan('Create alert');
    await botMessage(page, /checks every hour and posts in #growth/).waitFor();
  });

  it('grants @max writer, picked with @, and the plan shows a mention rather than an id', async () => {
    await type('/ph access grant @m');
    await pick('@max', 'Enter');
    await expect(box().inputValue()).resolves.toBe('/ph access grant @max ');
    await type('writer');
    await box().press('Enter');
    const plan = botMessage(page, 'Make Max Member a writer');
    await plan.waitFor();
    await expect(plan.locator('.mention').first().textContent()).resolves.toBe('@max');
    expect(await plan.textContent()).not.toMatch(/U0MEMBER001|<@U|T0000000001/);
    await screenshot(page, 'n02-access-plan');
    await confirmPlan('Make Max Member a writer');
    await botMessage(page, /@max.*writer/).waitFor();
  });

  it('shows a date token at 14:00 to Ana (Los Angeles) and 23:00 to Max (Berlin) in the same page', async () => {
    const token = 'xoxb-sandbox-test-dates';
    sandbox.slack.addToken({ token, teamId: ACME!.id });
    const client = new WebClient(token, { slackApiUrl: sandbox.slack.apiUrl, retryConfig: { retries: 0 } });
    const at = Date.UTC(2026, 5, 15, 21, 0) / 1000; // 14:00 PDT, 23:00 CEST
    await client.chat.postMessage({
      channel: ACME!.channel.id,
      text: `Annotation at <!date^${at}^{date_num} {time}|2026-06-15 21:00 UTC>`,
    });
    const line = () => page.locator('#messages .message', { hasText: 'Annotation at' }).last();
    await expect.poll(() => line().textContent()).toContain('2026-06-15 14:00');
    await page.locator('#user').selectOption(MAX.id);
    await expect.poll(() => line().textContent()).toContain('2026-06-15 23:00');
    await screenshot(page, 'n03-date-berlin');
    await page.locator('#user').selectOption(ANA.id);
    await expect.poll(() => line().textContent()).toContain('2026-06-15 14:00');
  });

  it('opens an uploaded CSV and PNG from the answer’s links', async () => {
    await box().fill('');
    await type('/ph query SELECT event, count() AS c FROM events GROUP BY event ORDER BY c DESC --chart bar --share');
    await box().press('Escape');
    await box().press('Enter');
    const answer = page.locator('#messages .message[data-kind="bot"]', { has: page.locator('a', { hasText: 'query-chart.png' }) }).last();
    await answer.waitFor({ timeout: 20_000 });
    const png = answer.locator('a', { hasText: 'query-chart.png' });
    expect(await png.getAttribute('href')).toMatch(/^\/files\/F[A-Z0-9]+$/);
    const [popup] = await Promise.all([page.waitForEvent('popup'), png.click()]);
    await popup.waitForLoadState();
    // Runs in the browser: `document` there, not in Node's types.
    const shown = (await popup.evaluate('({ type: document.contentType, width: document.querySelector("img")?.naturalWidth ?? 0 })')) as {
      type: string;
      width: number;
    };
    expect(shown.type).toBe('image/png');
    expect(shown.width).toBeGreaterThan(100);
    await popup.close();
    await screenshot(page, 'n04-files');

    await box().fill('');
    await type('/ph query SELECT distinct_id, event FROM events LIMIT 300 --share');
    await box().press('Escape');
    await box().press('Enter');
    const csvAnswer = page
      .locator('#messages .message[data-kind="bot"]', { has: page.locator('a', { hasText: 'query-result.csv' }) })
      .last();
    await csvAnswer.waitFor({ timeout: 20_000 });
    const csv = csvAnswer.locator('a', { hasText: 'query-result.csv' });
    const [download] = await Promise.all([page.waitForEvent('download'), csv.click()]);
    expect(download.suggestedFilename()).toBe('query-result.csv');
    const path = await download.path();
    const { readFile } = await import('node:fs/promises');
    expect((await readFile(path, 'utf8')).split('\n')[0]).toContain('distinct_id');
  });

  it('has recordings for the other people on the page too, not only Ana', async () => {
    await box().fill('/ph recordings max@acme.com --since 30d');
    await box().press('Escape');
    await box().press('Enter');
    const answer = botMessage(page, 'Recordings of Max Member');
    await answer.waitFor({ timeout: 15_000 });
    expect(await answer.locator('button', { hasText: 'Replay' }).count()).toBeGreaterThan(0);
  });

  it('lists only the current workspace’s channels in the digest form', async () => {
    await box().fill('/ph digest add');
    await box().press('Escape');
    await box().press('Enter');
    const modal = page.locator('.modal');
    await modal.waitFor();
    const options = await modal.locator(`[data-block-id="${DIGEST_FORM.channel[0]}"] select option`).allTextContents();
    expect(options.join(' ')).toContain('growth');
    expect(options.join(' ')).not.toContain(GLOBEX!.channel.name);
    await screenshot(page, 'n05-digest-form');
    await modal.locator('.icon-btn').first().click();
  });
});
