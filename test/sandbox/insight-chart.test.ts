import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/start.js';
import { botMessage, chromiumProblem, inCi, screenshot, openSandboxPage, type SandboxPage } from './browser.js';

// Issue 15 item 3: "where Hogbot has a public URL the chart should sit in the answer itself". The sandbox gives the bot
// the page's address as PUBLIC_URL and passes /images/... on to it, so `/ph insight` answers with an image block whose
// signed image_url the page loads.
describe.skipIf(chromiumProblem !== null && !inCi)('an insight’s chart in the sandbox page', () => {
  let opened: SandboxPage;
  let sandbox: Sandbox;
  let page: Page;

  beforeAll(async () => {
    opened = await openSandboxPage('insight-chart', { viewport: { width: 1320, height: 900 } });
    ({ sandbox, page } = opened);
  });

  afterAll(async () => {
    await opened?.close();
  });

  it('shows the chart inline in the answer, from the bot’s signed image URL, and the image loads', async () => {
    await page.locator('#composer-input').fill('/ph insight Daily active users');
    await page.locator('#composer-input').press('Enter');
    const answer = botMessage(page, 'Daily active users');
    const chart = answer.locator('.bk-image img');
    await expect.poll(() => chart.count(), { timeout: 15_000 }).toBe(1);
    const src = (await chart.getAttribute('src')) ?? '';
    // The signed URL under the page's own address (PUBLIC_URL), not a file upload or a DM note.
    expect(src.startsWith(new URL('/images/', sandbox.url).href)).toBe(true);
    expect(src).toMatch(/\?exp=\d+&sig=/);
    expect(await answer.textContent()).not.toContain('in your DM');
    await expect
      .poll(() => chart.evaluate((img: { complete: boolean; naturalWidth: number }) => (img.complete ? img.naturalWidth : 0)), {
        timeout: 10_000,
      })
      .toBeGreaterThan(0);
    await screenshot(page, 'insight-chart-inline');
    // The page passes the bot's signature check on: a tampered signature is refused, not served.
    const tampered = await fetch(src.replace(/sig=[^&]+/, 'sig=AAAA'));
    expect(tampered.status).toBe(403);
    const real = await fetch(src);
    expect(real.status).toBe(200);
    expect(real.headers.get('content-type')).toBe('image/png');
  });
});
