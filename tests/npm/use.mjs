// The npm package from node ESM, as a user installs it (`npm install sfnsim-0.1.0.tgz` in a
// scratch folder): every function of the README, with what each must answer.
import assert from 'node:assert/strict';
import { ready, validate, layout, renderSvg, highlights, marksCss, encodeShare, decodeShare, Simulator, mount } from 'sfnsim';

await ready;
const definition = {
  Comment: 'Greets after an hour',
  StartAt: 'Greet',
  States: {
    Greet: { Type: 'Pass', Parameters: { 'greeting.$': "States.Format('Hello, {}!', $.name)" }, Next: 'Later' },
    Later: { Type: 'Wait', Seconds: 3600, End: true },
  },
};

// validate: objects and text; text keeps lines and columns.
assert.deepEqual(validate(definition, { type: 'STANDARD' }), { valid: true, diagnostics: [] });
const bad = validate('{\n  "StartAt": "Nowhere",\n  "States": {}\n}');
assert.equal(bad.valid, false);
assert.deepEqual(bad.diagnostics[0], { severity: 'ERROR', code: 'MISSING_TRANSITION_TARGET', message: "Missing 'Next' target: Nowhere", location: '/StartAt', line: 2, column: 14 });
assert.throws(() => validate(definition, { type: 'BATCH' }), TypeError);

// layout: the scene, in px.
const scene = layout(JSON.stringify(definition));
assert.deepEqual(scene.nodes.map((n) => `${n.kind}:${n.name}`), ['Start:Start', 'Pass:Greet', 'Wait:Later', 'End:End']);
assert.ok(scene.width > 0 && scene.height > 0 && scene.edges.length === 3);
assert.throws(() => layout('{"StartAt": 1}'), (e) => e.name === 'InvalidDefinition');

// The simulator: AWS's API on a virtual clock, events as they happen.
const sim = new Simulator({ seed: 7 });
const seen = [];
sim.onEvent((arn, e) => seen.push(e.type));
const { stateMachineArn } = sim.call('CreateStateMachine', { name: 'greeter', definition, roleArn: 'arn:aws:iam::123456789012:role/R' });
assert.equal(stateMachineArn, 'arn:aws:states:us-east-1:123456789012:stateMachine:greeter');
const { executionArn } = sim.call('StartExecution', { stateMachineArn, input: '{"name": "Ada"}' });
const t0 = sim.now();
assert.equal(sim.step(), true);
assert.deepEqual(seen, ['ExecutionStarted']);
sim.advance(10);
assert.equal(sim.call('DescribeExecution', { executionArn }).status, 'RUNNING');
assert.equal(sim.now() - t0, 10_000);
sim.runUntilIdle();
const done = sim.call('DescribeExecution', { executionArn });
assert.equal(done.status, 'SUCCEEDED');
assert.deepEqual(JSON.parse(done.output), { greeting: 'Hello, Ada!' });
assert.equal(sim.now() - t0, 3_600_000);
assert.deepEqual(seen, ['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'WaitStateEntered', 'WaitStateExited', 'ExecutionSucceeded']);
assert.deepEqual(sim.highlights(executionArn), { active: [], visited: ['Greet', 'Later'], failed: [], path: [['Greet', 'Later']] });
assert.throws(() => sim.call('DescribeExecution', { executionArn: 'nope' }), (e) => e instanceof Error && e.name === 'InvalidArn' && /^Invalid Arn/.test(e.message));
assert.throws(() => sim.call('StartExecution', { stateMachineArn, name: executionArn.split(':').pop() }), (e) => e.name === 'ExecutionAlreadyExists');

// renderSvg, marked with the run; the marks alone as CSS.
const history = sim.call('GetExecutionHistory', { executionArn });
const svg = renderSvg(definition, { execution: history });
assert.match(svg, /^<svg /);
assert.match(svg, /<style>polyline\.edge\[data-from="Greet"\]\[data-to="Later"\]/);
assert.doesNotMatch(renderSvg(definition), /<style>/);
const h = highlights(history.events, 2); // ExecutionStarted, PassStateEntered
assert.deepEqual(h.active, ['Greet']);
assert.match(marksCss(h), /g\.state\[data-state="Greet"\] > rect/);

// A simulated world: an activity and a worker that answers it.
const world = {
  activities: ['work'],
  workers: [{ name: 'w1', activityArn: 'arn:aws:states:us-east-1:123456789012:activity:work', latencySeconds: 30, answer: { kind: 'succeed', output: { ok: true } } }],
};
const sim2 = new Simulator({ seed: 1, world });
const m2 = sim2.call('CreateStateMachine', { name: 'act', roleArn: 'arn:aws:iam::123456789012:role/R', definition: { StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:us-east-1:123456789012:activity:work', End: true } } } });
const e2 = sim2.call('StartExecution', { stateMachineArn: m2.stateMachineArn });
sim2.runUntilIdle();
const d2 = sim2.call('DescribeExecution', { executionArn: e2.executionArn });
assert.equal(d2.status, 'SUCCEEDED');
assert.deepEqual(JSON.parse(d2.output), { ok: true });
assert.throws(() => new Simulator({ world: { spec: world } }), TypeError);

// Share links, both ways.
const payload = encodeShare({ definition: JSON.stringify(definition), input: '{"name": "Ada"}', seed: 7 });
assert.deepEqual(decodeShare(payload), { definition: JSON.stringify(definition), input: '{"name": "Ada"}', seed: 7 });
assert.throws(() => decodeShare('!!'), TypeError);

// The embed needs a browser.
assert.throws(() => mount(null, { definition }), /needs a browser/);
console.log('sfnsim package: every function works from node ESM');
