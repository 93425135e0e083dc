// The engine's wasm build in node, side by side with aws-local-stepfunctions (the TypeScript
// interpreter people run in browsers today), on the same workloads in one process.
// Run with `make bench-wasm` (it builds target/node first).
import { createRequire } from 'node:module';
import { StateMachine } from 'aws-local-stepfunctions';

const require = createRequire(import.meta.url);
const sfnsim = require('../../target/node/sfnsim.js');

const loop = (n) => ({
  StartAt: 'Init',
  States: {
    Init: { Type: 'Pass', Result: { i: 0 }, Next: 'Check' },
    Check: { Type: 'Choice', Choices: [{ Variable: '$.i', NumericGreaterThanEquals: n, Next: 'Done' }], Default: 'Inc' },
    Inc: { Type: 'Pass', Parameters: { 'i.$': 'States.MathAdd($.i, 1)' }, Next: 'Check' },
    Done: { Type: 'Succeed' },
  },
});
const map = {
  StartAt: 'Each',
  States: {
    Each: {
      Type: 'Map', ItemsPath: '$.items',
      ItemSelector: { 'label.$': "States.Format('item {} of {}', $$.Map.Item.Value, $.name)" },
      ItemProcessor: { StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } },
      End: true,
    },
  },
};
const parallel = (branches, depth) => ({
  StartAt: 'Fan',
  States: {
    Fan: {
      Type: 'Parallel', End: true,
      Branches: Array.from({ length: branches }, (_, b) => ({
        StartAt: `B${b}S0`,
        States: Object.fromEntries(Array.from({ length: depth }, (_, i) => [
          `B${b}S${i}`, i + 1 < depth ? { Type: 'Pass', Next: `B${b}S${i + 1}` } : { Type: 'Pass', End: true },
        ])),
      })),
    },
  },
});

const workloads = [
  // [name, definition, input, state transitions per run]
  ['Pass/Choice loop, 5,000 iterations, States.MathAdd', loop(5000), {}, 10_003],
  ['inline Map, 1,000 items, States.Format ItemSelector', map, { name: 'bench', items: Array.from({ length: 1000 }, (_, i) => i) }, 1_001],
  ['Parallel, 10 branches x 10 Pass', parallel(10, 10), {}, 101],
];

async function time(fn, minMs = 1500) {
  await fn(); // warm up
  let runs = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    await fn();
    runs++;
  }
  return (performance.now() - start) / runs;
}

const rows = [];
for (const [name, def, input, transitions] of workloads) {
  const defText = JSON.stringify(def);
  const inputText = JSON.stringify(input);
  const status = sfnsim.runStatus(defText, inputText);
  if (status !== 'SUCCEEDED') throw new Error(`sfnsim: ${name}: ${status}`);
  // Both sides load the definition once and time only the runs.
  const loaded = new sfnsim.LoadedMachine(defText);
  const ours = await time(() => loaded.runStatus(inputText));
  const sm = new StateMachine(def, { validationOptions: { checkPaths: false, checkArn: false } });
  const theirs = await time(async () => { await sm.run(input).result; });
  rows.push({ workload: name, 'sfnsim wasm ms': ours.toFixed(2), 'aws-local-stepfunctions ms': theirs.toFixed(2),
    'sfnsim transitions/s': Math.round(transitions / ours * 1000), 'als transitions/s': Math.round(transitions / theirs * 1000),
    speedup: (theirs / ours).toFixed(1) + 'x' });
}
console.table(rows);
