// The embed: one live diagram in a Shadow DOM of its own, over the package's API (the same
// Simulator, renderSvg and marks the playground uses). No global state besides what the caller
// passes in; styles go in through constructed style sheets, so a strict Content-Security-Policy
// (no inline style or script) is enough.
import * as api from './api.mjs';
import EMBED_CSS from './embed.css';

const DEFAULT_STEP_MS = 420; // one event-producing step at speed 1
const AUTOPLAY_REST_MS = 2400; // how long a finished autoplay run stays on screen
const ROLE = 'arn:aws:iam::123456789012:role/sfnsim-embed';
// The playground's default name: a shared world's mock configuration names its machine.
const MACHINE = 'Playground';

let sheet; // one parsed copy of the embed's styles, shared by every shadow root
function baseSheet() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(EMBED_CSS);
  }
  return sheet;
}

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c) el.append(c);
  return el;
}

function asText(v, fallback) {
  if (v === undefined || v === null || v === '') return fallback;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** 'LR' (left to right, also 'lr') or 'TB' (top to bottom: the default, and anything else). */
function directionOf(v) {
  return String(v ?? '').toUpperCase() === 'LR' ? 'LR' : 'TB';
}

/** Ids of the Parallel and Map states to draw as one box: an array, or text with the ids
 * separated by commas (a `data-collapsed` attribute). */
function collapsedOf(v) {
  if (Array.isArray(v)) return v.map(String);
  return String(v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

function pretty(text) {
  try { return JSON.stringify(JSON.parse(text), null, 2); } catch { return text; }
}

/** The playground's address: given, or the folder above a hosted `embed/` folder; else none. */
function playgroundUrl(options) {
  if (options.playground) return new URL(options.playground, document.baseURI).href;
  if (/\/embed\/[^/]*$/.test(new URL(import.meta.url).pathname)) return new URL('../', import.meta.url).href;
  return null;
}

/** A text outline of the diagram for screen readers: each state, its type and where it goes. */
function outline(scene) {
  const list = h('ol');
  const states = scene.nodes.filter((n) => n.kind !== 'Start' && n.kind !== 'End');
  const seen = new Set();
  for (const n of states) {
    if (seen.has(n.id)) continue;
    seen.add(n.id);
    const next = scene.edges
      .filter((e) => scene.nodes[e.from] === n)
      .map((e) => {
        const to = scene.nodes[e.to];
        const target = to.kind === 'End' ? 'the end' : to.name;
        return e.label ? `${e.label.text}: ${target}` : target;
      });
    const where = n.frame !== null ? ` in ${scene.frames[n.frame].title}` : '';
    list.append(h('li', { text: `${n.name} (${n.kind}${where})${next.length ? ' → ' + next.join('; ') : ''}` }));
  }
  return list;
}

/**
 * Mounts a live diagram on `element` (its content is replaced by a shadow root).
 * Options: definition (object or JSON text), input, mode ('run' | 'diagram' | 'autoplay'),
 * height, theme ('light' | 'dark' | 'auto'), seed, world, speed, playground (URL), direction
 * ('TB' top to bottom, the default, or 'LR' left to right), collapsed (ids of Parallel and Map
 * states drawn as one box, e.g. ['Fulfil'] or 'Fulfil,Reserve').
 */
export function mount(element, options = {}) {
  if (!(element instanceof Element)) throw new TypeError('mount: element must be a DOM element');
  if (element.sfnsimEmbed) element.sfnsimEmbed.destroy();
  const definition = asText(options.definition, '');
  const input = asText(options.input, '{}');
  const seed = Number.isFinite(Number(options.seed)) ? Number(options.seed) >>> 0 : 0;
  const speed = Number(options.speed) > 0 ? Number(options.speed) : 1;
  const direction = directionOf(options.direction);
  const collapsed = collapsedOf(options.collapsed);
  const reduceMotion = matchMedia('(prefers-reduced-motion: reduce)').matches;
  let mode = ['run', 'diagram', 'autoplay'].includes(options.mode) ? options.mode : 'run';
  // Autoplay keeps still for people who asked for less motion: it waits for Run.
  const autoplay = mode === 'autoplay' && !reduceMotion;
  if (mode === 'autoplay' && reduceMotion) mode = 'run';
  // The world as the playground's share links hold it ({ spec, machineName }) or bare.
  let world = null;
  let machineName = MACHINE;
  let worldProblem = null;
  try {
    let w = options.world ?? null;
    if (typeof w === 'string') w = w.trim() ? JSON.parse(w) : null;
    if (w && typeof w === 'object' && ('spec' in w || 'machineName' in w)) {
      machineName = typeof w.machineName === 'string' && w.machineName ? w.machineName : MACHINE;
      w = w.spec ?? null;
    }
    world = w;
    if (world) new api.Simulator({ world }).free(); // refuses a world it cannot read, now
  } catch (e) {
    worldProblem = e.message;
  }

  const host = element.shadowRoot ? element : element;
  const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
  root.replaceChildren();
  const marks = new CSSStyleSheet();
  const sizing = new CSSStyleSheet();
  root.adoptedStyleSheets = [baseSheet(), marks, sizing];
  const theme = ['light', 'dark'].includes(options.theme) ? options.theme : 'auto';
  if (options.height) {
    const hgt = /^\d+(\.\d+)?$/.test(String(options.height)) ? `${options.height}px` : String(options.height);
    if (CSS.supports('max-height', hgt)) sizing.replaceSync(`.view { max-height: ${hgt}; }`);
  }

  const frame = h('div', { class: 'sfn', 'data-theme': theme, 'data-mode': mode, 'data-direction': direction, part: 'embed' });
  root.append(frame);
  const handle = { element, destroy, run: () => start(), step: () => stepOnce(), reset: () => reset() };
  element.sfnsimEmbed = handle;

  if (options.lesson) {
    mountLesson(frame, options, handle);
    return handle;
  }
  if (worldProblem) {
    frame.classList.add('broken');
    frame.append(h('div', { class: 'diagnostics', role: 'alert' },
      h('p', { class: 'title', text: 'The simulated world (data-world) cannot be read:' }),
      h('p', { text: worldProblem })));
    return handle;
  }
  const validation = api.validate(definition);
  if (!validation.valid) {
    frame.classList.add('broken');
    const items = validation.diagnostics.map((d) =>
      h('li', {},
        h('code', { class: 'code', text: d.code }), ' ',
        h('span', { text: d.message }),
        d.line ? h('span', { class: 'where', text: ` (line ${d.line}, column ${d.column}${d.location ? `, at ${d.location}` : ''})` }) :
          d.location ? h('span', { class: 'where', text: ` (at ${d.location})` }) : null));
    frame.append(
      h('div', { class: 'diagnostics', role: 'alert' },
        h('p', { class: 'title', text: 'This state machine definition does not validate:' }),
        h('ul', {}, ...items)),
      h('pre', { class: 'source', text: definition }));
    return handle;
  }

  const scene = api.layout(definition, { direction, collapsed });
  const svgText = api.renderSvg(definition, { direction, collapsed });
  const playground = playgroundUrl(options);
  const sharedWorld = world || machineName !== MACHINE ? { spec: world ?? {}, machineName } : null;
  const shareLink = () => `${playground}#share=${api.encodeShare({ definition, input, seed, world: sharedWorld })}`;

  // Controls.
  const btn = (label, title, onclick, cls) => h('button', { type: 'button', class: cls, title, 'aria-label': title, onclick }, label);
  const runBtn = btn('▶ Run', 'Run the state machine', () => (running ? pause() : start()), 'primary run');
  const stepBtn = btn('Step', 'Do the next step', () => stepOnce(), 'step');
  const resetBtn = btn('Reset', 'Back to the start', () => reset(), 'reset');
  const clock = h('span', { class: 'clock', title: 'Virtual time since the run started', text: '' });
  const status = h('span', { class: 'status', role: 'status', 'aria-live': 'polite', text: '' });
  const zoomOut = btn('−', 'Zoom out', () => zoom(1 / 1.25), 'zoom');
  const zoomIn = btn('+', 'Zoom in', () => zoom(1.25), 'zoom');
  const fitBtn = btn('Fit', 'Fit the diagram to the width', () => fit(), 'zoom fit');
  const eventsBtn = btn('Events', 'Show the execution history', () => toggleEvents(), 'events-toggle');
  eventsBtn.setAttribute('aria-expanded', 'false');
  const open = h('a', { class: 'open', href: '#', target: '_blank', rel: 'noopener', title: 'Open this state machine in the sfnsim playground', 'aria-label': 'Open in playground' });
  const refreshLink = () => { open.href = shareLink(); };
  open.addEventListener('pointerdown', refreshLink);
  open.addEventListener('focus', refreshLink);
  if (playground) refreshLink();

  const bar = h('div', { class: 'bar', role: 'toolbar', 'aria-label': 'State machine controls' },
    runBtn, stepBtn, resetBtn, status, clock, h('span', { class: 'spacer' }), eventsBtn);
  const zoomBar = h('div', { class: 'zoombar', role: 'toolbar', 'aria-label': 'Zoom' }, zoomOut, zoomIn, fitBtn);
  if (playground) {
    open.replaceChildren(h('span', { class: 'long', text: 'Open in playground' }), h('span', { class: 'short', text: 'Open' }), ' ↗');
    (mode === 'diagram' ? zoomBar : bar).append(open);
  }

  const outlineId = `sfnsim-outline-${Math.random().toString(36).slice(2)}`;
  const view = h('div', { class: 'view', tabindex: '0', role: 'group', 'aria-label': 'Diagram (arrow keys scroll, + and − zoom, 0 fits)' });
  view.innerHTML = svgText; // our own renderer's SVG: names are escaped there
  const svg = view.querySelector('svg');
  const natural = { w: scene.width, h: scene.height };
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `State machine diagram with ${new Set(scene.nodes.filter((n) => n.kind !== 'Start' && n.kind !== 'End').map((n) => n.id)).size} states`);
  svg.setAttribute('aria-describedby', outlineId);
  const outlineBox = h('div', { class: 'outline', id: outlineId }, outline(scene));

  const result = h('div', { class: 'result', hidden: true });
  const events = h('ol', { class: 'event-list', hidden: true, 'aria-label': 'Execution history' });
  const stage = h('div', { class: 'stage' }, view, zoomBar);
  if (mode !== 'diagram') frame.append(bar);
  frame.append(stage, result, events, outlineBox);

  // Zoom: fitted to the width (never enlarged past natural size) until the reader zooms.
  let scale = null;
  function applyScale() {
    if (scale === null) {
      svg.style.width = '100%';
      svg.style.maxWidth = `${natural.w}px`;
      svg.style.height = 'auto';
    } else {
      svg.style.maxWidth = 'none';
      svg.style.width = `${natural.w * scale}px`;
      svg.style.height = `${natural.h * scale}px`;
    }
    fitBtn.setAttribute('aria-pressed', String(scale === null));
  }
  function currentScale() {
    return svg.getBoundingClientRect().width / natural.w || 1;
  }
  function zoom(f) {
    scale = Math.min(4, Math.max(0.2, (scale ?? currentScale()) * f));
    applyScale();
  }
  function fit() { scale = null; applyScale(); }
  applyScale();
  view.addEventListener('keydown', (e) => {
    if (e.key === '+' || e.key === '=') { zoom(1.25); e.preventDefault(); }
    else if (e.key === '-' || e.key === '_') { zoom(1 / 1.25); e.preventDefault(); }
    else if (e.key === '0') { fit(); e.preventDefault(); }
  });
  view.addEventListener('wheel', (e) => {
    if (!e.ctrlKey) return;
    e.preventDefault();
    zoom(e.deltaY < 0 ? 1.1 : 1 / 1.1);
  }, { passive: false });
  // Drag to pan when zoomed past the width.
  let drag = null;
  view.addEventListener('pointerdown', (e) => {
    if (e.button !== 0 || view.scrollWidth <= view.clientWidth && view.scrollHeight <= view.clientHeight) return;
    drag = { x: e.clientX, y: e.clientY, left: view.scrollLeft, top: view.scrollTop };
    view.setPointerCapture(e.pointerId);
    view.classList.add('panning');
  });
  view.addEventListener('pointermove', (e) => {
    if (!drag) return;
    view.scrollLeft = drag.left - (e.clientX - drag.x);
    view.scrollTop = drag.top - (e.clientY - drag.y);
  });
  const endDrag = () => { drag = null; view.classList.remove('panning'); };
  view.addEventListener('pointerup', endDrag);
  view.addEventListener('pointercancel', endDrag);

  // The run.
  let sim = null;
  let arn = null;
  let startMs = 0;
  let timer = null;
  let running = false;
  let finished = false;
  let hovered = false;
  let eventCount = 0;

  function setStatus(text, kind) {
    status.textContent = text;
    status.dataset.kind = kind ?? '';
  }
  function reset() {
    stopTimer();
    running = false;
    finished = false;
    sim?.free();
    sim = null;
    arn = null;
    eventCount = 0;
    marks.replaceSync('');
    result.hidden = true;
    result.replaceChildren();
    events.replaceChildren();
    clock.textContent = '';
    setStatus(mode === 'diagram' ? '' : 'Ready');
    runBtn.textContent = '▶ Run';
    runBtn.setAttribute('aria-label', 'Run the state machine');
    stepBtn.disabled = false;
  }
  function begin() {
    sim = new api.Simulator({ seed, world: world ?? undefined });
    sim.onEvent((execArn, event) => {
      if (execArn === arn) addEvent(event);
    });
    const sm = sim.call('CreateStateMachine', { name: machineName, definition, roleArn: ROLE });
    const target = world && world.testCase ? `${sm.stateMachineArn}#${world.testCase}` : sm.stateMachineArn;
    startMs = sim.now();
    arn = sim.call('StartExecution', { stateMachineArn: target, name: 'run', input }).executionArn;
    sim.step();
  }
  function addEvent(e) {
    eventCount += 1;
    const details = Object.entries(e).find(([k]) => k.endsWith('EventDetails'));
    const name = details && (details[1].name ?? details[1].state);
    const t = ((e.timestamp * 1000 - startMs) / 1000).toFixed(1);
    events.append(h('li', { 'data-type': e.type },
      h('span', { class: 'id', text: String(e.id) }),
      h('span', { class: 'type', text: e.type }),
      h('span', { class: 'name', text: name ?? '' }),
      h('span', { class: 't', text: `+${t} s` })));
    eventsBtn.textContent = `Events (${eventCount})`;
  }
  function refresh() {
    if (!sim || !arn) return;
    marks.replaceSync(api.marksCss(sim.highlights(arn)));
    clock.textContent = `t+${((sim.now() - startMs) / 1000).toFixed(1)} s`;
    const d = sim.call('DescribeExecution', { executionArn: arn });
    if (d.status === 'RUNNING') {
      setStatus(running ? 'Running…' : 'Paused', 'running');
      return;
    }
    finished = true;
    stopTimer();
    running = false;
    runBtn.textContent = '▶ Run again';
    runBtn.setAttribute('aria-label', 'Run the state machine again');
    stepBtn.disabled = true;
    setStatus(d.status, d.status === 'SUCCEEDED' ? 'ok' : 'failed');
    result.hidden = false;
    result.replaceChildren();
    if (d.status === 'SUCCEEDED') {
      result.append(h('div', { class: 'label', text: 'Output' }), h('pre', { text: pretty(d.output ?? 'null') }));
    } else {
      result.append(
        h('div', { class: 'label', text: d.status === 'FAILED' ? 'Failed' : d.status }),
        h('dl', {},
          h('dt', { text: 'Error' }), h('dd', { text: d.error ?? '(none)' }),
          h('dt', { text: 'Cause' }), h('dd', { text: d.cause ?? '(none)' })));
    }
    if (autoplay && !hovered) timer = setTimeout(() => { reset(); start(); }, AUTOPLAY_REST_MS);
  }
  function showError(e) {
    stopTimer();
    running = false;
    setStatus(e.name || 'Error', 'failed');
    result.hidden = false;
    result.replaceChildren(h('div', { class: 'label', text: e.name || 'Error' }), h('pre', { text: e.message }));
  }
  // One step that the reader can see: engine steps until our run's history grows (bounded).
  function advance() {
    const before = eventCount;
    for (let i = 0; i < 10000 && eventCount === before; i++) {
      if (!sim.step()) break;
    }
    refresh();
    return eventCount !== before;
  }
  function stepOnce() {
    try {
      if (finished) reset();
      if (running) pause();
      if (!sim) begin();
      else advance();
      refresh();
    } catch (e) { showError(e); }
  }
  function tick() {
    timer = null;
    if (!running) return;
    try {
      const moved = advance();
      if (!finished && !moved) { pause(); setStatus('Waiting (nothing can happen by itself)', 'running'); return; }
    } catch (e) { showError(e); return; }
    if (running) timer = setTimeout(tick, DEFAULT_STEP_MS / speed);
  }
  function start() {
    try {
      if (finished) reset();
      if (!sim) begin();
      running = true;
      runBtn.textContent = '❚❚ Pause';
      runBtn.setAttribute('aria-label', 'Pause the run');
      refresh();
      stopTimer();
      timer = setTimeout(tick, DEFAULT_STEP_MS / speed);
    } catch (e) { showError(e); }
  }
  function pause() {
    stopTimer();
    running = false;
    runBtn.textContent = '▶ Resume';
    runBtn.setAttribute('aria-label', 'Resume the run');
    refresh();
  }
  function stopTimer() {
    if (timer) clearTimeout(timer);
    timer = null;
  }
  function toggleEvents() {
    events.hidden = !events.hidden;
    eventsBtn.setAttribute('aria-expanded', String(!events.hidden));
  }
  function destroy() {
    stopTimer();
    running = false;
    observer?.disconnect();
    if (element.sfnsimEmbed === handle) delete element.sfnsimEmbed;
  }

  reset();
  // Autoplay: plays while on screen and not hovered or focused; pauses otherwise.
  let observer = null;
  if (autoplay) {
    const hold = (on) => {
      hovered = on;
      if (on && running) pause();
      else if (!on && !running) {
        if (finished) { stopTimer(); timer = setTimeout(() => { reset(); start(); }, AUTOPLAY_REST_MS / 2); }
        else start();
      }
    };
    frame.addEventListener('pointerenter', () => hold(true));
    frame.addEventListener('pointerleave', () => hold(false));
    frame.addEventListener('focusin', () => hold(true));
    frame.addEventListener('focusout', (e) => { if (!frame.contains(e.relatedTarget)) hold(false); });
    observer = new IntersectionObserver((entries) => {
      const visible = entries.some((e) => e.isIntersecting);
      if (visible && !running && !hovered && !finished) start();
      else if (!visible && running) pause();
    });
    observer.observe(element);
  }
  return handle;
}

/**
 * A lesson in a page (`data-lesson` = the lesson file's URL): its text and task, a text box with
 * the definition, its diagram as it is typed, Check with the why of each check, hints, and a
 * link that opens the lesson with the learner's text in the playground. What the learner typed
 * is kept in the host page's localStorage.
 */
function mountLesson(frame, options, handle) {
  frame.classList.add('lesson-mode');
  const loading = h('p', { class: 'loading', role: 'status', text: 'Loading the lesson…' });
  frame.append(loading);
  const url = new URL(options.lesson, document.baseURI);
  const fail = (message) => {
    loading.remove();
    frame.classList.add('broken');
    frame.append(h('div', { class: 'diagnostics', role: 'alert' }, h('p', { class: 'title', text: 'This lesson cannot be shown:' }), h('pre', { class: 'source', text: message })));
  };
  fetch(url).then((r) => (r.ok ? r.text() : Promise.reject(new Error(`${url.href}: HTTP ${r.status}`)))).then((text) => {
    let lesson;
    try { lesson = api.parseLesson(text); } catch (e) { fail(e.message); return; }
    loading.remove();
    const key = `sfnsim.embed-lesson.${lesson.id}`;
    let saved = null;
    try { saved = localStorage.getItem(key); } catch { /* storage may be off */ }
    const md = (m) => { const d = h('div', { class: 'md' }); d.innerHTML = api.markdownHtml(m); return d; }; // escaped by the engine
    const box = h('textarea', { class: 'definition', spellcheck: 'false', 'aria-label': 'Definition (Amazon States Language)', rows: '12' });
    box.value = saved ?? lesson.start;
    const view = h('div', { class: 'view', tabindex: '0', role: 'group', 'aria-label': 'Diagram of the definition' });
    const problems = h('ul', { class: 'problems', hidden: true });
    const results = h('div', { class: 'checks', role: 'status', 'aria-live': 'polite' });
    const hints = h('ol', { class: 'hints' });
    let shownHints = 0;
    const hintBtn = h('button', { type: 'button', onclick: () => {
      if (shownHints < lesson.hints.length) hints.append(h('li', {}, md(lesson.hints[shownHints++])));
      hintBtn.textContent = `Hint (${Math.min(shownHints + 1, lesson.hints.length)} of ${lesson.hints.length})`;
      hintBtn.disabled = shownHints >= lesson.hints.length;
    } }, `Hint (1 of ${lesson.hints.length})`);
    hintBtn.disabled = lesson.hints.length === 0;
    const draw = () => {
      const v = api.validate(box.value);
      problems.replaceChildren(...v.diagnostics.map((d) => h('li', { text: `${d.code}: ${d.message}${d.line ? ` (line ${d.line}, column ${d.column})` : ''}` })));
      problems.hidden = v.diagnostics.length === 0;
      if (v.valid) {
        view.innerHTML = api.renderSvg(box.value, { direction: directionOf(options.direction) });
        const svg = view.querySelector('svg');
        svg.style.width = '100%';
        svg.style.maxWidth = `${svg.getAttribute('width')}px`;
        svg.style.height = 'auto';
        view.classList.remove('stale');
      } else {
        view.classList.add('stale');
      }
    };
    let timer = null;
    box.addEventListener('input', () => {
      try { localStorage.setItem(key, box.value); } catch { /* storage may be off */ }
      clearTimeout(timer);
      timer = setTimeout(draw, 300);
    });
    const check = () => {
      results.replaceChildren();
      let r;
      try { r = api.checkLesson(text, box.value); } catch (e) {
        results.append(h('p', { class: 'verdict fail', text: `Not checked: ${e.message}` }));
        return;
      }
      const passed = r.filter((c) => c.passed).length;
      results.append(h('p', { class: `verdict ${passed === r.length ? 'pass' : 'fail'}`, text: passed === r.length ? `All ${r.length} checks pass. Well done!` : `${passed} of ${r.length} checks pass.` }));
      results.append(h('ul', {}, ...r.map((c) => h('li', { class: c.passed ? 'pass' : 'fail' },
        h('span', { class: 'mark', 'aria-hidden': 'true', text: c.passed ? '✓' : '✗' }), ' ',
        h('span', { text: c.check + (c.input ? ` (input ${c.input})` : '') }),
        !c.passed && c.message ? h('p', { class: 'teacher', text: c.message }) : null,
        !c.passed ? h('p', { class: 'why', text: c.why }) : null))));
    };
    const open = h('a', { class: 'open', target: '_blank', rel: 'noopener', href: '#' }, 'Open in playground ↗');
    const playground = playgroundUrl(options);
    const refresh = () => { open.href = `${playground}#share=${api.encodeShare({ definition: box.value, input: lesson.inputs[0]?.text ?? '{}', seed: lesson.seed, world: lesson.world ?? null, lesson: text })}`; };
    open.addEventListener('pointerdown', refresh);
    open.addEventListener('focus', refresh);
    const bar = h('div', { class: 'bar', role: 'toolbar', 'aria-label': 'Lesson' },
      h('button', { type: 'button', class: 'primary check', onclick: check }, 'Check'), hintBtn,
      h('button', { type: 'button', onclick: () => { box.value = lesson.start; box.dispatchEvent(new Event('input')); results.replaceChildren(); } }, 'Start over'),
      h('span', { class: 'spacer' }), playground ? open : null);
    frame.append(
      h('div', { class: 'lesson' }, h('h3', { class: 'title', text: lesson.title }), md(lesson.intro), h('div', { class: 'label', text: 'Task' }), md(lesson.task)),
      h('div', { class: 'work' }, box, view), problems, bar, results, hints);
    draw();
    handle.check = check;
  }).catch((e) => fail(e.message));
}
