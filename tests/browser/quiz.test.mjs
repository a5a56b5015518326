// The decision quiz: every path of the shipped flow walked by clicking, with JavaScript and
// without; Back, reload and deep links; focus and announcements; keyboard only; axe-core.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { axe, buildShippedSite, launch, openPage, screenshotDir, serve } from './harness.mjs';

const QUIZ = 'quiz/should-i-contact-my-ex/';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The compiled flow the build wrote, with lookups by id. */
function loadFlow(output) {
  const flow = JSON.parse(readFileSync(join(output, QUIZ, 'flow.json'), 'utf8'));
  flow.byId = new Map();
  for (const q of flow.questions) flow.byId.set(q.id, { kind: 'question', ...q });
  for (const o of flow.outcomes) flow.byId.set(o.id, { kind: 'outcome', ...o });
  return flow;
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

/** Waits until quiz.js has loaded the flow and taken over the page. */
async function quizReady(page) {
  await page.waitForFunction(() => history.state && typeof history.state.quizNode === 'string');
}

/** Waits until the page's `h1` reads `text` (the quiz moved to that node). */
async function headingIs(page, text) {
  await page.waitForFunction((q) => document.querySelector('h1').textContent === q, text);
}

async function activeId(page) {
  return page.evaluate(() => document.activeElement && document.activeElement.id);
}

function progressText(question) {
  return `Question ${question.step} of at most ${question.max_steps}`;
}

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

  test('has at least six questions, five outcomes, and a path to every outcome', () => {
    assert.ok(flow.questions.length >= 6);
    assert.ok(flow.outcomes.length >= 5);
    const reached = new Set(paths.map((p) => p.outcome.id));
    assert.deepEqual([...reached].sort(), flow.outcomes.map((o) => o.id).sort());
  });

  test('every path, clicked without JavaScript, reaches its outcome through real pages', async () => {
    const { context, page, problems } = await openPage(browser, { javaScript: false });
    try {
      for (const { steps, outcome } of paths) {
        await page.goto(server.url + QUIZ);
        for (const { node, label } of steps) {
          assert.equal(pathOf(page.url()), node.url);
          assert.equal(await page.locator('h1').innerText(), node.question);
          assert.equal(await page.locator('.quiz-progress').innerText(), progressText(node));
          await Promise.all([
            page.waitForNavigation(),
            page.locator('.quiz-answers a', { hasText: label }).filter({ hasText: new RegExp(`^${escape(label)}$`) }).click(),
          ]);
        }
        assert.equal(pathOf(page.url()), outcome.url, steps.map((s) => s.label).join(' → '));
        assert.equal(await page.locator('h1').innerText(), outcome.title);
        const read = await page.locator('.quiz-read a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
        assert.deepEqual(read, outcome.read.map((r) => r.url));
        assert.equal(await page.locator('.quiz-restart a').getAttribute('href'), flow.questions[0].url);
        // Without JavaScript there is no memory of the answers: nothing to show.
        assert.equal(await page.locator('.quiz-path').count(), 0);
      }
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('every path, clicked with JavaScript, runs in place with the same numbers and outcome', async () => {
    const { context, page, problems } = await openPage(browser);
    try {
      for (const { steps, outcome } of paths) {
        await page.goto(server.url + QUIZ);
        await quizReady(page);
        await page.evaluate(() => {
          window.notReloaded = true;
        });
        for (const { node, label } of steps) {
          assert.equal(pathOf(page.url()), node.url);
          assert.equal(await page.locator('h1').innerText(), node.question);
          assert.equal(await page.locator('.quiz-progress').innerText(), progressText(node));
          await answer(page, label);
        }
        const route = steps.map((s) => s.label).join(' → ');
        assert.equal(pathOf(page.url()), outcome.url, route);
        assert.equal(new URL(page.url()).search + new URL(page.url()).hash, '', 'the URL carries only the node');
        assert.equal(await page.locator('h1').innerText(), outcome.title);
        assert.equal(await page.evaluate(() => window.notReloaded), true, `${route}: no page load`);
        assert.equal(await activeId(page), 'quiz-heading');
        const given = await page.locator('.quiz-path li .quiz-path-answer').allInnerTexts();
        assert.deepEqual(given, steps.map((s) => s.label), route);
        const read = await page.locator('.quiz-read a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
        assert.deepEqual(read, outcome.read.map((r) => r.url));
        assert.match(await page.title(), new RegExp(`^${escape(outcome.title)} · `));
      }
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('the JavaScript view matches the static page of the same node', async () => {
    const { context, page } = await openPage(browser);
    const { context: plainContext, page: plain } = await openPage(browser, { javaScript: false });
    try {
      const path = paths.find((p) => p.steps.length === 5) ?? paths[paths.length - 1];
      await page.goto(server.url + QUIZ);
      await quizReady(page);
      const nodes = [...path.steps.map((s) => s.node), path.outcome];
      for (const [index, node] of nodes.entries()) {
        if (index > 0) await answer(page, path.steps[index - 1].label);
        await plain.goto(new URL(node.url, server.url).href);
        // The rendered text of each block, answers given left out (static pages have none).
        const text = (p) => p.locator('.quiz-node').evaluate((el) =>
          [...el.children]
            .filter((child) => !child.classList.contains('quiz-path'))
            .map((child) => child.innerText.replace(/\s+/g, ' ').trim())
            .join(' | '));
        assert.equal(await text(page), await text(plain), node.id);
      }
    } finally {
      await context.close();
      await plainContext.close();
    }
  });

  test('Back goes one step back, Forward returns, and the live region announces each step', async () => {
    const { context, page, problems } = await openPage(browser);
    try {
      await page.goto(server.url + QUIZ);
      await quizReady(page);
      const path = paths.find((p) => p.steps.length >= 3);
      const [first, second, third] = path.steps;
      await answer(page, first.label);
      await expectAnnounced(page, `${progressText(second.node)}: ${second.node.question}`);
      await answer(page, second.label);
      await expectAnnounced(page, `${progressText(third.node)}: ${third.node.question}`);

      await page.goBack();
      await headingIs(page, second.node.question);
      assert.equal(pathOf(page.url()), second.node.url);
      assert.equal(await activeId(page), 'quiz-heading');
      await expectAnnounced(page, `${progressText(second.node)}: ${second.node.question}`);

      await page.goBack();
      await headingIs(page, first.node.question);
      assert.equal(pathOf(page.url()), first.node.url);

      await page.goForward();
      await headingIs(page, second.node.question);
      assert.equal(pathOf(page.url()), second.node.url);

      // Answering again after going back replaces the rest of the trail.
      await answer(page, second.label);
      for (const step of path.steps.slice(2)) await answer(page, step.label);
      const given = await page.locator('.quiz-path .quiz-path-answer').allInnerTexts();
      assert.deepEqual(given, path.steps.map((s) => s.label));
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('reload and deep links land on the same node, with and without JavaScript', async () => {
    for (const javaScript of [true, false]) {
      const { context, page, problems } = await openPage(browser, { javaScript });
      try {
        const deep = flow.questions[flow.questions.length - 1];
        const response = await page.goto(new URL(deep.url, server.url).href);
        assert.equal(response.status(), 200);
        assert.equal(await page.locator('h1').innerText(), deep.question);
        assert.equal(await page.locator('.quiz-progress').innerText(), progressText(deep));

        if (javaScript) {
          await quizReady(page);
          await answer(page, deep.answers[0].label);
        } else {
          await Promise.all([page.waitForNavigation(), page.locator('.quiz-answers a').first().click()]);
        }
        const outcome = flow.byId.get(deep.answers[0].next);
        await page.reload();
        assert.equal(pathOf(page.url()), outcome.url);
        assert.equal(await page.locator('h1').innerText(), outcome.title);
        if (javaScript) {
          await quizReady(page);
          // After a reload the answers are gone: they were only ever in memory.
          assert.equal(await page.locator('.quiz-path').count(), 0);
        }
        await page.goBack();
        await headingIs(page, deep.question);
        assert.equal(pathOf(page.url()), deep.url);
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
      assert.equal(pathOf(page.url()), path.outcome.url);
      assert.equal(await page.locator('h1').innerText(), path.outcome.title);

      await page.locator('.quiz-restart a').focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction((url) => location.pathname === url, flow.questions[0].url);
      assert.equal(await page.locator('h1').innerText(), flow.questions[0].question);
      assert.equal(await activeId(page), 'quiz-heading');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  for (const scheme of ['light', 'dark']) {
    test(`axe finds no violations on question and outcome pages (${scheme})`, async () => {
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
      // The view quiz.js builds, with the answers given, is checked too.
      const { context, page } = await openPage(browser, { colorScheme: scheme });
      try {
        await page.goto(server.url + QUIZ);
        await quizReady(page);
        for (const { label } of paths[paths.length - 1].steps) await answer(page, label);
        const violations = await axe(page);
        assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
      } finally {
        await context.close();
      }
    });
  }

  test('screenshots of a question and an outcome at 390 and 1280 px', async () => {
    const dir = screenshotDir();
    for (const width of [390, 1280]) {
      for (const [name, node] of [['question', flow.questions[0]], ['outcome', flow.outcomes[flow.outcomes.length - 1]]]) {
        const { context, page } = await openPage(browser, { width, height: 900 });
        await page.goto(new URL(node.url, server.url).href);
        await page.screenshot({ path: join(dir, `quiz-${name}-${width}.png`), fullPage: true });
        await context.close();
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
    assert.equal(pathOf(page.url()), `/guide/${QUIZ}${answerTo.next}/`);
    await page.goBack();
    await headingIs(page, first.question);
    assert.equal(pathOf(page.url()), `/guide/${QUIZ}`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await server.close();
  }
});

/** Clicks the answer with exactly this label and waits for quiz.js to show the next node. */
async function answer(page, label) {
  const before = await page.evaluate(() => history.state && history.state.quizDepth);
  await page.locator('.quiz-answers a').filter({ hasText: new RegExp(`^${escape(label)}$`) }).click();
  await page.waitForFunction(
    (depth) => history.state && history.state.quizDepth !== depth && document.activeElement && document.activeElement.id === 'quiz-heading',
    before,
  );
}

async function expectAnnounced(page, message) {
  await page.waitForFunction((m) => document.querySelector('.quiz-status').textContent === m, message);
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
      for (const node of [flow.questions[0], flow.outcomes[0]]) {
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
