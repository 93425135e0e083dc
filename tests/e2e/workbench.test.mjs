// The playground as a new user meets it (issue 11): keys typed reach the editor and the fields,
// the run stays in view as a workbench, the diagram follows the selected execution, Map and
// Parallel runs can be looked into, examples explain themselves, links never undo later edits,
// the site works from a folder, and the drawing's colours say one thing each.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as harness from './harness.mjs';

const { artifacts, openTab } = harness;
let h;

before(async () => {
  h = await harness.start();
});

after(async () => {
  await h?.close();
});

const openApp = (options = {}, url = h.base) => harness.openApp(h.browser, url, options);
const getDefinition = (page) => page.evaluate(() => window.sfnsimEditor.current.getText());
const setDefinition = (page, text) => page.evaluate((t) => window.sfnsimEditor.current.setText(t, true), text);
const rect = (page, sel) => page.$eval(sel, (el) => { const r = el.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height, r: r.right, b: r.bottom }; });
const states = (page) => page.$$eval('#diagram g.state > title', (ts) => ts.map((t) => t.textContent));

test('keys typed into the editor and every field reach them; shortcuts only apply elsewhere', async () => {
  const { page, problems } = await openApp();
  // Type a whole definition with spaces and arrows, as a person does.
  await page.click('.cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type('{"Comment": "a b c", "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.type(' ');
  // CodeMirror closes brackets and quotes as you type: compare without the doubled closers.
  const text = await getDefinition(page);
  assert.match(text, /"Comment": "a b c"/, text);
  assert.match(text, /"Type": "Pass"/, text);
  assert.equal(await page.textContent('#status'), 'Not run yet: press Start (or Ctrl+Enter).', 'space or → ran something');
  assert.equal(await page.getAttribute('#play', 'aria-pressed'), 'false');
  // The input box, a world field and the console take spaces and arrows too.
  await page.click('#input');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('{"x": "y z"}');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.inputValue('#input'), '{"x": "y z"}');
  await openTab(page, 'console');
  await page.click('#console-input');
  await page.keyboard.type('list-state-machines --max-results 5');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.inputValue('#console-input'), 'list-state-machines --max-results 5');
  assert.equal(await page.textContent('#status'), 'Not run yet: press Start (or Ctrl+Enter).');
  // Ctrl+Enter starts from inside the editor.
  await page.click('.cm-content');
  await page.keyboard.press('Control+Enter');
  await page.waitForSelector('#status.SUCCEEDED', { timeout: 10_000 });
  // Outside any field: ? lists the shortcuts, Esc closes; → steps.
  await page.click('header h1');
  await page.keyboard.press('?');
  await page.waitForSelector('#help');
  assert.match(await page.textContent('#help'), /Ctrl\+Enter/);
  await page.screenshot({ path: join(artifacts, 'shortcuts.png') });
  await page.keyboard.press('Escape');
  await page.waitForSelector('#help', { state: 'detached' });
  // ? typed into the editor is a character, not the overlay.
  await page.click('.cm-content');
  await page.keyboard.press('End');
  await page.keyboard.type('?');
  assert.equal(await page.$('#help'), null);
  assert.ok((await getDefinition(page)).includes('?'));
  assert.deepEqual(problems, []);
  await page.close();
});

for (const [width, height] of [[1280, 720], [1440, 900]]) {
  test(`the workbench at ${width}×${height}: editor beside the diagram, controls, result and inspector all in view`, async () => {
    const { page, problems } = await openApp({ viewport: { width, height } });
    await page.click('#run');
    await page.waitForSelector('#status.SUCCEEDED', { timeout: 10_000 });
    await page.click('#diagram g.state[data-state="Greet"]');
    await page.waitForSelector('#inspector-state');
    for (const sel of ['#definition', '#diagram', '#run', '#step', '#status', '#diagram g.state[data-state="Done"]', '#tab-history']) {
      const r = await rect(page, sel);
      assert.ok(r.y >= 0 && r.b <= height + 1 && r.x >= 0 && r.r <= width + 1, `${sel} is out of view: ${JSON.stringify(r)}`);
    }
    // The inspector starts in view (its pane scrolls for the rest).
    const inspector = await rect(page, '#inspector');
    assert.ok(inspector.y >= 0 && inspector.y <= height - 120 && inspector.r <= width + 1, `the inspector starts out of view: ${JSON.stringify(inspector)}`);
    // The drawing is not shrunk to a stamp: Greet's box is at least 60 % of its natural size.
    const greet = await rect(page, '#diagram g.state[data-state="Greet"] > rect');
    const natural = await page.$eval('#diagram g.state[data-state="Greet"] > rect', (r) => Number(r.getAttribute('width')));
    assert.ok(greet.w >= natural * 0.6, `Greet is drawn at ${Math.round((100 * greet.w) / natural)} %`);
    const editor = await rect(page, '#definition');
    const diagram = await rect(page, '#diagram');
    assert.ok(editor.r <= diagram.x, 'the editor stands beside the diagram');
    // The page itself does not scroll: each pane does.
    assert.ok(await page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight + 1));
    await page.screenshot({ path: join(artifacts, `workbench-${width}.png`) });
    assert.deepEqual(problems, []);
    await page.close();
  });
}

test('the workbench at 1024×768: the diagram, its controls and the editor are above the fold', async () => {
  const { page, problems } = await openApp({ viewport: { width: 1024, height: 768 } });
  await page.selectOption('#examples', 'order-workflow');
  await page.click('#run');
  await page.click('#to-end');
  await page.waitForSelector('#status.SUCCEEDED', { timeout: 10_000 });
  for (const sel of ['#definition', '#diagram svg', '#run', '#status']) {
    const r = await rect(page, sel);
    assert.ok(r.y >= 0 && r.b <= 768 + 1 && r.r <= 1024 + 1, `${sel} is out of view: ${JSON.stringify(r)}`);
  }
  await page.screenshot({ path: join(artifacts, 'workbench-1024.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(artifacts, 'workbench-1024-dark.png') });
  assert.deepEqual(problems, []);
  await page.close();
});

test('at 390 px: one column, the whole diagram fits the width, the history columns are readable', async () => {
  const { page, problems } = await openApp({ viewport: { width: 390, height: 844 } });
  await page.selectOption('#examples', 'order-workflow');
  await page.click('#run');
  await page.click('#to-end');
  await page.waitForSelector('#status.SUCCEEDED', { timeout: 10_000 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
  // Every state, the Catch target included, lies inside the diagram's box.
  const box = await rect(page, '#diagram');
  const svg = await rect(page, '#diagram svg');
  assert.ok(svg.x >= box.x - 1 && svg.r <= box.r + 1, `the drawing (${svg.w}px) is wider than its pane (${box.w}px)`);
  const decline = await rect(page, '#diagram g.state[data-state="ReportDecline"] > rect');
  assert.ok(decline.r <= box.r + 1, 'the Catch branch is cut off');
  await openTab(page, 'history');
  await page.$eval('#panel-history', (el) => el.scrollIntoView());
  for (const n of [2, 3, 4]) {
    const th = await rect(page, `#history thead th:nth-child(${n})`);
    assert.ok(th.r <= 390 && th.w >= 40, `history column ${n} is not readable: ${JSON.stringify(th)}`);
  }
  const state = await page.$$eval('#history tbody tr:not(.spacer) td:nth-child(3)', (tds) => tds.map((td) => td.textContent));
  assert.ok(state.includes('Validate'));
  await page.screenshot({ path: join(artifacts, 'phone-390.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(artifacts, 'phone-390-dark.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('examples explain themselves, and a load over edited work can be undone', async () => {
  const { page, problems } = await openApp();
  await setDefinition(page, '{"StartAt": "Mine", "States": {"Mine": {"Type": "Pass", "End": true}}}');
  await page.fill('#input', '{"mine": true}');
  await page.selectOption('#examples', 'retry-catch');
  assert.equal(await page.textContent('#example-title'), 'Retry and Catch');
  await page.click('#undo-load');
  assert.match(await getDefinition(page), /"Mine"/);
  assert.equal(await page.inputValue('#input'), '{"mine": true}');
  await page.selectOption('#examples', 'retry-catch');
  assert.match(await page.textContent('#example-description'), /retried with exponential back-off/);
  assert.match(await page.textContent('#example-try'), /set the test case to Declined/);
  assert.equal(await page.$eval('#examples', (s) => s.options[s.selectedIndex].text), 'Retry and Catch');
  // Folded to its title for room, unfolded again on demand.
  await page.click('#fold-example-info');
  assert.equal(await page.$('#example-try'), null);
  assert.equal(await page.textContent('#example-title'), 'Retry and Catch');
  await page.click('#fold-example-info');
  assert.match(await page.textContent('#example-try'), /Declined/);
  // The Map example's description names only what it does.
  await page.selectOption('#examples', 'map');
  assert.doesNotMatch(await page.textContent('#example-description'), /a Pass sums/);
  // Undo brings back what the load replaced, input included.
  await page.selectOption('#examples', 'choice');
  await page.click('#undo-load');
  assert.match(await getDefinition(page), /"PriceLines"/);
  assert.match(await page.inputValue('#input'), /"lines"/);
  // So does Ctrl+Z in the editor, for the text.
  await page.selectOption('#examples', 'parallel');
  assert.match(await getDefinition(page), /"Both"/);
  await page.click('.cm-content');
  await page.keyboard.press('Control+z');
  assert.match(await getDefinition(page), /"PriceLines"/);
  await page.evaluate(() => localStorage.clear());
  assert.deepEqual(problems, []);
  await page.close();
});

test('a restored share link is one undo step in the editor', async () => {
  const { page, problems } = await openApp();
  await setDefinition(page, '{"StartAt": "Saved", "States": {"Saved": {"Type": "Pass", "End": true}}}');
  const other = await h.browser.newPage();
  await other.goto(h.base);
  await other.waitForSelector('#run');
  await setDefinition(other, '{"StartAt": "Shared", "States": {"Shared": {"Type": "Pass", "End": true}}}');
  await other.click('#share');
  const link = await other.inputValue('#share-link');
  await other.close();
  await setDefinition(page, '{"StartAt": "Saved", "States": {"Saved": {"Type": "Pass", "End": true}}}');
  await page.goto('about:blank');
  await page.goto(link);
  await page.waitForSelector('#run');
  assert.match(await getDefinition(page), /"Shared"/);
  await page.click('.cm-content');
  await page.keyboard.press('Control+z');
  assert.match(await getDefinition(page), /"Saved"/);
  await page.evaluate(() => localStorage.clear());
  assert.deepEqual(problems, []);
  await page.close();
});

test('Map iterations and Parallel branches: the picker shows one iteration, the inspector its data', async () => {
  const { page, problems } = await openApp();
  await page.selectOption('#examples', 'map');
  await page.click('#run');
  await page.click('#to-end');
  await page.waitForSelector('#status.SUCCEEDED', { timeout: 10_000 });
  // The Map's own visit: what AWS applied after the iterations, from the Exited event.
  // On the Map's title bar (its middle is its iterations' drawing).
  await page.click('#diagram g.state[data-state="PriceLines"]', { position: { x: 12, y: 8 } });
  await page.waitForSelector('#inspector li[data-field="ResultPath"]');
  assert.doesNotMatch(await page.textContent('#inspector'), /not in the history/);
  // Pick iteration 1: the Price state's inspector shows that item (sku B).
  const picker = '#scope-pickers select[data-owner="PriceLines"]';
  assert.equal(await page.$$eval(`${picker} option`, (os) => os.length), 4);
  await page.selectOption(picker, '1');
  await page.click('#diagram g.state[data-state="Price"]');
  await page.waitForSelector('#inspector-state');
  assert.match(await page.textContent('#inspector'), /"sku": "B"/);
  await page.screenshot({ path: join(artifacts, 'map-iteration.png') });
  // A Parallel branch.
  await page.selectOption('#examples', 'parallel');
  await page.click('#run');
  await page.click('#to-end');
  await page.waitForSelector('#status.SUCCEEDED', { timeout: 10_000 });
  const branches = '#scope-pickers select[data-owner="Both"]';
  await page.selectOption(branches, '1');
  const legend = await page.textContent('#diagram-legend');
  assert.match(legend, /Fast/);
  assert.doesNotMatch(legend, /Slow/);
  await page.evaluate(() => localStorage.clear());
  assert.deepEqual(problems, []);
  await page.close();
});

test('the site works from a folder: relative asset URLs', async () => {
  const { page, problems } = await openApp({}, h.folderBase);
  await page.click('#run');
  await page.waitForSelector('#status.SUCCEEDED', { timeout: 10_000 });
  const absolute = await page.$$eval('script[src], link[href]', (els) => els.map((e) => e.getAttribute('src') ?? e.getAttribute('href')).filter((u) => u.startsWith('/')));
  assert.deepEqual(absolute, []);
  await page.evaluate(() => localStorage.clear());
  assert.deepEqual(problems, []);
  await page.close();
});

test('visuals: status is the fill, type is not; taken arrows stay small and green; dark canvas matches its pane', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, problems } = await openApp({ colorScheme, viewport: { width: 1440, height: 900 } });
    await page.selectOption('#examples', 'order-workflow');
    const fill = (name) => page.$eval(`#diagram g.state[data-state="${name}"] > rect`, (r) => getComputedStyle(r).fill);
    // The example's diagram drawn (a rect read while the SVG is being replaced has no style).
    await page.waitForFunction(() => ['Done', 'Validate', 'ReportDecline'].every((n) => {
      const r = document.querySelector(`#diagram g.state[data-state="${n}"] > rect`);
      return r && getComputedStyle(r).fill !== '';
    }));
    // Before a run, a Succeed, a Fail and a Task look alike: nothing visited yet.
    assert.equal(await fill('Done'), await fill('Validate'));
    assert.equal(await fill('ReportDecline'), await fill('Validate'));
    await page.click('#run');
    await page.click('#to-end');
    await page.waitForSelector('#status.SUCCEEDED', { timeout: 10_000 });
    assert.notEqual(await fill('Done'), await fill('ReportDecline'));
    const marker = await page.$eval('#diagram polyline.edge[data-from="Validate"][data-to="Reserve"]', (p) => getComputedStyle(p).markerEnd);
    assert.match(marker, /arrow-taken/);
    if (colorScheme === 'dark') {
      const bg = await page.$eval('#diagram', (d) => getComputedStyle(d).backgroundColor);
      const pane = await page.$eval('.pane-diagram', (d) => getComputedStyle(d).backgroundColor);
      assert.equal(bg, pane);
    }
    // The history names the state of a task's events; the timeline spans its pane.
    const rows = await page.$$eval('#history tbody tr:not(.spacer)', (trs) => trs.map((tr) => [tr.children[1].textContent, tr.children[2].textContent]));
    const scheduled = rows.find(([t]) => t === 'TaskScheduled');
    assert.ok(scheduled && scheduled[1] === 'Validate', JSON.stringify(scheduled));
    await openTab(page, 'timeline');
    const tl = await rect(page, '#timeline svg');
    const pane = await rect(page, '#panel-timeline');
    assert.ok(tl.w >= pane.w * 0.9, `the timeline uses ${Math.round((100 * tl.w) / pane.w)} % of its pane`);
    // The retried Charge, inspected beside the drawing (looked at in the screenshots).
    await page.click('#diagram g.state[data-state="Charge"]');
    await page.screenshot({ path: join(artifacts, `visuals-${colorScheme}.png`) });
    // Strings in the editor are not in the error red.
    const colour = await page.$$eval('.cm-line span', (spans) => {
      const s = spans.find((x) => /^"[a-z ]+"$/i.test(x.textContent) && !x.textContent.endsWith(':'));
      return s && getComputedStyle(s).color;
    });
    assert.ok(colour && !['rgb(170, 17, 17)', 'rgb(179, 38, 30)', 'rgb(242, 139, 130)'].includes(colour), colour);
    await page.evaluate(() => localStorage.clear());
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test('a Fail state inspects without an InputPath; a long syntax error is listed once, short', async () => {
  const { page, problems } = await openApp();
  await page.fill('#input', '{}');
  await page.click('#run');
  await page.waitForSelector('#status.FAILED', { timeout: 10_000 });
  await page.click('#diagram g.state[data-state="NoName"]');
  await page.waitForSelector('#inspector-state');
  assert.equal(await page.$('#inspector li[data-field="InputPath"]'), null);
  const long = JSON.stringify({ StartAt: 'A', States: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`S${i}`, { Type: 'Pass', Next: `S${i + 1}` }])) });
  await setDefinition(page, long.slice(0, -3) + ',,}}');
  await page.waitForSelector('#problems li.error');
  const listed = await page.textContent('#problems');
  assert.ok(listed.length < 600, `the problems list is ${listed.length} characters: ${listed.slice(0, 200)}`);
  await page.evaluate(() => localStorage.clear());
  assert.deepEqual(problems, []);
  await page.close();
});
