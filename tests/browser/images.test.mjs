// Responsive images: on a phone, a page of photos loads right-sized WebP files and nothing
// moves while they arrive (cumulative layout shift 0), even when the files are slow.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { buildShippedSite, launch, openPage, screenshotDir, serve } from './harness.mjs';

/** A `width`×`height` RGB PNG of a soft gradient, made here so the repository holds no images. */
function gradientPng(width, height, tint) {
  const rows = [];
  for (let y = 0; y < height; y += 1) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x += 1) {
      row[1 + x * 3] = (x * 255) / width;
      row[2 + x * 3] = (y * 255) / height;
      row[3 + x * 3] = tint;
    }
    rows.push(row);
  }
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const PARAGRAPH = 'No contact gives you the space to heal. '.repeat(12);

let browser;
let server;
before(async () => {
  browser = await launch();
  const { output } = buildShippedSite({
    edit(root) {
      const dir = join(root, 'content', 'articles', 'photos');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'first.png'), gradientPng(1600, 1000, 40));
      writeFileSync(join(dir, 'second.png'), gradientPng(1200, 1600, 160));
      writeFileSync(join(dir, 'third.png'), gradientPng(900, 500, 250));
      writeFileSync(
        join(dir, 'index.md'),
        [
          '---',
          'title: A walk by the sea',
          'description: Photos from a walk, to test images.',
          'date: 2024-06-02',
          '---',
          PARAGRAPH,
          '',
          '![The beach in the morning](first.png "The beach")',
          '',
          PARAGRAPH,
          '',
          '![The cliffs](second.png)',
          '',
          PARAGRAPH,
          '',
          '![The harbour](third.png "The harbour")',
          '',
          PARAGRAPH,
          '',
        ].join('\n'),
      );
    },
  });
  server = await serve(output);
});
after(async () => {
  await server?.close();
  await browser?.close();
});

test('photos load right-sized on a phone without moving the page (CLS 0)', async () => {
  const { context, page, problems } = await openPage(browser, { width: 390, height: 844 });
  await context.addInitScript(() => {
    window.layoutShift = 0;
    window.shifted = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (entry.hadRecentInput) continue;
        window.layoutShift += entry.value;
        for (const source of entry.sources) {
          const node = source.node;
          window.shifted.push(node ? `${node.nodeName}.${node.className} ${JSON.stringify(source.previousRect)} -> ${JSON.stringify(source.currentRect)}` : '?');
        }
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  const images = [];
  // Slow images: they arrive well after the text has been laid out.
  await page.route(/\.(webp|png|jpg)$/, async (route) => {
    images.push(new URL(route.request().url()).pathname);
    await new Promise((done) => setTimeout(done, 700));
    await route.continue();
  });
  await page.goto(server.url + 'articles/photos/', { waitUntil: 'domcontentloaded' });
  // The text is laid out (and the header's scripted controls shown); no photo has arrived
  // yet. What moves from here on moves because of the photos.
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  const arrived = await page.evaluate(() => {
    const count = [...document.images].filter((img) => img.naturalWidth > 0).length;
    window.layoutShift = 0;
    window.shifted = [];
    return count;
  });
  assert.equal(arrived, 0, 'the photos are still on their way');
  // Scroll down step by step, as a reader would, so the lazy images load on the way.
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  for (let y = 0; y <= height; y += 300) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await page.waitForTimeout(150);
  }
  await page.waitForFunction(() => [...document.images].every((img) => img.complete && img.naturalWidth > 0), null, {
    timeout: 15000,
  });
  const shift = await page.evaluate(() => window.layoutShift);
  const shifted = await page.evaluate(() => window.shifted);
  assert.equal(shift, 0, `layout shifted by ${shift}: ${shifted.join('; ')}`);

  // A phone 390 px wide shows the column at 350 px: the 480 px WebP variants, nothing bigger.
  const photos = images.filter((path) => path.includes('/assets/images/'));
  assert.equal(photos.length, 3, photos.join(', '));
  for (const path of photos) assert.match(path, /-480x\d+\.[0-9a-f]{10}\.webp$/);
  const first = page.locator('figure img').first();
  assert.equal(await first.getAttribute('fetchpriority'), 'high');
  assert.equal(await page.locator('img[loading="lazy"]').count(), 2);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(screenshotDir(), 'images-390.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await context.close();
});
