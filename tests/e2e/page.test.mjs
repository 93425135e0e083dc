// End-to-end: serve the built page (dist/, from `trunk build --release`) with a tiny static server,
// drive it in the system Chromium through playwright-core, and check what it shows.
// Run with `node --test tests/e2e/` (`make test-e2e`). Screenshots go to tests/e2e/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as harness from './harness.mjs';

const { root, dist, artifacts, openTab } = harness;
let h, base;

before(async () => {
  h = await harness.start();
  base = h.base;
});

after(async () => {
  await h?.close();
});

const openApp = (options = {}) => harness.openApp(h.browser, base, options);

/** The definition editor's text, and typing a whole new text into it (as the user would). */
const getDefinition = (page) => page.evaluate(() => window.sfnsimEditor.current.getText());
const setDefinition = (page, text) => page.evaluate((t) => window.sfnsimEditor.current.setText(t, true), text);

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
  assert.deepEqual(await historyColumn(page, 4), Array(8).fill('+0.000 s'));
  // The final state is marked on the diagram, in words too.
  assert.match(await page.textContent('#diagram-legend'), /Visited: HasName, Greet, Done/);
  const stroke = await page.$eval('#diagram g.state[data-state="Done"] > rect', (r) => getComputedStyle(r).stroke);
  assert.equal(stroke, 'rgb(29, 138, 74)');
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
  await setDefinition(page, '{"StartAt": "Nope", "States": {}}');
  await page.click('#run');
  await page.waitForSelector('#status.ERROR', { timeout: 10_000 });
  assert.equal(await page.textContent('#status'), 'InvalidDefinition');
  assert.equal(await page.$$eval('#history tbody tr:not(.spacer)', (rows) => rows.length), 0);
  await setDefinition(page, 'not json');
  await page.click('#run');
  await page.waitForSelector('#status.ERROR');
  assert.match(await page.textContent('#output'), /Invalid State Machine Definition/);
  await setDefinition(page, '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}');
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
  await setDefinition(page, 'not json');
  await page.waitForSelector('#diagram.stale svg');
  await setDefinition(page, '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}');
  await page.waitForSelector('#diagram:not(.stale) svg');
  assert.deepEqual(await states(), ['Start', 'P', 'End']);
  await page.screenshot({ path: join(artifacts, 'diagram.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

const rowCount = (page) => page.$$eval('#history tbody tr:not(.spacer)', (rows) => rows.length);

test('step: an execution advances event by event, the diagram shows the active state', async () => {
  const { page, problems } = await openApp();
  await setDefinition(page, JSON.stringify({
    StartAt: 'A', States: {
      A: { Type: 'Pass', Next: 'W' },
      W: { Type: 'Wait', Seconds: 30, Next: 'B' },
      B: { Type: 'Pass', End: true },
    },
  }));
  await page.fill('#input', '{"n": 1}');
  const counts = [];
  for (let i = 0; i < 30; i++) {
    await page.click('#step');
    await page.waitForFunction(() => document.querySelector('#status') && !/Not run/.test(document.querySelector('#status').textContent));
    counts.push(await rowCount(page));
    if ((await page.textContent('#status')) === 'SUCCEEDED') break;
    if (i === 3) await page.screenshot({ path: join(artifacts, 'stepping.png'), fullPage: true });
  }
  assert.equal(await page.textContent('#status'), 'SUCCEEDED');
  // Every press added at least one event, never many.
  for (let i = 1; i < counts.length; i++) {
    assert.ok(counts[i] > counts[i - 1] && counts[i] - counts[i - 1] <= 2, `steps: ${counts}`);
  }
  assert.equal(counts[0], 1);
  assert.equal(counts.at(-1), 8);
  // The Wait took 30 s of virtual time, no real time.
  assert.match(await page.textContent('#clock'), /00:00:30\.000/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('keyboard: → steps when not typing', async () => {
  const { page, problems } = await openApp();
  await page.click('header h1');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.querySelectorAll('#history tbody tr:not(.spacer)').length === 1);
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.querySelectorAll('#history tbody tr:not(.spacer)').length >= 2);
  assert.match(await page.textContent('#diagram-legend'), /HasName/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a callback is answered from the pending tasks pane', async () => {
  const { page, problems } = await openApp();
  await setDefinition(page, JSON.stringify({
    StartAt: 'Ask', States: {
      Ask: {
        Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
        Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', MessageBody: { 'token.$': '$$.Task.Token' } },
        End: true,
      },
    },
  }));
  await page.click('#run');
  await page.waitForSelector('#pending .task');
  assert.equal(await page.textContent('#status'), 'RUNNING');
  assert.equal(await page.textContent('#pending .task-state'), 'Ask');
  await page.screenshot({ path: join(artifacts, 'pending-task.png'), fullPage: true });
  await page.fill('#pending .task-output', '{"approved": true}');
  await page.click('#pending .task-success');
  await page.waitForSelector('#status.SUCCEEDED', { timeout: 10_000 });
  assert.deepEqual(JSON.parse(await page.textContent('#output')), { approved: true });
  assert.equal(await page.$('#pending'), null);
  assert.deepEqual(problems, []);
  await page.close();
});

test('typed text survives a reload', async () => {
  const { page, problems } = await openApp();
  await page.fill('#input', '{"name": "kept across reloads"}');
  await setDefinition(page, '{"StartAt": "Kept", "States": {"Kept": {"Type": "Pass", "End": true}}}');
  await page.reload();
  await page.waitForSelector('#run');
  assert.equal(await page.inputValue('#input'), '{"name": "kept across reloads"}');
  assert.match(await getDefinition(page), /"Kept"/);
  await page.evaluate(() => localStorage.clear());
  assert.deepEqual(problems, []);
  await page.close();
});

test('a long history (about 25,000 events) renders virtualised and quickly', async () => {
  const { page, problems } = await openApp();
  await setDefinition(page, JSON.stringify({
    StartAt: 'Init', States: {
      Init: { Type: 'Pass', Result: 0, ResultPath: '$.i', Next: 'Loop' },
      Loop: { Type: 'Pass', Parameters: { 'i.$': 'States.MathAdd($.i, 1)' }, Next: 'Check' },
      Check: { Type: 'Choice', Choices: [{ Variable: '$.i', NumericLessThan: 6240, Next: 'Loop' }], Default: 'Done' },
      Done: { Type: 'Succeed' },
    },
  }));
  await page.fill('#input', '{}');
  await page.selectOption('#speed', 'instant');
  const t0 = Date.now();
  await page.click('#run');
  await page.waitForSelector('#status.SUCCEEDED', { timeout: 60_000 });
  const runMs = Date.now() - t0;
  const total = Number((await page.textContent('#history-count')).match(/of (\d+)/)[1]);
  assert.ok(total > 24_900, `${total} events`);
  const rows = await rowCount(page);
  assert.ok(rows < 80, `${rows} rows in the DOM`);
  // Scroll to the end: the last event is drawn.
  const t1 = Date.now();
  await openTab(page, 'history');
  await page.$eval('.table-scroll.virtual', (el) => { el.scrollTop = el.scrollHeight; });
  await page.waitForFunction((n) => [...document.querySelectorAll('#history tbody td:first-child')].some((td) => td.textContent === String(n)), total);
  const scrollMs = Date.now() - t1;
  // A filter re-renders the whole list of matches.
  const t2 = Date.now();
  await page.fill('#history-filter', 'ChoiceStateExited');
  await page.waitForFunction((n) => !document.querySelector('#history-count').textContent.startsWith(`${n} of`), total);
  const filterMs = Date.now() - t2;
  console.log(`long history: ${total} events; run + first render ${runMs} ms, scroll to end ${scrollMs} ms, filter ${filterMs} ms`);
  await page.screenshot({ path: join(artifacts, 'long-history.png') });
  assert.deepEqual(problems, []);
  await page.close();
});

test('wide screen, dark: the stepped run at 1920x1080', async () => {
  const { page, problems } = await openApp({ viewport: { width: 1920, height: 1080 }, colorScheme: 'dark' });
  await page.click('#step');
  await page.click('#step');
  await page.click('#step');
  await openTab(page, 'history');
  await page.click('#history tbody tr:not(.spacer)');
  await page.waitForSelector('#event-details');
  await page.screenshot({ path: join(artifacts, 'wide-dark.png') });
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.screenshot({ path: join(artifacts, 'small-dark.png') });
  assert.deepEqual(problems, []);
  await page.close();
});

test('every gallery example loads, runs to its end, shows its output and marks its final state', async () => {
  const dir = join(root, 'www/examples');
  const ids = (await readdir(dir)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
  assert.ok(ids.length >= 10, `${ids.length} examples`);
  const { page, problems } = await openApp();
  for (const id of ids) {
    const example = JSON.parse(await readFile(join(dir, `${id}.json`), 'utf8'));
    await page.selectOption('#examples', id);
    assert.deepEqual(JSON.parse(await getDefinition(page)), example.definition, id);
    assert.deepEqual(JSON.parse(await page.inputValue('#input')), example.input ?? {}, id);
    await page.click('#run');
    await page.click('#to-end');
    await page.waitForSelector(`#status.${example.expect.status}`, { timeout: 10_000 });
    assert.deepEqual(JSON.parse(await page.textContent('#output')), example.expect.output, id);
    // The final state carries the visited mark (green outline), and the legend says so in words.
    const rect = `#diagram g.state[data-state="${example.expect.finalState}"] > rect`;
    const stroke = await page.$eval(rect, (r) => getComputedStyle(r).stroke);
    assert.equal(stroke, 'rgb(29, 138, 74)', `${id}: ${example.expect.finalState} is marked visited`);
    assert.match(await page.textContent('#diagram-legend'), new RegExp(`Visited:.*\\b${example.expect.finalState}\\b`), id);
    if (id === 'order-workflow' || id === 'activity-worker') {
      await page.screenshot({ path: join(artifacts, `example-${id}.png`), fullPage: true });
    }
  }
  // The loaded example's world goes with the saved text: after a reload the worker still answers.
  await page.selectOption('#examples', 'activity-worker');
  await page.reload();
  await page.waitForSelector('#run');
  assert.match(await getDefinition(page), /"Transcode"/);
  await page.click('#run');
  await page.click('#to-end');
  await page.waitForSelector('#status.SUCCEEDED', { timeout: 10_000 });
  assert.deepEqual(JSON.parse(await page.textContent('#output')), { video: 'talk.webm' });
  await page.evaluate(() => localStorage.clear());
  assert.deepEqual(problems, []);
  await page.close();
});

test('the inspector: a clicked state shows its data flow, a Choice its rules, a retried task its back-off', async () => {
  const { page, problems } = await openApp();
  await page.click('#run');
  await page.waitForSelector('#status.SUCCEEDED', { timeout: 10_000 });
  // The path taken is drawn green, the branch not taken keeps its colour.
  const stroke = (from, to) => page.$eval(`#diagram polyline.edge[data-from="${from}"][data-to="${to}"]`, (e) => getComputedStyle(e).stroke);
  assert.equal(await stroke('HasName', 'Greet'), 'rgb(29, 138, 74)');
  assert.notEqual(await stroke('HasName', 'NoName'), 'rgb(29, 138, 74)');
  await page.click('#diagram g.state[data-state="Greet"]');
  await page.waitForSelector('#inspector-state');
  assert.equal(await page.textContent('#inspector-state'), 'Greet');
  const params = await page.textContent('#inspector li[data-field="Parameters"] pre');
  assert.deepEqual(JSON.parse(params), { greeting: 'Hello, Step Functions!', name: 'Step Functions' });
  await page.click('#diagram g.state[data-state="HasName"]');
  await page.waitForSelector('#inspector-rules');
  assert.match(await page.textContent('#inspector-rules'), /✓ matched → Greet/);
  // Opening a history row inspects the visit the event belongs to.
  await openTab(page, 'history');
  await page.click('#history tbody tr:not(.spacer) >> text=PassStateExited');
  await page.waitForFunction(() => document.querySelector('#inspector-state')?.textContent === 'Greet');
  await page.screenshot({ path: join(artifacts, 'inspector.png'), fullPage: true });

  await page.selectOption('#examples', 'retry-catch');
  await page.click('#run');
  await page.click('#to-end');
  await page.waitForSelector('#status.SUCCEEDED', { timeout: 10_000 });
  await page.click('#diagram g.state[data-state="Charge"]');
  await page.waitForSelector('#inspector-retries');
  const rows = await page.$$eval('#inspector-retries tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  assert.ok(rows.length >= 1, 'a retry is listed');
  for (const r of rows) assert.equal(r[3], r[4], `computed back-off equals the observed wait: ${r}`);
  // The timeline draws the visit with its retries, over the 6 s of virtual time.
  // The diagram shows the retries as a badge and in words, and the path taken.
  assert.equal(await page.textContent('#diagram .retry-badge[data-state="Charge"] text'), '↻2');
  assert.match(await page.textContent('#diagram-legend'), /Retried: Charge ×2/);
  const bar = await page.$eval('#timeline rect.bar', (r) => r.querySelector('title').textContent);
  assert.match(bar, /^Charge — succeeded from \+0\.000 s to \+6\.000 s, 2 retries$/);
  await page.screenshot({ path: join(artifacts, 'inspector-retries.png'), fullPage: true });
  await page.evaluate(() => localStorage.clear());
  assert.deepEqual(problems, []);
  await page.close();
});

test('the diagram without a mouse: Tab to a state, arrows follow transitions, Enter inspects; outline, zoom, export', async () => {
  const { page, problems } = await openApp();
  await page.click('#run');
  await page.waitForSelector('#status.SUCCEEDED', { timeout: 10_000 });
  await page.focus('#diagram g.state[data-state="HasName"]');
  await page.keyboard.press('ArrowDown');
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-state'));
  const first = await focused();
  assert.ok(['Greet', 'NoName'].includes(first), `ArrowDown from the Choice reaches one of its targets, got ${first}`);
  await page.keyboard.press('ArrowRight');
  const second = await focused();
  assert.ok(['Greet', 'NoName'].includes(second) && second !== first, `ArrowRight goes to the other target, got ${second}`);
  await page.keyboard.press('ArrowUp');
  assert.equal(await focused(), 'HasName');
  const clock = await page.textContent('#clock');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#inspector-rules');
  assert.equal(await page.textContent('#clock'), clock, 'keys on the diagram do not step the run');
  // The text outline names every state and its transitions.
  const outline = await page.textContent('#diagram-outline');
  for (const s of ['HasName', 'Greet', 'Done', 'NoName']) assert.match(outline, new RegExp(s));
  assert.match(outline, /HasName — Choice; next: .*Greet/);
  // Zoom and fit change the drawn size.
  const width = () => page.$eval('#diagram svg', (s) => s.getBoundingClientRect().width);
  assert.equal(await page.textContent('#zoom-level'), 'fitted');
  await page.click('#zoom-reset');
  assert.equal(await page.textContent('#zoom-level'), '100%');
  const w0 = await width();
  await page.click('#zoom-in');
  assert.ok((await width()) > w0 * 1.2);
  assert.equal(await page.textContent('#zoom-level'), '125%');
  await page.click('#zoom-fit');
  assert.equal(await page.textContent('#zoom-level'), 'fitted');
  // Export: an SVG file with the run's marks, and a PNG.
  const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
  assert.equal(svgDownload.suggestedFilename(), 'state-machine.svg');
  const svgText = await readFile(await svgDownload.path(), 'utf8');
  assert.match(svgText, /^<svg/);
  assert.match(svgText, /<style>.*data-state="Greet"/s);
  const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
  assert.equal(pngDownload.suggestedFilename(), 'state-machine.png');
  const png = await readFile(await pngDownload.path());
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  await page.screenshot({ path: join(artifacts, 'diagram-keyboard.png') });
  assert.deepEqual(problems, []);
  await page.close();
});

test('console: create and run a machine with aws stepfunctions lines; Tab completes, ↑ recalls, errors read like the CLI', async () => {
  const { page, problems } = await openApp();
  await openTab(page, 'console');
  // Not pre-filled (a pasted full command would double the prefix); a cold page suggests a line.
  assert.equal(await page.inputValue('#console-input'), '');
  assert.match(await page.textContent('#console-try'), /create-state-machine --name FromConsole/);
  const run = async (line) => {
    await page.fill('#console-input', line);
    await page.press('#console-input', 'Enter');
  };
  const def = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: { from: 'console' }, End: true } } });
  await run(`aws stepfunctions create-state-machine --name FromConsole --definition '${def}' --role-arn arn:aws:iam::123456789012:role/R`);
  await page.waitForSelector('.console-entry:nth-child(1) .console-out');
  const created = JSON.parse(await page.textContent('.console-entry:nth-child(1) .console-out'));
  assert.match(created.stateMachineArn, /:stateMachine:FromConsole$/);
  // Timestamps print as ISO 8601, as AWS CLI v2 does.
  assert.match(created.creationDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
  // Without the `aws stepfunctions` prefix too.
  await run(`start-execution --state-machine-arn ${created.stateMachineArn} --name first --input '{"a":1}'`);
  await page.waitForSelector('#status.SUCCEEDED', { timeout: 10_000 });
  assert.deepEqual(JSON.parse(await page.textContent('#output')), { from: 'console' });
  assert.match(await page.textContent('#executions'), /first/);
  // The diagram draws the machine that execution ran (not the editor's), and says so.
  assert.deepEqual(await page.$$eval('#diagram g.state > title', (ts) => ts.map((t) => t.textContent)), ['Start', 'P', 'End']);
  assert.match(await page.textContent('#diagram-sign'), /first ran \(state machine FromConsole\), not the editor's text/);
  assert.match(await page.textContent('#diagram-legend'), /Visited: P/);
  await page.click('#draw-editor');
  assert.deepEqual(await page.$$eval('#diagram g.state > title', (ts) => ts.map((t) => t.textContent)), ['Start', 'HasName', 'Greet', 'Done', 'NoName', 'End']);
  assert.doesNotMatch(await page.textContent('#diagram-legend'), /Visited/);
  await page.click('#draw-run');
  assert.match(await page.textContent('#diagram-legend'), /Visited: P/);
  // Tab completes a subcommand, then lists the flags.
  await page.fill('#console-input', 'aws stepfunctions describe-exec');
  await page.press('#console-input', 'Tab');
  assert.equal(await page.inputValue('#console-input'), 'aws stepfunctions describe-execution ');
  await page.press('#console-input', 'Tab');
  assert.match(await page.inputValue('#console-input'), /describe-execution --/);
  await page.fill('#console-input', 'aws stepfunctions describe-execution --execution-arn nope');
  await page.press('#console-input', 'Enter');
  await page.waitForSelector('.console-entry:nth-child(3) .console-out.error');
  assert.match(await page.textContent('.console-entry:nth-child(3) .console-out'), /An error occurred \(InvalidArn\) when calling the DescribeExecution operation/);
  await page.press('#console-input', 'ArrowUp');
  assert.equal(await page.inputValue('#console-input'), 'aws stepfunctions describe-execution --execution-arn nope');
  // The log follows the newest answer.
  for (let i = 0; i < 6; i++) await run('list-state-machines');
  await page.waitForSelector('.console-entry:nth-child(9)');
  const scrolled = await page.$eval('#console-log', (el) => el.scrollHeight - el.clientHeight - el.scrollTop);
  assert.ok(scrolled <= 2, `the newest answer is ${scrolled}px below the view`);
  await page.screenshot({ path: join(artifacts, 'console.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('share: the link restores definition, input and the example world exactly', async () => {
  const { page, problems } = await openApp();
  await page.selectOption('#examples', 'callback');
  const typed = (await getDefinition(page)).replace('"TimeoutSeconds": 3600', '"TimeoutSeconds":  3601');
  await setDefinition(page, typed);
  await page.fill('#input', '{"document": "shared.md"}');
  await page.click('#share');
  const link = await page.inputValue('#share-link');
  assert.match(link, /#share=[A-Za-z0-9_-]+$/);
  await page.evaluate(() => localStorage.clear());
  const other = await h.browser.newPage();
  const errors = [];
  other.on('pageerror', (e) => errors.push(String(e)));
  await other.goto(link);
  await other.waitForSelector('#run');
  assert.equal(await getDefinition(other), typed, 'the text as typed, spaces included');
  assert.equal(await other.inputValue('#input'), '{"document": "shared.md"}');
  // The example's callback responder came with the link: the run ends without a hand.
  await other.click('#run');
  await other.click('#to-end');
  await other.waitForSelector('#status.SUCCEEDED', { timeout: 10_000 });
  assert.deepEqual(JSON.parse(await other.textContent('#output')), { approved: true, by: 'sam' });
  // A damaged link says so and keeps the page usable.
  await other.goto(base + '#share=AAAA');
  await other.reload();
  await other.waitForSelector('#share-error');
  assert.match(await other.textContent('#share-error'), /damaged|format/);
  assert.deepEqual(errors, []);
  await other.evaluate(() => localStorage.clear());
  await other.close();
  assert.deepEqual(problems, []);
  await page.close();
});

test('import: a history exported from AWS is stepped on the diagram and inspected', async () => {
  const { page, problems } = await openApp();
  await openTab(page, 'import');
  const t = (s) => `2025-03-01T10:00:0${s}.000Z`;
  const history = {
    events: [
      { id: 1, previousEventId: 0, timestamp: t(0), type: 'ExecutionStarted', executionStartedEventDetails: { input: '{"name":"cloud"}', roleArn: 'arn:aws:iam::111111111111:role/r' } },
      { id: 2, previousEventId: 0, timestamp: t(0), type: 'ChoiceStateEntered', stateEnteredEventDetails: { name: 'HasName', input: '{"name":"cloud"}' } },
      { id: 3, previousEventId: 2, timestamp: t(0), type: 'ChoiceStateExited', stateExitedEventDetails: { name: 'HasName', output: '{"name":"cloud"}' } },
      { id: 4, previousEventId: 3, timestamp: t(1), type: 'PassStateEntered', stateEnteredEventDetails: { name: 'Greet', input: '{"name":"cloud"}' } },
      { id: 5, previousEventId: 4, timestamp: t(1), type: 'PassStateExited', stateExitedEventDetails: { name: 'Greet', output: '{"greeting":"Hello, cloud!","name":"cloud"}' } },
      { id: 6, previousEventId: 5, timestamp: t(2), type: 'SucceedStateEntered', stateEnteredEventDetails: { name: 'Done', input: '{"greeting":"Hello, cloud!","name":"cloud"}' } },
      { id: 7, previousEventId: 6, timestamp: t(2), type: 'SucceedStateExited', stateExitedEventDetails: { name: 'Done', output: '{"greeting":"Hello, cloud!","name":"cloud"}' } },
      { id: 8, previousEventId: 7, timestamp: t(2), type: 'ExecutionSucceeded', executionSucceededEventDetails: { output: '{"greeting":"Hello, cloud!","name":"cloud"}' } },
    ],
  };
  await page.fill('#import-text', '{"not": "a history"}');
  await page.click('#import-view');
  await page.waitForSelector('#import-error');
  await page.fill('#import-text', JSON.stringify(history));
  await page.click('#import-view');
  await page.waitForSelector('#import-banner');
  const rows = () => page.$$eval('#history tbody tr:not(.spacer)', (trs) => trs.length);
  assert.equal(await rows(), 0);
  for (let i = 1; i <= 4; i++) await page.click('#step');
  assert.equal(await rows(), 4);
  assert.match(await page.textContent('#diagram-legend'), /Active: Greet/);
  await page.click('#to-end');
  await page.waitForSelector('#status.SUCCEEDED');
  assert.deepEqual(JSON.parse(await page.textContent('#output')), { greeting: 'Hello, cloud!', name: 'cloud' });
  assert.equal(await page.textContent('#history tbody tr:not(.spacer) td:nth-child(4) >> nth=6'), '+2.000 s');
  await page.click('#diagram g.state[data-state="Greet"]');
  await page.waitForSelector('#inspector li[data-field="Parameters"]');
  assert.deepEqual(JSON.parse(await page.textContent('#inspector li[data-field="Parameters"] pre')), { greeting: 'Hello, cloud!', name: 'cloud' });
  await page.screenshot({ path: join(artifacts, 'import.png'), fullPage: true });
  assert.equal(await page.$('#import-misfit'), null);
  // Over a definition it does not fit, the page says so.
  await setDefinition(page, '{"StartAt": "Other", "States": {"Other": {"Type": "Pass", "End": true}}}');
  await page.waitForSelector('#import-misfit');
  assert.match(await page.textContent('#import-misfit'), /does not fit the definition: it enters "HasName", "Greet", "Done"/);
  await page.click('#leave-import');
  assert.equal(await page.$('#import-banner'), null);
  await page.evaluate(() => localStorage.clear());
  assert.deepEqual(problems, []);
  await page.close();
});

test('performance: wasm size, navigation to an interactive diagram, frame times while playing 2,000 events', async () => {
  const { gzipSync } = await import('node:zlib');
  const wasmFile = (await readdir(dist)).find((f) => f.endsWith('.wasm'));
  const wasm = await readFile(join(dist, wasmFile));
  const gz = gzipSync(wasm, { level: 9 }).length;
  assert.ok(gz < 1024 * 1024, `${gz} bytes gzip`);

  // Navigation to a diagram that answers clicks, best of three loads (the machine is shared).
  const page = await h.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  const loads = [];
  for (let i = 0; i < 3; i++) {
    await page.goto(base);
    await page.waitForSelector('#diagram g.state');
    loads.push(await page.evaluate(() => window.sfnsimDiagramReadyMs));
  }
  const readyMs = Math.min(...loads);
  assert.ok(readyMs < 1000, `diagram ready ${readyMs} ms after navigation`);

  // A loop of Waits: about 2,000 events spread over virtual time, played at 100×.
  await setDefinition(page, JSON.stringify({
    StartAt: 'Init', States: {
      Init: { Type: 'Pass', Result: 0, ResultPath: '$.i', Next: 'Tick' },
      Tick: { Type: 'Wait', Seconds: 1, Next: 'Count' },
      Count: { Type: 'Pass', Parameters: { 'i.$': 'States.MathAdd($.i, 1)' }, Next: 'More?' },
      'More?': { Type: 'Choice', Choices: [{ Variable: '$.i', NumericLessThan: 333, Next: 'Tick' }], Default: 'Done' },
      Done: { Type: 'Succeed' },
    },
  }));
  await page.fill('#input', '{}');
  await page.selectOption('#speed', '100×');
  await page.evaluate(() => {
    window.frames_ = [];
    let last = performance.now();
    const loop = (t) => { window.frames_.push(t - last); last = t; if (!window.stopFrames_) requestAnimationFrame(loop); };
    requestAnimationFrame(loop);
  });
  await page.click('#run');
  await page.waitForSelector('#status.SUCCEEDED', { timeout: 60_000 });
  const frames = await page.evaluate(() => { window.stopFrames_ = true; return window.frames_.slice(1); });
  const ticks = await page.evaluate(() => window.sfnsimTickMs ?? []);
  const reduces = await page.evaluate(() => window.sfnsimReduceMs ?? []);
  const reduceP95 = [...reduces].sort((a, b) => a - b)[Math.floor(reduces.length * 0.95)] ?? 0;
  const tickSorted = [...ticks].sort((a, b) => a - b);
  const tickP95 = tickSorted[Math.floor(tickSorted.length * 0.95)] ?? 0;
  const tickMax = tickSorted[tickSorted.length - 1] ?? 0;
  const tickMedian = tickSorted[Math.floor(tickSorted.length / 2)] ?? 0;
  assert.ok(ticks.length > 20, `${ticks.length} ticks`);
  const total = Number((await page.textContent('#history-count')).match(/of (\d+)/)[1]);
  assert.ok(total > 1900, `${total} events`);
  const sorted = [...frames].sort((a, b) => a - b);
  const p95 = sorted[Math.floor(sorted.length * 0.95)];
  const worst = sorted[sorted.length - 1];
  console.log(`performance: wasm ${wasm.length} B raw, ${gz} B gzip; diagram ready ${readyMs.toFixed(0)} ms (loads ${loads.map((x) => x.toFixed(0)).join(', ')}); playing ${total} events: ${frames.length} frames, p95 ${p95.toFixed(1)} ms, worst ${worst.toFixed(1)} ms; ${ticks.length} ticks (update + render), median ${tickMedian.toFixed(1)} ms, p95 ${tickP95.toFixed(1)} ms (update alone ${reduceP95.toFixed(1)} ms), worst ${tickMax.toFixed(1)} ms`);
  assert.ok(p95 < 34, `p95 frame interval ${p95} ms`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('simulated world: edit a worker to fail or go silent, remove a responder, mocks refused when not JSON', async () => {
  const { page, problems } = await openApp();
  await page.selectOption('#examples', 'activity-worker');
  await openTab(page, 'world');
  assert.equal(await page.inputValue('#worker-0 .worker-activity'), 'transcode');
  // Fail with an error and cause.
  await page.selectOption('#worker-0 .answer-kind', 'fail');
  await page.fill('#worker-0 .answer-error', 'Transcode.Failed');
  await page.press('#worker-0 .answer-error', 'Enter');
  await page.fill('#worker-0 .answer-cause', 'codec missing');
  await page.press('#worker-0 .answer-cause', 'Enter');
  await page.click('#run');
  await page.click('#to-end');
  await page.waitForSelector('#status.FAILED', { timeout: 10_000 });
  assert.equal(await page.textContent('#error'), 'Transcode.Failed');
  assert.equal(await page.textContent('#cause'), 'codec missing');
  // Go silent: the task's HeartbeatSeconds (10 s) ends it.
  await page.selectOption('#worker-0 .answer-kind', 'silent');
  await page.click('#run');
  await page.click('#to-end');
  await page.waitForSelector('#status.FAILED', { timeout: 10_000 });
  assert.equal(await page.textContent('#error'), 'States.Timeout');
  // Succeed with other JSON after 2 s; invalid JSON is refused in place.
  await page.selectOption('#worker-0 .answer-kind', 'succeed');
  await page.fill('#worker-0 .answer-output', '{not json');
  await page.press('#worker-0 .answer-output', 'Enter');
  await page.waitForSelector('#worker-0 .error-text');
  await page.fill('#worker-0 .answer-output', '{"video": "edited.webm"}');
  await page.press('#worker-0 .answer-output', 'Enter');
  await page.fill('#worker-0 .worker-latency', '2');
  await page.press('#worker-0 .worker-latency', 'Enter');
  await page.click('#run');
  await page.click('#to-end');
  await page.waitForSelector('#status.SUCCEEDED', { timeout: 10_000 });
  assert.deepEqual(JSON.parse(await page.textContent('#output')), { video: 'edited.webm' });
  await page.screenshot({ path: join(artifacts, 'world.png'), fullPage: true });

  // The callback example without its responder waits for the pending tasks pane.
  await page.selectOption('#examples', 'callback');
  await page.click('#responder-0 .remove');
  assert.equal(await page.$('#responder-0'), null);
  await page.selectOption('#speed', '1×');
  await page.click('#run');
  await page.waitForSelector('#pending .task');
  assert.equal(await page.textContent('#status'), 'RUNNING');
  // "To end" lets the virtual clock run out the task's TimeoutSeconds (3600 s).
  await page.click('#to-end');
  await page.waitForSelector('#status.FAILED');
  assert.equal(await page.textContent('#error'), 'States.Timeout');
  await page.fill('#world-mocks', '{oops');
  await page.press('#world-mocks', 'Tab');
  await page.waitForSelector('#world-mocks-error');
  await page.evaluate(() => localStorage.clear());
  assert.deepEqual(problems, []);
  await page.close();
});

test('editor: line numbers, folding, typed text validated as you type with problems underlined and listed', async () => {
  const { page, problems } = await openApp();
  assert.ok(await page.$('#definition .cm-lineNumbers'), 'line numbers');
  assert.ok(await page.$('#definition .cm-foldGutter'), 'fold gutter');
  assert.match(await page.textContent('#problems'), /Valid/);
  // Type for real: a Next that goes nowhere.
  await setDefinition(page, '{\n  "StartAt": "A",\n  "States": {\n    "A": {"Type": "Pass", "End": true}\n  }\n}');
  await page.waitForSelector('#diagram:not(.stale) g.state[data-state="A"]');
  await page.click('#definition .cm-content');
  await page.keyboard.press('Control+End');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('End');
  await page.keyboard.type(',"B":{"Type":"Pass","Next":"Nowhere"}');
  assert.match(await getDefinition(page), /"A": \{"Type": "Pass", "End": true\},"B":\{"Type":"Pass","Next":"Nowhere"\}\n/);
  await page.waitForSelector('#problems li.error');
  assert.match(await page.textContent('#problems'), /MISSING_TRANSITION_TARGET.*Nowhere.*at \/States\/B\/Next/);
  // The problem is underlined where it is: on "Nowhere".
  await page.waitForSelector('#definition .cm-lintRange-error');
  const marked = await page.$$eval('#definition .cm-lintRange-error', (els) => els.map((e) => e.textContent));
  assert.ok(marked.includes('"Nowhere"'), `underlined: ${JSON.stringify(marked)}`);
  // The last valid diagram stays while the text is broken.
  assert.ok(await page.$('#diagram.stale g.state[data-state="A"]'));
  await page.click('#problems li.error button');
  await page.screenshot({ path: join(artifacts, 'editor-problems.png') });
  // Fix it: valid again, the diagram follows.
  await setDefinition(page, (await getDefinition(page)).replace('"Next":"Nowhere"', '"End":true').replace('"End": true},"B"', '"Next": "B"},"B"'));
  await page.waitForSelector('#diagram:not(.stale) g.state[data-state="B"]');
  assert.match(await page.textContent('#problems'), /Valid/);
  await page.evaluate(() => localStorage.clear());
  assert.deepEqual(problems, []);
  await page.close();
});

test('diagram keyboard: ↓ enters a Parallel branch, ←/→ switch branches, ↓ at a branch end leaves the box', async () => {
  const { page, problems } = await openApp();
  await page.selectOption('#examples', 'order-workflow');
  await page.waitForSelector('#diagram g.state[data-state="Fulfil"]');
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-state'));
  await page.focus('#diagram g.state[data-state="Fulfil"]');
  await page.keyboard.press('ArrowDown');
  const first = await focused();
  assert.ok(['Ship', 'Email'].includes(first), `into a branch: ${first}`);
  await page.keyboard.press('ArrowRight');
  const other = await focused();
  assert.ok(['Ship', 'Email'].includes(other) && other !== first, `the other branch: ${other}`);
  await page.keyboard.press('ArrowDown');
  assert.equal(await focused(), 'Done');
  await page.evaluate(() => localStorage.clear());
  assert.deepEqual(problems, []);
  await page.close();
});
