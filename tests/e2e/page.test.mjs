// End-to-end: serve the built page (dist/), drive it in the system Chromium, check what it shows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = join(root, 'dist');
const artifacts = join(root, 'tests/e2e/artifacts');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };

let server, browser, base;

before(async () => {
  server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dist, path === '/' ? 'index.html' : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  await mkdir(artifacts, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.close();
});

test('the default example runs and shows its output and history', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(base);
  await page.click('#run');
  await page.waitForSelector('#status.SUCCEEDED', { timeout: 10_000 });
  const output = JSON.parse(await page.textContent('#output'));
  assert.deepEqual(output, { greeting: 'Hello, Step Functions!', name: 'Step Functions' });
  const types = await page.$$eval('#history tbody tr td:nth-child(2)', (tds) => tds.map((td) => td.textContent));
  assert.deepEqual(types, ['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ChoiceStateEntered', 'ChoiceStateExited', 'SucceedStateEntered', 'SucceedStateExited', 'ExecutionSucceeded']);
  await page.screenshot({ path: join(artifacts, 'default-example.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('an invalid definition shows the AWS error instead of breaking the page', async () => {
  const page = await browser.newPage();
  await page.goto(base);
  await page.fill('#definition', '{"StartAt": "Nope", "States": {}}');
  await page.click('#run');
  await page.waitForSelector('#status.ERROR', { timeout: 10_000 });
  assert.match(await page.textContent('#status'), /InvalidDefinition/);
  await page.fill('#definition', 'not json');
  await page.click('#run');
  await page.waitForSelector('#status.ERROR');
  assert.match(await page.textContent('#output'), /Invalid State Machine Definition/);
});
