// Deploying under a sub-path: every page, asset and script-loaded file resolves under /guide/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildShippedSite, launch, openPage, serve } from './harness.mjs';

let browser;
let server;
before(async () => {
  browser = await launch();
  const { output } = buildShippedSite({ baseUrl: 'https://example.org/guide/' });
  server = await serve(output, { basePath: '/guide/' });
});
after(async () => {
  await server?.close();
  await browser?.close();
});

test('crawling from the home page under /guide/ finds nothing broken', async () => {
  const { context, page, problems } = await openPage(browser);
  const broken = [];
  page.on('response', (response) => {
    if (response.status() >= 400) broken.push(`${response.status()} ${response.url()}`);
  });
  page.on('requestfailed', (request) => broken.push(`failed ${request.url()}`));
  const origin = new URL(server.url).origin;
  const queue = [server.url];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const url = queue.shift();
    await page.goto(url, { waitUntil: 'networkidle' });
    // Exercise what loads on interaction: the search box, when the theme has one.
    const search = page.locator('input[type="search"]').first();
    if ((await search.count()) > 0 && (await search.isVisible())) {
      await search.fill('contact');
      await page.waitForTimeout(400);
    }
    const links = await page.$$eval('a[href]', (anchors) => anchors.map((a) => a.href));
    for (const link of links) {
      const target = new URL(link);
      target.hash = '';
      if (target.origin !== origin || seen.has(target.href)) continue;
      assert.ok(target.pathname.startsWith('/guide/'), `link outside the sub-path: ${link} on ${url}`);
      seen.add(target.href);
      if (/\.(xml|txt|json)$/.test(target.pathname)) {
        const response = await page.request.get(target.href);
        if (response.status() >= 400) broken.push(`${response.status()} ${target.href}`);
      } else {
        queue.push(target.href);
      }
    }
  }
  assert.ok(seen.size > 15, `only ${seen.size} pages reached`);
  assert.deepEqual(broken, []);
  assert.deepEqual(problems, []);
  await context.close();
});
