// nginx (Debian's package) serving a built site with the server block `cairn init --host
// nginx` writes: every header and cache rule over HTTP, then every page in Chromium with no
// CSP violation, at the root and under /guide/ behind the proxy location the guide gives.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildShippedSite, launch, openPage } from '../browser/harness.mjs';
import { assertHeaders, cairn, crawl, expectedHeaders, freePort, get, pagePaths, startServing, stop } from './common.mjs';

const NGINX = process.env.NGINX ?? '/usr/sbin/nginx';
const work = mkdtempSync(join(tmpdir(), 'cairn-nginx-'));
const ports = {};
let nginx;
let browser;
let root;
let guide;

/** The demo site with an alias, built for `baseUrl`, readable by nginx's workers. */
function demoSite(baseUrl) {
  const built = buildShippedSite({
    baseUrl,
    edit: (dir) => {
      const faq = join(dir, 'content', 'faq.md');
      writeFileSync(faq, readFileSync(faq, 'utf8').replace(/^---\n/, '---\naliases: [/questions/]\n'));
    },
  });
  chmodSync(built.root, 0o755);
  return built;
}

/** The proxy location the guide prints (a test of the crate checks that the guide shows this block). */
function proxyLocation(prefix, upstream) {
  return `location ${prefix} {\n    proxy_pass ${upstream};\n}\n`;
}

before(async () => {
  chmodSync(work, 0o755);
  // The server block a new site gets, used as it is but for the port and the folder.
  cairn(['init', join(work, 'new-site'), '--host', 'nginx'], { env: { ...process.env, XDG_CACHE_HOME: join(work, 'cache') } });
  const block = readFileSync(join(work, 'new-site', 'nginx.conf'), 'utf8');
  const server = (port, dir) => {
    const changed = block.replace('listen 80;', `listen 127.0.0.1:${port};`).replace(/root \/var\/www\/[^;]+;/, `root ${dir};`);
    assert.ok(changed.includes(`listen 127.0.0.1:${port};`) && changed.includes(`root ${dir};`), block);
    return changed;
  };
  for (const name of ['root', 'upstream', 'proxy']) ports[name] = await freePort();
  root = demoSite(`http://127.0.0.1:${ports.root}/`);
  guide = demoSite(`http://127.0.0.1:${ports.proxy}/guide/`);
  for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(work, temp));
  const config = join(work, 'nginx.conf');
  writeFileSync(
    config,
    `worker_processes 1;
pid ${work}/nginx.pid;
error_log ${work}/error.log warn;
events {}
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path ${work}/body;
    proxy_temp_path ${work}/proxy;
    fastcgi_temp_path ${work}/fastcgi;
    uwsgi_temp_path ${work}/uwsgi;
    scgi_temp_path ${work}/scgi;

${server(ports.root, root.output)}
${server(ports.upstream, guide.output)}
# The server that answers for the site's address, with the site under /guide/.
server {
    listen 127.0.0.1:${ports.proxy};
    server_name proxy.test;
${proxyLocation('/guide/', `http://127.0.0.1:${ports.upstream}/`)}
}
}
`,
  );
  // `nginx -t` first, so a bad block fails with nginx's own message.
  execFileSync(NGINX, ['-t', '-q', '-p', work, '-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  nginx = await startServing(NGINX, ['-p', work, '-c', config, '-g', 'daemon off;'], `http://127.0.0.1:${ports.root}/`);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await stop(nginx);
  rmSync(work, { recursive: true, force: true });
  for (const site of [root, guide]) if (site) rmSync(site.root, { recursive: true, force: true });
});

/** One file of each kind the site publishes, as paths relative to its root. */
function samples(output) {
  const css = readdirSync(join(output, 'assets', 'css')).find((name) => name.startsWith('site.'));
  const js = readdirSync(join(output, 'assets', 'js')).find((name) => name.endsWith('.js'));
  const bins = readdirSync(join(output, 'search')).filter((name) => name.endsWith('.bin'));
  // The feed exists only when some page has a date (the shipped guide's pages have none).
  const feed = existsSync(join(output, 'atom.xml')) ? { feed: 'atom.xml' } : {};
  return {
    page: 'faq/',
    home: '',
    ...feed,
    sitemap: 'sitemap.xml',
    css: `assets/css/${css}`,
    js: `assets/js/${js}`,
    term: `search/${bins.find((name) => name.startsWith('t'))}`,
    chunk: `search/${bins.find((name) => name.startsWith('d'))}`,
    manifest: 'search/index.json',
    listing: 'search/',
    alias: 'questions/',
  };
}

for (const where of ['root', 'guide']) {
  describe(`nginx, site at ${where === 'root' ? 'the root' : '/guide/ behind a proxy'}`, () => {
    const site = () => (where === 'root' ? root : guide);
    const base = () => (where === 'root' ? `http://127.0.0.1:${ports.root}/` : `http://127.0.0.1:${ports.proxy}/guide/`);

    test('every file gets the headers and the one cache rule _headers gives it', async () => {
      for (const [kind, path] of Object.entries(samples(site().output))) {
        const response = await get(base() + path);
        assert.equal(response.status, 200, `${kind} ${path}`);
        const expected = expectedHeaders(site().output, `/${path}`);
        assertHeaders(assert, response, expected, `${kind} ${path}`);
        const cache = response.headers.filter(([name]) => name === 'cache-control');
        assert.equal(cache.length, 1, `${kind}: ${JSON.stringify(cache)}`);
        const hashed = path.startsWith('assets/') || path.endsWith('.bin');
        assert.equal(cache[0][1], hashed ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate', kind);
      }
    });

    test('a missing page is the 404 page, with status 404 and the same headers', async () => {
      for (const path of ['no-such-page/', 'assets/css/gone.css', 'search/t999-gone.bin']) {
        const response = await get(base() + path);
        assert.equal(response.status, 404, path);
        assert.match(response.body.toString(), /<html/, path);
        assertHeaders(assert, response, expectedHeaders(site().output, '/404.html'), path);
      }
    });

    test('a folder without its slash redirects to it, under the base path', async () => {
      const response = await get(`${base()}faq`);
      assert.equal(response.status, 301);
      const location = response.headers.find(([name]) => name === 'location')[1];
      assert.equal(new URL(location, base()).href, `${base()}faq/`);
    });

    test('every page opens in Chromium with no CSP violation or failed request', async () => {
      const paths = pagePaths(site().output);
      assert.ok(paths.length > 30, `${paths.length} pages`);
      const problems = await crawl(browser, base(), paths);
      assert.deepEqual(problems, []);
    });

    test('search loads its index files through nginx', async () => {
      const { context, page, problems } = await openPage(browser);
      await page.goto(base());
      const input = page.locator('#cairn-search-input');
      await input.click();
      await input.fill('healing');
      await page.locator('#cairn-search-results [role="option"]').first().waitFor();
      assert.deepEqual(problems, []);
      await context.close();
    });

    test('the crawl would see a violation: an inline script and style are blocked', async () => {
      const probe = join(site().output, 'csp-probe');
      mkdirSync(probe);
      writeFileSync(join(probe, 'index.html'), '<!doctype html><title>probe</title><p style="color: red">x</p><script>document.title = "ran";</script>');
      try {
        const problems = await crawl(browser, base(), ['csp-probe/']);
        assert.ok(problems.some((p) => p.includes('CSP violation: script-src')), JSON.stringify(problems));
        assert.ok(problems.some((p) => p.includes('CSP violation: style-src')), JSON.stringify(problems));
      } finally {
        rmSync(probe, { recursive: true, force: true });
      }
    });
  });
}
