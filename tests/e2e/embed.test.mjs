// The embeds as documentation authors use them: a real MkDocs site with three ```sfnsim fences
// under a strict Content-Security-Policy, a page with many embeds (one wasm fetch, time to
// interactive), runs driven by mouse and keyboard, autoplay and reduced motion, the iframe form.
// dist/ (make build, which builds dist/embed/) is served at /sfnsim/, as from a CDN folder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { serve, launch, root, dist, artifacts } from './harness.mjs';

const SITE = join(root, 'target/docs-site');
const MKDOCS = join(root, 'target/pyenv/bin/mkdocs');

// The hashes of the theme's own inline script and style attribute: the embed needs none.
function strictCsp(html) {
  const sha = (s) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => sha(m[1]));
  const styles = [...html.matchAll(/ style="([^"]*)"/g)].map((m) => sha(m[1]));
  return [
    "default-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval' ${scripts.join(' ')}`,
    `style-src 'self'${styles.length ? " 'unsafe-hashes' " + styles.join(' ') : ''}`,
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-src 'self'",
  ].join('; ');
}

const HELLO = {
  Comment: 'Greets, or fails without a name',
  StartAt: 'Has name?',
  States: {
    'Has name?': { Type: 'Choice', Choices: [{ Variable: '$.name', IsPresent: true, Next: 'Greet' }], Default: 'No name' },
    Greet: { Type: 'Pass', Parameters: { 'greeting.$': "States.Format('Hello, {}!', $.name)" }, Next: 'Rest' },
    Rest: { Type: 'Wait', Seconds: 3, Next: 'Done' },
    'No name': { Type: 'Fail', Error: 'MissingName', Cause: 'The input has no name' },
    Done: { Type: 'Succeed' },
  },
};
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
const block = (def, attrs = '') => `<pre class="sfnsim" ${attrs}>${esc(JSON.stringify(def, null, 2))}</pre>`;
const pageHtml = (body, head = '') => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>embeds</title>${head}<script src="/sfnsim/embed/sfnsim.js" defer></script></head><body>${body}</body></html>`;
const PAGE_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; object-src 'none'; frame-src 'self'";

// The playground itself (not the embed) keeps its inline start-up script: no policy on it.
const isPlayground = (path) => path.startsWith('/sfnsim/') && !path.startsWith('/sfnsim/embed/');
let srv;
let browser;
const pages = new Map();
before(async () => {
  rmSync(SITE, { recursive: true, force: true });
  execFileSync(MKDOCS, ['build', '--quiet', '--strict', '-f', join(root, 'tests/docs/mkdocs.yml'), '-d', SITE]);
  const docsCsp = strictCsp(readFileSync(join(SITE, 'index.html'), 'utf8'));
  srv = await serve({
    '/sfnsim/': dist,
    '/pages/': async (rest) => (pages.has(rest) ? { body: pages.get(rest), type: rest.endsWith('.css') ? 'text/css' : undefined } : null),
  }, (path) => (isPlayground(path) ? {} : { 'content-security-policy': PAGE_CSP }));
  // The docs site gets its own policy (with the theme's hashes) on its own server.
  srv.docs = await serve({ '/docs/': SITE, '/sfnsim/': dist }, (path) => (isPlayground(path) ? {} : { 'content-security-policy': docsCsp }));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  srv?.close();
  srv?.docs?.close();
});

/** A page that records console errors, uncaught exceptions and CSP violations. */
async function open(url, options = {}) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, ...options });
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(url);
  return { page, problems };
}
const embeds = (page) => page.locator('.sfnsim-embed');
const inEmbed = (page, i, sel) => embeds(page).nth(i).locator(sel);

test('a MkDocs site: three ```sfnsim fences become live diagrams under a strict CSP, the broken one alone shows its diagnostics', async () => {
  const { page, problems } = await open(`${srv.docs.origin}/docs/`);
  await page.waitForFunction(() => document.querySelectorAll('.sfnsim-embed').length === 3, null, { timeout: 15000 });
  // 1: autoplay runs by itself to the end and shows the output.
  await inEmbed(page, 0, '.status[data-kind="ok"]').waitFor({ timeout: 15000 });
  assert.match(await inEmbed(page, 0, '.result pre').textContent(), /"charged": 12.5/);
  // 2: the picture only: no run controls.
  assert.equal(await inEmbed(page, 1, 'button.run').count(), 0);
  assert.equal(await inEmbed(page, 1, 'svg g.state:not(.start):not(.end)').count(), 2);
  // 3: the broken one names the problem, its code and its place; it draws nothing.
  const diag = await inEmbed(page, 2, '.diagnostics').textContent();
  assert.match(diag, /MISSING_TRANSITION_TARGET/);
  assert.match(diag, /Missing 'Next' target: Second/);
  assert.match(diag, /line 4, column 40/);
  assert.equal(await inEmbed(page, 2, 'svg').count(), 0);
  // The host page's own styles do not reach into the embeds, nor theirs out.
  assert.notEqual(await page.$eval('h1', (h) => getComputedStyle(h).fontFamily), '');
  assert.equal(await page.evaluate(() => Object.keys(window).filter((k) => k.startsWith('sfn')).join()), 'sfnsim');
  // Open in playground: a share link to the playground beside the embed folder.
  const href = await inEmbed(page, 1, 'a.open').getAttribute('href');
  assert.ok(href.startsWith(`${srv.docs.origin}/sfnsim/#share=`), href);
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: join(artifacts, `embed-docs-${scheme}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(artifacts, 'embed-docs-390.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the playground opens an embed\'s share link with its definition and input', async () => {
  pages.set('link.html', pageHtml(block(HELLO, `data-input='{"name":"Ada"}' data-seed="7"`)));
  const { page } = await open(`${srv.origin}/pages/link.html`);
  const href = await inEmbed(page, 0, 'a.open').getAttribute('href');
  await page.goto(href);
  await page.waitForSelector('#run');
  await page.waitForFunction(() => document.querySelector('#definition .cm-content')?.textContent.includes('Has name?'));
  assert.equal(JSON.parse(await page.inputValue('#input')).name, 'Ada');
  await page.close();
});

test('twenty embeds on a page: one wasm fetch, one module; ten in view are interactive within a second', async () => {
  const many = Array.from({ length: 20 }, (_, i) => block(HELLO, `data-height="160" data-input='{"name":"n${i}"}'`)).join('\n');
  pages.set('twenty.html', pageHtml(`<h1>Twenty</h1><div class="grid">${many}</div>`, '<link rel="stylesheet" href="/pages/grid.css">'));
  pages.set('grid.css', '.grid { display: grid; grid-template-columns: repeat(5, 1fr); gap: 8px; } body { margin: 8px; }');
  const before = new Map(srv.hits);
  const t0 = Date.now();
  const { page, problems } = await open(`${srv.origin}/pages/twenty.html`);
  // The first ten (two rows of five) are in view: each has its Run button.
  await page.waitForFunction(() => [...document.querySelectorAll('.sfnsim-embed')].filter((e) => e.shadowRoot?.querySelector('button.run')).length >= 10, null, { timeout: 10000 });
  const tti = Date.now() - t0;
  const nav = await page.evaluate(() => performance.getEntriesByType('navigation')[0].startTime);
  console.log(`# 10 embeds in view interactive ${tti} ms after navigation (loopback)`);
  assert.ok(tti < 2500, `ten embeds took ${tti} ms`);
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForFunction(() => document.querySelectorAll('.sfnsim-embed').length === 20, null, { timeout: 10000 });
  const fetched = (p) => (srv.hits.get(p) ?? 0) - (before.get(p) ?? 0);
  assert.equal(fetched('/sfnsim/embed/sfnsim_wasm_bg.wasm'), 1);
  assert.equal(fetched('/sfnsim/embed/sfnsim.mjs'), 1);
  // Each runs on its own: run the last, the first stays untouched.
  await inEmbed(page, 19, 'button.run').click();
  await inEmbed(page, 19, '.status[data-kind="ok"]').waitFor({ timeout: 10000 });
  assert.match(await inEmbed(page, 19, '.result pre').textContent(), /Hello, n19!/);
  assert.equal(await inEmbed(page, 0, '.status').textContent(), 'Ready');
  assert.ok(nav >= 0);
  await page.screenshot({ path: join(artifacts, 'embed-twenty.png') });
  assert.deepEqual(problems, []);
  await page.close();
});

test('run mode by keyboard: Run, Pause, Step, Reset, the event list, zoom and fit', async () => {
  pages.set('keys.html', pageHtml(`<p><a href="#x">before</a></p>${block(HELLO, `data-input='{"name":"Ada"}' data-speed="4"`)}${block(HELLO)}`));
  const { page, problems } = await open(`${srv.origin}/pages/keys.html`, { viewport: { width: 1024, height: 768 } });
  await inEmbed(page, 0, 'button.run').waitFor();
  await page.keyboard.press('Tab'); // the link
  await page.keyboard.press('Tab'); // Run
  assert.equal(await page.evaluate(() => document.activeElement.shadowRoot?.activeElement?.className), 'primary run');
  await page.keyboard.press('Enter');
  await inEmbed(page, 0, '.status[data-kind="ok"]').waitFor({ timeout: 10000 });
  assert.equal(await inEmbed(page, 0, '.status').textContent(), 'SUCCEEDED');
  assert.match(await inEmbed(page, 0, '.result pre').textContent(), /"greeting": "Hello, Ada!"/);
  // The Wait of 3 s passed on the virtual clock.
  assert.equal(await inEmbed(page, 0, '.clock').textContent(), 't+3.0 s');
  // The path taken is marked: the Choice's edge to Greet.
  const marked = await embeds(page).nth(0).evaluate((h) => h.shadowRoot.adoptedStyleSheets.map((s) => [...s.cssRules].map((r) => r.cssText).join('\n')).join('\n'));
  assert.match(marked, /polyline\.edge\[data-from="Has name\?"\]\[data-to="Greet"\]/);
  const stroke = await inEmbed(page, 0, 'polyline.edge[data-from="Has name?"][data-to="Greet"]').evaluate((e) => getComputedStyle(e).stroke);
  assert.equal(stroke, 'rgb(29, 138, 74)');
  // The event list, on demand.
  await inEmbed(page, 0, 'button.events-toggle').press('Enter');
  assert.equal(await inEmbed(page, 0, '.event-list li').count(), 10);
  assert.match(await inEmbed(page, 0, '.event-list').textContent(), /ExecutionSucceeded/);
  // Step through the second (no input: it fails in "No name").
  const step = inEmbed(page, 1, 'button.step');
  for (let i = 0; i < 12 && !(await inEmbed(page, 1, '.status[data-kind="failed"]').count()); i++) await step.press('Enter');
  assert.equal(await inEmbed(page, 1, '.status').textContent(), 'FAILED');
  assert.match(await inEmbed(page, 1, '.result').textContent(), /MissingName.*The input has no name/);
  await inEmbed(page, 1, 'button.reset').press('Enter');
  assert.equal(await inEmbed(page, 1, '.status').textContent(), 'Ready');
  assert.equal(await inEmbed(page, 1, '.result').isHidden(), true);
  // Zoom: + makes the drawing wider than fitted, Fit brings it back.
  const width = () => inEmbed(page, 1, 'svg').evaluate((s) => s.getBoundingClientRect().width);
  const fitted = await width();
  await inEmbed(page, 1, '.view').focus();
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  assert.ok(await width() > fitted * 1.4, `${await width()} vs ${fitted}`);
  await page.keyboard.press('0');
  assert.equal(Math.round(await width()), Math.round(fitted));
  // A screen reader gets the text outline.
  const outline = await inEmbed(page, 1, '.outline').textContent();
  assert.match(outline, /Has name\? \(Choice\) → \$\.name is present: Greet; Default: No name/);
  await page.screenshot({ path: join(artifacts, 'embed-keys-1024.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('autoplay loops and pauses on hover; under prefers-reduced-motion it keeps still', async () => {
  pages.set('auto.html', pageHtml(block(HELLO, `data-mode="autoplay" data-speed="8" data-input='{"name":"Loop"}'`)));
  const { page, problems } = await open(`${srv.origin}/pages/auto.html`, { viewport: { width: 390, height: 844 } });
  await inEmbed(page, 0, '.status[data-kind="ok"]').waitFor({ timeout: 10000 });
  // It starts again by itself.
  await inEmbed(page, 0, '.status[data-kind="running"]').waitFor({ timeout: 10000 });
  await inEmbed(page, 0, '.view').hover();
  const events = async () => inEmbed(page, 0, '.event-list li').count();
  const n = await events();
  await page.waitForTimeout(800);
  assert.equal(await events(), n, 'no step while hovered');
  await page.mouse.move(0, 0);
  await page.waitForFunction(() => true);
  await page.screenshot({ path: join(artifacts, 'embed-autoplay-390.png') });
  assert.deepEqual(problems, []);
  await page.close();

  const still = await open(`${srv.origin}/pages/auto.html`, { reducedMotion: 'reduce' });
  await inEmbed(still.page, 0, 'button.run').waitFor();
  await still.page.waitForTimeout(1200);
  assert.equal(await inEmbed(still.page, 0, '.status').textContent(), 'Ready');
  await still.page.close();
});

test('the iframe form: frame.html#share=… runs the shared machine and the host sizes it to fit', async () => {
  const { page } = await open(`${srv.origin}/pages/keys.html`);
  const share = await inEmbed(page, 0, 'a.open').getAttribute('href');
  const payload = new URL(share).hash.slice('#share='.length);
  await page.close();
  pages.set('frame.html', pageHtml(`<iframe title="Greeting workflow" src="/sfnsim/embed/frame.html#share=${payload}&amp;mode=run"></iframe>`, '<link rel="stylesheet" href="/pages/frame.css">'));
  pages.set('frame.css', 'iframe { width: 100%; border: 0; height: 150px; }');
  const { page: host, problems } = await open(`${srv.origin}/pages/frame.html`);
  const frame = host.frameLocator('iframe');
  await frame.locator('.sfnsim-embed').first().waitFor();
  await host.waitForFunction(() => document.querySelector('iframe').getBoundingClientRect().height > 300, null, { timeout: 10000 });
  const inner = host.frames()[1];
  await inner.waitForFunction(() => document.querySelector('#embed').shadowRoot?.querySelector('button.run'));
  await inner.evaluate(() => document.querySelector('#embed').shadowRoot.querySelector('button.run').click());
  await inner.waitForFunction(() => document.querySelector('#embed').shadowRoot.querySelector('.status').textContent === 'SUCCEEDED', null, { timeout: 10000 });
  assert.match(await inner.evaluate(() => document.querySelector('#embed').shadowRoot.querySelector('.result pre').textContent), /Hello, Ada!/);
  // The result made it taller; the host follows.
  const content = await inner.evaluate(() => document.documentElement.getBoundingClientRect().height);
  await host.waitForFunction((c) => Math.abs(document.querySelector('iframe').getBoundingClientRect().height - c) <= 2, content, { timeout: 5000 });
  await host.screenshot({ path: join(artifacts, 'embed-iframe.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await host.close();
});

test('the playground\'s Share → Embed gives both snippets; pasted into a page, each works', async () => {
  const { page, problems } = await open(`${srv.origin}/sfnsim/`);
  await page.waitForSelector('#run');
  await page.fill('#input', '');
  await page.type('#input', '{ "name": "Grace" }');
  await page.click('#embed');
  const script = await page.inputValue('#embed-script');
  const iframe = await page.inputValue('#embed-iframe');
  assert.ok(script.startsWith(`<script src="${srv.origin}/sfnsim/embed/sfnsim.js" defer></script>\n<pre class="sfnsim" data-input="`), script);
  assert.match(iframe, new RegExp(`^<iframe src="${srv.origin}/sfnsim/embed/frame\\.html#share=[A-Za-z0-9_-]+"`));
  await page.screenshot({ path: join(artifacts, 'embed-share-menu.png') });
  await page.keyboard.press('Escape');
  await page.click('#embed-close');
  assert.equal(await page.locator('#embed-panel').count(), 0);
  assert.deepEqual(problems, []);
  await page.close();

  // The script form, pasted as is into a page (the page's CSP forbids the iframe's style attribute; it is not pasted here).
  pages.set('pasted.html', `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>pasted</title></head><body><h1>Pasted</h1>\n${script}</body></html>`);
  const pasted = await open(`${srv.origin}/pages/pasted.html`);
  await inEmbed(pasted.page, 0, 'button.run').click();
  await inEmbed(pasted.page, 0, '.status[data-kind]:not([data-kind="running"]):not([data-kind=""])').waitFor({ timeout: 10000 });
  assert.match(await inEmbed(pasted.page, 0, '.result').textContent(), /Grace/);
  assert.deepEqual(pasted.problems, []);
  await pasted.page.close();

  // The iframe form, pasted into a page that allows inline styles (as wikis and blogs do).
  srv.loose ??= await serve({ '/sfnsim/': dist, '/pages/': async () => ({ body: `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>iframe</title></head><body>${iframe.replaceAll(srv.origin, '')}</body></html>` }) });
  const framed = await open(`${srv.loose.origin}/pages/`);
  const inner = await (await framed.page.waitForSelector('iframe')).contentFrame();
  await inner.waitForFunction(() => document.querySelector('#embed').shadowRoot?.querySelector('button.run'));
  await inner.evaluate(() => document.querySelector('#embed').shadowRoot.querySelector('button.run').click());
  await inner.waitForFunction(() => /SUCCEEDED|FAILED/.test(document.querySelector('#embed').shadowRoot.querySelector('.status').textContent), null, { timeout: 10000 });
  assert.match(await inner.evaluate(() => document.querySelector('#embed').shadowRoot.querySelector('.result').textContent), /Grace/);
  assert.deepEqual(framed.problems, []);
  await framed.page.close();
  srv.loose.close();
});

test('the JavaScript API example page (dist/api-example.html) uses every function', async () => {
  const { page, problems } = await open(`${srv.origin}/sfnsim/api-example.html`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 10000 });
  assert.match(await page.textContent('#validate'), /MISSING_TRANSITION_TARGET/);
  assert.match(await page.textContent('#events'), /1 ExecutionStarted[\s\S]*ExecutionSucceeded/);
  assert.deepEqual(JSON.parse(await page.textContent('#described')), { status: 'SUCCEEDED', output: { ok: true }, virtualSeconds: 3600 });
  assert.equal(await page.locator('#svg svg style').count(), 1);
  await page.locator('#mounted button.run').click();
  await page.locator('#mounted .status[data-kind="ok"]').waitFor({ timeout: 10000 });
  assert.deepEqual(problems, []);
  await page.close();
});

test('data-world: an activity answered by a simulated worker; a world it cannot read is said so in its block', async () => {
  const activity = 'arn:aws:states:us-east-1:123456789012:activity:approve';
  const def = { StartAt: 'Approve', States: { Approve: { Type: 'Task', Resource: activity, TimeoutSeconds: 600, End: true } } };
  const world = { activities: ['approve'], workers: [{ name: 'clerk', activityArn: activity, latencySeconds: 90, answer: { kind: 'succeed', output: { approved: true } } }] };
  const attr = (v) => JSON.stringify(v).replace(/&/g, '&amp;').replace(/'/g, '&#39;');
  pages.set('world.html', pageHtml(`${block(def, `data-world='${attr(world)}' data-speed="8"`)}${block(def, `data-world='{"workers": [], "wrokers": 1}'`)}`));
  const { page, problems } = await open(`${srv.origin}/pages/world.html`);
  await inEmbed(page, 0, 'button.run').click();
  await inEmbed(page, 0, '.status[data-kind="ok"]').waitFor({ timeout: 10000 });
  assert.match(await inEmbed(page, 0, '.result pre').textContent(), /"approved": true/);
  assert.equal(await inEmbed(page, 0, '.clock').textContent(), 't+90.0 s');
  await inEmbed(page, 0, 'button.events-toggle').click();
  assert.match(await inEmbed(page, 0, '.event-list').textContent(), /ActivityStarted/);
  const problem = await inEmbed(page, 1, '.diagnostics').textContent();
  assert.match(problem, /simulated world \(data-world\) cannot be read/);
  assert.match(problem, /unknown field `wrokers`/);
  // The world travels in the playground link too.
  const shared = new URL(await inEmbed(page, 0, 'a.open').getAttribute('href')).hash.slice('#share='.length);
  await page.goto(`${srv.origin}/sfnsim/embed/frame.html#share=${shared}`);
  await page.locator('#embed button.run').click();
  await page.locator('#embed .status[data-kind="ok"]').waitFor({ timeout: 15000 });
  assert.deepEqual(problems, []);
  await page.close();
});

test('data-lesson: a lesson in a page: task, a text box, its diagram as typed, Check with the why, hints, and the playground with the learner\'s text', async () => {
  pages.set('lesson.html', pageHtml('<h1>Lesson</h1><pre class="sfnsim" data-lesson="/sfnsim/lessons/01-first-machine.md"></pre>'));
  const { page, problems } = await open(`${srv.origin}/pages/lesson.html`);
  await inEmbed(page, 0, 'button.check').waitFor({ timeout: 10000 });
  assert.match(await inEmbed(page, 0, '.lesson .title').textContent(), /States and transitions/);
  await inEmbed(page, 0, 'button.check').click();
  assert.match(await inEmbed(page, 0, '.checks .verdict').textContent(), /of 5 checks pass/);
  assert.match(await inEmbed(page, 0, '.checks').textContent(), /Give `Greet` a Result/);
  await inEmbed(page, 0, '.bar button:nth-child(2)').click();
  assert.equal(await inEmbed(page, 0, '.hints li').count(), 1);
  // Type the fix into the text box.
  const box = inEmbed(page, 0, 'textarea.definition');
  await box.fill('');
  await box.type('{"StartAt": "Greet", "States": {"Greet": {"Type": "Pass", "Result": {"greeting": "Hello, world"}, "Next": "Done"}, "Done": {"Type": "Succeed"}}}');
  await page.waitForTimeout(400);
  assert.equal(await inEmbed(page, 0, 'svg g.state.succeed').count(), 1, 'the diagram follows the text');
  await inEmbed(page, 0, 'button.check').click();
  assert.match(await inEmbed(page, 0, '.checks .verdict').textContent(), /All 5 checks pass/);
  await page.screenshot({ path: join(artifacts, 'embed-lesson.png'), fullPage: true });
  // The text survives a reload; the playground opens the lesson with it.
  await page.reload();
  await inEmbed(page, 0, 'button.check').waitFor({ timeout: 10000 });
  assert.match(await inEmbed(page, 0, 'textarea.definition').inputValue(), /Hello, world/);
  await inEmbed(page, 0, 'a.open').focus();
  const href = await inEmbed(page, 0, 'a.open').getAttribute('href');
  await page.goto(href);
  await page.waitForSelector('#lesson[data-lesson="first-machine"]');
  await page.waitForFunction(() => document.querySelector('#definition .cm-content').textContent.includes('Hello, world'));
  assert.deepEqual(problems, []);
  await page.close();
});
