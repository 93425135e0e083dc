// Diagrams that read well (issue 15): the flow drawn left to right in the page (a toggle that is
// remembered) and in the embeds (data-direction="LR"), with everything that works on the diagram
// working that way too: run marks, selection, keyboard navigation, zoom and fit, export.
// Screenshots at 1440×900, 1024×768 and 390×844, light and dark, go to tests/e2e/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as harness from './harness.mjs';

const { artifacts, dist } = harness;
let h;
let embedSrv;
const pages = new Map();

before(async () => {
  h = await harness.start();
  embedSrv = await harness.serve({
    '/sfnsim/': dist,
    '/pages/': async (rest) => (pages.has(rest) ? { body: pages.get(rest) } : null),
  });
});

after(async () => {
  await h?.close();
  embedSrv?.close();
});

const VIEWPORTS = [[1440, 900], [1024, 768], [390, 844]];
const openApp = (options = {}, url = h.base) => harness.openApp(h.browser, url, options);
const setDefinition = (page, text) => page.evaluate((t) => window.sfnsimEditor.current.setText(t, true), text);
/** The boxes of the drawn states, by name, in page px. */
const boxes = (page, root = '#diagram') => page.$$eval(`${root} g.state`, (gs) => Object.fromEntries(gs.map((g) => {
  const r = g.querySelector(':scope > rect').getBoundingClientRect();
  return [g.getAttribute('data-state'), { x: r.x, y: r.y, w: r.width, h: r.height, cx: r.x + r.width / 2, cy: r.y + r.height / 2 }];
})));
const focused = (page) => page.evaluate(() => document.activeElement?.getAttribute('data-state'));
const pressed = (page, sel) => page.getAttribute(sel, 'aria-pressed');

/** Every forward edge of the drawing runs rightwards (LR) or downwards (TB): compares its ends. */
async function edgesRun(page, way) {
  const edges = await page.$$eval('#diagram polyline.edge', (ps) => ps.map((p) => {
    const pts = p.getAttribute('points').trim().split(/\s+/).map((s) => s.split(',').map(Number));
    return { from: p.dataset.from, to: p.dataset.to, dashed: p.getAttribute('stroke-dasharray'), a: pts[0], b: pts[pts.length - 1] };
  }));
  assert.ok(edges.length > 0);
  const axis = way === 'LR' ? 0 : 1;
  // Back edges (loops) are dashed 6 4, in orange; every other one runs along the flow.
  const forward = edges.filter((e) => e.dashed !== '6 4' && e.from !== e.to);
  for (const e of forward) assert.ok(e.b[axis] > e.a[axis], `${e.from} -> ${e.to} runs ${way}: ${e.a} to ${e.b}`);
}

test('left to right in the page: the toggle redraws the flow rightwards, is remembered, and survives typing', async () => {
  const { page, problems } = await openApp({ viewport: { width: 1440, height: 900 } });
  await page.evaluate(() => localStorage.removeItem('sfnsim.direction'));
  await page.reload();
  await page.waitForSelector('#diagram g.state[data-state="HasName"]');
  assert.equal(await pressed(page, '#direction'), 'false');
  let b = await boxes(page);
  assert.ok(b.Greet.cy > b.HasName.cy + 20, 'top to bottom at first: Greet below HasName');
  await edgesRun(page, 'TB');
  await page.click('#direction');
  await page.waitForFunction(() => document.querySelector('#direction')?.getAttribute('aria-pressed') === 'true');
  b = await boxes(page);
  assert.ok(b.Greet.cx > b.HasName.cx + 20, `left to right: Greet right of HasName (${b.Greet.cx} vs ${b.HasName.cx})`);
  assert.ok(b.Done.cx > b.Greet.cx + 20, 'Done right of Greet');
  assert.ok(Math.abs(b.Start.cy - b.HasName.cy) < 2, 'Start and the first state on one line');
  await edgesRun(page, 'LR');
  const svg = await page.$eval('#diagram svg', (s) => ({ w: Number(s.getAttribute('width')), h: Number(s.getAttribute('height')) }));
  assert.ok(svg.w > svg.h, `a chain drawn left to right is wider than tall: ${svg.w}×${svg.h}`);
  assert.equal(await page.evaluate(() => localStorage.getItem('sfnsim.direction')), 'LR');
  // Remembered over a reload.
  await page.reload();
  await page.waitForSelector('#diagram g.state[data-state="HasName"]');
  assert.equal(await pressed(page, '#direction'), 'true');
  b = await boxes(page);
  assert.ok(b.Greet.cx > b.HasName.cx + 20, 'still left to right after a reload');
  // Typing into the editor (spaces included) redraws, still left to right.
  await page.click('.cm-content');
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('End'); // after the first line's "{"
  await page.keyboard.press('Enter');
  await page.keyboard.type('"Comment": "drawn left to right",');
  await page.waitForTimeout(600);
  assert.match(await page.evaluate(() => window.sfnsimEditor.current.getText()), /"Comment": "drawn left to right"/);
  await setDefinition(page, JSON.stringify({
    StartAt: 'First step', States: {
      'First step': { Type: 'Pass', Next: 'Second step' },
      'Second step': { Type: 'Pass', Next: 'Third step' },
      'Third step': { Type: 'Succeed' },
    },
  }, null, 2));
  await page.waitForSelector('#diagram g.state[data-state="Third step"]');
  b = await boxes(page);
  assert.ok(b['First step'].cx < b['Second step'].cx && b['Second step'].cx < b['Third step'].cx, 'a typed chain runs rightwards');
  // And back.
  await page.click('#direction');
  await page.waitForFunction(() => document.querySelector('#direction')?.getAttribute('aria-pressed') === 'false');
  b = await boxes(page);
  assert.ok(b['First step'].cy < b['Second step'].cy, 'top to bottom again');
  assert.equal(await page.evaluate(() => localStorage.getItem('sfnsim.direction')), 'TB');
  assert.deepEqual(problems, []);
  await page.close();
});

test('left to right: run marks, selection, keyboard navigation, zoom, fit and export all work', async () => {
  const { page, problems } = await openApp({ viewport: { width: 1440, height: 900 } });
  await page.evaluate(() => localStorage.setItem('sfnsim.direction', 'LR'));
  await page.reload();
  await page.waitForSelector('#diagram g.state[data-state="HasName"]');
  assert.equal(await pressed(page, '#direction'), 'true');
  await page.click('#run');
  await page.waitForSelector('#status.SUCCEEDED', { timeout: 10_000 });
  // Marks: the visited states are green, the edge taken is a thick green arrow.
  const stroke = await page.$eval('#diagram g.state[data-state="Done"] > rect', (r) => getComputedStyle(r).stroke);
  assert.equal(stroke, 'rgb(29, 138, 74)');
  const taken = await page.$eval('#diagram polyline.edge[data-from="HasName"][data-to="Greet"]', (e) => getComputedStyle(e).strokeWidth);
  assert.equal(taken, '2.8px');
  // Selection: a click on a state inspects it and outlines it.
  await page.click('#diagram g.state[data-state="Greet"]');
  await page.waitForFunction(() => /Greet/.test(document.querySelector('#inspector')?.textContent ?? ''));
  const filter = await page.$eval('#diagram g.state[data-state="Greet"] > rect', (r) => getComputedStyle(r).filter);
  assert.match(filter, /drop-shadow/);
  // Keys follow the drawing: → along the flow, ↓ ↑ across it, ← back.
  await page.focus('#diagram g.state[data-state="HasName"]');
  await page.keyboard.press('ArrowRight');
  const first = await focused(page);
  assert.ok(['Greet', 'NoName'].includes(first), `→ from the Choice reaches one of its targets, got ${first}`);
  await page.keyboard.press('ArrowDown');
  const second = await focused(page);
  assert.ok(['Greet', 'NoName'].includes(second) && second !== first, `↓ goes to the other target, got ${second}`);
  await page.keyboard.press('ArrowLeft');
  assert.equal(await focused(page), 'HasName');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#inspector-rules');
  // Zoom and fit.
  const width = () => page.$eval('#diagram svg', (s) => s.getBoundingClientRect().width);
  const fitted = await width();
  await page.click('#zoom-reset');
  const natural = await width();
  await page.click('#zoom-in');
  assert.ok((await width()) > natural * 1.2);
  assert.equal(await page.textContent('#zoom-level'), '125%');
  await page.click('#zoom-fit');
  assert.equal(await page.textContent('#zoom-level'), 'fitted');
  assert.ok(Math.abs((await width()) - fitted) < 1);
  // Export: the left-to-right drawing, with the run's marks.
  const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
  const svgText = await readFile(await svgDownload.path(), 'utf8');
  const [, w, hh] = svgText.match(/<svg[^>]* width="([\d.]+)" height="([\d.]+)"/);
  assert.ok(Number(w) > Number(hh), `the exported drawing runs left to right: ${w}×${hh}`);
  assert.match(svgText, /<style>.*data-state="Greet"/s);
  const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
  const png = await readFile(await pngDownload.path());
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  assert.ok(png.readUInt32BE(16) > png.readUInt32BE(20), 'the PNG is wider than tall');
  await page.evaluate(() => localStorage.removeItem('sfnsim.direction'));
  assert.deepEqual(problems, []);
  await page.close();
});

test('left to right: a Parallel\'s branches stack and ↓ switches branch; screenshots at three sizes, light and dark', async () => {
  for (const [width, height] of VIEWPORTS) {
    for (const colorScheme of ['light', 'dark']) {
      const { page, problems } = await openApp({ viewport: { width, height }, colorScheme });
      await page.evaluate(() => localStorage.setItem('sfnsim.direction', 'LR'));
      await page.reload();
      await page.waitForSelector('#run');
      await page.selectOption('#examples', 'order-workflow');
      await page.waitForSelector('#diagram g.state[data-state="Fulfil"]');
      const b = await boxes(page);
      assert.ok(b.Ship.cx > b.Fulfil.x && b.Ship.cx < b.Fulfil.x + b.Fulfil.w, 'Ship inside the Parallel');
      assert.ok(Math.abs(b.Ship.cy - b.Email.cy) > 20, 'branches one under the other');
      assert.ok(b.Done.x > b.Fulfil.x + b.Fulfil.w - 1, 'Done right of the Parallel');
      if (width === 1440 && colorScheme === 'light') {
        await page.focus('#diagram g.state[data-state="Fulfil"]');
        await page.keyboard.press('ArrowRight');
        const first = await focused(page);
        assert.ok(['Ship', 'Email'].includes(first), `→ enters a branch: ${first}`);
        await page.keyboard.press('ArrowDown');
        const other = await focused(page);
        assert.ok(['Ship', 'Email'].includes(other) && other !== first, `↓ goes to the other branch: ${other}`);
        await page.keyboard.press('ArrowRight');
        assert.equal(await focused(page), 'Done', '→ at a branch end leaves the box');
      }
      await page.click('#run');
      await page.waitForSelector('#status.SUCCEEDED, #status.FAILED', { timeout: 10_000 });
      await page.locator('#diagram').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(artifacts, `views-lr-${width}-${colorScheme}.png`) });
      await page.evaluate(() => localStorage.removeItem('sfnsim.direction'));
      assert.deepEqual(problems, []);
      await page.close();
    }
  }
});

const HELLO = {
  StartAt: 'Has name?',
  States: {
    'Has name?': { Type: 'Choice', Choices: [{ Variable: '$.name', IsPresent: true, Next: 'Greet' }], Default: 'No name' },
    Greet: { Type: 'Pass', Next: 'Done' },
    'No name': { Type: 'Fail', Error: 'MissingName' },
    Done: { Type: 'Succeed' },
  },
};
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
const block = (def, attrs = '') => `<pre class="sfnsim" ${attrs}>${esc(JSON.stringify(def, null, 2))}</pre>`;
const pageHtml = (body) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>views</title><script src="/sfnsim/embed/sfnsim.js" defer></script></head><body>${body}</body></html>`;

test('embeds: data-direction="LR" draws the flow left to right, a run marks it, the iframe form takes direction=LR', async () => {
  pages.set('lr.html', pageHtml(`<h1>Left to right</h1>${block(HELLO, 'data-direction="LR" data-input=\'{"name":"Ada"}\'')}${block(HELLO)}`));
  for (const [width, height] of VIEWPORTS) {
    for (const colorScheme of ['light', 'dark']) {
      const page = await h.browser.newPage({ viewport: { width, height }, colorScheme });
      const problems = [];
      page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
      page.on('pageerror', (e) => problems.push(String(e)));
      await page.goto(`${embedSrv.origin}/pages/lr.html`);
      await page.waitForFunction(() => [...document.querySelectorAll('.sfnsim-embed')].filter((e) => e.shadowRoot?.querySelector('svg')).length === 2, null, { timeout: 15000 });
      const embedBoxes = (i) => page.locator('.sfnsim-embed').nth(i).evaluate((host) => Object.fromEntries([...host.shadowRoot.querySelectorAll('g.state')].map((g) => {
        const r = g.querySelector(':scope > rect').getBoundingClientRect();
        return [g.getAttribute('data-state'), { cx: r.x + r.width / 2, cy: r.y + r.height / 2 }];
      })));
      const lr = await embedBoxes(0);
      assert.ok(lr.Greet.cx > lr['Has name?'].cx + 10 && lr.Done.cx > lr.Greet.cx + 10, 'the first embed runs left to right');
      const tb = await embedBoxes(1);
      assert.ok(tb.Greet.cy > tb['Has name?'].cy + 10, 'the second stays top to bottom');
      assert.equal(await page.locator('.sfnsim-embed').nth(0).evaluate((host) => host.shadowRoot.querySelector('.sfn').dataset.direction), 'LR');
      if (width === 1440 && colorScheme === 'light') {
        const run = page.locator('.sfnsim-embed').nth(0).locator('button.run');
        await run.click();
        await page.locator('.sfnsim-embed').nth(0).locator('.status[data-kind="ok"]').waitFor({ timeout: 10000 });
        const stroke = await page.locator('.sfnsim-embed').nth(0).locator('g.state[data-state="Done"] > rect').evaluate((r) => getComputedStyle(r).stroke);
        assert.equal(stroke, 'rgb(29, 138, 74)');
      }
      await page.screenshot({ path: join(artifacts, `views-embed-lr-${width}-${colorScheme}.png`), fullPage: true });
      assert.deepEqual(problems, []);
      await page.close();
    }
  }
  // The iframe form: frame.html#share=…&direction=LR.
  const page = await h.browser.newPage({ viewport: { width: 1024, height: 768 } });
  await page.goto(`${embedSrv.origin}/sfnsim/`);
  await page.waitForSelector('#run');
  const share = await page.evaluate(async (def) => {
    const m = await import('./embed/sfnsim.mjs');
    await m.ready;
    return m.encodeShare({ definition: JSON.stringify(def), input: '{}', seed: 0, world: null });
  }, HELLO);
  await page.goto(`${embedSrv.origin}/sfnsim/embed/frame.html#share=${share}&direction=LR`);
  await page.waitForFunction(() => document.querySelector('#embed')?.shadowRoot?.querySelector('svg'));
  const fb = await page.$eval('#embed', (host) => Object.fromEntries([...host.shadowRoot.querySelectorAll('g.state')].map((g) => {
    const r = g.querySelector(':scope > rect').getBoundingClientRect();
    return [g.getAttribute('data-state'), r.x + r.width / 2];
  })));
  assert.ok(fb.Greet > fb['Has name?'] && fb.Done > fb.Greet, 'the iframe embed runs left to right');
  await page.close();
});

/** The drawn states' names. */
const stateNames = (page) => page.$$eval('#diagram g.state', (gs) => gs.map((g) => g.getAttribute('data-state')));
const boxText = (page, name) => page.$eval(`#diagram g.state[data-state="${name}"]`, (g) => [...g.querySelectorAll('text')].map((t) => t.textContent).join(' | '));

test('collapse and expand a Parallel or Map: a click on its control or C on the focused box; fewer boxes, the layout redone, kept for the session', async () => {
  const { page, problems } = await openApp({ viewport: { width: 1440, height: 900 } });
  await page.evaluate(() => { localStorage.removeItem('sfnsim.direction'); sessionStorage.removeItem('sfnsim.collapsed'); });
  await page.selectOption('#examples', 'order-workflow');
  await page.waitForSelector('#diagram g.state[data-state="Fulfil"]');
  const open = await stateNames(page);
  assert.ok(open.includes('Ship') && open.includes('Email') && open.includes('ReserveLine'));
  const before = await boxes(page);
  const sceneHeight = () => page.$eval('#diagram svg', (s) => Number(s.getAttribute('height')));
  const tall = await sceneHeight();
  // The control on the Parallel's title bar collapses it.
  assert.equal(await page.getAttribute('#diagram g.box-toggle[data-toggle="Fulfil"]', 'aria-label'), 'Collapse Fulfil');
  await page.click('#diagram g.box-toggle[data-toggle="Fulfil"]');
  await page.waitForSelector('#diagram g.state.collapsed[data-state="Fulfil"]');
  let names = await stateNames(page);
  assert.equal(names.length, open.length - 2, 'Ship and Email are hidden');
  assert.ok(!names.includes('Ship') && !names.includes('Email'));
  assert.match(await boxText(page, 'Fulfil'), /Parallel · 2 branches \| Fulfil/);
  let after = await boxes(page);
  assert.ok(after.Fulfil.h < before.Fulfil.h / 2, `the collapsed box is a state's size: ${after.Fulfil.h} vs ${before.Fulfil.h}`);
  assert.ok(await sceneHeight() < tall - 60, `the layout was recomputed: ${await sceneHeight()} vs ${tall} px tall`);
  await page.locator('#diagram').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(artifacts, 'views-collapsed-click.png') });
  assert.equal(await page.getAttribute('#diagram g.box-toggle[data-toggle="Fulfil"]', 'aria-label'), 'Expand Fulfil');
  // The inspector is not opened by the control; a click on the box itself inspects the Parallel.
  assert.doesNotMatch(await page.textContent('#inspector'), /Fulfil/);
  // C on the keyboard-focused Map collapses it, and the focus stays on it.
  await page.focus('#diagram g.state[data-state="Reserve"]');
  await page.keyboard.press('c');
  await page.waitForSelector('#diagram g.state.collapsed[data-state="Reserve"]');
  assert.match(await boxText(page, 'Reserve'), /Map · 1 state \| Reserve/);
  assert.equal(await focused(page), 'Reserve');
  assert.ok(!(await stateNames(page)).includes('ReserveLine'));
  // Keys still walk the flow, past the collapsed boxes.
  await page.keyboard.press('ArrowDown');
  assert.equal(await focused(page), 'Charge');
  await page.keyboard.press('ArrowDown');
  assert.equal(await focused(page), 'Fulfil');
  await page.keyboard.press('ArrowDown');
  assert.equal(await focused(page), 'Done', '↓ on a collapsed box goes on past it, not into it');
  // Expand again by key, and it is back with its branch states.
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('C');
  await page.waitForSelector('#diagram g.state[data-state="Ship"]');
  assert.equal(await focused(page), 'Fulfil');
  await page.keyboard.press('c');
  await page.waitForSelector('#diagram g.state.collapsed[data-state="Fulfil"]');
  // Typing elsewhere in the definition (a space) keeps the set; so does a reload (the session).
  await page.click('.cm-content');
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('End');
  await page.keyboard.type(' ');
  await page.waitForTimeout(600);
  await page.waitForSelector('#diagram g.state.collapsed[data-state="Fulfil"]');
  await page.reload();
  await page.waitForSelector('#diagram g.state.collapsed[data-state="Reserve"]');
  await page.waitForSelector('#diagram g.state.collapsed[data-state="Fulfil"]');
  // Another definition has its own set (none), and coming back brings this one back.
  await page.selectOption('#examples', 'parallel');
  await page.waitForSelector('#diagram g.state[data-state="Slow"]');
  assert.equal(await page.$$eval('#diagram g.state.collapsed', (g) => g.length), 0);
  await page.click('#diagram g.box-toggle[data-toggle="Both"]');
  await page.waitForSelector('#diagram g.state.collapsed[data-state="Both"]');
  assert.match(await boxText(page, 'Both'), /Parallel · 2 branches/);
  await page.selectOption('#examples', 'order-workflow');
  await page.waitForSelector('#diagram g.state.collapsed[data-state="Fulfil"]');
  await page.waitForSelector('#diagram g.state.collapsed[data-state="Reserve"]');
  // Export: the collapsed drawing, without the page's controls.
  const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
  const svgText = await readFile(await svgDownload.path(), 'utf8');
  assert.match(svgText, /Parallel · 2 branches/);
  assert.doesNotMatch(svgText, /box-toggle/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a collapsed box shows whether anything inside ran or failed; a state inside it selected shows on the box', async () => {
  const { page, problems } = await openApp({ viewport: { width: 1440, height: 900 } });
  await page.evaluate(() => { localStorage.removeItem('sfnsim.direction'); sessionStorage.removeItem('sfnsim.collapsed'); });
  await page.reload();
  await page.selectOption('#examples', 'order-workflow');
  await page.waitForSelector('#diagram g.state[data-state="Fulfil"]');
  await page.click('#diagram g.box-toggle[data-toggle="Fulfil"]');
  await page.waitForSelector('#diagram g.state.collapsed[data-state="Fulfil"]');
  await page.click('#run');
  await page.waitForSelector('#status.SUCCEEDED', { timeout: 10_000 });
  await page.waitForSelector('#diagram g.inside-badge.visited[data-state="Fulfil"]');
  assert.match(await page.textContent('#diagram g.inside-badge[data-state="Fulfil"]'), /Fulfil: the states inside ran✓/);
  assert.match(await page.textContent('#diagram-legend'), /Inside collapsed boxes: Fulfil \(ran\)/);
  // The Parallel's own mark is the usual one.
  assert.equal(await page.$eval('#diagram g.state[data-state="Fulfil"] > rect', (r) => getComputedStyle(r).stroke), 'rgb(29, 138, 74)');
  // A history row of a state inside (Ship) selects it: the collapsed box shows the selection.
  await harness.openTab(page, 'history');
  await page.fill('#history-filter', 'TaskStateEntered');
  await page.click('#history tbody tr:has(td:text-is("Ship"))');
  await page.waitForFunction(() => /drop-shadow/.test(getComputedStyle(document.querySelector('#diagram g.state[data-state="Fulfil"] > rect')).filter));
  await page.locator('#diagram').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(artifacts, 'views-collapsed-ran.png') });
  // A failure inside: a branch's Task that times out, caught by the Parallel.
  await setDefinition(page, JSON.stringify({
    StartAt: 'Both',
    States: {
      Both: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'Fine', States: { Fine: { Type: 'Pass', End: true } } },
          { StartAt: 'Slow call', States: { 'Slow call': { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } }, TimeoutSeconds: 5, End: true } } },
        ],
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handled' }],
        Next: 'Done',
      },
      Handled: { Type: 'Pass', End: true },
      Done: { Type: 'Succeed' },
    },
  }, null, 2));
  await page.waitForSelector('#diagram g.state[data-state="Slow call"]');
  await page.click('#diagram g.box-toggle[data-toggle="Both"]');
  await page.waitForSelector('#diagram g.state.collapsed[data-state="Both"]');
  await page.click('#run');
  await page.click('#to-end');
  await page.waitForSelector('#status.SUCCEEDED', { timeout: 10_000 });
  await page.waitForSelector('#diagram g.inside-badge.failed[data-state="Both"]');
  assert.match(await page.textContent('#diagram g.inside-badge[data-state="Both"]'), /Both: a state inside failed✕/);
  assert.match(await page.textContent('#diagram-legend'), /Both \(a state failed\)/);
  await page.locator('#diagram').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(artifacts, 'views-collapsed-failed.png') });
  assert.deepEqual(problems, []);
  await page.close();
});

test('collapsed boxes at three sizes, light and dark, top to bottom and left to right', async () => {
  for (const [width, height] of VIEWPORTS) {
    for (const colorScheme of ['light', 'dark']) {
      const { page, problems } = await openApp({ viewport: { width, height }, colorScheme });
      await page.evaluate(() => { localStorage.setItem('sfnsim.direction', 'TB'); sessionStorage.removeItem('sfnsim.collapsed'); });
      await page.reload();
      await page.waitForSelector('#run');
      await page.selectOption('#examples', 'order-workflow');
      await page.waitForSelector('#diagram g.state[data-state="Fulfil"]');
      await page.click('#diagram g.box-toggle[data-toggle="Fulfil"]');
      await page.waitForSelector('#diagram g.state.collapsed[data-state="Fulfil"]');
      await page.click('#run');
      await page.waitForSelector('#status.SUCCEEDED', { timeout: 10_000 });
      await page.locator('#diagram').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(artifacts, `views-collapsed-tb-${width}-${colorScheme}.png`) });
      await page.click('#direction');
      await page.waitForFunction(() => document.querySelector('#direction')?.getAttribute('aria-pressed') === 'true');
      await page.waitForSelector('#diagram g.state.collapsed[data-state="Fulfil"]');
      const b = await boxes(page);
      assert.ok(b.Fulfil.cx > b.Charge.cx && b.Done.cx > b.Fulfil.cx, 'left to right with the box collapsed');
      await page.locator('#diagram').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(artifacts, `views-collapsed-lr-${width}-${colorScheme}.png`) });
      await page.evaluate(() => { localStorage.removeItem('sfnsim.direction'); sessionStorage.removeItem('sfnsim.collapsed'); });
      assert.deepEqual(problems, []);
      await page.close();
    }
  }
});

/** A large machine: a chain of Choices and Tasks with a Parallel and a Map on the way. */
function largeDefinition(n = 36) {
  const States = {};
  for (let i = 0; i < n; i++) {
    const next = i + 1 < n ? `Step ${i + 1}` : 'Fan out';
    States[`Step ${i}`] = i % 4 === 1
      ? { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: i, Next: next }], Default: i + 2 < n ? `Step ${i + 2}` : 'Fan out' }
      : { Type: 'Pass', Next: next };
  }
  States['Fan out'] = {
    Type: 'Parallel', Next: 'Each', ResultPath: '$.branches',
    Branches: [0, 1, 2].map((b) => ({ StartAt: `B${b} first`, States: { [`B${b} first`]: { Type: 'Pass', Next: `B${b} last` }, [`B${b} last`]: { Type: 'Pass', End: true } } })),
  };
  States.Each = { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'Item', States: { Item: { Type: 'Pass', End: true } } }, End: true };
  return { StartAt: 'Step 0', States };
}
const minimapRects = (page) => page.evaluate(() => {
  const r = (el) => { const b = el.getBoundingClientRect(); return { x: b.x, y: b.y, w: b.width, h: b.height, cx: b.x + b.width / 2, cy: b.y + b.height / 2 }; };
  const d = document.querySelector('#diagram');
  return { map: r(document.querySelector('#minimap')), view: r(document.querySelector('#minimap .minimap-view')), left: d.scrollLeft, top: d.scrollTop };
});

test('the overview (minimap) of a large machine: shown only while the drawing is larger than its pane; a click or a drag moves the view, scrolling moves its frame', async () => {
  const { page, problems } = await openApp({ viewport: { width: 1440, height: 900 } });
  await page.evaluate(() => { localStorage.removeItem('sfnsim.direction'); sessionStorage.removeItem('sfnsim.collapsed'); });
  await page.reload();
  await page.waitForSelector('#diagram g.state[data-state="HasName"]');
  await setDefinition(page, JSON.stringify(largeDefinition(), null, 2));
  await page.waitForSelector('#diagram g.state[data-state="Each"]');
  // Fitted, the whole drawing is in the pane: no overview.
  assert.equal(await page.textContent('#zoom-level'), 'fitted');
  assert.equal(await page.$('#minimap'), null);
  // At its natural size it is larger than the pane: the overview appears, framing the top.
  await page.click('#zoom-reset');
  await page.waitForSelector('#minimap .minimap-view');
  let m = await minimapRects(page);
  assert.ok(m.view.h < m.map.h * 0.6, `the frame is a part of the overview: ${m.view.h} of ${m.map.h}`);
  assert.ok(Math.abs(m.view.y - m.map.y) < 4, 'at the top at first');
  const src = await page.getAttribute('#minimap img', 'src');
  assert.match(src, /^data:image\/svg\+xml/);
  assert.ok(decodeURIComponent(src).includes('Fan out'), 'the overview draws the same machine');
  // A click near the overview's bottom moves the view there.
  await page.mouse.click(m.map.cx, m.map.y + m.map.h - 6);
  await page.waitForFunction((top) => document.querySelector('#diagram').scrollTop > top + 200, m.top);
  m = await minimapRects(page);
  assert.ok(m.view.y + m.view.h > m.map.y + m.map.h - 4, `the frame followed to the bottom: ${JSON.stringify(m)}`);
  // A drag from there up to the middle brings the view along.
  await page.mouse.move(m.map.cx, m.map.y + m.map.h - 6);
  await page.mouse.down();
  await page.mouse.move(m.map.cx, m.map.y + m.map.h * 0.75, { steps: 4 });
  await page.mouse.move(m.map.cx, m.map.cy, { steps: 4 });
  await page.mouse.up();
  const dragged = await minimapRects(page);
  assert.ok(dragged.top < m.top - 100, `the drag moved the view up: ${dragged.top} from ${m.top}`);
  assert.ok(Math.abs(dragged.view.cy - m.map.cy) < 6, `the frame is centred where the drag ended: ${dragged.view.cy} vs ${m.map.cy}`);
  // Scrolling the drawing (the wheel, as a user does) moves the frame.
  await page.mouse.move((await page.$eval('#diagram', (d) => d.getBoundingClientRect().x + 60)), 500);
  await page.mouse.wheel(0, 400);
  await page.waitForFunction((top) => document.querySelector('#diagram').scrollTop > top + 100, dragged.top);
  await page.waitForFunction((y) => document.querySelector('#minimap .minimap-view').getBoundingClientRect().y > y + 3, dragged.view.y);
  await page.locator('#diagram').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(artifacts, 'views-minimap-1440.png') });
  // The overview is not in the tab order, not read out, and not in an export.
  assert.equal(await page.getAttribute('#minimap', 'aria-hidden'), 'true');
  assert.equal(await page.$$eval('#minimap [tabindex]', (e) => e.length), 0);
  const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
  assert.doesNotMatch(await readFile(await svgDownload.path(), 'utf8'), /minimap/);
  // Fit again: the whole drawing is in the pane, the overview goes.
  await page.click('#zoom-fit');
  await page.waitForSelector('#minimap', { state: 'detached' });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the overview at three sizes, light and dark, top to bottom and left to right; a run is marked on it', async () => {
  for (const [width, height] of VIEWPORTS) {
    for (const colorScheme of ['light', 'dark']) {
      const { page, problems } = await openApp({ viewport: { width, height }, colorScheme });
      await page.evaluate(() => { localStorage.removeItem('sfnsim.direction'); sessionStorage.removeItem('sfnsim.collapsed'); });
      await page.reload();
      await page.waitForSelector('#diagram g.state[data-state="HasName"]');
      await setDefinition(page, JSON.stringify(largeDefinition(), null, 2));
      await page.waitForSelector('#diagram g.state[data-state="Each"]');
      await page.fill('#input', '{"n": 100, "items": [1, 2]}');
      await page.click('#run');
      await page.waitForSelector('#status.SUCCEEDED', { timeout: 10_000 });
      for (const way of ['TB', 'LR']) {
        if (way === 'LR') {
          await page.click('#direction');
          await page.waitForFunction(() => document.querySelector('#direction')?.getAttribute('aria-pressed') === 'true');
        }
        await page.click('#zoom-reset');
        await page.waitForSelector('#minimap .minimap-view');
        await page.locator('#minimap').scrollIntoViewIfNeeded();
        assert.match(decodeURIComponent(await page.getAttribute('#minimap img', 'src')), /<style>.*data-state="Each"/s, 'the run is marked on the overview');
        const m = await minimapRects(page);
        const pane = await page.$eval('#diagram', (d) => { const b = d.getBoundingClientRect(); return { x: b.x, y: b.y, r: b.right, b: b.bottom }; });
        assert.ok(m.map.x >= pane.x && m.map.x + m.map.w <= pane.r + 1 && m.map.y + m.map.h <= pane.b + 1, `the overview sits inside the pane (${way} ${width})`);
        // Click the overview's far end (right end left to right, bottom top to bottom).
        const at = way === 'LR' ? [m.map.x + m.map.w - 4, m.map.cy] : [m.map.cx, m.map.y + m.map.h - 4];
        await page.mouse.click(...at);
        await page.waitForFunction(([l, t]) => { const d = document.querySelector('#diagram'); return d.scrollLeft > l + 50 || d.scrollTop > t + 50; }, [m.left, m.top]);
        await page.locator('#diagram').scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(artifacts, `views-minimap-${way.toLowerCase()}-${width}-${colorScheme}.png`) });
      }
      await page.evaluate(() => localStorage.removeItem('sfnsim.direction'));
      assert.deepEqual(problems, []);
      await page.close();
    }
  }
});

test('the Embed snippets follow the page left to right; embeds and the JS API take the boxes to collapse', async () => {
  const { page, problems } = await openApp({ viewport: { width: 1440, height: 900 } });
  await page.evaluate(() => localStorage.removeItem('sfnsim.direction'));
  await page.reload();
  await page.selectOption('#examples', 'order-workflow');
  await page.waitForSelector('#diagram g.state[data-state="Fulfil"]');
  await page.click('#embed');
  assert.doesNotMatch(await page.inputValue('#embed-script'), /data-direction/, 'top to bottom: nothing said');
  assert.doesNotMatch(await page.inputValue('#embed-iframe'), /direction=/);
  await page.click('#embed-close');
  await page.click('#direction');
  await page.waitForFunction(() => document.querySelector('#direction')?.getAttribute('aria-pressed') === 'true');
  await page.click('#embed');
  const script = await page.inputValue('#embed-script');
  const iframe = await page.inputValue('#embed-iframe');
  assert.match(script, /<pre class="sfnsim" data-direction="LR"/, script.slice(0, 200));
  assert.match(iframe, /&amp;direction=LR"/, iframe);
  // The snippet pasted into a page draws left to right, as the page did.
  pages.set('snippet.html', pageHtml(script.replace(/<script[^>]*><\/script>\n/, '')));
  const host = await h.browser.newPage({ viewport: { width: 1440, height: 900 } });
  await host.goto(`${embedSrv.origin}/pages/snippet.html`);
  await host.waitForFunction(() => document.querySelector('.sfnsim-embed')?.shadowRoot?.querySelector('svg'), null, { timeout: 15000 });
  const at = (n) => host.locator('.sfnsim-embed').evaluate((e, name) => e.shadowRoot.querySelector(`g.state[data-state="${name}"] > rect`).getBoundingClientRect().x, n);
  assert.ok(await at('Charge') > await at('Validate') + 20, 'the pasted embed runs left to right');
  // data-collapsed draws those boxes as one each.
  const ORDER = JSON.parse(script.match(/<pre[^>]*>([\s\S]*)<\/pre>/)[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
  pages.set('collapsed.html', pageHtml(block(ORDER, 'data-collapsed="Fulfil, Reserve"') + block(ORDER)));
  await host.goto(`${embedSrv.origin}/pages/collapsed.html`);
  await host.waitForFunction(() => [...document.querySelectorAll('.sfnsim-embed')].filter((e) => e.shadowRoot?.querySelector('svg')).length === 2, null, { timeout: 15000 });
  await host.screenshot({ path: join(artifacts, 'views-embed-collapsed.png'), fullPage: true });
  const names = (i) => host.locator('.sfnsim-embed').nth(i).evaluate((e) => [...e.shadowRoot.querySelectorAll('g.state')].map((g) => g.getAttribute('data-state')));
  const [folded, whole] = [await names(0), await names(1)];
  assert.ok(whole.includes('Ship') && whole.includes('ReserveLine'), whole.join());
  assert.ok(!folded.includes('Ship') && !folded.includes('Email') && !folded.includes('ReserveLine'), folded.join());
  assert.ok(folded.includes('Fulfil') && folded.includes('Reserve'));
  const summary = await host.locator('.sfnsim-embed').nth(0).evaluate((e) => e.shadowRoot.querySelector('g.state[data-state="Fulfil"]').textContent);
  assert.match(summary, /Parallel · 2 branches/);
  // The JS API: layout and renderSvg take { collapsed }.
  const api = await host.evaluate(async (def) => {
    const m = await import('/sfnsim/embed/sfnsim.mjs');
    await m.ready;
    const text = JSON.stringify(def);
    const open = m.layout(text).nodes.length;
    const shut = m.layout(text, { collapsed: ['Fulfil'] }).nodes.length;
    const svg = m.renderSvg(text, { collapsed: ['Fulfil'], direction: 'LR' });
    return { open, shut, svg: svg.includes('Parallel · 2 branches') };
  }, ORDER);
  assert.equal(api.shut, api.open - 2, JSON.stringify(api));
  assert.ok(api.svg);
  await host.close();
  assert.deepEqual(problems, []);
  await page.close();
});
