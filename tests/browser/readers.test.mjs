// Reading the shipped guide as a reader does: straight through by its "next" links, on a
// small phone, aloud, and on paper; in both themes, light and dark.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, buildShippedSite, launch, openPage, serve } from './harness.mjs';

/** The guide's reading order, as the home page's front matter sets it. */
const GUIDE = [
  '',
  'reasons/focus/',
  'reasons/healing/',
  'reasons/dependency/',
  'reasons/pathetic/',
  'reasons/selfish/',
  'reasons/miscommunication/',
  'reasons/chasing/',
  'reasons/upsets/',
  'experts/',
  'instead/',
  'faq/',
  'cheat-sheet/',
  'quiz/should-i-contact-my-ex/',
];

const PAGES = {
  home: '',
  reason: 'reasons/chasing/',
  section: 'reasons/',
  experts: 'experts/',
  faq: 'faq/',
  'cheat-sheet': 'cheat-sheet/',
  quiz: 'quiz/should-i-contact-my-ex/',
  'not-found': 'no-such-page/',
};

let browser;
const servers = {};
before(async () => {
  browser = await launch();
  for (const theme of ['default', 'paper']) {
    const { output } = buildShippedSite({ theme });
    servers[theme] = await serve(output);
  }
});
after(async () => {
  for (const server of Object.values(servers)) await server.close();
  await browser?.close();
});

/** WCAG contrast of two `rgb(…)` colours. */
function contrast(a, b) {
  const channels = (c) => c.match(/[\d.]+/g).slice(0, 3).map(Number);
  const luminance = (c) => {
    const [r, g, bl] = channels(c).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

describe('the guide as a series', () => {
  test('rel="next" leads from the home page through every part, in order, to the quiz', async () => {
    const server = servers.default;
    const { context, page, problems } = await openPage(browser, { width: 320, height: 640 });
    try {
      await page.goto(server.url);
      const start = page.locator('a.start-reading');
      assert.equal(await start.textContent().then((t) => t.trim()), 'Start reading →');
      assert.equal(new URL(await start.getAttribute('href'), server.url).pathname, `/${GUIDE[1]}`);
      const visited = [];
      for (let step = 0; step < GUIDE.length + 2; step++) {
        const path = new URL(page.url()).pathname.slice(1);
        visited.push(path);
        const part = await page.locator('.series-part').first().textContent();
        assert.match(part, new RegExp(`Part ${visited.length} of ${GUIDE.length}`), path);
        const next = page.locator('a[rel="next"]');
        if (await next.count() === 0) break;
        await Promise.all([page.waitForURL((url) => url.pathname !== `/${path}`), next.first().click()]);
      }
      assert.deepEqual(visited, GUIDE);
      // The last part leads back, and the reasons count themselves.
      assert.equal(new URL(await page.locator('a[rel="prev"]').getAttribute('href'), server.url).pathname, '/cheat-sheet/');
      await page.goto(server.url + 'reasons/miscommunication/');
      assert.match(await page.locator('.series-part').textContent(), /Reason 6 of 8 · Part 7 of 14/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('the contents list opens, marks the current part and lists every part', async () => {
    const { context, page } = await openPage(browser, { width: 390 });
    try {
      await page.goto(servers.default.url + 'experts/');
      const toc = page.locator('.series-toc');
      assert.equal(await toc.isVisible(), false);
      await page.locator('.series-contents summary').click();
      assert.equal(await toc.isVisible(), true);
      assert.equal(await toc.locator('li').count(), GUIDE.length);
      assert.equal(await toc.locator('a[aria-current="page"]').textContent(), 'Why Experts Tell You To Contact An Ex Who Dumped You');
      assert.deepEqual(await axe(page), []);
    } finally {
      await context.close();
    }
  });
});

describe('on a phone', () => {
  for (const theme of ['default', 'paper']) {
    for (const width of [320, 390]) {
      test(`${theme} at ${width} px: the header stays under 100 px and the text starts on the first screen`, async () => {
        const { context, page } = await openPage(browser, { width, height: 640 });
        try {
          for (const [name, path] of Object.entries(PAGES)) {
            await page.goto(servers[theme].url + path);
            const header = await page.locator('.site-header').evaluate((h) => h.getBoundingClientRect().height);
            // The page not found shows its search box open, in the header.
            if (name !== 'not-found') assert.ok(header <= 100, `${name}: header ${header} px`);
            if (name === 'reason') {
              const first = await page.locator('.prose p').first().evaluate((p) => p.getBoundingClientRect().top);
              assert.ok(first < 640 - 60, `${name}: the first sentence starts at ${first} px`);
              assert.equal((await page.locator('.breadcrumbs-up').textContent()).trim(), '← The 8 reasons');
              assert.equal(await page.locator('.breadcrumbs ol').isVisible(), false);
            }
          }
        } finally {
          await context.close();
        }
      });
    }
  }

  test('the menu and search open from the header, show every entry, and close with Escape', async () => {
    const { context, page, problems } = await openPage(browser, { width: 320, height: 640 });
    try {
      await page.goto(servers.default.url + 'reasons/healing/');
      const menu = page.locator('#site-menu');
      const menuButton = page.locator('[data-header-toggle="menu"]');
      assert.equal(await menu.isVisible(), false);
      await menuButton.click();
      assert.equal(await menuButton.getAttribute('aria-expanded'), 'true');
      // Every entry is in view: none is cut off at the edge.
      const boxes = await menu.locator('a').evaluateAll((links) => links.map((a) => {
        const box = a.getBoundingClientRect();
        return { text: a.textContent, left: box.left, right: box.right, width: a.scrollWidth, client: a.clientWidth };
      }));
      assert.equal(boxes.length, 6);
      for (const box of boxes) assert.ok(box.left >= 0 && box.right <= 320 && box.width <= box.client, JSON.stringify(box));
      assert.deepEqual(await axe(page), []);
      await menu.locator('a').first().focus();
      await page.keyboard.press('Escape');
      assert.equal(await menu.isVisible(), false);
      assert.equal(await menuButton.evaluate((b) => b === document.activeElement), true);

      const search = page.locator('#cairn-search-input');
      assert.equal(await search.isVisible(), false);
      await page.locator('[data-header-toggle="search"]').click();
      assert.equal(await search.isVisible(), true);
      assert.equal(await search.evaluate((i) => i === document.activeElement), true);
      await page.keyboard.press('Escape');
      assert.equal(await search.isVisible(), false);
      // "/" opens it from anywhere.
      await page.locator('main').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('/');
      assert.equal(await search.isVisible(), true);
      assert.equal(await search.evaluate((i) => i === document.activeElement), true);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('without JavaScript the menu and the link to every page are simply there', async () => {
    const { context, page } = await openPage(browser, { width: 320, javaScript: false });
    try {
      await page.goto(servers.default.url + 'faq/');
      assert.equal(await page.locator('#site-menu').isVisible(), true);
      assert.equal(await page.locator('.search-all').isVisible(), true);
      assert.equal(await page.locator('[data-header-toggle="menu"]').isVisible(), false);
    } finally {
      await context.close();
    }
  });
});

describe('wide screens', () => {
  for (const theme of ['default', 'paper']) {
    test(`${theme}: the menu is one line at 1280 px`, async () => {
      const { context, page } = await openPage(browser, { width: 1280 });
      try {
        await page.goto(servers[theme].url + 'faq/');
        const tops = await page.locator('#site-menu li').evaluateAll((items) => items.map((li) => li.getBoundingClientRect().top));
        assert.equal(new Set(tops).size, 1, `menu rows at ${tops}`);
      } finally {
        await context.close();
      }
    });
  }

  test('paper: the drop cap opens a text that starts with a paragraph, and nothing else', async () => {
    const { context, page } = await openPage(browser);
    try {
      const floatOf = (selector) => page.locator(selector).evaluate((p) => getComputedStyle(p, '::first-letter').float);
      await page.goto(servers.paper.url + 'reasons/healing/');
      assert.equal(await floatOf('.prose > p:first-of-type'), 'left');
      await page.goto(servers.paper.url + 'faq/');
      const paragraphs = await page.locator('.prose > p, .prose .call-to-action > p').count();
      for (let i = 0; i < paragraphs; i++) {
        assert.equal(await floatOf(`:is(.prose > p, .prose .call-to-action > p) >> nth=${i}`), 'none');
      }
    } finally {
      await context.close();
    }
  });
});

describe('theme toggle', () => {
  test('cycles system, light, dark and back, says which, shows pressed, and is remembered', async () => {
    const { context, page, problems } = await openPage(browser, { colorScheme: 'dark' });
    try {
      await page.goto(servers.default.url);
      const toggle = page.locator('.theme-toggle');
      await toggle.waitFor({ state: 'visible' });
      const state = async () => ({
        label: (await toggle.textContent()).trim(),
        pressed: await toggle.getAttribute('aria-pressed'),
        theme: await page.getAttribute('html', 'data-theme'),
        bg: await page.evaluate(() => getComputedStyle(document.body).backgroundColor),
        stored: await page.evaluate(() => localStorage.getItem('cairn-theme')),
      });
      const dark = 'rgb(20, 22, 24)';
      const light = 'rgb(251, 250, 247)';
      assert.deepEqual(await state(), { label: 'Theme: system', pressed: 'false', theme: null, bg: dark, stored: null });
      // Not pressed, it has the colours of any button; pressed, the page's colours swap.
      const looks = () => page.evaluate(() => {
        const style = (el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color];
        return { toggle: style(document.querySelector('.theme-toggle')), button: style(document.querySelector('.listen-play')) };
      });
      let seen = await looks();
      assert.deepEqual(seen.toggle, seen.button);
      await toggle.click();
      assert.deepEqual(await state(), { label: 'Theme: light', pressed: 'true', theme: 'light', bg: light, stored: 'light' });
      seen = await looks();
      assert.deepEqual(seen.toggle, [seen.button[1], light], 'a pressed toggle looks pressed');
      await page.goto(servers.default.url + 'faq/');
      assert.deepEqual(await state(), { label: 'Theme: light', pressed: 'true', theme: 'light', bg: light, stored: 'light' });
      await toggle.click();
      assert.deepEqual(await state(), { label: 'Theme: dark', pressed: 'true', theme: 'dark', bg: dark, stored: 'dark' });
      await toggle.click();
      assert.deepEqual(await state(), { label: 'Theme: system', pressed: 'false', theme: null, bg: dark, stored: null });
      await page.reload();
      assert.deepEqual(await state(), { label: 'Theme: system', pressed: 'false', theme: null, bg: dark, stored: null });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe('FAQ', () => {
  test('"Expand all" opens every answer and closes them again', async () => {
    const { context, page } = await openPage(browser);
    try {
      await page.goto(servers.default.url + 'faq/');
      const button = page.locator('[data-faq-toggle]');
      const open = () => page.locator('details.faq-item').evaluateAll((all) => all.map((d) => d.open));
      assert.deepEqual(await open(), [false, false, false, false, false]);
      await button.click();
      assert.deepEqual(await open(), [true, true, true, true, true]);
      assert.equal(await button.textContent(), 'Collapse all');
      await button.click();
      assert.deepEqual(await open(), [false, false, false, false, false]);
      assert.equal(await button.textContent(), 'Expand all');
    } finally {
      await context.close();
    }
  });

  test('a link to a question opens its answer, on arrival and within the page', async () => {
    const { context, page } = await openPage(browser);
    try {
      await page.goto(servers.default.url + 'faq/#moved-on');
      assert.equal(await page.locator('#moved-on').evaluate((d) => d.open), true);
      assert.equal(await page.locator('#moved-on .faq-answer').isVisible(), true);
      await page.evaluate(() => { location.hash = '#status'; });
      await page.waitForFunction(() => document.getElementById('status').open);
    } finally {
      await context.close();
    }
  });

  test('prints every answer open, without +/− markers', async () => {
    const { context, page } = await openPage(browser);
    try {
      await page.goto(servers.default.url + 'faq/');
      await page.locator('details.faq-item').first().evaluate((d) => { d.open = true; });
      await page.emulateMedia({ media: 'print' });
      const shown = await page.locator('.faq-answer').evaluateAll((all) => all.map((a) => a.getBoundingClientRect().height > 0));
      assert.deepEqual(shown, [true, true, true, true, true]);
      const markers = await page.locator('details.faq-item summary').evaluateAll((all) => all.map((s) => getComputedStyle(s, '::before').content));
      assert.deepEqual(markers, ['none', 'none', 'none', 'none', 'none']);
    } finally {
      await context.close();
    }
  });
});

/** A speechSynthesis that records what it is asked to say and says it at once. */
function fakeSpeech() {
  window.spoken = [];
  window.rates = [];
  window.speechAutoEnd = true;
  window.SpeechSynthesisUtterance = function SpeechSynthesisUtterance(text) {
    this.text = text;
  };
  let current = null;
  const end = () => {
    const utterance = current;
    current = null;
    if (utterance && utterance.onend) utterance.onend({});
  };
  window.finishUtterance = end;
  Object.defineProperty(window, 'speechSynthesis', {
    configurable: true,
    value: {
      speak(utterance) {
        window.spoken.push(utterance.text);
        window.rates.push(utterance.rate);
        current = utterance;
        if (window.speechAutoEnd) setTimeout(() => { if (current === utterance) end(); }, 0);
      },
      cancel() {
        const utterance = current;
        current = null;
        window.cancelled = (window.cancelled || 0) + 1;
        if (utterance && utterance.onerror) setTimeout(() => utterance.onerror({ error: 'interrupted' }), 0);
      },
      pause() {},
      resume() {},
    },
  });
}

describe('Listen', () => {
  test('reads the FAQ once through, text only, then goes on with the next part', async () => {
    const server = servers.default;
    const { context, page, problems } = await openPage(browser, { init: fakeSpeech });
    try {
      await page.goto(server.url + 'faq/');
      await page.locator('[data-listen="play"]').click();
      await page.waitForFunction(() => !document.querySelector('.listen-next').hidden);
      const spoken = await page.evaluate(() => window.spoken);
      assert.equal(spoken[0], 'Top Questions About Contacting An Ex Who Dumped You');
      const questions = await page.locator('.faq-question').allTextContents();
      for (const question of questions) {
        assert.equal(spoken.filter((s) => s === question).length, 1, `${question} in ${JSON.stringify(spoken)}`);
      }
      const labels = ['Listen', 'Expand all', 'Collapse all', 'Print this page', 'Note', 'Tip', 'Contents', 'Tags', 'Next part', 'Previous part', 'Pause', 'Stop'];
      for (const text of spoken) {
        for (const label of labels) assert.ok(!text.startsWith(label), `a label was read: ${text}`);
      }
      // Sentence by sentence: no utterance holds two sentences.
      assert.ok(spoken.includes('Or both.'), JSON.stringify(spoken));
      assert.ok(spoken.includes('Pro tip: get a friend to pick it up for you.'));
      // The answers, read, are open.
      assert.deepEqual(await page.locator('details.faq-item').evaluateAll((all) => all.map((d) => d.open)), [true, true, true, true, true]);
      assert.match(await page.locator('.listen-next').textContent(), /Up next: The Free Cheat Sheet/);

      const before = spoken.length;
      await page.locator('[data-listen="continue"]').click();
      await page.waitForURL(/\/cheat-sheet\/$/);
      await page.waitForFunction((n) => window.spoken.length > n + 3, before);
      const next = (await page.evaluate(() => window.spoken)).slice(before);
      assert.equal(next[0], 'The Free Cheat Sheet: Mending A Relationship Step By Step');
      assert.ok(next.some((s) => s.startsWith('This cheat sheet lays out')));
      assert.equal(await page.title(), 'The Free Cheat Sheet: Mending A Relationship Step By Step · Why You Should Not Contact An Ex Who Dumped You');
      assert.equal(await page.locator('h1').textContent(), 'The Free Cheat Sheet: Mending A Relationship Step By Step');
      assert.equal(await page.locator('#site-menu a[aria-current="page"]').textContent(), 'Cheat sheet');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('highlights the sentence being read; pauses, resumes at that sentence, changes speed and stops', async () => {
    const { context, page, problems } = await openPage(browser, { init: `(${fakeSpeech})(); window.speechAutoEnd = false;` });
    try {
      await page.goto(servers.default.url + 'reasons/healing/');
      await page.locator('[data-listen="play"]').click();
      const highlighted = () => page.evaluate(() => {
        const h = CSS.highlights.get('listen-sentence');
        return h ? [...h][0].toString().trim() : null;
      });
      assert.equal(await highlighted(), 'Contacting An Ex Can Hinder Your Healing Process');
      await page.evaluate(() => window.finishUtterance());
      await page.waitForFunction(() => window.spoken.length === 2);
      assert.equal(await highlighted(), 'After a breakup, the most crucial step is to focus on healing and moving forward, be that with your ex or without them.');
      const pause = page.locator('[data-listen="pause"]');
      await pause.click();
      assert.equal(await pause.getAttribute('aria-pressed'), 'true');
      assert.match(await pause.textContent(), /Resume/);
      await pause.click();
      await page.waitForFunction(() => window.spoken.length === 3);
      assert.equal((await page.evaluate(() => window.spoken))[2], (await page.evaluate(() => window.spoken))[1], 'resumes the sentence it paused in');
      await page.locator('[data-listen="rate"]').selectOption('1.5');
      await page.waitForFunction(() => window.rates.at(-1) === 1.5);
      await page.locator('[data-listen="stop"]').click();
      assert.equal(await page.locator('[data-listen-player]').isVisible(), false);
      assert.equal(await highlighted(), null);
      // The speed is remembered.
      await page.reload();
      assert.equal(await page.locator('[data-listen="rate"]').inputValue(), '1.5');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('stops, and says so, when the browser cannot speak after all', async () => {
    const { context, page, problems } = await openPage(browser, {
      init: `(${fakeSpeech})(); window.speechAutoEnd = false;
        const speak = window.speechSynthesis.speak;
        window.speechSynthesis.speak = (u) => { speak(u); setTimeout(() => u.onerror({ error: 'synthesis-failed' }), 0); };`,
    });
    try {
      await page.goto(servers.default.url + 'faq/');
      await page.locator('[data-listen="play"]').click();
      const status = page.locator('.listen-status');
      await status.filter({ hasText: 'Your browser could not read this aloud.' }).waitFor();
      assert.equal(await page.evaluate(() => window.spoken.length), 1, 'no running through the page in silence');
      assert.equal(await page.locator('.listen-next').isVisible(), false);
      await page.locator('[data-listen="stop"]').click();
      assert.equal(await page.locator('[data-listen-player]').isVisible(), false);
      assert.ok(page.url().endsWith('/faq/'));
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('reads a quotation as one', async () => {
    const { context, page } = await openPage(browser, { init: fakeSpeech });
    try {
      await page.goto(servers.default.url + 'experts/');
      await page.locator('[data-listen="play"]').click();
      await page.waitForFunction(() => !document.querySelector('.listen-next').hidden);
      const spoken = await page.evaluate(() => window.spoken);
      assert.ok(spoken.includes('Quote: “Reach out to your ex in 30 days.'), JSON.stringify(spoken));
      assert.ok(spoken.includes('Here, use this happy reminder text template — quick!” End of quote.'), JSON.stringify(spoken));
    } finally {
      await context.close();
    }
  });
});

describe('print', () => {
  test('the cheat sheet prints on one page with the site\'s name and address', async () => {
    const { context, page } = await openPage(browser);
    try {
      await page.goto(servers.default.url + 'cheat-sheet/');
      for (const format of ['A4', 'Letter']) {
        const pdf = (await page.pdf({ format, printBackground: false })).toString('latin1');
        const pages = (pdf.match(/\/Type\s*\/Page[^s]/g) ?? []).length;
        assert.equal(pages, 1, `${format}: ${pages} pages`);
        assert.ok(pdf.includes('/URI (https://cairn-ex.netlify.app/cheat-sheet/)'), 'the page address is on it');
      }
      await page.emulateMedia({ media: 'print' });
      assert.equal(
        (await page.locator('.print-source').textContent()).trim(),
        'Why You Should Not Contact An Ex Who Dumped You · https://cairn-ex.netlify.app/cheat-sheet/',
      );
      assert.equal(await page.locator('.print-source').isVisible(), true);
    } finally {
      await context.close();
    }
  });

  for (const theme of ['default', 'paper']) {
    test(`${theme}: a printed page spells out its links, whole, and uses no accent colour`, async () => {
      const { context, page } = await openPage(browser, { colorScheme: 'dark' });
      try {
        await page.goto(servers[theme].url + 'faq/');
        await page.emulateMedia({ media: 'print' });
        const after = await page.locator('.faq-answer a[href="/reasons/focus/"]').evaluate((a) => getComputedStyle(a, '::after').content);
        assert.equal(after, '" (cairn-ex.netlify.app/\u200breasons/\u200bfocus/\u200b)"');
        const colours = await page.evaluate(() => {
          const seen = new Set();
          for (const el of document.querySelectorAll('main *, .site-footer *')) {
            const style = getComputedStyle(el);
            if (style.display === 'none') continue;
            for (const c of [style.color, style.borderLeftColor, style.backgroundColor, getComputedStyle(el, '::first-letter').color]) seen.add(c);
          }
          return [...seen];
        });
        for (const colour of colours) {
          const [r, g, b] = (colour.match(/[\d.]+/g) ?? ['0', '0', '0']).map(Number);
          assert.ok(Math.max(r, g, b) - Math.min(r, g, b) < 16, `a colour in print: ${colour}`);
        }
        assert.equal(await page.locator('.print-source').isVisible(), true);
      } finally {
        await context.close();
      }
    });
  }
});

describe('the page not found', () => {
  test('offers search, every part of the guide and the quiz', async () => {
    const { context, page } = await openPage(browser, { width: 390 });
    try {
      const response = await page.goto(servers.default.url + 'no-such-page/');
      assert.equal(response.status(), 404);
      assert.equal(await page.locator('#cairn-search-input').isVisible(), true);
      const links = await page.locator('.not-found-parts a').evaluateAll((all) => all.map((a) => a.getAttribute('href')));
      assert.deepEqual(links, GUIDE.map((p) => `/${p}`));
    } finally {
      await context.close();
    }
  });
});

describe('controls and cards stand out', () => {
  for (const theme of ['default', 'paper']) {
    for (const scheme of ['light', 'dark']) {
      test(`${theme} ${scheme}: borders of controls and cards have 3:1 contrast or more`, async () => {
        const { context, page } = await openPage(browser, { colorScheme: scheme });
        try {
          const checks = {
            '': ['.header-button.theme-toggle', 'a.start-reading', '.listen-play'],
            'reasons/healing/': ['.prev-next a', '.search-input'],
            'faq/': ['[data-faq-toggle]', '.call-to-action'],
            'quiz/should-i-contact-my-ex/': ['.quiz-answer'],
          };
          for (const [path, selectors] of Object.entries(checks)) {
            await page.goto(servers[theme].url + path);
            const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
            for (const selector of selectors) {
              const border = await page.locator(selector).first().evaluate((el) => getComputedStyle(el).borderTopColor);
              const ratio = contrast(border, bg);
              assert.ok(ratio >= 3, `${path} ${selector}: ${border} on ${bg} is ${ratio.toFixed(2)}:1`);
            }
          }
        } finally {
          await context.close();
        }
      });
    }
  }
});

describe('axe, everywhere a reader goes', () => {
  for (const theme of ['default', 'paper']) {
    for (const scheme of ['light', 'dark']) {
      test(`${theme} ${scheme}: phone pages with the menu open, the contents open and the player showing`, async () => {
        const { context, page, problems } = await openPage(browser, { colorScheme: scheme, width: 390, init: fakeSpeech });
        try {
          for (const path of ['', 'reasons/healing/', 'faq/', 'quiz/should-i-contact-my-ex/', 'no-such-page/']) {
            await page.goto(servers[theme].url + path);
            await page.locator('[data-header-toggle="menu"]').click();
            const contents = page.locator('.series-contents summary');
            if (await contents.count()) await contents.click();
            const play = page.locator('[data-listen="play"]');
            if (await play.count()) {
              await play.click();
              await page.waitForFunction(() => !document.querySelector('[data-listen-player]').hidden);
            }
            const violations = await axe(page);
            assert.deepEqual(violations, [], `${path}: ${JSON.stringify(violations, null, 2)}`);
          }
          assert.deepEqual(problems.filter((p) => !p.includes('status of 404')), []);
        } finally {
          await context.close();
        }
      });
    }
  }
});
