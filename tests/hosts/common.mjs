// Shared by the host tests: what the built site's _headers says a host must send for a path,
// raw HTTP requests that keep every header line, and a crawl of every page in Chromium.
import { execFileSync, spawn } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { openPage } from '../browser/harness.mjs';

/** The cairn binary under test: $CAIRN_BIN (the run script sets it to an installed cairn). */
export function cairnBin() {
  if (!process.env.CAIRN_BIN) throw new Error('set CAIRN_BIN to the cairn binary to test');
  return process.env.CAIRN_BIN;
}

/** Runs cairn; throws with its stderr when it fails. */
export function cairn(args, options = {}) {
  return execFileSync(cairnBin(), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** `*` matches any run of characters, the rest literally: how Netlify and Cloudflare Pages read _headers. */
function matches(pattern, path) {
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(path);
}

/**
 * The headers the site's _headers gives `path` (relative to the published folder): every
 * matching rule's, and the hosts' default Cache-Control (which revalidates) when no rule sets
 * one. Names are lowercased.
 */
export function expectedHeaders(publicDir, path) {
  const rules = [];
  for (const line of readFileSync(join(publicDir, '_headers'), 'utf8').split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    if (line.startsWith('  ')) {
      const at = line.indexOf(': ');
      rules.at(-1).headers.push([line.slice(2, at).toLowerCase(), line.slice(at + 2)]);
    } else {
      rules.push({ pattern: line, headers: [] });
    }
  }
  const headers = rules.filter((rule) => matches(rule.pattern, path)).flatMap((rule) => rule.headers);
  if (!headers.some(([name]) => name === 'cache-control')) {
    headers.push(['cache-control', 'public, max-age=0, must-revalidate']);
  }
  return headers;
}

/** GET without following redirects; resolves to { status, headers: [[name, value]…] (lowercased names, every line kept), body }. */
export function get(url) {
  return new Promise((done, fail) => {
    const req = request(url, { headers: { 'Accept-Encoding': 'identity' } }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        const headers = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          headers.push([res.rawHeaders[i].toLowerCase(), res.rawHeaders[i + 1]]);
        }
        done({ status: res.statusCode, headers, body: Buffer.concat(chunks) });
      });
    });
    req.on('error', fail);
    req.end();
  });
}

/** Each of `expected`'s headers comes exactly once in `response`, with its value. */
export function assertHeaders(assert, response, expected, what) {
  for (const [name, value] of expected) {
    const found = response.headers.filter(([n]) => n === name).map(([, v]) => v);
    assert.deepEqual(found, [value], `${what}: ${name}`);
  }
}

/** Every HTML file of the site, as a path relative to its root: `x/index.html` as `x/`. */
export function pagePaths(publicDir) {
  const paths = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const file = join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (name.endsWith('.html')) {
        const rel = relative(publicDir, file).split(sep).join('/');
        paths.push(rel === 'index.html' ? '' : rel.replace(/(^|\/)index\.html$/, '$1'));
      }
    }
  };
  walk(publicDir);
  return paths.sort();
}

/** `promise`, or a failure naming `what` once `ms` have passed: a hang fails the test, named. */
export async function within(ms, promise, what) {
  let timer;
  const deadline = new Promise((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${what}: no answer in ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Opens every page under `base` (which ends with `/`) in Chromium, each in a tab of its own
 * (an alias page moves on to its target by itself), and returns the problems: CSP
 * violations, console and page errors, failed requests and statuses other than 200.
 */
export async function crawl(browser, base, paths) {
  // openPage's context reports CSP violations as console errors in every tab.
  const { context, page: first, problems } = await within(30000, openPage(browser), 'opening a browser context');
  await within(30000, first.close(), 'closing the first tab');
  for (const path of paths) {
    const page = await within(30000, context.newPage(), `opening a tab for ${base + path}`);
    // A failed load is reported below with its URL; Chromium's own favicon.ico request (an
    // alias page links no icon) is not the site's and is not a page request.
    page.on('console', (message) => {
      const text = message.text();
      if (message.type() === 'error' && !text.startsWith('Failed to load resource:')) {
        problems.push(`${path}: console: ${text}`);
      }
    });
    page.on('pageerror', (error) => problems.push(`${path}: page error: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${path}: ${response.status()} ${response.url()}`);
    });
    // A request cut short by the tab closing or moving on (a favicon, a fetch) is no failure.
    page.on('requestfailed', (req) => {
      const error = req.failure()?.errorText;
      if (error !== 'net::ERR_ABORTED') problems.push(`${path}: failed: ${req.url()} ${error}`);
    });
    const response = await page.goto(base + path, { waitUntil: 'load' });
    if (response?.status() !== 200) problems.push(`${path}: ${response?.status()} for ${base + path}`);
    // An alias page moves on by itself: the tab is closed once it has arrived, not while it
    // is on its way (a tab closed mid-navigation is the likeliest cause of the close that
    // hung in CI). Reading the page fails when it is already on its way.
    const refresh = await page
      .evaluate(() => document.querySelector('meta[http-equiv="refresh"]') !== null)
      .catch(() => true);
    if (refresh) {
      await page
        .waitForURL((url) => url.href !== base + path, { timeout: 10000, waitUntil: 'load' })
        .catch(() => problems.push(`${path}: did not move on within 10 s`));
    }
    // Closing a tab has no timeout of its own in Playwright, and in CI a tab has twice not
    // closed (after its page had loaded, with nothing reported): that says nothing of the
    // site, so the crawl moves on, and a tab that cannot be opened still fails, named.
    await closeQuietly(page, `the tab of ${base + path}`);
  }
  await closeQuietly(context, 'the browser context');
  return problems;
}

/** Closes a tab or context, waiting at most 10 s; a close that hangs is logged, not failed. */
async function closeQuietly(target, what) {
  const closing = target.close();
  // Settled later, if ever, after the crawl has moved on: not an unhandled rejection then.
  closing.catch(() => {});
  try {
    await within(10000, closing, `closing ${what}`);
  } catch (error) {
    console.log(`# ${error.message}; going on`);
  }
}

/** Starts `command` and resolves once `url` answers over HTTP; rejects if it exits first. */
export async function startServing(command, args, url, { env, cwd, timeout = 60000 } = {}) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let exited = null;
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  child.on('exit', (code) => (exited = code));
  const deadline = Date.now() + timeout;
  for (;;) {
    if (exited !== null) throw new Error(`${command} exited with ${exited}:\n${output}`);
    try {
      await get(url);
      return { child, output: () => output };
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGTERM');
        throw new Error(`${command} did not answer at ${url} in time:\n${output}`);
      }
      await new Promise((done) => setTimeout(done, 200));
    }
  }
}

/** Stops a child started with `startServing` and waits for it to exit. */
export function stop(started) {
  if (!started) return Promise.resolve();
  const { child } = started;
  if (child.exitCode !== null) return Promise.resolve();
  child.removeAllListeners('exit');
  return new Promise((done) => {
    child.on('exit', done);
    child.kill('SIGTERM');
  });
}
