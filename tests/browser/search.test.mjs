// Site search on the shipped site: results, typos, anchors, keyboard, safety, accessibility,
// and the page listing every page for readers without JavaScript.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { axe, buildShippedSite, launch, openPage, serve } from './harness.mjs';

let browser;
let server;
let output;
before(async () => {
  browser = await launch();
  ({ output } = buildShippedSite({
    edit: (root) => {
      // A page whose text holds markup, to check that excerpts show it as text.
      writeFileSync(
        join(root, 'content', 'markup-test.md'),
        '---\ntitle: Markup in text\n---\nThe zanzibarian example `<script>alert(1)</script><img src=x onerror=alert(2)>` is plain text.\n',
      );
      // Pages titled with one of two words outrank, for each word, the one page holding
      // both: its excerpt comes from a document chunk, not from a hit a shard carries.
      // (Short pages of their own keep the two words below the 4% of sections from which
      // the build also carries the best sections of pairs of words.)
      for (let i = 0; i < 160; i++) {
        writeFileSync(join(root, 'content', `filler-${i}.md`), `---\ntitle: Filler ${i}\n---\nNothing to see.\n`);
      }
      for (let i = 0; i < 10; i++) {
        for (const word of ['quokka', 'wombat']) {
          writeFileSync(join(root, 'content', `${word}-${i}.md`), `---\ntitle: ${word} notes ${i}\n---\nMore about the ${word}.\n`);
        }
      }
      writeFileSync(
        join(root, 'content', 'marsupials.md'),
        `---\ntitle: Marsupials\n---\n${'Animals carry their young in a pouch for months. '.repeat(4)}Both the quokka and the wombat live in Australia.\n`,
      );
      // 300 words starting "qu": a group too big for one shard, with a small vocabulary.
      for (let i = 0; i < 75; i++) {
        const words = [0, 1, 2, 3].map((k) => `quagg${String(i * 4 + k).padStart(3, '0')}`).join(' ');
        writeFileSync(
          join(root, 'content', `quagga-${i}.md`),
          `---\ntitle: Quagga notes ${i}\n---\nCodes ${words} for the striped horses of the plains, long gone.\n`,
        );
      }
    },
  }));
  server = await serve(output);
});
after(async () => {
  await server?.close();
  await browser?.close();
});

/** Opens the home page, types `query` into the search box and waits for its results. */
async function search(query, options = {}) {
  const opened = await openPage(browser, options);
  const { page } = opened;
  await page.goto(server.url);
  const input = page.locator('#cairn-search-input');
  await input.click();
  await input.fill(query);
  // search.js notes the query it rendered results for.
  await page.waitForFunction((q) => document.querySelector('#cairn-search-results').dataset.query === q, query);
  return opened;
}

async function results(page) {
  return page.$$eval('#cairn-search-results [role=option]', (options) =>
    options.map((o) => ({
      title: o.querySelector('.search-result-title')?.textContent,
      heading: o.querySelector('.search-result-heading')?.textContent ?? '',
      excerpt: o.querySelector('.search-result-excerpt')?.textContent,
      marks: [...o.querySelectorAll('mark')].map((m) => m.textContent),
      href: o.dataset.href,
    })),
  );
}

describe('search', () => {
  test('"contacting" finds the reasons about contacting, with marked excerpts', async () => {
    const { context, page, problems } = await search('contacting');
    try {
      const found = await results(page);
      assert.ok(found.length >= 4, JSON.stringify(found));
      const reasons = found.filter((r) => r.href.includes('/reasons/') && r.title.startsWith('Contacting An Ex'));
      assert.ok(reasons.length >= 3, JSON.stringify(found, null, 2));
      assert.ok(found.some((r) => r.marks.some((m) => /^contact/i.test(m))), 'matched words are marked');
      const status = await page.textContent('[data-search] [role=status]');
      assert.match(status, /^\d+ results?/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('a word only in one FAQ answer links to that question', async () => {
    const { context, page } = await search('rehash');
    try {
      const found = await results(page);
      assert.equal(found.length, 1, JSON.stringify(found));
      assert.match(found[0].href, /\/faq\/#ever$/);
      assert.equal(found[0].heading, 'Should I Contact My Ex Who Dumped Me Ever?');
      assert.deepEqual(found[0].marks, ['rehash']);
    } finally {
      await context.close();
    }
  });

  test('a typo still finds the word: "selfsh" finds "selfish"', async () => {
    const { context, page } = await search('selfsh');
    try {
      const found = await results(page);
      assert.ok(found.some((r) => r.href.endsWith('/reasons/selfish/')), JSON.stringify(found, null, 2));
      assert.ok(found.some((r) => r.marks.some((m) => m.toLowerCase() === 'selfish')));
    } finally {
      await context.close();
    }
  });

  test('a typo finds its word in another shard of a split group, with no word list to fetch', async () => {
    const shards = readdirSync(join(output, 'search')).filter((name) => /^t\d+-/.test(name));
    assert.ok(shards.length >= 2, shards.join(' '));
    const before = server.requests.length;
    // "quagh010" sorts after every "quagg…" word, in the group's last shard; "quagg010"
    // is in its first.
    const { context, page } = await search('quagh010 ');
    try {
      const found = await results(page);
      assert.equal(found.length, 1, JSON.stringify(found));
      assert.equal(found[0].title, 'Quagga notes 2');
      assert.deepEqual(found[0].marks, ['quagg010']);
      const fetched = server.requests.slice(before).filter((url) => url.includes('/search/'));
      assert.deepEqual(fetched.map((url) => url.replace(/\d+-[0-9a-f]+\.bin$/, '')), ['/search/index.json', '/search/t', '/search/t']);
    } finally {
      await context.close();
    }
  });

  test('the word being typed matches as a prefix, and every word must match', async () => {
    const { context, page } = await search('obsess');
    try {
      const found = await results(page);
      assert.ok(found.some((r) => r.href.endsWith('/faq/#unhealthy')), JSON.stringify(found));
    } finally {
      await context.close();
    }
    const both = await search('rehash selfish');
    try {
      assert.deepEqual(await results(both.page), []);
      assert.equal(await both.page.textContent('[data-search] [role=status]'), 'No results');
    } finally {
      await both.context.close();
    }
  });

  test('a result no shard carries an excerpt for gets one around its words, from its chunk', async () => {
    const { context, page, problems } = await search('quokka wombat');
    try {
      const found = await results(page);
      assert.equal(found.length, 1, JSON.stringify(found));
      assert.equal(found[0].title, 'Marsupials');
      assert.match(found[0].excerpt, /^\u2026 .*quokka and the wombat live in Australia\.$/);
      assert.deepEqual(found[0].marks, ['quokka', 'wombat']);
      assert.ok(server.requests.some((url) => /\/search\/d\d+-[0-9a-f]{16}\.bin$/.test(url)), 'fetched a chunk');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('keyboard: "/" focuses, arrows move, Escape closes, Enter opens', async () => {
    const { context, page } = await openPage(browser);
    try {
      await page.goto(server.url + 'faq/');
      await page.keyboard.press('/');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'cairn-search-input');
      await page.keyboard.type('contacting ex');
      await page.waitForFunction(
        () =>
          document.querySelector('#cairn-search-results').dataset.query === 'contacting ex' &&
          document.querySelectorAll('#cairn-search-results [role=option]').length >= 2,
      );
      const input = page.locator('#cairn-search-input');
      assert.equal(await input.getAttribute('aria-expanded'), 'true');
      await page.keyboard.press('ArrowDown');
      assert.equal(await input.getAttribute('aria-activedescendant'), 'cairn-search-option-0');
      await page.keyboard.press('ArrowDown');
      assert.equal(await input.getAttribute('aria-activedescendant'), 'cairn-search-option-1');
      assert.equal(await page.getAttribute('#cairn-search-option-1', 'aria-selected'), 'true');
      assert.equal(await page.getAttribute('#cairn-search-option-0', 'aria-selected'), 'false');
      await page.keyboard.press('ArrowUp');
      assert.equal(await input.getAttribute('aria-activedescendant'), 'cairn-search-option-0');
      await page.keyboard.press('Escape');
      assert.equal(await input.getAttribute('aria-expanded'), 'false');
      assert.ok(await page.locator('#cairn-search-results').isHidden());
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      const target = await page.getAttribute('#cairn-search-option-1', 'data-href');
      assert.match(target, /^\/.*#/);
      await page.keyboard.press('Enter');
      await page.waitForFunction((t) => location.pathname + location.hash === t, target);
    } finally {
      await context.close();
    }
  });

  test('a tap on a result opens it on a touch screen', async () => {
    const touch = await browser.newContext({ hasTouch: true, isMobile: true, viewport: { width: 390, height: 800 } });
    try {
      const tab = await touch.newPage();
      await tab.goto(server.url);
      // On a phone the box waits behind the header's search button.
      await tab.tap('[data-header-toggle="search"]');
      await tab.tap('#cairn-search-input');
      await tab.fill('#cairn-search-input', 'rehash');
      await tab.waitForFunction(() => document.querySelector('#cairn-search-results').dataset.query === 'rehash');
      await Promise.all([tab.waitForURL(/\/faq\/#ever$/), tab.tap('#cairn-search-option-0')]);
    } finally {
      await touch.close();
    }
  });

  test('text from the index is shown as text, never as markup', async () => {
    const { context, page, problems } = await search('zanzibarian');
    try {
      const found = await results(page);
      assert.equal(found.length, 1);
      // The excerpt window may end inside the payload; what it shows must be the raw text.
      assert.match(found[0].excerpt, /<script>alert\(1\)<\/script><img src=x/);
      assert.equal(await page.locator('#cairn-search-results script, #cairn-search-results img').count(), 0);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  for (const scheme of ['light', 'dark']) {
    test(`axe finds no violations with the results open (${scheme})`, async () => {
      const { context, page, problems } = await search('contacting', { colorScheme: scheme });
      try {
        await page.keyboard.press('ArrowDown');
        assert.ok(await page.locator('#cairn-search-results').isVisible());
        const violations = await axe(page);
        assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }

  test('without JavaScript the box is hidden and the link to every page stays', async () => {
    const { context, page } = await openPage(browser, { javaScript: false });
    try {
      await page.goto(server.url + 'reasons/');
      assert.ok(await page.locator('[data-search] form').isHidden());
      const link = page.locator('[data-search] a.search-all');
      assert.ok(await link.isVisible());
      await link.click();
      await page.waitForURL(/\/search\/$/);
      const hrefs = await page.$$eval('.all-pages-list a', (links) => links.map((a) => a.getAttribute('href')));
      for (const path of ['reasons/selfish/', 'faq/', 'faq/#ever', 'cheat-sheet/', 'markup-test/']) {
        assert.ok(hrefs.includes(`/${path}`), `${path} listed`);
      }
    } finally {
      await context.close();
    }
    // The listing page itself is accessible (axe needs scripts, so in another context).
    const scripted = await openPage(browser);
    try {
      await scripted.page.goto(server.url + 'search/');
      assert.deepEqual(await axe(scripted.page), []);
      assert.deepEqual(scripted.problems, []);
    } finally {
      await scripted.context.close();
    }
  });

  test('a manifest of another format is refused, and a failed one is asked for again', async () => {
    const { context, page } = await openPage(browser);
    try {
      let answer = 'other format';
      await page.route('**/search/index.json', async (route) => {
        if (answer === 'pass') return route.continue();
        if (answer === 'error') return route.fulfill({ status: 503, body: 'unavailable' });
        // The real manifest, but of another format version: readable, and still refused.
        const manifest = await (await route.fetch()).json();
        return route.fulfill({ json: { ...manifest, version: 99 } });
      });
      await page.goto(server.url);
      const input = page.locator('#cairn-search-input');
      const status = page.locator('[data-search] [role=status]');
      await input.click();
      await input.fill('selfish');
      await assert.doesNotReject(status.filter({ hasText: 'Search is not available right now' }).waitFor());
      assert.equal(await page.locator('#cairn-search-results [role=option]').count(), 0);
      assert.ok(await page.locator('.search-all').isVisible(), 'the link to every page stays');

      answer = 'error';
      await input.fill('selfis');
      await page.waitForTimeout(300);
      answer = 'pass';
      await input.fill('selfish');
      await page.waitForFunction(() => document.querySelector('#cairn-search-results').dataset.query === 'selfish');
      assert.ok(await page.locator('#cairn-search-results [role=option]').count() > 0);
    } finally {
      await context.close();
    }
  });

  test('search.js loads only when the box is used', async () => {
    const { context, page } = await openPage(browser);
    try {
      const loaded = [];
      page.on('request', (request) => loaded.push(new URL(request.url()).pathname));
      await page.goto(server.url);
      const searching = (p) => /\/search\.[^/]*js$/.test(p) || p.startsWith('/search/');
      assert.ok(!loaded.some(searching), loaded.join(' '));
      await page.focus('#cairn-search-input');
      await page.waitForFunction(() => document.querySelector('[data-search]').cairnSearch === true);
      assert.ok(loaded.some(searching));
    } finally {
      await context.close();
    }
  });
});
