// End-to-end: serve the built page (dist/, from `trunk build --release`) with a tiny static server,
// drive it in the system Chromium through playwright-core, and check what it shows.
// Run with `node --test tests/e2e/` (`make test-e2e`). Screenshots go to tests/e2e/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile, mkdir, access } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = resolve(root, 'dist');
const artifacts = join(root, 'tests/e2e/artifacts');
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

let server, browser, base;

before(async () => {
  await access(join(dist, 'index.html')).catch(() => {
    throw new Error('dist/index.html is missing: run `trunk build --release` (make build) first');
  });
  server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = resolve(dist, '.' + (path.endsWith('/') ? path + 'index.html' : path));
    if (file !== dist && !file.startsWith(dist + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
  });
  await mkdir(artifacts, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** A new page on the app, recording console errors and uncaught exceptions (a Rust panic is both). */
async function openApp(options = {}) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, ...options });
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(base);
  await page.waitForSelector('#run');
  return { page, problems };
}

const historyColumn = (page, n) =>
  page.$$eval(`#history tbody tr td:nth-child(${n})`, (tds) => tds.map((td) => td.textContent));

test('the default example runs: SUCCEEDED, its output and its history', async () => {
  const { page, problems } = await openApp();
  assert.match(await page.textContent('#status'), /Not run yet/);
  await page.click('#run');
  await page.waitForSelector('#status.SUCCEEDED', { timeout: 10_000 });
  assert.equal(await page.textContent('#status'), 'SUCCEEDED');
  assert.deepEqual(JSON.parse(await page.textContent('#output')), {
    greeting: 'Hello, Step Functions!',
    name: 'Step Functions',
  });
  assert.deepEqual(await historyColumn(page, 1), ['1', '2', '3', '4', '5', '6', '7', '8']);
  assert.deepEqual(await historyColumn(page, 2), [
    'ExecutionStarted',
    'ChoiceStateEntered', 'ChoiceStateExited',
    'PassStateEntered', 'PassStateExited',
    'SucceedStateEntered', 'SucceedStateExited',
    'ExecutionSucceeded',
  ]);
  assert.deepEqual(await historyColumn(page, 3), ['', 'HasName', 'HasName', 'Greet', 'Greet', 'Done', 'Done', '']);
  assert.deepEqual(await historyColumn(page, 4), ['0', '0', '2', '3', '4', '5', '6', '7']);
  await page.screenshot({ path: join(artifacts, 'default-example.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the page follows a dark colour scheme', async () => {
  const { page, problems } = await openApp({ colorScheme: 'dark' });
  await page.keyboard.press('Tab'); // focus the definition
  await page.keyboard.press('Control+Enter');
  await page.waitForSelector('#status.SUCCEEDED', { timeout: 10_000 });
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, 'rgb(22, 23, 26)');
  await page.screenshot({ path: join(artifacts, 'default-example-dark.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the page fits a phone screen: one column, the history scrolls on its own', async () => {
  const { page, problems } = await openApp({ viewport: { width: 390, height: 800 } });
  await page.click('#run');
  await page.waitForSelector('#status.SUCCEEDED', { timeout: 10_000 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
  await page.screenshot({ path: join(artifacts, 'phone.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('without a name the Choice goes to the Fail state: FAILED with its error and cause', async () => {
  const { page, problems } = await openApp();
  await page.fill('#input', '{}');
  await page.click('#run');
  await page.waitForSelector('#status.FAILED', { timeout: 10_000 });
  assert.equal(await page.textContent('#error'), 'MissingName');
  assert.equal(await page.textContent('#cause'), 'The input has no name to greet');
  assert.equal(await page.$('#output'), null);
  assert.deepEqual(await historyColumn(page, 2), [
    'ExecutionStarted', 'ChoiceStateEntered', 'ChoiceStateExited', 'FailStateEntered', 'ExecutionFailed',
  ]);
  await page.screenshot({ path: join(artifacts, 'no-name-fails.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('a refused request shows the AWS error code and message instead of breaking the page', async () => {
  const { page, problems } = await openApp();
  await page.fill('#definition', '{"StartAt": "Nope", "States": {}}');
  await page.click('#run');
  await page.waitForSelector('#status.ERROR', { timeout: 10_000 });
  assert.equal(await page.textContent('#status'), 'InvalidDefinition');
  assert.equal(await page.$$eval('#history tbody tr', (rows) => rows.length), 0);
  await page.fill('#definition', 'not json');
  await page.click('#run');
  await page.waitForSelector('#status.ERROR');
  assert.match(await page.textContent('#output'), /Invalid State Machine Definition/);
  await page.fill('#definition', '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}');
  await page.fill('#input', '{"unclosed": ');
  await page.click('#run');
  await page.waitForSelector('#status.ERROR');
  assert.equal(await page.textContent('#status'), 'InvalidExecutionInput');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the diagram draws the definition and keeps the last good one while typing', async () => {
  const { page, problems } = await openApp();
  await page.waitForSelector('#diagram svg');
  const states = () => page.$$eval('#diagram g.state > title', (ts) => ts.map((t) => t.textContent));
  assert.deepEqual(await states(), ['Start', 'HasName', 'Greet', 'Done', 'NoName', 'End']);
  await page.fill('#definition', 'not json');
  await page.waitForSelector('#diagram.stale svg');
  await page.fill('#definition', '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}');
  await page.waitForSelector('#diagram:not(.stale) svg');
  assert.deepEqual(await states(), ['Start', 'P', 'End']);
  await page.screenshot({ path: join(artifacts, 'diagram.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});
