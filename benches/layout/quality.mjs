// The layout-quality benchmark (`make layout-bench`): reads the scenes examples/layout_export.rs
// printed (one JSON line per definition), lays the same nodes out with dagre (@dagrejs/dagre,
// pinned in package.json) with the same node and edge-label sizes, measures both the same way
// and prints them side by side, with totals and how many definitions meet each target.
//
//   node benches/layout/quality.mjs SCENES.jsonl [--json OUT.json] [--rows]
//
// Metrics, computed on both layouts by the same code below:
//   canvas     width × height (px) and area
//   crossings  points where two edges' polylines cross (touching at a shared port is not one)
//   thru       edges passing through the inside of a state box that is not one of their ends
//              nor a box around one of their ends
//   overlap    pairs of boxes that overlap without one containing the other
//   length     total length of all edges (px)
//   bends      interior points of the polylines where the direction changes
//   whole      states whose name is shown in full (the same sizes and labels feed dagre)
//   ms         layout time (ours: native release build, flow model + layout; dagre: node)

import dagre from "@dagrejs/dagre";
import { readFileSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

const args = process.argv.slice(2);
const input = args[0];
const jsonOut = args.includes("--json") ? args[args.indexOf("--json") + 1] : null;
const showRows = args.includes("--rows");
const rankdir = args.includes("--lr") ? "LR" : "TB";

// ---- the common shape both layouts are measured in -------------------------------------------
// { width, height, boxes: [{rect, compound, ancestors: Set<index>}], edges: [{from, to, points}] }

// Our scene: nodes (compound ones are boxes around frames), frames (a branch or processor),
// edges as polylines from border to border.
function ours(scene) {
  const ancestors = scene.nodes.map(() => new Set());
  scene.nodes.forEach((n, i) => {
    let f = n.frame;
    while (f !== null && f !== undefined) {
      const owner = scene.frames[f].owner;
      ancestors[i].add(owner);
      f = scene.nodes[owner].frame;
    }
  });
  return {
    width: scene.width,
    height: scene.height,
    boxes: scene.nodes.map((n, i) => ({
      rect: n.rect,
      compound: n.kind === "Parallel" || n.kind === "Map",
      ancestors: ancestors[i],
    })),
    edges: scene.edges.map((e) => ({ from: e.from, to: e.to, points: e.points })),
  };
}

// The same graph for dagre: every state a node of our size, a Parallel or Map a cluster, each
// Parallel branch a cluster inside it (a Map's one processor is the Map's cluster itself), edge
// labels with our label sizes. dagre cannot route an edge to a cluster, so an edge that ends at
// a compound state is attached to an invisible point node at the cluster's top (into it) or
// bottom (out of it), the way dagre-based ASL renderers do.
function dagreLayout(scene) {
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: true });
  g.setGraph({ rankdir, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  const id = (i) => `n${i}`;
  const compound = (n) => n.kind === "Parallel" || n.kind === "Map";
  const clusterOfFrame = (f) => {
    const fr = scene.frames[f];
    const owner = scene.nodes[fr.owner];
    const siblings = scene.frames.filter((x) => x.owner === fr.owner).length;
    return owner.kind === "Map" && siblings === 1 ? id(fr.owner) : `f${f}`;
  };
  scene.nodes.forEach((n, i) => {
    if (compound(n)) {
      g.setNode(id(i), {});
      g.setNode(`${id(i)}:in`, { width: 1, height: 1 });
      g.setNode(`${id(i)}:out`, { width: 1, height: 1 });
      g.setParent(`${id(i)}:in`, id(i));
      g.setParent(`${id(i)}:out`, id(i));
    } else {
      g.setNode(id(i), { width: n.rect.w, height: n.rect.h });
    }
  });
  scene.frames.forEach((fr, f) => {
    const c = clusterOfFrame(f);
    if (c !== id(fr.owner)) {
      g.setNode(c, {});
      g.setParent(c, id(fr.owner));
    }
  });
  scene.nodes.forEach((n, i) => {
    if (n.frame !== null && n.frame !== undefined) g.setParent(id(i), clusterOfFrame(n.frame));
  });
  // Keep the in and out points at the top and bottom of their cluster.
  scene.nodes.forEach((n, i) => {
    if (!compound(n)) return;
    const inner = scene.nodes.map((m, j) => [m, j]).filter(([m]) => m.frame !== null && m.frame !== undefined && scene.frames[m.frame].owner === i);
    for (const [, j] of inner) {
      const a = compound(scene.nodes[j]) ? `${id(j)}:in` : id(j);
      const b = compound(scene.nodes[j]) ? `${id(j)}:out` : id(j);
      g.setEdge(`${id(i)}:in`, a, { weight: 0, minlen: 1 }, `in${i}-${j}`);
      g.setEdge(b, `${id(i)}:out`, { weight: 0, minlen: 1 }, `out${i}-${j}`);
    }
  });
  const measured = [];
  scene.edges.forEach((e, k) => {
    const src = compound(scene.nodes[e.from]) ? `${id(e.from)}:out` : id(e.from);
    const dst = compound(scene.nodes[e.to]) ? `${id(e.to)}:in` : id(e.to);
    const label = e.label ? { width: e.label.rect.w, height: e.label.rect.h, labelpos: "c" } : {};
    g.setEdge(src, dst, label, `e${k}`);
    measured.push({ v: src, w: dst, name: `e${k}`, from: e.from, to: e.to });
  });
  const t = performance.now();
  dagre.layout(g);
  const ms = performance.now() - t;
  const rectOf = (v) => {
    const n = g.node(v);
    return { x: n.x - n.width / 2, y: n.y - n.height / 2, w: n.width, h: n.height };
  };
  const boxes = scene.nodes.map((n, i) => ({ rect: rectOf(id(i)), compound: compound(n), ancestors: null }));
  const ours_ = ours(scene);
  boxes.forEach((b, i) => (b.ancestors = ours_.boxes[i].ancestors));
  const edges = measured.map((m) => ({ from: m.from, to: m.to, points: g.edge({ v: m.v, w: m.w, name: m.name }).points }));
  const gr = g.graph();
  return { layout: { width: gr.width, height: gr.height, boxes, edges }, ms };
}

// ---- metrics ----------------------------------------------------------------------------------

const EPS = 0.5;

function segments(points) {
  const out = [];
  for (let i = 0; i + 1 < points.length; i++) out.push([points[i], points[i + 1]]);
  return out;
}

// Proper crossing of segments ab and cd: each strictly separates the other's ends.
function cross(a, b, c, d) {
  const o = (p, q, r) => (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x);
  const d1 = o(a, b, c), d2 = o(a, b, d), d3 = o(c, d, a), d4 = o(c, d, b);
  const tol = 1e-6;
  return ((d1 > tol && d2 < -tol) || (d1 < -tol && d2 > tol)) && ((d3 > tol && d4 < -tol) || (d3 < -tol && d4 > tol));
}

function crossings(L) {
  const segs = L.edges.map((e) => segments(e.points));
  let n = 0;
  for (let i = 0; i < segs.length; i++)
    for (let j = i + 1; j < segs.length; j++)
      for (const [a, b] of segs[i]) for (const [c, d] of segs[j]) if (cross(a, b, c, d)) n++;
  return n;
}

// The open segment ab passes through the rectangle shrunk by EPS (Liang–Barsky).
function through(r, a, b) {
  const x0 = r.x + EPS, x1 = r.x + r.w - EPS, y0 = r.y + EPS, y1 = r.y + r.h - EPS;
  if (x0 >= x1 || y0 >= y1) return false;
  const dx = b.x - a.x, dy = b.y - a.y;
  let t0 = 0, t1 = 1;
  for (const [p, q] of [[-dx, a.x - x0], [dx, x1 - a.x], [-dy, a.y - y0], [dy, y1 - a.y]]) {
    if (p === 0) {
      if (q < 0) return false;
    } else {
      const r_ = q / p;
      if (p < 0) t0 = Math.max(t0, r_);
      else t1 = Math.min(t1, r_);
    }
  }
  return t0 < t1 - 1e-9;
}

function edgesThroughBoxes(L) {
  let n = 0;
  for (const e of L.edges) {
    const hit = L.boxes.some((b, i) => {
      if (i === e.from || i === e.to) return false;
      if (L.boxes[e.from].ancestors.has(i) || L.boxes[e.to].ancestors.has(i)) return false;
      return segments(e.points).some(([a, b_]) => through(b.rect, a, b_));
    });
    if (hit) n++;
  }
  return n;
}

function contains(o, i) {
  return i.x >= o.x - EPS && i.y >= o.y - EPS && i.x + i.w <= o.x + o.w + EPS && i.y + i.h <= o.y + o.h + EPS;
}

function partialOverlaps(L) {
  let n = 0;
  const B = L.boxes;
  for (let i = 0; i < B.length; i++)
    for (let j = i + 1; j < B.length; j++) {
      const a = B[i].rect, b = B[j].rect;
      const meet = a.x < b.x + b.w - EPS && b.x < a.x + a.w - EPS && a.y < b.y + b.h - EPS && b.y < a.y + a.h - EPS;
      if (meet && !contains(a, b) && !contains(b, a)) n++;
    }
  return n;
}

function length(L) {
  let s = 0;
  for (const e of L.edges) for (const [a, b] of segments(e.points)) s += Math.hypot(b.x - a.x, b.y - a.y);
  return s;
}

function bends(L) {
  let n = 0;
  for (const e of L.edges) {
    const p = e.points.filter((q, i) => i === 0 || Math.hypot(q.x - e.points[i - 1].x, q.y - e.points[i - 1].y) > 1e-6);
    for (let i = 1; i + 1 < p.length; i++) {
      const a1 = Math.atan2(p[i].y - p[i - 1].y, p[i].x - p[i - 1].x);
      const a2 = Math.atan2(p[i + 1].y - p[i].y, p[i + 1].x - p[i].x);
      let d = Math.abs(a1 - a2);
      if (d > Math.PI) d = 2 * Math.PI - d;
      if (d > 0.02) n++;
    }
  }
  return n;
}

// A name is whole when the drawn label, lines joined, contains it (ignoring the line breaks).
function wholeNames(scene) {
  const squash = (s) => s.replace(/\s+/g, "");
  const states = scene.nodes.filter((n) => n.kind !== "Start" && n.kind !== "End");
  const whole = states.filter((n) => !n.label.includes("…") && squash(n.label).includes(squash(n.name))).length;
  return [whole, states.length];
}

function measure(L) {
  return {
    w: L.width,
    h: L.height,
    area: L.width * L.height,
    crossings: crossings(L),
    thru: edgesThroughBoxes(L),
    overlap: partialOverlaps(L),
    length: length(L),
    bends: bends(L),
  };
}

// ---- run ----------------------------------------------------------------------------------------

const rows = [];
for (const line of readFileSync(input, "utf8").split("\n")) {
  if (!line.trim()) continue;
  const { id, ms, scene } = JSON.parse(line);
  const us = measure(ours(scene));
  let them;
  let dms = NaN;
  try {
    const times = [];
    let lay;
    for (let k = 0; k < 3; k++) {
      const r = dagreLayout(scene);
      times.push(r.ms);
      lay = r.layout;
    }
    times.sort((a, b) => a - b);
    dms = times[1];
    them = measure(lay);
  } catch (err) {
    them = null;
    console.error(`${id}: dagre failed: ${err.message}`);
  }
  const [whole, states] = wholeNames(scene);
  rows.push({ id, nodes: scene.nodes.length, edges: scene.edges.length, ours: { ...us, ms, whole, states }, dagre: them && { ...them, ms: dms } });
}

const fmt = (v, d = 0) => (v === undefined || v === null || Number.isNaN(v) ? "-" : v.toFixed(d));
const short = (id) => (id.length > 44 ? "…" + id.slice(id.length - 43) : id);
const pad = (s, n) => String(s).padStart(n);
if (showRows) {
  console.log(
    ["definition".padEnd(44), pad("N", 4), pad("ours W×H", 11), pad("dagre W×H", 11), pad("area%", 6), pad("cross", 9), pad("thru", 7), pad("ovl", 7), pad("length", 13), pad("bends", 9), pad("whole", 7), pad("ms", 11)].join(" "),
  );
  for (const r of rows) {
    const o = r.ours, d = r.dagre || {};
    console.log(
      [
        short(r.id).padEnd(44),
        pad(r.nodes, 4),
        pad(`${fmt(o.w)}×${fmt(o.h)}`, 11),
        pad(`${fmt(d.w)}×${fmt(d.h)}`, 11),
        pad(d.area ? fmt((100 * o.area) / d.area) : "-", 6),
        pad(`${o.crossings}/${fmt(d.crossings)}`, 9),
        pad(`${o.thru}/${fmt(d.thru)}`, 7),
        pad(`${o.overlap}/${fmt(d.overlap)}`, 7),
        pad(`${fmt(o.length)}/${fmt(d.length)}`, 13),
        pad(`${o.bends}/${fmt(d.bends)}`, 9),
        pad(`${o.whole}/${o.states}`, 7),
        pad(`${fmt(o.ms, 2)}/${fmt(d.ms, 1)}`, 11),
      ].join(" "),
    );
  }
  console.log("(each cell: ours/dagre)\n");
}

const both = rows.filter((r) => r.dagre);
const sum = (f) => both.reduce((s, r) => s + f(r), 0);
const count = (f) => rows.filter(f).length;
const largest = rows.reduce((a, r) => (r.nodes + r.edges > a.nodes + a.edges ? r : a), rows[0]);
const slowest = rows.reduce((a, r) => (r.ours.ms > a.ours.ms ? r : a), rows[0]);
const summary = {
  definitions: rows.length,
  compared: both.length,
  totals: {
    ours: {
      area_Mpx: sum((r) => r.ours.area) / 1e6,
      crossings: sum((r) => r.ours.crossings),
      thru: sum((r) => r.ours.thru),
      overlap: sum((r) => r.ours.overlap),
      length_kpx: sum((r) => r.ours.length) / 1e3,
      bends: sum((r) => r.ours.bends),
      ms: sum((r) => r.ours.ms),
    },
    dagre: {
      area_Mpx: sum((r) => r.dagre.area) / 1e6,
      crossings: sum((r) => r.dagre.crossings),
      thru: sum((r) => r.dagre.thru),
      overlap: sum((r) => r.dagre.overlap),
      length_kpx: sum((r) => r.dagre.length) / 1e3,
      bends: sum((r) => r.dagre.bends),
      ms: sum((r) => r.dagre.ms),
    },
  },
  targets: {
    no_overlap: count((r) => r.ours.overlap === 0),
    no_edge_through_box: count((r) => r.ours.thru === 0),
    all_names_whole: count((r) => r.ours.whole === r.ours.states),
    names_whole: `${rows.reduce((s, r) => s + r.ours.whole, 0)}/${rows.reduce((s, r) => s + r.ours.states, 0)}`,
    crossings_le_dagre: both.filter((r) => r.ours.crossings <= r.dagre.crossings).length,
    area_le_dagre: both.filter((r) => r.ours.area <= r.dagre.area).length,
    both_le_dagre: both.filter((r) => r.ours.crossings <= r.dagre.crossings && r.ours.area <= r.dagre.area).length,
  },
  largest: { id: largest.id, nodes: largest.nodes, edges: largest.edges, ms: largest.ours.ms, dagre_ms: largest.dagre?.ms },
  slowest: { id: slowest.id, ms: slowest.ours.ms },
};
const t = summary.totals;
console.log(`definitions: ${rows.length} (compared with dagre: ${both.length})`);
console.log("totals              ours        dagre");
for (const k of ["area_Mpx", "crossings", "thru", "overlap", "length_kpx", "bends", "ms"])
  console.log(`  ${k.padEnd(14)} ${pad(fmt(t.ours[k], k === "area_Mpx" || k === "ms" ? 1 : 0), 10)} ${pad(fmt(t.dagre[k], k === "area_Mpx" || k === "ms" ? 1 : 0), 12)}`);
const s = summary.targets;
console.log("targets (definitions meeting it)");
console.log(`  no partial box overlap      ${s.no_overlap}/${rows.length}`);
console.log(`  no edge through a box       ${s.no_edge_through_box}/${rows.length}`);
console.log(`  every name whole            ${s.all_names_whole}/${rows.length}  (names: ${s.names_whole})`);
console.log(`  crossings <= dagre          ${s.crossings_le_dagre}/${both.length}`);
console.log(`  area <= dagre               ${s.area_le_dagre}/${both.length}`);
console.log(`  both <= dagre               ${s.both_le_dagre}/${both.length}`);
console.log(`largest: ${largest.id} (${largest.nodes} nodes, ${largest.edges} edges): ours ${fmt(largest.ours.ms, 2)} ms, dagre ${fmt(largest.dagre?.ms, 1)} ms`);
console.log(`slowest of ours: ${slowest.id}: ${fmt(slowest.ours.ms, 2)} ms`);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ summary, rows }, null, 1));
