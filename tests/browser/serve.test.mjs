// cairn serve in a real browser: pages reload by themselves after an edit, a stylesheet
// change is swapped without a reload, a build error shows over the page (accessibly, under
// the CSP) and goes away once fixed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { axe, launch, openPage, repoRoot, screenshotDir } from './harness.mjs';

const WAIT = 20_000;
let browser;
let server;
let root;

/** Starts `cairn serve --port 0` on a copy of the shipped site; resolves to its URL. */
function startServe(siteRoot) {
  const bin = process.env.CAIRN_BIN ?? join(repoRoot, 'target', 'debug', 'cairn');
  if (!process.env.CAIRN_BIN && !existsSync(bin)) {
    execFileSync('cargo', ['build', '--quiet'], { cwd: repoRoot, stdio: 'inherit' });
  }
  const child = spawn(bin, ['serve', '--port', '0', '--root', siteRoot], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('cairn serve printed no address')), WAIT);
    let seen = '';
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      const match = seen.match(/Serving at (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1], stop: () => child.kill() });
      }
    });
    child.on('exit', () => reject(new Error('cairn serve exited')));
  });
}

/** Waits until the page's reload script is connected to the server. */
function live(page) {
  return page.locator('html[data-cairn-live]').waitFor({ state: 'attached', timeout: WAIT });
}

function edit(rel, change) {
  const path = join(root, rel);
  writeFileSync(path, change(readFileSync(path, 'utf8')));
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'cairn-serve-'));
  for (const part of ['content', 'themes', 'static', 'templates', 'site.yaml']) {
    const from = join(repoRoot, part);
    if (existsSync(from)) cpSync(from, join(root, part), { recursive: true });
  }
  browser = await launch();
  server = await startServe(root);
});

after(async () => {
  server?.stop();
  await browser?.close();
});

test('an edit reloads the page; a stylesheet change is swapped in place', async () => {
  const { context, page, problems } = await openPage(browser);
  try {
    await page.goto(server.url + 'reasons/healing/');
    // Wait until the reload script is connected, then edit the page.
    await live(page);
    edit('content/reasons/healing.md', (text) => `${text}\nA sentence added while serving.\n`);
    // While the reloaded document loads it may have no body yet.
    await page.waitForFunction(() => document.body?.textContent.includes('A sentence added while serving.'), null, { timeout: WAIT });

    // Mark the document: a full reload would lose the mark.
    await page.evaluate(() => { window.cairnMark = 'kept'; });
    await live(page);
    edit('themes/default/static/css/site.css', (text) => `${text}\nbody { outline: 7px solid rgb(1, 2, 3); }\n`);
    await page.waitForFunction(() => getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)', null, { timeout: WAIT });
    assert.equal(await page.evaluate(() => window.cairnMark), 'kept', 'the stylesheet was swapped without a reload');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a build error shows over the last good page and goes away when fixed', async () => {
  const { context, page, problems } = await openPage(browser);
  try {
    await page.goto(server.url + 'faq/');
    await live(page);
    const original = readFileSync(join(root, 'content/faq.md'), 'utf8');
    edit('content/faq.md', (text) => text.replace(/^title: .*$/m, 'title: [unclosed <script>alert(1)</script>'));
    const overlay = page.locator('.cairn-overlay');
    await overlay.waitFor({ timeout: WAIT });
    const text = await overlay.innerText();
    assert.match(text, /Build failed: 1 error/);
    assert.match(text, /content\/faq\.md:2:8/);
    assert.match(text, /title: \[unclosed <script>alert\(1\)<\/script>/, 'the source line is shown as text');
    assert.equal(await page.locator('.cairn-overlay script').count(), 0, 'nothing from the site runs');
    // The last good page is still there under the overlay.
    assert.ok(await page.locator('main h1').count() > 0);
    const violations = await axe(page);
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
    await page.screenshot({ path: join(screenshotDir(), 'serve-error-overlay.png') });
    // The overlay can be hidden by keyboard.
    await page.locator('.cairn-overlay-close').focus();
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('.cairn-overlay-host').isHidden(), true);

    writeFileSync(join(root, 'content/faq.md'), original);
    await page.waitForFunction(() => !document.querySelector('.cairn-overlay-host'), null, { timeout: WAIT });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a page opened while the build is broken shows the errors at once', async () => {
  const { context, page } = await openPage(browser);
  const original = readFileSync(join(root, 'content/reasons/focus.md'), 'utf8');
  try {
    edit('content/reasons/focus.md', (text) => text.replace(/^title: .*$/m, 'titel: Typo'));
    // Give the rebuild a moment, then open a page.
    await new Promise((r) => setTimeout(r, 500));
    await page.goto(server.url);
    await page.locator('.cairn-overlay').waitFor({ timeout: WAIT });
    assert.match(await page.locator('.cairn-overlay').innerText(), /content\/reasons\/focus\.md:\d+:\d+/);
  } finally {
    writeFileSync(join(root, 'content/reasons/focus.md'), original);
    await context.close();
  }
});
