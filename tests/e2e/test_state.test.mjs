// Test state in the page: a state of the editor's definition run alone through TestState, from
// the inspector, with the last run's input to it, a mocked error, and each stage shown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as harness from './harness.mjs';

let h;
before(async () => { h = await harness.start(); });
after(async () => { await h?.close(); });

test('Test state: the inspected state alone, with its last input, then with a mocked error', async () => {
  const { page, problems } = await harness.openApp(h.browser, h.base, { viewport: { width: 1440, height: 900 } });
  await page.evaluate(() => window.sfnsimEditor.current.setText(JSON.stringify({
    StartAt: 'Price',
    States: {
      Price: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'price', 'Payload.$': '$.order' }, ResultSelector: { 'total.$': '$.Payload.qty' }, ResultPath: '$.pricing', Next: 'Done' },
      Done: { Type: 'Succeed' },
    },
  }, null, 2), true));
  await page.fill('#input', '{ "order": { "qty": 3 } }');
  await page.click('#run');
  await page.click('#to-end');
  await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'SUCCEEDED');
  await page.click('#diagram g.state[data-state="Price"]');
  await page.click('#test-state-open');
  // The last run's input to Price is there; the state runs alone at DEBUG.
  assert.deepEqual(JSON.parse(await page.inputValue('#test-state-input')), { order: { qty: 3 } });
  await page.click('#test-state-run');
  await page.waitForSelector('#test-state-result');
  const r = await page.textContent('#test-state-result');
  assert.match(r, /SUCCEEDED/);
  assert.match(r, /next: Done/);
  assert.match(r, /After Parameters/);
  assert.match(r, /After ResultSelector/);
  await page.screenshot({ path: join(harness.artifacts, 'test-state.png') });
  // A mocked error: the Task fails (no Retry, no Catch).
  await page.selectOption('#test-state-mock', 'error');
  await page.fill('#test-state-mock-error', 'Lambda.ServiceException');
  await page.fill('#test-state-mock-cause', 'down');
  await page.click('#test-state-run');
  await page.waitForFunction(() => document.querySelector('#test-state-result')?.textContent.includes('Lambda.ServiceException'));
  assert.match(await page.textContent('#test-state-result'), /FAILED/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('versions and aliases from the console: a run through an alias says so in the executions list', async () => {
  const { page, problems } = await harness.openApp(h.browser, h.base);
  await harness.openTab(page, 'console');
  const run = async (line) => {
    const before = await page.locator('.console-entry').count();
    await page.fill('#console-input', line);
    await page.press('#console-input', 'Enter');
    await page.waitForFunction((n) => document.querySelectorAll('.console-entry .console-out').length > n, before);
    return page.locator('.console-entry .console-out').last().textContent();
  };
  const def = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
  const created = JSON.parse(await run(`aws stepfunctions create-state-machine --name Orders --definition '${def}' --role-arn arn:aws:iam::123456789012:role/R --publish`));
  assert.match(created.stateMachineVersionArn, /:Orders:1$/);
  const alias = JSON.parse(await run(`aws stepfunctions create-state-machine-alias --name prod --routing-configuration stateMachineVersionArn=${created.stateMachineVersionArn},weight=100`));
  assert.match(alias.stateMachineAliasArn, /:Orders:prod$/);
  await run(`aws stepfunctions start-execution --state-machine-arn ${alias.stateMachineAliasArn} --name via-alias`);
  const validated = JSON.parse(await run(`aws stepfunctions validate-state-machine-definition --definition '{"StartAt": "X", "States": {}}'`));
  assert.equal(validated.result, 'FAIL');
  await page.waitForFunction(() => [...document.querySelectorAll('#executions option')].some((o) => o.textContent.includes('via-alias')));
  const label = await page.$eval('#executions', (s) => [...s.options].map((o) => o.textContent).find((t) => t.includes('via-alias')));
  assert.match(label, /Orders@prod v1/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('Redrive: a failed run continues from the state it stopped in', async () => {
  const { page, problems } = await harness.openApp(h.browser, h.base);
  await page.evaluate(() => window.sfnsimEditor.current.setText(JSON.stringify({
    StartAt: 'Prepare',
    States: {
      Prepare: { Type: 'Pass', Result: { ready: true }, Next: 'Ask' },
      Ask: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
        Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', MessageBody: { 'token.$': '$$.Task.Token' } }, End: true },
    },
  }), true));
  await page.click('#run');
  await page.waitForSelector('#pending .task');
  assert.equal(await page.locator('#redrive').count(), 0, 'a running execution cannot be redriven');
  await page.fill('#pending .task-error', 'Partner.Down');
  await page.click('#pending .task-failure');
  await page.waitForSelector('#status.FAILED');
  await page.click('#redrive');
  // The failed Task waits again; Prepare is not run again.
  await page.waitForSelector('#pending .task');
  await page.fill('#pending .task-output', '{"ok": true}');
  await page.click('#pending .task-success');
  await page.waitForSelector('#status.SUCCEEDED', { timeout: 10_000 });
  assert.deepEqual(JSON.parse(await page.textContent('#output')), { ok: true });
  await harness.openTab(page, 'history');
  const types = await page.$$eval('#history tbody tr td:nth-child(2)', (tds) => tds.map((t) => t.textContent));
  assert.ok(types.includes('ExecutionRedriven'), types.join());
  assert.equal(types.filter((t) => t === 'PassStateEntered').length, 1, types.join());
  assert.equal(await page.locator('#redrive').count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});
