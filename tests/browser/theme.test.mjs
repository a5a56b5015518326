// Behaviour of the default theme: theme toggle, skip link, FAQ expanders, Listen, print, budget.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildShippedSite, launch, openPage, serve } from './harness.mjs';

let browser;
let server;
before(async () => {
  browser = await launch();
  const { output } = buildShippedSite();
  server = await serve(output);
});
after(async () => {
  await server?.close();
  await browser?.close();
});

describe('theme toggle', () => {
  test('is remembered across pages, and follows the system until used', async () => {
    const { context, page, problems } = await openPage(browser, { colorScheme: 'light' });
    await page.goto(server.url);
    const toggle = page.locator('.theme-toggle');
    await toggle.waitFor({ state: 'visible' });
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    // System (light here) → light → dark.
    await toggle.click();
    await toggle.click();
    assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    await page.goto(server.url + 'faq/');
    assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, 'rgb(20, 22, 24)');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('the first paint already has the remembered theme (no flash)', async () => {
    const { context, page } = await openPage(browser, {
      colorScheme: 'light',
      init: () => {
        localStorage.setItem('cairn-theme', 'dark');
        requestAnimationFrame(() => {
          window.firstPaint = {
            theme: document.documentElement.getAttribute('data-theme'),
            bg: getComputedStyle(document.body).backgroundColor,
          };
        });
      },
    });
    await page.goto(server.url + 'reasons/healing/');
    const first = await page.evaluate(() => window.firstPaint);
    assert.deepEqual(first, { theme: 'dark', bg: 'rgb(20, 22, 24)' });
    await context.close();
  });

  test('is hidden without JavaScript, and the system setting still applies', async () => {
    const { context, page } = await openPage(browser, { colorScheme: 'dark', javaScript: false });
    await page.goto(server.url);
    assert.equal(await page.locator('.theme-toggle').isVisible(), false);
    // Playwright evaluates through the debugging protocol, which works with page scripts off.
    const bg = await page.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
    assert.equal(bg, 'rgb(20, 22, 24)');
    await context.close();
  });
});

test('the skip link is the first stop and moves focus to the content, without JavaScript', async () => {
  const { context, page } = await openPage(browser, { javaScript: false });
  await page.goto(server.url + 'reasons/healing/');
  await page.keyboard.press('Tab');
  const skip = page.locator('.skip-link');
  assert.equal(await skip.evaluate((el) => el === document.activeElement), true);
  assert.equal(await skip.isVisible(), true);
  await page.keyboard.press('Enter');
  assert.equal(new URL(page.url()).hash, '#main');
  assert.equal(await page.locator('main').evaluate((el) => el === document.activeElement), true);
  await context.close();
});

describe('FAQ', () => {
  test('each question expands and collapses, and a link to a question opens it', async () => {
    const { context, page, problems } = await openPage(browser);
    await page.goto(server.url + 'faq/');
    const items = page.locator('details.faq-item');
    assert.equal(await items.count(), 5);
    const first = items.first();
    assert.equal(await first.evaluate((d) => d.open), false);
    await first.locator('summary').click();
    assert.equal(await first.evaluate((d) => d.open), true);
    assert.equal(await first.locator('.faq-answer').isVisible(), true);
    await page.goto(server.url + 'faq/#how-long');
    assert.equal(await page.locator('#how-long').evaluate((d) => d.open), true);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('answers are printed expanded', async () => {
    const { context, page } = await openPage(browser);
    await page.goto(server.url + 'faq/');
    await page.emulateMedia({ media: 'print' });
    const visible = await page.locator('.faq-answer').evaluateAll((answers) =>
      answers.map((a) => a.getBoundingClientRect().height > 0),
    );
    assert.deepEqual(visible, [true, true, true, true, true]);
    assert.equal(await page.locator('.site-nav').isVisible(), false);
    await context.close();
  });

  test('FAQPage data holds every question and answer', async () => {
    const { context, page } = await openPage(browser);
    await page.goto(server.url + 'faq/');
    const data = await page.locator('script[type="application/ld+json"]').allTextContents();
    const faq = data.map((d) => JSON.parse(d)).find((d) => d['@type'] === 'FAQPage');
    assert.equal(faq.mainEntity.length, 5);
    assert.equal(faq.mainEntity[2].name, 'How long should you wait to contact your ex?');
    assert.match(faq.mainEntity[2].acceptedAnswer.text, /^As long as it takes for them to reach out\./);
    await context.close();
  });
});

describe('Listen', () => {
  test('is hidden where the browser cannot speak', async () => {
    const { context, page } = await openPage(browser, {
      init: () => {
        Object.defineProperty(window, 'speechSynthesis', { configurable: true, value: undefined });
      },
    });
    await page.goto(server.url + 'reasons/healing/');
    assert.equal(await page.locator('.listen').isVisible(), false);
    await context.close();
  });
  // Reading aloud itself (sentences, highlight, pause, speed, the next part) is tested in
  // readers.test.mjs.
});

test('the cheat sheet prints on one A4 page and one Letter page', async () => {
  const { context, page } = await openPage(browser);
  await page.goto(server.url + 'cheat-sheet/');
  for (const format of ['A4', 'Letter']) {
    const pdf = await page.pdf({ format, printBackground: false });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    assert.equal(pages, 1, `${format}: ${pages} pages`);
  }
  await context.close();
});

test('the home page loads under 60 KB before any interaction', async () => {
  const { context, page } = await openPage(browser);
  let bytes = 0;
  const seen = [];
  page.on('response', async (response) => {
    const body = await response.body().catch(() => Buffer.alloc(0));
    bytes += body.length;
    seen.push(`${response.url()} ${body.length}`);
  });
  await page.goto(server.url, { waitUntil: 'networkidle' });
  assert.ok(bytes < 60 * 1024, `${bytes} bytes:\n${seen.join('\n')}`);
  await context.close();
});
