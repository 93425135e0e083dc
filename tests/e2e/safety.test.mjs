// End-to-end: the page under its own strict Content-Security-Policy, hostile state names in every
// export, and nothing typed lost (share links, a second tab, the storage quota).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as harness from './harness.mjs';

const { dist, artifacts } = harness;
let h, base;

before(async () => {
  h = await harness.start();
  base = h.base;
});

after(async () => {
  await h?.close();
});

const getDefinition = (page) => page.evaluate(() => window.sfnsimEditor.current.getText());
const setDefinition = (page, text) => page.evaluate((t) => window.sfnsimEditor.current.setText(t, true), text);

/** A page that records CSP violations (reported by the browser as events) besides errors. */
async function openWatched(context, url = base) {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
  await page.goto(url);
  await page.waitForSelector('#run');
  return { page, problems };
}

test('the page declares a strict policy and runs under it: no inline script, no violation while used', async () => {
  const html = await readFile(join(dist, 'index.html'), 'utf8');
  const csp = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1];
  assert.ok(csp, 'dist/index.html declares a Content-Security-Policy');
  const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'));
  assert.equal(scriptSrc, "script-src 'self' 'wasm-unsafe-eval'");
  assert.match(csp, /object-src 'none'/);
  // Every script is a file: no inline code for the policy to refuse.
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.ok(scripts.length >= 3, 'editor, page glue and the wasm boot');
  for (const [, attrs, body] of scripts) {
    assert.match(attrs, /\bsrc="/, `a script with a src: <script${attrs}>`);
    assert.equal(body.trim(), '', `no inline code in <script${attrs}>`);
  }

  const context = await h.browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  const { page, problems } = await openWatched(context);
  // Used as a person would: type in the editor (spaces too), run, step, open the dock, export.
  await page.click('.cm-content');
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\n ');
  await page.fill('#input', '{"name": "under a policy"}');
  await page.click('#run');
  await page.click('#to-end');
  await page.waitForSelector('#status.SUCCEEDED', { timeout: 10_000 });
  await page.click('#dock-toggle').catch(() => {});
  const [svg] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
  assert.equal(svg.suggestedFilename(), 'state-machine.svg');
  const [png] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
  assert.equal(png.suggestedFilename(), 'state-machine.png');
  await page.screenshot({ path: join(artifacts, 'csp-1440.png') });
  assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
  assert.deepEqual(problems, []);
  await page.evaluate(() => localStorage.clear());
  await context.close();
});

test('hostile state names: the exported SVG is valid XML, runs no script, and Export PNG still works', async () => {
  const hostile = 'Fetch & Store </style><script>window.pwned=1</script><b>';
  const definition = JSON.stringify({
    Comment: 'names with markup in them',
    StartAt: hostile,
    States: {
      [hostile]: { Type: 'Pass', Next: 'Say "hi" <now>' },
      'Say "hi" <now>': { Type: 'Succeed' },
    },
  }, null, 2);
  const context = await h.browser.newContext({ acceptDownloads: true });
  const { page, problems } = await openWatched(context);
  await setDefinition(page, definition);
  await page.waitForFunction(() => document.querySelectorAll('#diagram g.state:not(.start):not(.end)').length === 2);
  await page.click('#run');
  await page.click('#to-end');
  await page.waitForSelector('#status.SUCCEEDED', { timeout: 10_000 });
  // The run's marks (a <style> keyed on the names) go into the exported file.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
  const text = await readFile(await download.path(), 'utf8');
  const parsed = await page.evaluate((t) => {
    const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      scripts: doc.querySelectorAll('script').length,
      styles: doc.querySelectorAll('style').length,
      names: [...doc.querySelectorAll('g.state:not(.start):not(.end)')].map((g) => g.getAttribute('data-state')),
    };
  }, text);
  assert.equal(parsed.error, null, 'the exported SVG parses as XML');
  assert.equal(parsed.scripts, 0, 'no script element');
  assert.equal(parsed.styles, 1, 'the marks are one style element');
  assert.deepEqual(parsed.names.sort(), [hostile, 'Say "hi" <now>'].sort());
  // Opened on its own (as from disk), the file runs nothing.
  const viewer = await context.newPage();
  await viewer.setContent(text);
  assert.equal(await viewer.evaluate(() => window.pwned ?? null), null);
  await viewer.close();
  const [png] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
  const bytes = await readFile(await png.path());
  assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
  assert.equal(await page.evaluate(() => window.pwned ?? null), null);
  assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
  assert.deepEqual(problems, []);
  await page.evaluate(() => localStorage.clear());
  await context.close();
});

test('a share link keeps the work it replaces: Undo, and "Your previous work" after a reload', async () => {
  const context = await h.browser.newContext();
  const { page, problems } = await openWatched(context);
  const mine = '{\n  "Comment": "my own work",\n  "StartAt": "Mine",\n  "States": { "Mine": { "Type": "Pass", "End": true } }\n}';
  await setDefinition(page, mine);
  await page.fill('#input', '{"mine": true}');
  // Someone's link, made in another browser (a context of its own).
  const other = await h.browser.newContext();
  const { page: sender } = await openWatched(other);
  await page.waitForTimeout(100);
  await sender.selectOption('#examples', 'callback');
  await sender.click('#share');
  const link = await sender.inputValue('#share-link');
  await other.close();

  // Pasted into the address bar of the open playground: only the fragment changes.
  await page.goto(link);
  await page.waitForFunction((m) => window.sfnsimEditor.current.getText() !== m, mine);
  assert.equal(await page.evaluate(() => location.hash), '', 'the link has left the address bar');
  assert.match(await page.textContent('#example-info'), /Your own work is kept/);
  // A reload (the link has left the address bar) keeps the link's text as the current work...
  await page.reload();
  await page.waitForSelector('#run');
  assert.notEqual(await getDefinition(page), mine);
  // ...and the examples menu still offers the work from before it.
  await page.selectOption('#examples', 'previous-work');
  await page.waitForFunction((m) => window.sfnsimEditor.current.getText() === m, mine);
  assert.equal(await page.inputValue('#input'), '{"mine": true}');
  assert.deepEqual(problems, []);
  await page.evaluate(() => localStorage.clear());
  await context.close();
});

test('two tabs: the one whose work was saved over says so, and can load the other tab\'s work', async () => {
  const context = await h.browser.newContext();
  const { page: first, problems } = await openWatched(context);
  const { page: second } = await openWatched(context);
  assert.equal(await first.$('#other-tab'), null, 'nothing to say yet');
  const theirs = '{"StartAt": "FromTheSecondTab", "States": {"FromTheSecondTab": {"Type": "Pass", "End": true}}}';
  await setDefinition(second, theirs);
  await first.waitForSelector('#other-tab', { timeout: 5_000 });
  assert.match(await first.textContent('#other-tab'), /Another tab/);
  await first.screenshot({ path: join(artifacts, 'other-tab.png') });
  await first.click('#other-tab-load');
  await first.waitForFunction((t) => window.sfnsimEditor.current.getText() === t, theirs);
  assert.equal(await first.$('#other-tab'), null);
  // "Keep this tab's" saves this tab's work back over the other's.
  await setDefinition(second, '{"StartAt": "Again", "States": {"Again": {"Type": "Pass", "End": true}}}');
  await first.waitForSelector('#other-tab');
  await first.click('#other-tab-keep');
  assert.equal(await first.evaluate(() => localStorage.getItem('sfnsim.definition')), theirs);
  assert.deepEqual(problems, []);
  await first.evaluate(() => localStorage.clear());
  await context.close();
});

test('storage quota: a definition that does not fit is saved compressed, and one that cannot be says so', async () => {
  const context = await h.browser.newContext();
  const { page, problems } = await openWatched(context);
  // Fill the origin's storage, then free about 40 KB.
  const freed = await page.evaluate(() => {
    let i = 0;
    for (const size of [100_000, 10_000, 1_000]) {
      const chunk = 'x'.repeat(size);
      try { for (;;) localStorage.setItem(`junk${i++}`, chunk); } catch { /* full at this size */ }
    }
    let freed = 0;
    for (let j = i - 1; j >= 0 && freed < 40_000; j--) {
      const v = localStorage.getItem(`junk${j}`);
      if (v) { freed += v.length; localStorage.removeItem(`junk${j}`); }
    }
    return freed;
  });
  assert.ok(freed >= 40_000);
  // About 200 KB of text (many similar states) that compresses well.
  const states = {};
  for (let k = 0; k < 1500; k++) states[`Step number ${k}`] = { Type: 'Pass', Next: `Step number ${k + 1}` };
  states['Step number 1500'] = { Type: 'Succeed' };
  const big = JSON.stringify({ StartAt: 'Step number 0', States: states }, null, 2);
  assert.ok(big.length > 100_000);
  await setDefinition(page, big);
  await page.waitForFunction(() => localStorage.getItem('sfnsim.definition.packed') !== null);
  assert.equal(await page.$('#save-warning'), null, 'saved, compressed: nothing to warn about');
  await page.reload();
  await page.waitForSelector('#run');
  assert.equal(await getDefinition(page), big, 'the compressed save comes back whole');
  // Text that does not compress (random) and does not fit: the page says it is not saved.
  const noise = Array.from({ length: 120_000 }, () => Math.random().toString(36)[2]).join('');
  const unsaved = JSON.stringify({ StartAt: 'Noise', States: { Noise: { Type: 'Pass', Result: noise, End: true } } });
  await setDefinition(page, unsaved);
  await page.waitForSelector('#save-warning');
  assert.match(await page.textContent('#save-warning'), /Not saved: this definition \(\d+ KB\)/);
  await page.screenshot({ path: join(artifacts, 'save-warning.png') });
  assert.deepEqual(problems, []);
  await page.evaluate(() => localStorage.clear());
  await context.close();
});
