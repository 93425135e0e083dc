// The page tests' harness: dist/ (from `trunk build --release`) served by a tiny static server,
// at the root and under /some/folder/ (the site must work from any folder), and the system
// Chromium driven through playwright-core (never a downloaded browser).
import { createServer } from 'node:http';
import { readFile, mkdir, access } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const dist = resolve(root, 'dist');
export const artifacts = join(root, 'tests/e2e/artifacts');
/** The folder the site is also served under. */
export const FOLDER = '/some/folder/';
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

/** The system Chromium, headless (never a downloaded browser). */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
  });
}

/**
 * A static server over several folders: `mounts` maps a URL prefix ('/docs/') to a folder or to
 * a function (request path below the prefix) => { body, type } | null. `headers` go on every
 * answer (e.g. a Content-Security-Policy), or come from `headers(path)`; every request is counted
 * in `hits` (path => n).
 */
export async function serve(mounts, headers = {}) {
  const hits = new Map();
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const prefix = Object.keys(mounts).filter((p) => path.startsWith(p)).sort((a, b) => b.length - a.length)[0];
    if (!prefix) return void res.writeHead(404).end('not found');
    const rest = path.slice(prefix.length);
    const mount = mounts[prefix];
    const extra = typeof headers === 'function' ? headers(path) : headers;
    try {
      if (typeof mount === 'function') {
        const r = await mount(rest);
        if (!r) return void res.writeHead(404).end('not found');
        res.writeHead(200, { 'content-type': r.type ?? types['.html'], ...extra });
        return void res.end(r.body);
      }
      const dir = resolve(mount);
      const file = resolve(dir, '.' + (rest === '' || rest.endsWith('/') ? '/' + rest + 'index.html' : '/' + rest));
      if (file !== dir && !file.startsWith(dir + sep)) return void res.writeHead(403).end();
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', ...extra });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { origin: `http://127.0.0.1:${server.address().port}`, hits, close: () => server.close() };
}

/** Starts the server and the browser: { base, folderBase, browser, close }. */
export async function start() {
  await access(join(dist, 'index.html')).catch(() => {
    throw new Error('dist/index.html is missing: run `trunk build --release` (make build) first');
  });
  const server = createServer(async (req, res) => {
    let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path.startsWith(FOLDER)) path = '/' + path.slice(FOLDER.length);
    const file = resolve(dist, '.' + (path.endsWith('/') ? path + 'index.html' : path));
    if (file !== dist && !file.startsWith(dist + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await launch();
  await mkdir(artifacts, { recursive: true });
  return {
    base: origin + '/',
    folderBase: origin + FOLDER,
    browser,
    async close() {
      await browser.close();
      server.close();
    },
  };
}

/** A new page on the app (at `url`), recording console errors and uncaught exceptions (a Rust panic is both). */
export async function openApp(browser, url, options = {}) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, ...options });
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(url);
  await page.waitForSelector('#run');
  return { page, problems };
}

/** Opens a dock tab (History, Timeline, Simulated world, Console, Import) unless it is open. */
export async function openTab(page, id) {
  const open = await page.$eval(`#panel-${id}`, (p) => !p.hidden);
  if (!open) await page.click(`#tab-${id}`);
  await page.waitForSelector(`#panel-${id}:not([hidden])`);
}
