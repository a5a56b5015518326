// Search benchmark: cairn's index and search.js beside Pagefind, on deterministic synthetic
// sites of 1,000 and 10,000 pages. Not run by CI.
//
//   cd bench && npm install && node search.mjs [--sizes 1000,10000] [--cairn-only]
//
// `--cairn-only` skips Pagefind (its columns stay empty): for quick runs while tuning.
// The binaries are built into $CARGO_TARGET_DIR (default: the repository's target/); set
// CAIRN_BENCH_BIN to a folder holding `cairn` and `examples/` to use those as they are.
// For each size it generates the site (examples/synth_site.rs), builds it with cairn, times
// cairn's search stage alone (examples/search_index.rs), runs Pagefind over the same output,
// then measures in headless Chromium, for 20 fixed queries with a cold cache each, the bytes
// and requests a first query costs and the time to results; and the same queries again once
// their files are loaded. The server gzips text (HTML, CSS, JS, JSON) as hosts do.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');
const sizesArg = process.argv.indexOf('--sizes');
const SIZES = sizesArg > 0 ? process.argv[sizesArg + 1].split(',').map(Number) : [1000, 10000];
const CAIRN_ONLY = process.argv.includes('--cairn-only');

// Words of the synthetic vocabulary (see examples/synth_site.rs): one word, two words, a
// prefix being typed, a typo.
const QUERIES = [
  ['one word', 'garden'], ['one word', 'museum'], ['one word', 'energy'], ['one word', 'careful'],
  ['one word', 'bridge'], ['one word', 'signal'], ['one word', 'winter'], ['one word', 'teacher'],
  ['two words', 'garden bridge'], ['two words', 'museum history'], ['two words', 'energy network'],
  ['two words', 'winter journey'], ['two words', 'careful teacher'], ['two words', 'signal process'],
  ['prefix', 'muse'], ['prefix', 'journ'], ['prefix', 'librar'],
  ['typo', 'gardne'], ['typo', 'musuem'], ['typo', 'teachr'],
];

function run(command, args, options = {}) {
  const started = process.hrtime.bigint();
  const out = execFileSync(command, args, { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'], ...options });
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, out: out.toString() };
}

function walk(dir) {
  let files = 0;
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = walk(path);
      files += inner.files;
      bytes += inner.bytes;
    } else {
      files += 1;
      bytes += statSync(path).size;
    }
  }
  return { files, bytes };
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.xml': 'application/xml', '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
};
const COMPRESSED = new Set(['.html', '.css', '.js', '.json', '.xml', '.svg']);

/** A static server on loopback; gzips text like a host; optional CSP. */
function serve(dir, csp) {
  const cache = new Map();
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    let file = join(dir, path);
    if (!file.startsWith(dir)) return res.writeHead(400).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) return res.writeHead(404).end('not found');
    const type = extname(file);
    const headers = { 'Content-Type': TYPES[type] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' };
    if (csp) headers['Content-Security-Policy'] = csp;
    let body = readFileSync(file);
    if (COMPRESSED.has(type) && /gzip/.test(req.headers['accept-encoding'] ?? '')) {
      if (!cache.has(file)) cache.set(file, gzipSync(body));
      body = cache.get(file);
      headers['Content-Encoding'] = 'gzip';
    }
    res.writeHead(200, headers).end(body);
  });
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () =>
      done({ url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((c) => server.close(c)) }),
    ),
  );
}

function policy(dir) {
  const line = readFileSync(join(dir, '_headers'), 'utf8').split('\n').find((l) => l.includes('Content-Security-Policy:'));
  return line ? line.split(':').slice(1).join(':').trim() : undefined;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : NaN;
};

/**
 * Bytes (as transferred) and requests a page makes from `start` on. The page's favicon is
 * left out: the browser fetches it after the load event, so it fell into some counts and
 * not others.
 */
function counter(page) {
  const requests = [];
  page.on('requestfinished', (request) => {
    if (!/\/favicon\.[a-z]+$/.test(new URL(request.url()).pathname)) requests.push(request);
  });
  return async () => {
    let bytes = 0;
    for (const request of requests) {
      const sizes = await request.sizes();
      bytes += sizes.responseBodySize + sizes.responseHeadersSize;
    }
    return { bytes, requests: requests.length, urls: requests.map((r) => new URL(r.url()).pathname) };
  };
}

async function cairnQuery(browser, url, query) {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(url + 's000/', { waitUntil: 'load' });
    const count = counter(page);
    await page.evaluate(() => {
      const list = document.querySelector('#cairn-search-results');
      document.addEventListener('input', () => { window.__t0 = performance.now(); }, true);
      new MutationObserver(() => { if (list.dataset.query) window.__t1 = performance.now(); })
        .observe(list, { attributes: true, attributeFilter: ['data-query'] });
    });
    await page.focus('#cairn-search-input');
    await page.waitForFunction(() => Boolean(document.querySelector('[data-search]').cairnSearch));
    const measure = async (q) => {
      await page.fill('#cairn-search-input', q);
      await page.waitForFunction((q) => document.querySelector('#cairn-search-results').dataset.query === q, q);
      return page.evaluate(() => ({
        ms: window.__t1 - window.__t0,
        took: Number(document.querySelector('#cairn-search-results').dataset.took),
        results: document.querySelectorAll('#cairn-search-results [role=group]').length,
        status: document.querySelector('[data-search] [role=status]').textContent,
      }));
    };
    const cold = await measure(query);
    const transfer = await count();
    await page.fill('#cairn-search-input', '');
    await page.waitForTimeout(100);
    // Forget the cold run's marks, so the warm run is timed on its own render.
    await page.evaluate(() => {
      document.querySelector('#cairn-search-results').removeAttribute('data-query');
      window.__t1 = undefined;
    });
    const warm = await measure(query);
    return { cold, warm, ...transfer };
  } finally {
    await context.close();
  }
}

async function pagefindQuery(browser, url, query) {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(url + 's000/', { waitUntil: 'load' });
    const count = counter(page);
    const search = (q) =>
      page.evaluate(async (q) => {
        const started = performance.now();
        const pagefind = await import('/pagefind/pagefind.js');
        const found = await pagefind.search(q);
        // Pagefind's UI shows five results with excerpts at first: load their fragments.
        const shown = await Promise.all(found.results.slice(0, 5).map((r) => r.data()));
        return { ms: performance.now() - started, results: found.results.length, shown: shown.length };
      }, q);
    const cold = await search(query);
    const transfer = await count();
    const warm = await search(query);
    return { cold, warm, ...transfer };
  } finally {
    await context.close();
  }
}

const SKIPPED = { bytes: NaN, requests: NaN, cold: { ms: NaN, results: NaN }, warm: { ms: NaN } };
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function main() {
  const bin = process.env.CAIRN_BENCH_BIN ?? join(process.env.CARGO_TARGET_DIR ?? join(repo, 'target'), 'release');
  if (!process.env.CAIRN_BENCH_BIN) {
    run('cargo', ['build', '--release', '--quiet', '--example', 'synth_site', '--example', 'search_index']);
    run('cargo', ['build', '--release', '--quiet']);
  }
  const cairn = join(bin, 'cairn');
  const pagefindBin = join(here, 'node_modules', '.bin', 'pagefind');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  const report = [];
  try {
    for (const size of SIZES) {
      const root = join(here, 'sites', `synth-${size}`);
      const output = join(root, 'public');
      run(join(bin, 'examples', 'synth_site'), ['--pages', String(size), '--out', root]);
      const build = run(cairn, ['build', '--root', root]);
      const stage = JSON.parse(run(join(bin, 'examples', 'search_index'), ['--root', root]).out);
      const cairnDisk = walk(join(output, 'search'));
      const listing = statSync(join(output, 'search', 'index.html')).size;
      const pagefind = CAIRN_ONLY
        ? { ms: NaN }
        : run(pagefindBin, ['--site', output, '--output-subdir', 'pagefind', '--silent']);
      const pagefindDisk = CAIRN_ONLY ? { files: NaN, bytes: NaN } : walk(join(output, 'pagefind'));
      console.error(`${size} pages: cairn build ${build.ms.toFixed(0)} ms, search stage ${stage.ms} ms; pagefind ${pagefind.ms.toFixed(0)} ms`);

      const cairnServer = await serve(output, policy(output));
      const pagefindServer = await serve(output);
      const rows = [];
      try {
        for (const [kind, query] of QUERIES) {
          const c = await cairnQuery(browser, cairnServer.url, query);
          const p = CAIRN_ONLY ? SKIPPED : await pagefindQuery(browser, pagefindServer.url, query);
          rows.push({ kind, query, cairn: c, pagefind: p });
          console.error(`  ${query.padEnd(16)} cairn ${kb(c.bytes)} ${c.requests} req ${c.cold.ms.toFixed(0)}/${c.warm.took} ms "${c.cold.status}" | pagefind ${kb(p.bytes)} ${p.requests} req ${p.cold.ms.toFixed(0)}/${p.warm.ms.toFixed(0)} ms ${p.cold.results} results`);
        }
      } finally {
        await cairnServer.close();
        await pagefindServer.close();
      }
      report.push({ size, build, stage, cairnDisk, listing, pagefind, pagefindDisk, rows });
    }
  } finally {
    await browser.close();
  }
  print(report);
}

function print(report) {
  const lines = [];
  for (const { size, build, stage, cairnDisk, listing, pagefind, pagefindDisk, rows } of report) {
    const c = rows.map((r) => r.cairn);
    const p = rows.map((r) => r.pagefind);
    const typos = rows.filter((r) => r.kind === 'typo');
    lines.push(`\n### ${size.toLocaleString('en')} pages\n`);
    lines.push('| | cairn | Pagefind |');
    lines.push('| --- | --- | --- |');
    lines.push(`| index build time | ${stage.ms} ms (search stage; whole build ${(build.ms / 1000).toFixed(1)} s) | ${(pagefind.ms / 1000).toFixed(1)} s |`);
    lines.push(`| index on disk | ${mb(cairnDisk.bytes - listing)} in ${cairnDisk.files - 1} files | ${mb(pagefindDisk.bytes)} in ${pagefindDisk.files} files |`);
    lines.push(`| first query, median bytes | ${kb(median(c.map((x) => x.bytes)))} | ${kb(median(p.map((x) => x.bytes)))} |`);
    lines.push(`| first query, largest bytes | ${kb(Math.max(...c.map((x) => x.bytes)))} | ${kb(Math.max(...p.map((x) => x.bytes)))} |`);
    lines.push(`| first query, requests (median / most) | ${median(c.map((x) => x.requests))} / ${Math.max(...c.map((x) => x.requests))} | ${median(p.map((x) => x.requests))} / ${Math.max(...p.map((x) => x.requests))} |`);
    lines.push(`| first query, keystroke → results (median, cold) | ${median(c.map((x) => x.cold.ms)).toFixed(0)} ms | ${median(p.map((x) => x.cold.ms)).toFixed(0)} ms |`);
    lines.push(`| files loaded, keystroke → results (median) | ${median(c.map((x) => x.warm.ms)).toFixed(0)} ms (incl. the 30 ms debounce; search + render ${median(c.map((x) => x.warm.took))} ms) | ${median(p.map((x) => x.warm.ms)).toFixed(0)} ms (search + 5 fragments) |`);
    lines.push(`| typo queries with results | ${typos.filter((r) => r.cairn.cold.results > 0).length} of ${typos.length} | ${typos.filter((r) => r.pagefind.cold.results > 0).length} of ${typos.length} |`);
    lines.push('\n| query | kind | cairn bytes | req | results | Pagefind bytes | req | results |');
    lines.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const r of rows) {
      lines.push(`| ${r.query} | ${r.kind} | ${kb(r.cairn.bytes)} | ${r.cairn.requests} | ${r.cairn.cold.status} | ${kb(r.pagefind.bytes)} | ${r.pagefind.requests} | ${r.pagefind.cold.results} |`);
    }
  }
  console.log(lines.join('\n'));
}

await main();
