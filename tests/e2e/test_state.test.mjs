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
