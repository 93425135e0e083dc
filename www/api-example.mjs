// Every function of the sfnsim package, used as a page script would (the module beside the
// playground in embed/ is the package's browser build).
import { ready, validate, layout, renderSvg, Simulator, mount } from './embed/sfnsim.mjs';

const definition = {
  Comment: 'Retries a flaky call, then waits an hour',
  StartAt: 'Call',
  States: {
    Call: { Type: 'Pass', Result: { ok: true }, Next: 'Later' },
    Later: { Type: 'Wait', Seconds: 3600, Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
};
const show = (id, value) => { document.getElementById(id).textContent = typeof value === 'string' ? value : JSON.stringify(value, null, 2); };

await ready;
show('validate', validate('{"StartAt": "Nowhere", "States": {}}'));
const scene = layout(definition);
show('layout', { width: scene.width, height: scene.height, nodes: scene.nodes.map((n) => `${n.kind} ${n.name} at ${n.rect.x},${n.rect.y}`) });

const sim = new Simulator({ seed: 1 });
const lines = [];
sim.onEvent((arn, e) => lines.push(`${e.id} ${e.type}`));
const { stateMachineArn } = sim.call('CreateStateMachine', { name: 'example', definition, roleArn: 'arn:aws:iam::123456789012:role/R' });
const { executionArn } = sim.call('StartExecution', { stateMachineArn, input: '{}' });
sim.runUntilIdle();
show('events', lines.join('\n'));
const described = sim.call('DescribeExecution', { executionArn });
show('described', { status: described.status, output: JSON.parse(described.output), virtualSeconds: (sim.now() - described.startDate * 1000) / 1000 });
const history = sim.call('GetExecutionHistory', { executionArn });
document.getElementById('svg').innerHTML = renderSvg(definition, { execution: history });

mount(document.getElementById('mounted'), { definition, input: { from: 'mount' } });
document.body.dataset.ready = 'true';
