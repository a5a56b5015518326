// Site search on the shipped site: ranking by page, results as links, the results page,
// stems, the quiz, typos, keyboard, phones, landing highlights, safety, accessibility, and
// the page listing every page for readers without JavaScript.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { axe, buildShippedSite, launch, openPage, repoRoot, serve } from './harness.mjs';

const REASONS = ['chasing', 'dependency', 'focus', 'healing', 'miscommunication', 'pathetic', 'selfish', 'upsets'];

let browser;
let server;
let output;
// The shipped site as it is, for its ranking.
let shipped;
before(async () => {
  browser = await launch();
  shipped = await serve(buildShippedSite().output);
  ({ output } = buildShippedSite({
    edit: (root) => {
      // A page whose text holds markup, to check that excerpts show it as text.
      writeFileSync(
        join(root, 'content', 'markup-test.md'),
        '---\ntitle: Markup in text\n---\nThe zanzibarian example `<script>alert(1)</script><img src=x onerror=alert(2)>` is plain text.\n',
      );
      // The word "constructor", which a query for another word does not mark.
      writeFileSync(join(root, 'content', 'constructor-test.md'), '---\ntitle: Gardens\n---\nA constructor of quillwort gardens.\n');
      // A window the build cuts just after the text's own ellipsis.
      writeFileSync(
        join(root, 'content', 'ellipsis-test.md'),
        `---\ntitle: Trailing off\n---\nquixotry ${'ab '.repeat(20)}\u2026 and then the text goes on for a good while longer.\n`,
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
      // 24 pages on one word: more results than the box shows, over three screens of the
      // results page.
      for (let i = 0; i < 24; i++) {
        writeFileSync(
          join(root, 'content', `kelp-${i}.md`),
          `---\ntitle: Kelp forest ${i}\n---\nA page about kelp.\n\n## Holdfasts\n\nKelp holds on to rocks.\n`,
        );
      }
    },
  }));
  server = await serve(output);
});
after(async () => {
  await shipped?.close();
  await server?.close();
  await browser?.close();
});

/**
 * Opens `path` (the home page) on `site` (the test site), types `query` into the search box
 * and waits for its results.
 */
async function search(query, options = {}, path = '', site = server) {
  const opened = await openPage(browser, options);
  const { page } = opened;
  await page.goto(site.url + path);
  const input = page.locator('#cairn-search-input');
  await input.click();
  await input.fill(query);
  // search.js notes the query it rendered results for.
  await page.waitForFunction((q) => document.querySelector('#cairn-search-results').dataset.query === q, query);
  return opened;
}

/** The path and fragment of a link, without the query it carries for the page to highlight. */
function target(href) {
  const url = new URL(href, 'http://x');
  return url.pathname + url.hash;
}

/** The box's options: each page's first (title, heading, excerpt) and its further sections. */
async function results(page) {
  return page.$$eval('#cairn-search-results [role=option]', (options) =>
    options.map((o) => ({
      tag: o.tagName,
      kind: o.classList.contains('search-all-results') ? 'all' : o.classList.contains('search-result-section') ? 'section' : 'page',
      group: o.closest('[role=group]')?.getAttribute('aria-label') ?? null,
      title: o.querySelector('.search-result-title')?.textContent,
      heading: o.querySelector('.search-result-heading')?.textContent ?? '',
      excerpt: o.querySelector('.search-result-excerpt')?.textContent,
      text: o.textContent,
      marks: [...o.querySelectorAll('mark')].map((m) => m.textContent),
      href: o.getAttribute('href'),
    })),
  ).then((found) => found.map((r) => ({ ...r, target: r.href && target(r.href) })));
}

/** The first option of each page. */
async function pages(page) {
  return (await results(page)).filter((r) => r.kind === 'page');
}

describe('search', () => {
  test('"contacting" ranks the reasons, each page once, with the matched words marked', async () => {
    const { context, page, problems } = await search('contacting', {}, '', shipped);
    try {
      const found = await pages(page);
      assert.equal(found.length, 8, JSON.stringify(found, null, 2));
      const paths = found.map((r) => new URL(r.href, shipped.url).pathname);
      assert.equal(new Set(paths).size, paths.length, `each page once: ${paths}`);
      const reasons = paths.filter((p) => REASONS.some((r) => p === `/reasons/${r}/`));
      assert.ok(reasons.length >= 6, `${reasons.length} of the 8 reasons in the top 8: ${paths.join(' ')}`);
      // Every one of them has the word in its title: no body match outranks a title match,
      // however common the word (it is in a quarter of the site's sections).
      assert.ok(found.every((r) => /contact/i.test(r.title)), JSON.stringify(found.map((r) => r.title)));
      // Matched words are marked in titles and excerpts, whatever form of the word.
      assert.ok(found.every((r) => r.marks.some((m) => /^contact/i.test(m))), JSON.stringify(found, null, 2));
      assert.ok(found.some((r) => r.title.startsWith('Contacting An Ex') && r.marks[0] === 'Contacting'));
      const status = await page.textContent('[data-search] [role=status]');
      assert.match(status, /^\d+ results, showing the first 8$/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("a page's further sections are listed under it, in its group", async () => {
    // The FAQ says "dumped" in its title and in several answers.
    const { context, page, problems } = await search('dumped ', {}, '', shipped);
    try {
      const all = await results(page);
      const found = all.filter((r) => r.kind === 'page');
      const sections = all.filter((r) => r.kind === 'section');
      assert.ok(sections.length >= 2, JSON.stringify(all, null, 2));
      for (const section of sections) {
        const owner = found.find((r) => r.group === section.group);
        assert.ok(owner, JSON.stringify(section));
        assert.equal(new URL(section.href, shipped.url).pathname, new URL(owner.href, shipped.url).pathname);
        assert.notEqual(target(section.href), owner.target, 'a further section, not the best one again');
      }
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('a title or heading match outranks a body match', async () => {
    const { context, page } = await search('kelp');
    try {
      const found = await pages(page);
      assert.ok(found.every((r) => r.title.startsWith('Kelp forest')), JSON.stringify(found, null, 2));
      // Every page's best section is its first, where the title counts.
      assert.ok(found.every((r) => !r.target.includes('#')), JSON.stringify(found, null, 2));
    } finally {
      await context.close();
    }
  });

  test('"Show all N results" opens the results page, which lists every result, a screen at a time', async () => {
    const { context, page, problems } = await search('kelp');
    try {
      const all = (await results(page)).find((r) => r.kind === 'all');
      assert.ok(all, 'a "Show all" entry');
      const total = Number(/^Show all (\d+) results$/.exec(all.text)[1]);
      assert.ok(total >= 24, all.text);
      assert.equal(new URL(all.href, server.url).pathname, '/search/');
      // Reached by the keyboard, as any result.
      const options = await page.locator('#cairn-search-results [role=option]').count();
      await page.keyboard.press('ArrowUp');
      assert.equal(await page.getAttribute('#cairn-search-input', 'aria-activedescendant'), `cairn-search-option-${options - 1}`);
      await Promise.all([page.waitForURL(/\/search\/\?q=kelp$/), page.keyboard.press('Enter')]);
      const listed = [];
      for (let screen = 1; ; screen++) {
        await page.waitForFunction(() => document.querySelector('[data-search-results]').dataset.query === 'kelp');
        assert.ok(await page.locator('[data-search-listing]').isHidden(), 'the listing gives way to the results');
        assert.equal(await page.inputValue('#cairn-search-input'), 'kelp', 'the box holds the query');
        const titles = await page.$$eval('.search-page-result h2 a', (links) => links.map((a) => a.getAttribute('href')));
        assert.ok(titles.length > 0 && titles.length <= 10);
        listed.push(...titles.map((href) => new URL(href, server.url).pathname));
        const more = page.locator('.search-pager a[rel=next]');
        if ((await more.count()) === 0) break;
        assert.ok(screen < 10);
        await Promise.all([page.waitForURL(new RegExp(`page=${screen + 1}$`)), more.click()]);
      }
      assert.equal(listed.length, total, listed.join(' '));
      assert.equal(new Set(listed).size, total, 'each page once');
      for (let i = 0; i < 24; i++) assert.ok(listed.includes(`/kelp-${i}/`), `kelp-${i}`);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('the results page is accessible, and without JavaScript it is the listing of every page', async () => {
    const { context, page, problems } = await openPage(browser);
    try {
      await page.goto(`${server.url}search/?q=contacting`);
      await page.waitForFunction(() => document.querySelector('[data-search-results]').dataset.query === 'contacting');
      assert.match(await page.textContent('h1:visible'), /contacting/);
      assert.deepEqual(await axe(page), []);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
    const plain = await openPage(browser, { javaScript: false });
    try {
      await plain.page.goto(`${server.url}search/?q=contacting`);
      assert.ok(await plain.page.locator('[data-search-results]').isHidden());
      assert.ok(await plain.page.locator('.all-pages-list').isVisible());
    } finally {
      await plain.context.close();
    }
  });

  test('the quiz is found: "unsafe" its safety question, "abuse" what it advises', async () => {
    for (const [query, path] of [['unsafe', '/quiz/should-i-contact-my-ex/'], ['abuse', '/quiz/should-i-contact-my-ex/stay-safe/']]) {
      const { context, page } = await search(query);
      try {
        const found = await pages(page);
        assert.ok(found.length >= 1, query);
        assert.equal(found[0].target, path, JSON.stringify(found, null, 2));
        assert.ok(found[0].marks.some((m) => m.toLowerCase() === query), JSON.stringify(found[0]));
      } finally {
        await context.close();
      }
    }
  });

  test('"texting", "texts" and "text" find the same passages, the text messages among them', async () => {
    const seen = [];
    for (const query of ['texting', 'texts', 'text']) {
      const { context, page } = await search(`${query} `);
      try {
        const found = await results(page);
        seen.push(found.map((r) => r.target));
        assert.ok(found.some((r) => r.target === '/reasons/miscommunication/' && r.marks.includes('text')), JSON.stringify(found, null, 2));
      } finally {
        await context.close();
      }
    }
    assert.deepEqual(seen[1], seen[0]);
    assert.deepEqual(seen[2], seen[0]);
  });

  test('the stemmer in search.js stems every word as the index does', async () => {
    const vectors = readFileSync(join(repoRoot, 'tests', 'fixtures', 'stems', 'english.txt'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(' '));
    assert.ok(vectors.length > 4000);
    const { context, page } = await openPage(browser);
    try {
      await page.goto(server.url);
      await page.focus('#cairn-search-input');
      await page.waitForFunction(() => document.querySelector('[data-search]').cairnSearch);
      const wrong = await page.evaluate((pairs) => {
        const { stem } = document.querySelector('[data-search]').cairnSearch;
        return pairs.filter(([word, expected]) => stem(word) !== expected).map(([word, expected]) => `${word}: ${stem(word)}, not ${expected}`);
      }, vectors);
      assert.deepEqual(wrong, []);
    } finally {
      await context.close();
    }
  });

  test('results are links: each option is an <a href>, and opens in a new tab', async () => {
    const { context, page } = await search('selfish');
    try {
      const found = await results(page);
      assert.ok(found.length >= 2);
      assert.ok(found.every((r) => r.tag === 'A' && r.href), JSON.stringify(found));
      assert.equal(found[0].target, '/reasons/selfish/');
      const [tab] = await Promise.all([context.waitForEvent('page'), page.click('#cairn-search-option-0', { modifiers: ['Control'] })]);
      await tab.waitForLoadState();
      assert.equal(new URL(tab.url()).pathname, '/reasons/selfish/');
      assert.equal(new URL(page.url()).pathname, '/', 'the page itself stays');
      const [middle] = await Promise.all([context.waitForEvent('page'), page.click('#cairn-search-option-1', { button: 'middle' })]);
      await middle.waitForLoadState();
      assert.equal(target(middle.url()), found[1].target);
    } finally {
      await context.close();
    }
  });

  test('a result lands on its section with the words highlighted until they are dismissed', async () => {
    const { context, page, problems } = await search('texting');
    try {
      const option = (await results(page)).find((r) => r.target === '/reasons/miscommunication/');
      await Promise.all([page.waitForURL(/\/reasons\/miscommunication\/$/), page.click(`[href="${option.href}"]`)]);
      await page.waitForSelector('.search-landing-mark');
      assert.equal(new URL(page.url()).search, '', 'the query leaves the address');
      const marks = await page.$$eval('main .search-landing-mark', (m) => m.map((x) => x.textContent));
      assert.ok(marks.includes('text'), marks.join(' '));
      assert.deepEqual(await axe(page), []);
      // A reload keeps them (the query is in the history entry), the button clears them.
      await page.reload();
      await page.waitForSelector('.search-landing-mark');
      await page.click('.search-landing button');
      assert.equal(await page.locator('.search-landing-mark, .search-landing').count(), 0);
      assert.match(await page.textContent('main'), /Especially through text, where/);
      await page.reload();
      await page.waitForLoadState('networkidle');
      assert.equal(await page.locator('.search-landing-mark').count(), 0, 'dismissed for good');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('landing on a FAQ answer opens it and marks the words in it; Escape dismisses', async () => {
    const { context, page, problems } = await openPage(browser);
    try {
      await page.goto(`${server.url}faq/?q=rehash#ever`);
      await page.waitForSelector('.search-landing-mark');
      assert.equal(await page.getAttribute('details#ever', 'open'), '');
      const marks = await page.$$eval('.search-landing-mark', (m) => m.map((x) => [x.textContent, x.closest('details')?.id]));
      assert.deepEqual(marks, [['rehash', 'ever']]);
      assert.ok(await page.locator('.search-landing').isVisible());
      await page.keyboard.press('Escape');
      assert.equal(await page.locator('.search-landing-mark, .search-landing').count(), 0);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('a malformed fragment breaks no script', async () => {
    const { context, page, problems } = await openPage(browser);
    try {
      await page.goto(`${server.url}faq/?q=rehash#%E0`);
      await page.waitForSelector('.search-landing-mark');
      assert.ok(await page.locator('.theme-toggle').isVisible(), 'site.js ran to its end');
      await page.goto(`${server.url}faq/#%E0%A4`);
      await page.waitForLoadState('networkidle');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('a word only in one FAQ answer links to that question', async () => {
    const { context, page } = await search('actually');
    try {
      const found = await results(page);
      assert.equal(found.length, 1, JSON.stringify(found));
      assert.equal(found[0].target, '/faq/#ever');
      assert.equal(found[0].heading, 'Should I Contact My Ex Who Dumped Me Ever?');
      assert.deepEqual(found[0].marks, ['actually']);
    } finally {
      await context.close();
    }
  });

  test('a typo still finds the word: "selfsh" finds "selfish"', async () => {
    const { context, page } = await search('selfsh');
    try {
      const found = await results(page);
      assert.ok(found.some((r) => r.target === '/reasons/selfish/'), JSON.stringify(found, null, 2));
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
      assert.ok(found.some((r) => r.target === '/faq/#unhealthy'), JSON.stringify(found));
    } finally {
      await context.close();
    }
    const both = await search('actually selfish');
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

  test('an excerpt that ends on the text’s own ellipsis gets no second one', async () => {
    const { context, page } = await search('quixotry');
    try {
      const [found] = await results(page);
      assert.match(found.excerpt, /^quixotry (ab ){19}ab \u2026$/);
    } finally {
      await context.close();
    }
  });

  test('the word "constructor" is not marked unless asked for', async () => {
    const { context, page } = await search('quillwort');
    try {
      const [found] = await results(page);
      assert.equal(found.excerpt, 'A constructor of quillwort gardens.');
      assert.deepEqual(found.marks, ['quillwort']);
    } finally {
      await context.close();
    }
  });

  test('keyboard: "/" and Ctrl+K focus, arrows move, Escape closes, Enter opens', async () => {
    const { context, page } = await openPage(browser);
    try {
      await page.goto(server.url + 'faq/');
      await page.keyboard.press('Control+k');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'cairn-search-input');
      await page.evaluate(() => document.activeElement.blur());
      await page.keyboard.press('Meta+k');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'cairn-search-input');
      await page.evaluate(() => document.activeElement.blur());
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
      const href = await page.getAttribute('#cairn-search-option-1', 'href');
      assert.match(href, /^\/.*\?q=contacting%20ex/);
      await page.keyboard.press('Enter');
      await page.waitForFunction((t) => location.pathname + location.hash === t, target(href));
    } finally {
      await context.close();
    }
  });

  test('the "/" hint shows only where a keyboard is likely', async () => {
    const desktop = await openPage(browser);
    try {
      await desktop.page.goto(server.url);
      assert.ok(await desktop.page.locator('.search-hint').isVisible());
      await desktop.page.focus('#cairn-search-input');
      assert.ok(await desktop.page.locator('.search-hint').isHidden(), 'not while typing');
    } finally {
      await desktop.context.close();
    }
    const phone = await browser.newContext({ hasTouch: true, isMobile: true, viewport: { width: 390, height: 800 } });
    try {
      const tab = await phone.newPage();
      await tab.goto(server.url);
      // On a phone the box waits behind the header's search button.
      await tab.tap('[data-header-toggle="search"]');
      assert.ok(await tab.locator('#cairn-search-input').isVisible());
      assert.ok(await tab.locator('.search-hint').isHidden());
      assert.equal(await tab.getAttribute('#cairn-search-input', 'placeholder'), 'Search');
    } finally {
      await phone.close();
    }
  });

  test('on a phone the results take the whole width, and a tap on one opens it', async () => {
    const touch = await browser.newContext({ hasTouch: true, isMobile: true, viewport: { width: 390, height: 800 } });
    try {
      const tab = await touch.newPage();
      await tab.goto(server.url);
      // On a phone the box waits behind the header's search button.
      await tab.tap('[data-header-toggle="search"]');
      await tab.tap('#cairn-search-input');
      await tab.fill('#cairn-search-input', 'actually');
      await tab.waitForFunction(() => document.querySelector('#cairn-search-results').dataset.query === 'actually');
      const box = await tab.locator('#cairn-search-results').boundingBox();
      assert.ok(box.x <= 0.5 && box.width >= 389, JSON.stringify(box));
      await Promise.all([tab.waitForURL(/\/faq\/.*#ever$/), tab.tap('#cairn-search-option-0')]);
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

  test('a term shard or chunk that failed to load is asked for again on the next query', async () => {
    const { context, page } = await openPage(browser);
    try {
      let fail = true;
      await page.route(/\/search\/[td]\d+-[0-9a-f]+\.bin$/, (route) => (fail ? route.fulfill({ status: 503, body: 'unavailable' }) : route.continue()));
      await page.goto(server.url);
      const input = page.locator('#cairn-search-input');
      await input.click();
      await input.fill('quokka wombat');
      await page.locator('[data-search] [role=status]').filter({ hasText: 'Search is not available right now' }).waitFor();
      fail = false;
      await input.fill('quokka wombat ');
      await page.waitForFunction(() => document.querySelector('#cairn-search-results').dataset.query === 'quokka wombat ');
      assert.equal(await page.locator('#cairn-search-results [role=option]').count(), 1);
    } finally {
      await context.close();
    }
  });

  test('a file of fewer bytes than gzip’s magic number is read as it is', async () => {
    const { context, page } = await openPage(browser);
    try {
      await page.goto(server.url);
      await page.focus('#cairn-search-input');
      await page.waitForFunction(() => document.querySelector('[data-search]').cairnSearch);
      const lengths = await page.evaluate(async () => {
        const { inflate } = document.querySelector('[data-search]').cairnSearch;
        return Promise.all([new Uint8Array([]), new Uint8Array([31])].map(async (bytes) => (await inflate(bytes.buffer)).byteLength));
      });
      assert.deepEqual(lengths, [0, 1]);
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
      await page.waitForFunction(() => Boolean(document.querySelector('[data-search]').cairnSearch));
      assert.ok(loaded.some(searching));
    } finally {
      await context.close();
    }
  });
});
