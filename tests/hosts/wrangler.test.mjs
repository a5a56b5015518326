// Cloudflare's local Pages emulator (`wrangler pages dev`, which runs Cloudflare's own
// runtime, workerd) serving a built site: _headers and _redirects behave as the guide says,
// for a site at the root and for one built for a sub-path (rules relative to the published
// folder, links carrying the sub-path).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildShippedSite } from '../browser/harness.mjs';
import { assertHeaders, expectedHeaders, freePort, get, startServing, stop } from './common.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const WRANGLER = join(here, 'node_modules', '.bin', 'wrangler');
// The newest date the pinned runtime supports is months old; a fixed older date works offline.
const COMPATIBILITY_DATE = '2025-01-01';

/** The demo site with an alias, built for `baseUrl`. */
function demoSite(baseUrl) {
  return buildShippedSite({
    baseUrl,
    edit: (dir) => {
      const faq = join(dir, 'content', 'faq.md');
      writeFileSync(faq, readFileSync(faq, 'utf8').replace(/^---\n/, '---\naliases: [/questions/]\n'));
    },
  });
}

/** Serves `output` with `wrangler pages dev`; resolves to { url, server, state }. */
async function pagesDev(output) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  // wrangler keeps its local state in .wrangler/ of the folder it runs in: run it in a
  // temporary one.
  const state = mkdtempSync(join(tmpdir(), 'cairn-wrangler-'));
  const server = await startServing(
    WRANGLER,
    ['pages', 'dev', output, '--ip', '127.0.0.1', '--port', String(port), '--compatibility-date', COMPATIBILITY_DATE],
    url,
    // No network here but the package registries: no metrics, no update check.
    { cwd: state, env: { WRANGLER_SEND_METRICS: 'false', CI: 'true', NO_UPDATE_NOTIFIER: '1' }, timeout: 120000 },
  );
  return { url, server, state };
}

for (const [where, baseUrl, basePath] of [
  ['at the root', 'https://example.pages.dev/', '/'],
  ['built for /guide/', 'https://example.org/guide/', '/guide/'],
]) {
  describe(`wrangler pages dev, a site ${where}`, () => {
    let site;
    let dev;
    before(async () => {
      site = demoSite(baseUrl);
      dev = await pagesDev(site.output);
    });
    after(async () => {
      await stop(dev?.server);
      if (dev) rmSync(dev.state, { recursive: true, force: true });
      if (site) rmSync(site.root, { recursive: true, force: true });
    });

    test('_headers: a page, an asset and search files get their headers and one Cache-Control', async () => {
      const css = readdirSync(join(site.output, 'assets', 'css')).find((name) => name.startsWith('site.'));
      const bin = readdirSync(join(site.output, 'search')).find((name) => name.endsWith('.bin'));
      const cases = [
        ['faq/', 'public, max-age=0, must-revalidate'],
        ['', 'public, max-age=0, must-revalidate'],
        [`assets/css/${css}`, 'public, max-age=31536000, immutable'],
        [`search/${bin}`, 'public, max-age=31536000, immutable'],
        ['search/index.json', 'public, max-age=0, must-revalidate'],
      ];
      for (const [path, cache] of cases) {
        const response = await get(dev.url + path);
        assert.equal(response.status, 200, path);
        assertHeaders(assert, response, expectedHeaders(site.output, `/${path}`), path);
        const found = response.headers.filter(([name]) => name === 'cache-control').map(([, value]) => value);
        assert.deepEqual(found, [cache], path);
      }
    });

    test('_redirects: an alias is a 301 to its page, whose link carries the base path', async () => {
      const response = await get(`${dev.url}questions/`);
      assert.equal(response.status, 301);
      const location = response.headers.find(([name]) => name === 'location')[1];
      assert.equal(location, `${basePath}faq/`);
    });

    test('a missing page gets the 404 page with status 404', async () => {
      const response = await get(`${dev.url}no-such-page/`);
      assert.equal(response.status, 404);
      assert.equal(response.body.toString(), readFileSync(join(site.output, '404.html'), 'utf8'));
    });
  });
}
