// A page script bundled by esbuild from the installed package (the browser build is chosen by
// the package's "default" export condition); the wasm is copied beside the bundle.
import { ready, validate, renderSvg, Simulator, mount } from 'sfnsim';

const definition = { StartAt: 'Hi', States: { Hi: { Type: 'Pass', Result: { hello: 'bundled' }, End: true } } };
await ready;
const sim = new Simulator({ seed: 3 });
const { stateMachineArn } = sim.call('CreateStateMachine', { name: 'b', definition, roleArn: 'arn:aws:iam::123456789012:role/R' });
const { executionArn } = sim.call('StartExecution', { stateMachineArn });
sim.runUntilIdle();
const out = sim.call('DescribeExecution', { executionArn });
document.getElementById('out').textContent = JSON.stringify({ valid: validate(definition).valid, status: out.status, output: JSON.parse(out.output) });
document.getElementById('svg').innerHTML = renderSvg(definition);
mount(document.getElementById('live'), { definition, mode: 'run' });
document.body.dataset.done = 'yes';
