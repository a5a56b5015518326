// Shared harness for the browser tests: build a site with cairn, serve it on loopback with the
// site's Content-Security-Policy, drive Debian's Chromium with playwright-core, run axe-core.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { cpSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '..', '..');
const require = createRequire(import.meta.url);

/** The policy cairn wrote into the built site's `_headers`: one policy for hosts and tests. */
export function sitePolicy(dir) {
  const headers = readFileSync(join(dir, '_headers'), 'utf8');
  const line = headers.split('\n').find((l) => l.trim().startsWith('Content-Security-Policy:'));
  if (!line) throw new Error(`no Content-Security-Policy in ${dir}/_headers`);
  return line.split(':').slice(1).join(':').trim();
}

/** The cairn binary: $CAIRN_BIN, or the debug build (built on first use). */
function cairnBin() {
  if (process.env.CAIRN_BIN) return process.env.CAIRN_BIN;
  const bin = join(repoRoot, 'target', 'debug', 'cairn');
  if (!existsSync(bin)) execFileSync('cargo', ['build', '--quiet'], { cwd: repoRoot, stdio: 'inherit' });
  return bin;
}

/**
 * Copies the shipped site (site.yaml, content, themes, static) to a temp folder, optionally
 * changing site.yaml, builds it, and returns the folder and its output.
 */
export function buildShippedSite({ theme, baseUrl, edit } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'cairn-site-'));
  for (const part of ['content', 'themes', 'static', 'templates']) {
    const from = join(repoRoot, part);
    if (existsSync(from)) cpSync(from, join(root, part), { recursive: true });
  }
  let config = readFileSync(join(repoRoot, 'site.yaml'), 'utf8');
  if (theme) config = config.replace(/^theme: .*$/m, `theme: ${theme}`);
  writeFileSync(join(root, 'site.yaml'), config);
  if (edit) edit(root);
  const args = ['build', '--root', root];
  if (baseUrl) args.push('--base-url', baseUrl);
  execFileSync(cairnBin(), args, { stdio: ['ignore', 'ignore', 'inherit'] });
  return { root, output: join(root, 'public') };
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
};

/**
 * Serves `dir` on 127.0.0.1 (an ephemeral port) under `basePath`, with the CSP header, the
 * site's 404.html for missing files, and no caching. Resolves to { url, close, requests }.
 */
export function serve(dir, { basePath = '/', csp = sitePolicy(dir) } = {}) {
  const requests = [];
  const server = createServer((req, res) => {
    requests.push(req.url);
    const url = new URL(req.url, 'http://localhost');
    let path = decodeURIComponent(url.pathname);
    const headers = { 'Content-Security-Policy': csp, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
    if (!path.startsWith(basePath)) {
      res.writeHead(404, headers).end('not under the base path');
      return;
    }
    path = normalize('/' + path.slice(basePath.length));
    let file = join(dir, path);
    if (!file.startsWith(dir)) {
      res.writeHead(400, headers).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      const notFound = join(dir, '404.html');
      res.writeHead(404, { ...headers, 'Content-Type': TYPES['.html'] });
      res.end(existsSync(notFound) ? readFileSync(notFound) : 'not found');
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((done) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      done({
        url: `http://127.0.0.1:${port}${basePath}`,
        requests,
        close: () => new Promise((closed) => server.close(closed)),
      });
    });
  });
}

/** Launches headless Chromium with the flags this machine needs. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/**
 * Opens a page that records console errors, page errors and CSP violations into `problems`.
 * `colorScheme` is 'light' or 'dark'; `javaScript` false disables scripts.
 */
export async function openPage(browser, { colorScheme = 'light', javaScript = true, width = 1280, height = 900, init } = {}) {
  const context = await browser.newContext({ colorScheme, javaScriptEnabled: javaScript, viewport: { width, height } });
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return { context, page, problems };
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core (WCAG 2 A and AA rules) on the page; returns its violations. */
export async function axe(page) {
  // Evaluated as a function body, not injected as a <script>: the CSP would block that.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
    }));
  });
}

/** Folder for screenshots, made on first use; override with $SCREENSHOTS. */
export function screenshotDir() {
  const dir = process.env.SCREENSHOTS ?? join(repoRoot, 'target', 'screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}
