import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumProblem, inCi, screenshot, send, openSandboxPage, type SandboxPage } from './browser.js';

// Issue 15: walk every command family in the README once through the page, screenshot each answer, and check that
// nothing reads raw: no :shortcode:, no HTML entity, no unrendered mention or date token.
const FAMILIES: Array<[string, string]> = [
  ['setup', '/ph whoami'],
  ['projects', '/ph projects'],
  ['hogql', '/ph query SELECT event, count() FROM events GROUP BY event ORDER BY count() DESC LIMIT 5'],
  ['queries', '/ph queries'],
  ['flags', '/ph flag list'],
  ['flag', '/ph flag dark-mode'],
  ['annotations', '/ph annotations'],
  ['people', '/ph persons'],
  ['recordings', '/ph recordings ana@acme.com --since 30d'],
  ['experiments', '/ph experiments'],
  ['dashboards', '/ph dashboards'],
  ['insights', '/ph insights'],
  ['cohorts', '/ph cohorts'],
  ['actions', '/ph actions'],
  ['surveys', '/ph surveys'],
  ['events', '/ph events'],
  ['properties', '/ph properties'],
  ['digests', '/ph digest list'],
  ['alerts', '/ph alert list'],
  ['access', '/ph access'],
  ['audit', '/ph audit'],
  ['help', '/ph help'],
];

const RAW = [
  { name: 'an emoji shortcode', pattern: /(^|[^\w:])(:[a-z][a-z0-9_+-]*:)(?![\w/])/ },
  { name: 'an HTML entity', pattern: /&(lt|gt|amp|quot|#\d+);/ },
  { name: 'a raw user mention', pattern: /<@[UW]/ },
  { name: 'a raw channel mention', pattern: /<#C/ },
  { name: 'a raw date token', pattern: /<!date/ },
];

describe.skipIf(chromiumProblem !== null && !inCi)('every README family in the page reads as Slack would show it', () => {
  let opened: SandboxPage;
  let page: Page;

  beforeAll(async () => {
    opened = await openSandboxPage('families', { viewport: { width: 1320, height: 1000 } });
    ({ page } = opened);
  });

  afterAll(async () => {
    await opened?.close();
  });

  const bots = () => page.locator('#messages .message[data-kind="bot"]');

  /** The newest bot message once its text stops changing (progress answers are replaced in place). */
  async function answerTo(text: string): Promise<string> {
    const before = await bots().count();
    await send(page, text);
    await expect.poll(() => bots().count(), { timeout: 20_000 }).toBeGreaterThan(before);
    let last = '';
    await expect
      .poll(
        async () => {
          const now = await bots().last().innerText();
          // Progress answers (`Computing…`, a running query with Cancel) are replaced by the final one.
          const stable = now === last && !/Computing|Running…|Still running|\bCancel\b/.test(now);
          last = now;
          return stable;
        },
        { timeout: 20_000, interval: 400 },
      )
      .toBe(true);
    return last;
  }

  it.each(FAMILIES)('%s: %s', async (family, command) => {
    const shown = await answerTo(command);
    await bots().last().scrollIntoViewIfNeeded();
    await screenshot(page, `family-${family}`);
    expect(shown.trim().length).toBeGreaterThan(0);
    for (const raw of RAW) expect(raw.pattern.exec(shown)?.[0] ?? null, `${command} shows ${raw.name}:\n${shown}`).toBeNull();
  });

  it('the App Home tab reads cleanly too, after all of the above', async () => {
    await page.locator('#app-link').click();
    await page.locator('#home .blocks .block').first().waitFor({ timeout: 15_000 });
    const shown = await page.locator('#home').innerText();
    await screenshot(page, 'family-home');
    for (const raw of RAW) expect(raw.pattern.exec(shown)?.[0] ?? null, `the Home tab shows ${raw.name}:\n${shown}`).toBeNull();
    await page.locator('#channel-link').click();
  });
});
