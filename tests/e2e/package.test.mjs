// The npm package `sfnsim` (make package: target/npm/sfnsim-0.1.0.tgz) as a user gets it:
// installed into a scratch folder, used from node ESM (every function), type-checked with tsc
// over an example that uses its definitions, and bundled by esbuild into a page run in Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve, launch, root, artifacts } from './harness.mjs';

const npmDir = join(root, 'target/npm');
const scratch = join(npmDir, 'scratch');
const bin = (name) => join(root, 'node_modules/.bin', name);

before(() => {
  const tarball = readdirSync(npmDir).find((f) => /^sfnsim-.*\.tgz$/.test(f));
  assert.ok(tarball, 'target/npm/sfnsim-*.tgz is missing: run `make package`');
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  for (const f of ['use.mjs', 'example.ts', 'tsconfig.json', 'page.mjs', 'page.html']) cpSync(join(root, 'tests/npm', f), join(scratch, f));
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
  // The package has no dependencies: installing it needs no registry.
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', join(npmDir, tarball)], { cwd: scratch, stdio: 'pipe' });
});

test('the package: what the tarball holds, and its size', () => {
  const pkg = join(scratch, 'node_modules/sfnsim');
  const files = readdirSync(pkg).sort();
  assert.deepEqual(files, ['README.md', 'index.d.ts', 'node.mjs', 'package.json', 'sfnsim.mjs', 'sfnsim_wasm.d.ts', 'sfnsim_wasm.js', 'sfnsim_wasm_bg.wasm']);
  const size = (f) => statSync(join(pkg, f)).size;
  console.log(`# package: sfnsim.mjs ${size('sfnsim.mjs')} B, sfnsim_wasm_bg.wasm ${size('sfnsim_wasm_bg.wasm')} B`);
});

test('node ESM: every function of the API', () => {
  const out = execFileSync(process.execPath, ['use.mjs'], { cwd: scratch, encoding: 'utf8' });
  assert.match(out, /every function works from node ESM/);
});

test('TypeScript: the definitions type-check an example that uses them (tsc --noEmit, strict)', () => {
  execFileSync(bin('tsc'), ['-p', 'tsconfig.json'], { cwd: scratch, stdio: 'pipe' });
  // And a misuse is caught: a number where a Definition belongs.
  writeFileSync(join(scratch, 'wrong.ts'), "import { layout } from 'sfnsim';\nlayout(42);\n");
  assert.throws(() => execFileSync(bin('tsc'), ['--ignoreConfig', '--noEmit', '--strict', '--module', 'esnext', '--moduleResolution', 'bundler', '--lib', 'es2022,dom', 'wrong.ts'], { cwd: scratch, stdio: 'pipe' }),
    (e) => /Argument of type 'number' is not assignable/.test(String(e.stdout)));
});

let srv;
let browser;
after(async () => {
  await browser?.close();
  srv?.close();
});

test('a page bundled by esbuild from the package runs in Chromium', async () => {
  const dist = join(scratch, 'dist');
  execFileSync(bin('esbuild'), ['page.mjs', '--bundle', '--format=esm', '--platform=browser', '--log-level=warning', `--outfile=${join(dist, 'page.js')}`], { cwd: scratch, stdio: 'pipe' });
  cpSync(join(scratch, 'node_modules/sfnsim/sfnsim_wasm_bg.wasm'), join(dist, 'sfnsim_wasm_bg.wasm'));
  cpSync(join(scratch, 'page.html'), join(dist, 'index.html'));
  srv = await serve({ '/app/': dist }, { 'content-security-policy': "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:" });
  browser = await launch();
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(`${srv.origin}/app/`);
  await page.waitForSelector('body[data-done="yes"]', { timeout: 10000 });
  assert.deepEqual(JSON.parse(await page.textContent('#out')), { valid: true, status: 'SUCCEEDED', output: { hello: 'bundled' } });
  assert.equal(await page.locator('#svg svg g.state.pass').count(), 1);
  await page.locator('#live button.run').click();
  await page.locator('#live .status[data-kind="ok"]').waitFor({ timeout: 10000 });
  await page.screenshot({ path: join(artifacts, 'package-bundled.png') });
  assert.deepEqual(problems, []);
});
