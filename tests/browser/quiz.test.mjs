// The decision quiz: every path of the shipped flow walked by clicking, with JavaScript and
// without; the entry page; Back on every step; history kept to one entry; "Exit this page"
// by click and by Escape three times; the printable answers; keyboard only; axe-core.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { axe, buildShippedSite, launch, openPage, screenshotDir, serve } from './harness.mjs';

const QUIZ = 'quiz/should-i-contact-my-ex/';
const TITLE = 'Should I contact my ex?';
/** Where the shipped flow's "Exit this page" leads; answered locally by `neutralSite`. */
const EXIT = 'https://www.bbc.co.uk/weather';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The compiled flow the build wrote, with lookups by id and each node's parent questions. */
function loadFlow(output) {
  const flow = JSON.parse(readFileSync(join(output, QUIZ, 'flow.json'), 'utf8'));
  flow.byId = new Map();
  for (const q of flow.questions) flow.byId.set(q.id, { kind: 'question', ...q });
  for (const o of flow.outcomes) flow.byId.set(o.id, { kind: 'outcome', ...o });
  flow.parents = new Map();
  for (const q of flow.questions) {
    for (const a of q.answers) {
      if (!flow.parents.has(a.next)) flow.parents.set(a.next, new Set());
      flow.parents.get(a.next).add(q.id);
    }
  }
  return flow;
}

/** Where a Back link without JavaScript must lead: the one parent, else the first question. */
function staticBack(flow, id) {
  const parents = flow.parents.get(id);
  return parents && parents.size === 1 ? [...parents][0] : flow.start;
}

/** Every path from the first question to an outcome: [{ steps: [{ node, label }], outcome }]. */
function allPaths(flow) {
  const paths = [];
  const walk = (id, steps) => {
    const node = flow.byId.get(id);
    if (node.kind === 'outcome') {
      paths.push({ steps, outcome: node });
      return;
    }
    for (const answer of node.answers) walk(answer.next, [...steps, { node, label: answer.label }]);
  };
  walk(flow.start, []);
  return paths;
}

/** The path of a URL below the server root, e.g. `/quiz/x/motive/`. */
const pathOf = (url) => new URL(url).pathname;

/** Answers requests to the neutral exit page locally: the tests never leave the machine. */
async function neutralSite(context) {
  await context.route(`${EXIT}**`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Weather</title><h1>Weather</h1>' }));
}

/** Waits until quiz.js has loaded the flow and taken over the page. */
async function quizReady(page) {
  await page.waitForSelector('article[data-quiz][data-quiz-ready]', { state: 'attached' });
}

/** Waits until the node's heading reads `text` (the quiz moved to that node). */
async function headingIs(page, text) {
  await page.waitForFunction((q) => document.querySelector('#quiz-heading').textContent === q, text);
}

async function activeId(page) {
  return page.evaluate(() => document.activeElement && document.activeElement.id);
}

/** The heading a node is shown with: its question, or its title. */
const headingOf = (node) => (node.kind === 'outcome' ? node.title : node.question);

describe('the shipped quiz', () => {
  let server;
  let flow;
  let paths;
  before(async () => {
    const { output } = buildShippedSite();
    server = await serve(output);
    flow = loadFlow(output);
    paths = allPaths(flow);
  });
  after(async () => server?.close());

  test('has at least eight questions, eleven outcomes, and a path to every outcome', () => {
    assert.ok(flow.questions.length >= 8);
    assert.ok(flow.outcomes.length >= 11);
    const reached = new Set(paths.map((p) => p.outcome.id));
    assert.deepEqual([...reached].sort(), flow.outcomes.map((o) => o.id).sort());
  });

  test('the entry page has the quiz as its title and heading, then a gentle safety check', async () => {
    for (const javaScript of [true, false]) {
      const { context, page, problems } = await openPage(browser, { javaScript });
      try {
        await page.goto(server.url + QUIZ);
        if (javaScript) await quizReady(page);
        assert.match(await page.title(), new RegExp(`^${escape(TITLE)} · `));
        assert.equal(await page.locator('h1').innerText(), TITLE);
        assert.equal(await page.locator('h1').count(), 1);
        assert.match(await page.locator('.quiz-intro').innerText(), /two minutes/);
        assert.equal(await page.locator('.quiz-lead').innerText(), 'First, a safety check');
        assert.equal(await page.locator('h2#quiz-heading').innerText(), flow.questions[0].question);
        // Indexable: the one quiz page search engines may show.
        assert.equal(await page.locator('meta[name=robots]').count(), 0);
        // What the page says about history is true of the page as it runs.
        const history = await page.locator('.quiz-history').innerText();
        if (javaScript) assert.match(history, /not saved/);
        else assert.match(history, /Without JavaScript, each answer opens a new page/);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    }
    // Every other question and every outcome stays out of search engines.
    const { context, page } = await openPage(browser, { javaScript: false });
    try {
      for (const node of [...flow.questions.slice(1), ...flow.outcomes]) {
        await page.goto(new URL(node.url, server.url).href);
        assert.equal(await page.locator('meta[name=robots]').getAttribute('content'), 'noindex', node.id);
      }
    } finally {
      await context.close();
    }
  });

  test('every path, clicked without JavaScript, reaches its outcome through real pages', async () => {
    const { context, page, problems } = await openPage(browser, { javaScript: false });
    try {
      for (const { steps, outcome } of paths) {
        await page.goto(server.url + QUIZ);
        for (const { node, label } of steps) {
          assert.equal(pathOf(page.url()), node.url);
          assert.equal(await page.locator('#quiz-heading').innerText(), node.question);
          if (node.id !== flow.start) {
            assert.equal(await page.locator('#quiz-step').innerText(), `Question ${node.step}`);
            assert.equal(await page.locator('progress').getAttribute('max'), String(node.max_steps));
          }
          await Promise.all([page.waitForNavigation(), answerLink(page, label).click()]);
        }
        assert.equal(pathOf(page.url()), outcome.url, steps.map((s) => s.label).join(' → '));
        assert.equal(await page.locator('h1').innerText(), outcome.title);
        const read = await page.locator('.quiz-read a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
        assert.deepEqual(read, outcome.read.map((r) => r.url));
        assert.equal(await page.locator('.quiz-restart a').getAttribute('href'), flow.questions[0].url);
        // The page cannot know the answers given; it lists them only when one path leads here.
        const listed = await page.locator('.quiz-path .quiz-path-answer').allInnerTexts();
        assert.deepEqual(listed, outcome.path.map((p) => p.answer));
        if (listed.length) assert.deepEqual(listed, steps.map((s) => s.label));
      }
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('every path, clicked with JavaScript, runs in place in one history entry', async () => {
    const { context, page, problems } = await openPage(browser);
    try {
      await page.goto(server.url);
      for (const { steps, outcome } of paths) {
        await page.goto(server.url + QUIZ);
        await quizReady(page);
        const length = await page.evaluate(() => history.length);
        const title = await page.title();
        await page.evaluate(() => {
          window.notReloaded = true;
        });
        for (const [index, { node, label }] of steps.entries()) {
          assert.equal(await page.locator('#quiz-heading').innerText(), node.question);
          // With JavaScript, the question's number is the answers given plus one.
          if (index > 0) assert.equal(await page.locator('#quiz-step').innerText(), `Question ${index + 1}`);
          await answer(page, label);
        }
        const route = steps.map((s) => s.label).join(' → ');
        // The address, the title and the history are those of the page the quiz opened on.
        assert.equal(page.url(), server.url + QUIZ, route);
        assert.equal(await page.title(), title, route);
        assert.equal(await page.evaluate(() => history.length), length, route);
        assert.equal(await page.locator('h1').innerText(), outcome.title);
        assert.equal(await page.evaluate(() => window.notReloaded), true, `${route}: no page load`);
        assert.equal(await activeId(page), 'quiz-heading');
        const given = await page.locator('.quiz-path li .quiz-path-answer').allInnerTexts();
        assert.deepEqual(given, steps.map((s) => s.label), route);
        const read = await page.locator('.quiz-read a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
        assert.deepEqual(read, outcome.read.map((r) => r.url));
      }
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('history length is unchanged after answering three questions with JavaScript', async () => {
    const { context, page, problems } = await openPage(browser);
    try {
      await page.goto(server.url);
      await page.goto(server.url + QUIZ);
      await quizReady(page);
      const before = await page.evaluate(() => ({ length: history.length, state: history.state }));
      const path = paths.find((p) => p.steps.length >= 4);
      for (const { label } of path.steps.slice(0, 3)) await answer(page, label);
      const afterAnswers = await page.evaluate(() => ({ length: history.length, state: history.state }));
      assert.deepEqual(afterAnswers, before);
      assert.equal(page.url(), server.url + QUIZ);
      // The browser's Back leaves the quiz at once: there is no step of it to go back to.
      await page.goBack();
      assert.equal(page.url(), server.url);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('the JavaScript view matches the static page of the same node', async () => {
    const { context, page } = await openPage(browser);
    const { context: plainContext, page: plain } = await openPage(browser, { javaScript: false });
    try {
      // A path on which every question is at its shortest distance: the numbers agree.
      const path = paths.find((p) => p.steps.length === 5 && p.steps.every((s, i) => s.node.step === i + 1));
      await page.goto(server.url + QUIZ);
      await quizReady(page);
      const nodes = [...path.steps.map((s) => s.node), path.outcome];
      // The rendered text of each block, leaving out what only one of them can show.
      const text = (p) => p.locator('.quiz-node').evaluate((el) =>
        [...el.children]
          .filter((child) => !child.matches('.quiz-path, .quiz-history'))
          .map((child) => {
            const hint = child.querySelector('.quiz-exit-hint');
            return child.innerText.replace(hint ? hint.innerText : '', '').replace(/\s+/g, ' ').trim();
          })
          .join(' | '));
      for (const [index, node] of nodes.entries()) {
        if (index > 0) await answer(page, path.steps[index - 1].label);
        await plain.goto(new URL(node.url, server.url).href);
        assert.equal(await text(page), await text(plain), node.id);
        const attributes = (p) => p.locator('.quiz-node a').evaluateAll((links) =>
          links.map((a) => `${a.getAttribute('href')} ${a.getAttribute('data-quiz-next')}`));
        assert.deepEqual(await attributes(page), await attributes(plain), node.id);
      }
    } finally {
      await context.close();
      await plainContext.close();
    }
  });

  test('Back works on every step with JavaScript: to the previous answer', async () => {
    const { context, page, problems } = await openPage(browser);
    try {
      for (const { steps, outcome } of paths) {
        await page.goto(server.url + QUIZ);
        await quizReady(page);
        assert.equal(await page.locator('.quiz-back').count(), 0, 'no Back on the first question');
        const length = await page.evaluate(() => history.length);
        // Answer, go Back, check the previous question is shown, answer again: every step.
        for (const [index, { node, label }] of steps.entries()) {
          await answer(page, label);
          const next = index + 1 < steps.length ? steps[index + 1].node : outcome;
          await headingIs(page, headingOf(next));
          await back(page);
          await headingIs(page, node.question);
          assert.equal(await activeId(page), 'quiz-heading');
          await expectAnnounced(page, node.question);
          if (index > 0) assert.equal(await page.locator('#quiz-step').innerText(), `Question ${index + 1}`);
          await answer(page, label);
        }
        assert.equal(await page.locator('h1').innerText(), outcome.title);
        // Back from the outcome, twice: the trail of answers shrinks with each step.
        await back(page);
        await headingIs(page, steps[steps.length - 1].node.question);
        if (steps.length >= 2) {
          await back(page);
          await headingIs(page, steps[steps.length - 2].node.question);
          for (const step of steps.slice(-2)) await answer(page, step.label);
          const given = await page.locator('.quiz-path .quiz-path-answer').allInnerTexts();
          assert.deepEqual(given, steps.map((s) => s.label));
        }
        assert.equal(await page.evaluate(() => history.length), length);
      }
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('Back works on every step without JavaScript: to the one parent, else to the start', async () => {
    const { context, page, problems } = await openPage(browser, { javaScript: false });
    try {
      for (const node of [...flow.questions, ...flow.outcomes]) {
        await page.goto(new URL(node.url, server.url).href);
        if (node.id === flow.start) {
          assert.equal(await page.locator('.quiz-back').count(), 0);
          continue;
        }
        const target = flow.byId.get(staticBack(flow, node.id));
        assert.equal(await page.locator('.quiz-back a').innerText(), 'Back');
        await Promise.all([page.waitForNavigation(), page.locator('.quiz-back a').click()]);
        assert.equal(pathOf(page.url()), target.url, node.id);
        assert.equal(await page.locator('#quiz-heading').innerText(), target.question);
      }
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('a page opened deep in the quiz runs from there, with and without JavaScript', async () => {
    for (const javaScript of [true, false]) {
      const { context, page, problems } = await openPage(browser, { javaScript });
      try {
        const deep = flow.byId.get('interest');
        const response = await page.goto(new URL(deep.url, server.url).href);
        assert.equal(response.status(), 200);
        assert.equal(await page.locator('h1').innerText(), deep.question);
        assert.equal(await page.locator('#quiz-step').innerText(), `Question ${deep.step}`);
        const outcome = flow.byId.get(deep.answers[0].next);
        if (javaScript) {
          await quizReady(page);
          await answer(page, deep.answers[0].label);
          // Back with no earlier answer given here: where the static page's Back leads.
          await back(page);
          await headingIs(page, deep.question);
          await back(page);
          await headingIs(page, flow.byId.get(staticBack(flow, deep.id)).question);
          // A reload forgets the answers: it shows the page that was opened.
          await page.reload();
          await quizReady(page);
          assert.equal(await page.locator('h1').innerText(), deep.question);
        } else {
          await Promise.all([page.waitForNavigation(), page.locator('.quiz-answers a').first().click()]);
          assert.equal(pathOf(page.url()), outcome.url);
          assert.equal(await page.locator('h1').innerText(), outcome.title);
          await page.goBack();
          assert.equal(pathOf(page.url()), deep.url);
        }
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    }
  });

  test('works from the keyboard alone, and Start over begins again', async () => {
    const { context, page, problems } = await openPage(browser);
    try {
      await page.goto(server.url + QUIZ);
      await quizReady(page);
      const path = paths.find((p) => p.steps.length >= 2);
      for (const { node, label } of path.steps) {
        // From the heading (or the page top), Tab through to the wanted answer.
        const index = node.answers.findIndex((a) => a.label === label);
        let tabs = 0;
        while (!(await page.evaluate((i) => document.activeElement === document.querySelectorAll('.quiz-answer')[i], index))) {
          await page.keyboard.press('Tab');
          assert.ok(++tabs < 40, `cannot reach answer "${label}" with Tab`);
        }
        await page.keyboard.press('Enter');
        await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'quiz-heading');
      }
      assert.equal(await page.locator('h1').innerText(), path.outcome.title);

      await page.locator('.quiz-restart a').focus();
      await page.keyboard.press('Enter');
      await headingIs(page, flow.questions[0].question);
      assert.equal(await page.locator('h1').innerText(), TITLE);
      assert.equal(await activeId(page), 'quiz-heading');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  describe('Exit this page', () => {
    const sensitive = () => [...flow.questions, ...flow.outcomes].filter((n) => n.sensitive).map((n) => n.id);

    test('shows on the nodes the flow marks sensitive, and only there', async () => {
      assert.deepEqual(sensitive().sort(), ['safety', 'stay-safe']);
      const { context, page } = await openPage(browser, { javaScript: false });
      try {
        for (const node of [...flow.questions, ...flow.outcomes]) {
          await page.goto(new URL(node.url, server.url).href);
          const exits = await page.locator('a.quiz-exit-link').count();
          assert.equal(exits, node.sensitive ? 1 : 0, node.id);
          if (node.sensitive) {
            // Without JavaScript: a plain link to the neutral page, the first control in the content.
            assert.equal(await page.locator('a.quiz-exit-link').getAttribute('href'), EXIT);
            assert.equal(await page.locator('a.quiz-exit-link').innerText(), 'Exit this page');
            const first = await page.locator('main a, main button').first().getAttribute('class');
            assert.equal(first, 'quiz-exit-link');
          }
        }
      } finally {
        await context.close();
      }
    });

    /** Opens the home page, then the quiz; returns the history length with the quiz in it. */
    async function openFromHome(page, url = server.url + QUIZ) {
      await page.goto(server.url);
      await page.goto(url);
      return page.evaluate(() => history.length);
    }

    /** After an exit: the neutral page, the history no longer, and the quiz not in it. */
    async function expectLeft(page, length) {
      await page.waitForURL(`${EXIT}**`);
      assert.equal(await page.title(), 'Weather');
      assert.equal(await page.evaluate(() => history.length), length, 'the quiz page was replaced, not added to');
      await page.goBack();
      assert.equal(page.url(), server.url, 'Back goes to the page before the quiz');
      await page.goForward();
      assert.match(page.url(), new RegExp(`^${escape(EXIT)}`));
    }

    test('by click, with JavaScript: the quiz page is replaced in the history', async () => {
      const { context, page, problems } = await openPage(browser);
      await neutralSite(context);
      try {
        const length = await openFromHome(page);
        await quizReady(page);
        await page.locator('a.quiz-exit-link').click();
        await expectLeft(page, length);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });

    test('by Escape three times, on a question and on an outcome reached in place', async () => {
      for (const where of ['question', 'outcome']) {
        const { context, page, problems } = await openPage(browser);
        await neutralSite(context);
        try {
          const length = await openFromHome(page);
          await quizReady(page);
          if (where === 'outcome') {
            await answer(page, 'Yes');
            assert.equal(await page.locator('a.quiz-exit-link').count(), 1);
          }
          await page.keyboard.press('Escape');
          await expectAnnounced(page, 'Press Escape twice more to exit this page.');
          await page.keyboard.press('Escape');
          await page.keyboard.press('Escape');
          await expectLeft(page, length);
          assert.deepEqual(problems, []);
        } finally {
          await context.close();
        }
      }
    });

    test('by Escape three times even when the flow data cannot load', async () => {
      const { context, page } = await openPage(browser);
      await neutralSite(context);
      await context.route('**/flow.json', (route) => route.abort());
      try {
        const length = await openFromHome(page);
        await page.waitForSelector('.quiz-exit-hint');
        for (let i = 0; i < 3; i++) await page.keyboard.press('Escape');
        await expectLeft(page, length);
      } finally {
        await context.close();
      }
    });

    test('Escape does nothing on a page that is not sensitive', async () => {
      const { context, page, problems } = await openPage(browser);
      await neutralSite(context);
      try {
        await page.goto(server.url + QUIZ);
        await quizReady(page);
        await answer(page, 'No');
        for (let i = 0; i < 3; i++) await page.keyboard.press('Escape');
        assert.equal(page.url(), server.url + QUIZ);
        assert.equal(await page.locator('#quiz-heading').innerText(), flow.byId.get('logistics').question);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });

    test('by keyboard: reachable with Tab, and taken with Enter', async () => {
      const { context, page } = await openPage(browser);
      await neutralSite(context);
      try {
        const length = await openFromHome(page);
        await quizReady(page);
        let tabs = 0;
        while (!(await page.evaluate(() => document.activeElement?.classList.contains('quiz-exit-link')))) {
          await page.keyboard.press('Tab');
          assert.ok(++tabs < 30, 'cannot reach "Exit this page" with Tab');
        }
        await page.keyboard.press('Enter');
        await expectLeft(page, length);
      } finally {
        await context.close();
      }
    });

    test('without JavaScript it is a plain link that leaves', async () => {
      const { context, page } = await openPage(browser, { javaScript: false });
      await neutralSite(context);
      try {
        await openFromHome(page);
        await page.locator('a.quiz-exit-link').click();
        await page.waitForURL(`${EXIT}**`);
        assert.equal(await page.title(), 'Weather');
      } finally {
        await context.close();
      }
    });
  });

  test('sensitive outcomes show the flow\'s help links', async () => {
    const { context, page } = await openPage(browser, { javaScript: false });
    try {
      for (const outcome of flow.outcomes) {
        await page.goto(new URL(outcome.url, server.url).href);
        const links = await page.locator('.quiz-support a').evaluateAll((as) => as.map((a) => a.href));
        assert.deepEqual(links, outcome.sensitive ? flow.help.map((h) => h.url) : [], outcome.id);
      }
      assert.ok(flow.help.some((h) => h.url === 'https://findahelpline.com/'));
    } finally {
      await context.close();
    }
  });

  describe('Your answers, printed', () => {
    /** The longest path to each outcome: the most answers to fit on the page. */
    const longest = () => {
      const byOutcome = new Map();
      for (const path of paths) {
        const known = byOutcome.get(path.outcome.id);
        if (!known || known.steps.length < path.steps.length) byOutcome.set(path.outcome.id, path);
      }
      return [...byOutcome.values()];
    };

    test('"Print your answers" prints the outcome and the answers, on one A4 and one Letter page', async () => {
      const { context, page, problems } = await openPage(browser);
      try {
        for (const { steps, outcome } of longest()) {
          await page.goto(server.url + QUIZ);
          await quizReady(page);
          for (const { label } of steps) await answer(page, label);
          await page.evaluate(() => {
            window.printed = 0;
            window.print = () => {
              window.printed += 1;
            };
          });
          await page.locator('button.quiz-print').click();
          assert.equal(await page.evaluate(() => window.printed), 1);
          await page.emulateMedia({ media: 'print' });
          // On paper: the outcome and the answers; none of the page's controls.
          assert.equal(await page.locator('h1').isVisible(), true);
          assert.equal(await page.locator('.quiz-body').isVisible(), true);
          assert.equal(await page.locator('.quiz-path').isVisible(), true);
          for (const hidden of ['.site-header', '.site-footer', '.quiz-back', '.quiz-print', '.quiz-restart', '.quiz-read']) {
            if (await page.locator(hidden).count()) assert.equal(await page.locator(hidden).first().isVisible(), false, hidden);
          }
          if (outcome.sensitive) {
            assert.equal(await page.locator('a.quiz-exit-link').isVisible(), false);
            // On paper a link is its address: the help links spell theirs out.
            const printed = await page.locator('.quiz-support a').first()
              .evaluate((a) => getComputedStyle(a, '::after').content);
            assert.match(printed, /https:\/\/findahelpline\.com\//);
          }
          for (const format of ['A4', 'Letter']) {
            const pdf = await page.pdf({ format, printBackground: false });
            const count = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
            assert.equal(count, 1, `${outcome.id}, ${format}: ${count} pages`);
          }
          await page.emulateMedia({ media: 'screen' });
        }
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });

    test('without JavaScript, an outcome one path reaches prints that path', async () => {
      const { context, page } = await openPage(browser, { javaScript: false });
      try {
        const outcome = flow.outcomes.find((o) => o.path.length >= 3);
        assert.ok(outcome, 'an outcome with one path');
        await page.goto(new URL(outcome.url, server.url).href);
        await page.emulateMedia({ media: 'print' });
        assert.equal(await page.locator('.quiz-path').isVisible(), true);
        assert.deepEqual(await page.locator('.quiz-path-answer').allInnerTexts(), outcome.path.map((p) => p.answer));
        const pdf = await page.pdf({ format: 'A4' });
        assert.equal((pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length, 1);
      } finally {
        await context.close();
      }
    });
  });

  for (const scheme of ['light', 'dark']) {
    test(`axe finds no violations on any quiz page (${scheme})`, async () => {
      // Static pages, as loaded: quiz.js only listens until an answer is clicked, so this is
      // also the page without JavaScript (axe itself needs page scripts to run).
      for (const node of [...flow.questions, ...flow.outcomes]) {
        const { context, page, problems } = await openPage(browser, { colorScheme: scheme });
        try {
          await page.goto(new URL(node.url, server.url).href);
          await quizReady(page);
          const violations = await axe(page);
          assert.deepEqual(violations, [], `${node.id}: ${JSON.stringify(violations, null, 2)}`);
          assert.deepEqual(problems, []);
        } finally {
          await context.close();
        }
      }
      // Every view quiz.js builds, along the longest path and on the sensitive outcome.
      const { context, page } = await openPage(browser, { colorScheme: scheme });
      try {
        const longest = paths.reduce((a, b) => (b.steps.length > a.steps.length ? b : a));
        for (const path of [longest, paths.find((p) => p.outcome.sensitive)]) {
          await page.goto(server.url + QUIZ);
          await quizReady(page);
          for (const { label } of path.steps) {
            await answer(page, label);
            const violations = await axe(page);
            assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
          }
          await back(page);
          assert.deepEqual(await axe(page), []);
          if (await page.locator('.quiz-name a').count()) {
            await moved(page, () => page.locator('.quiz-name a').click());
            await headingIs(page, flow.questions[0].question);
            assert.deepEqual(await axe(page), []);
          }
        }
      } finally {
        await context.close();
      }
    });
  }

  test('screenshots at 320, 390 and 1280 px, light and dark', async () => {
    const dir = screenshotDir();
    const longest = paths.reduce((a, b) => (b.steps.length > a.steps.length ? b : a));
    for (const scheme of ['light', 'dark']) {
      for (const width of [320, 390, 1280]) {
        const { context, page } = await openPage(browser, { width, height: 900, colorScheme: scheme });
        try {
          await page.goto(server.url + QUIZ);
          await quizReady(page);
          await page.screenshot({ path: join(dir, `quiz-entry-${width}-${scheme}.png`), fullPage: true });
          for (const { label } of longest.steps.slice(0, 3)) await answer(page, label);
          await page.screenshot({ path: join(dir, `quiz-question-${width}-${scheme}.png`), fullPage: true });
          for (const { label } of longest.steps.slice(3)) await answer(page, label);
          await page.screenshot({ path: join(dir, `quiz-outcome-${width}-${scheme}.png`), fullPage: true });
          await page.goto(server.url + QUIZ);
          await quizReady(page);
          await answer(page, 'Yes');
          await page.screenshot({ path: join(dir, `quiz-safety-${width}-${scheme}.png`), fullPage: true });
          if (width === 390 && scheme === 'light') {
            await page.emulateMedia({ media: 'print' });
            await page.screenshot({ path: join(dir, 'quiz-print.png'), fullPage: true });
          }
        } finally {
          await context.close();
        }
      }
    }
  });
});

test('the quiz runs in place under a sub-path too', async () => {
  const { output } = buildShippedSite({ baseUrl: 'https://example.org/guide/' });
  const server = await serve(output, { basePath: '/guide/' });
  const flow = loadFlow(output);
  const { context, page, problems } = await openPage(browser);
  try {
    await page.goto(server.url + QUIZ);
    await quizReady(page);
    const first = flow.questions[0];
    const answerTo = first.answers[first.answers.length - 1];
    await answer(page, answerTo.label);
    assert.equal(await page.locator('#quiz-heading').innerText(), flow.byId.get(answerTo.next).question);
    assert.equal(await page.locator('.quiz-back a').getAttribute('href'), `/guide/${QUIZ}`);
    assert.equal(pathOf(page.url()), `/guide/${QUIZ}`);
    await back(page);
    await headingIs(page, first.question);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await server.close();
  }
});

/** The answer link with exactly this label. */
function answerLink(page, label) {
  return page.locator('.quiz-answers a').filter({ hasText: new RegExp(`^${escape(label)}$`) });
}

/** Clicks the answer with exactly this label and waits for quiz.js to show the next node. */
async function answer(page, label) {
  await moved(page, () => answerLink(page, label).click());
}

/** Clicks the in-page Back link and waits for quiz.js to show the node it leads to. */
async function back(page) {
  await moved(page, () => page.locator('.quiz-back a').click());
}

/** Runs `act` and waits until a new node's heading has the focus. */
async function moved(page, act) {
  await page.evaluate(() => {
    const node = document.querySelector('.quiz-node');
    if (node) node.dataset.old = 'true';
  });
  await act();
  await page.waitForFunction(() => {
    const node = document.querySelector('.quiz-node');
    return node && !node.dataset.old && document.activeElement && document.activeElement.id === 'quiz-heading';
  });
}

async function expectAnnounced(page, message) {
  await page.waitForFunction((m) => document.querySelector('.quiz-status').textContent.endsWith(m), message);
}

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test('quiz pages in the paper theme (which extends default) have no axe violations', async () => {
  const { output } = buildShippedSite({ theme: 'paper' });
  const server = await serve(output);
  const flow = loadFlow(output);
  try {
    for (const scheme of ['light', 'dark']) {
      for (const node of [flow.questions[0], flow.questions[1], flow.outcomes[0]]) {
        const { context, page, problems } = await openPage(browser, { colorScheme: scheme });
        try {
          await page.goto(new URL(node.url, server.url).href);
          await quizReady(page);
          const violations = await axe(page);
          assert.deepEqual(violations, [], `${node.id}: ${JSON.stringify(violations, null, 2)}`);
          assert.deepEqual(problems, []);
        } finally {
          await context.close();
        }
      }
    }
  } finally {
    await server.close();
  }
});
