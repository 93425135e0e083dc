// The Learn view as a learner and a teacher use it: two lessons done by typing in the editor,
// the why of a failed check with a way into the inspector, progress after a reload, the
// playground's own work back after leaving, a teacher's file by #lesson-url= and by drop, a
// malformed file's errors, a lesson shared with the learner's work; screenshots at 1440 and 390.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve, launch, root, dist, artifacts } from './harness.mjs';

const lesson = (f) => readFileSync(join(root, 'www/lessons', f), 'utf8');
const TEACHER = `---
id: teacher-wait
title: A teacher's own lesson
seed: 3
---
Wait states hold an execution on the **virtual clock**.

## Task
Make the execution take exactly 30 seconds.

\`\`\`asl start
{"StartAt": "Hold", "States": {"Hold": {"Type": "Wait", "Seconds": 5, "End": true}}}
\`\`\`

\`\`\`json input
{}
\`\`\`

\`\`\`json checks
[{ "status": "SUCCEEDED" }, { "duration": { "max": 30 } }, { "duration": { "min": 30 }, "message": "Wait 30 seconds in all." }]
\`\`\`

## Hints
- Change Seconds.
`;
const MALFORMED = `---
id: broken
title: Broken
---
Text.

## Task
Do it.

\`\`\`json checks
[{ "stauts": "SUCCEEDED" }]
\`\`\`
`;

let srv;
let browser;
before(async () => {
  srv = await serve({
    '/': dist,
    '/teacher/': async (rest) => ({ 'wait.md': { body: TEACHER, type: 'text/markdown' }, 'broken.md': { body: MALFORMED, type: 'text/markdown' } }[rest] ?? null),
  });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  srv?.close();
});

async function open(url, viewport = { width: 1440, height: 900 }, context) {
  const page = await (context ?? browser).newPage({ viewport });
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(url);
  await page.waitForSelector('#run');
  return { page, problems };
}

/** Replaces the editor's text by typing it, as a person would (one line: CodeMirror closes brackets as you type). */
async function typeDefinition(page, text) {
  await page.click('#definition .cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text);
}
const editorText = (page) => page.$eval('#definition .cm-content', (el) => el.cmView ? el.cmView.view.state.doc.toString() : [...el.querySelectorAll('.cm-line')].map((l) => l.textContent).join('\n'));

test('a learner does two lessons by typing, sees why a check fails, and finds the progress after a reload', async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const { page, problems } = await open(`${srv.origin}/`, undefined, context);
  // The playground's own work, which the lessons must not lose.
  await typeDefinition(page, '{"Comment": "my own work", "StartAt": "Mine", "States": {"Mine": {"Type": "Succeed"}}}');
  await page.waitForTimeout(400);
  await page.click('#learn-link');
  await page.waitForSelector('#lesson-list');
  assert.ok(await page.locator('#lesson-list li').count() >= 12);
  await page.screenshot({ path: join(artifacts, 'learn-list-1440.png') });
  await page.click('#lesson-list li:first-child a');
  await page.waitForSelector('#lesson[data-lesson="first-machine"]');
  assert.match(await editorText(page), /"End": true/);
  // The diagram draws the lesson's machine, with no sign about another run.

  // Check the start: it fails, and says why.
  await page.click('#check');
  await page.waitForSelector('#check-results');
  const results = await page.textContent('#check-results');
  assert.match(results, /of 5 checks pass/);
  assert.match(results, /Give `Greet` a Result/);
  assert.match(results, /Done/);
  await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'SUCCEEDED');
  await page.waitForTimeout(1000);
  assert.equal(await page.locator('#diagram-sign').count(), 0, `the run drawn is the editor's text: ${await page.locator('#diagram-sign').textContent().catch(() => '')}`);
  await page.screenshot({ path: join(artifacts, 'learn-lesson-failed-1440.png') });
  // The first hint, then the second.
  await page.click('#hint');
  await page.click('#hint');
  assert.equal(await page.locator('#hints li').count(), 2);

  // Type the fix (not the solution button).
  await typeDefinition(page, '{"StartAt": "Greet", "States": {"Greet": {"Type": "Pass", "Result": {"greeting": "Hello, world"}, "Next": "Done"}, "Done": {"Type": "Succeed"}}}');
  await page.waitForTimeout(300);
  await page.click('#check');
  await page.waitForFunction(() => document.querySelector('#check-results .verdict.pass'));
  assert.match(await page.textContent('#check-results'), /All 5 checks pass/);
  // The checked run is in the playground: its diagram marks and output.
  await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'SUCCEEDED');
  assert.match(await page.textContent('#output'), /Hello, world/);

  // Next lesson: data flow.
  await page.click('#next-lesson');
  await page.waitForSelector('#lesson[data-lesson="data-flow"]');
  await page.click('#check');
  await page.waitForSelector('#check-results .verdict.fail');
  // A why that points at a state: into the inspector.
  const inspect = page.locator('#check-results button.inspect-state').first();
  assert.ok(await inspect.count() > 0, 'a failed check names its state');
  await inspect.click();
  await page.waitForFunction(() => document.querySelector('#inspector')?.textContent.includes('GetPrice'));
  await typeDefinition(page, '{"StartAt": "GetPrice", "States": {"GetPrice": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "InputPath": "$.order", "Parameters": {"FunctionName": "get-price", "Payload.$": "$"}, "ResultSelector": {"price.$": "$.Payload.price", "currency.$": "$.Payload.currency"}, "ResultPath": "$.order.pricing", "OutputPath": "$.order", "End": true}}}');
  await page.waitForTimeout(300);
  await page.click('#check');
  await page.waitForFunction(() => document.querySelector('#check-results .verdict.pass'));

  // A reload: both done, and each lesson keeps what was typed.
  await page.goto(`${srv.origin}/#learn`);
  await page.reload();
  await page.waitForSelector('#lesson-list');
  assert.equal(await page.getAttribute('#lesson-list li[data-lesson="first-machine"]', 'class'), 'done');
  assert.equal(await page.getAttribute('#lesson-list li[data-lesson="data-flow"]', 'class'), 'done');
  await page.click('#lesson-list li[data-lesson="first-machine"] a');
  await page.waitForSelector('#lesson[data-lesson="first-machine"]');
  await page.waitForFunction(() => document.querySelector('#definition .cm-content').textContent.includes('Hello, world'));

  // Leaving: the playground's own work is back.
  await page.click('#leave-lesson');
  await page.waitForFunction(() => document.querySelector('#definition .cm-content').textContent.includes('my own work'));
  assert.equal(await page.locator('#lesson').count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('Explain tells a run in words', async () => {
  const { page, problems } = await open(`${srv.origin}/`);
  await page.click('#run');
  await page.waitForFunction(() => /SUCCEEDED|FAILED/.test(document.querySelector('#status')?.textContent ?? ''), null, { timeout: 10000 });
  await page.click('#explain summary');
  await page.waitForSelector('#explain .narration li');
  const told = await page.textContent('#explain .narration');
  assert.match(told, /HasName/);
  assert.ok((await page.locator('#explain .narration li').count()) >= 3, told);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a teacher\'s lesson opens from #lesson-url= and by drop; a malformed one lists its errors with block and line', async () => {
  const { page, problems } = await open(`${srv.origin}/#lesson-url=${encodeURIComponent(`${srv.origin}/teacher/wait.md`)}`);
  await page.waitForSelector('#lesson[data-lesson="teacher-wait"]');
  assert.match(await page.textContent('#lesson-title'), /A teacher's own lesson/);
  await page.click('#check');
  await page.waitForSelector('#check-results .verdict.fail');
  assert.match(await page.textContent('#check-results'), /Wait 30 seconds in all/);
  await typeDefinition(page, '{"StartAt": "Hold", "States": {"Hold": {"Type": "Wait", "Seconds": 30, "End": true}}}');
  await page.waitForTimeout(300);
  await page.click('#check');
  await page.waitForSelector('#check-results .verdict.pass');

  // Shared: the link carries the lesson and the learner's definition.
  await page.click('#share-lesson');
  const link = await page.inputValue('#share-link');
  const other = await open(link);
  await other.page.waitForSelector('#lesson[data-lesson="teacher-wait"]');
  await other.page.waitForFunction(() => document.querySelector('#definition .cm-content').textContent.includes('"Seconds": 30'));
  await other.page.close();

  // Dropped on the page.
  await page.goto(`${srv.origin}/`);
  await page.waitForSelector('#run');
  const drop = async (name, text) => {
    const dt = await page.evaluateHandle(([n, t]) => { const d = new DataTransfer(); d.items.add(new File([t], n, { type: 'text/markdown' })); return d; }, [name, text]);
    await page.dispatchEvent('main', 'drop', { dataTransfer: dt });
  };
  await drop('my-lesson.md', TEACHER.replace('teacher-wait', 'dropped-wait').replace("A teacher's own lesson", 'Dropped lesson'));
  await page.waitForSelector('#lesson[data-lesson="dropped-wait"]');
  // A malformed file: every error, each with its block and line.
  await drop('broken.md', MALFORMED);
  await page.waitForSelector('#lesson-problem');
  const errors = await page.textContent('#lesson-problem');
  assert.match(errors, /checks/);
  assert.match(errors, /line \d+/);
  assert.match(errors, /stauts/);
  assert.match(errors, /start/);
  await page.screenshot({ path: join(artifacts, 'learn-malformed.png') });
  assert.deepEqual(problems, []);
  await page.close();
});

test('a lesson at 390 px wide, and in dark', async () => {
  const { page, problems } = await open(`${srv.origin}/#learn/retry-basics`, { width: 390, height: 844 });
  const id = await page.evaluate(() => document.querySelector('#lesson')?.dataset.lesson ?? null);
  if (!id) {
    await page.goto(`${srv.origin}/#learn`);
    await page.click('#lesson-list li:nth-child(6) a');
  }
  await page.waitForSelector('#lesson');
  await page.click('#check');
  await page.waitForSelector('#check-results');
  await page.screenshot({ path: join(artifacts, 'learn-lesson-390.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.screenshot({ path: join(artifacts, 'learn-lesson-1440-dark.png') });
  assert.deepEqual(problems, []);
  await page.close();
});
