// The page: controls from the parameter schema, live charts, shocks, "why" from explain, presets
// and the settings in the URL's fragment. Every number comes from the wasm model (model.js);
// this file only asks and draws.
"use strict";
const T0 = performance.now();

// The report's colours (src/report/charts.rs SPECTRUM, src/report/html.rs LABEL_COLORS and
// ACTION_COLORS); web/tests/equality.js checks they match the Rust source.
const SPECTRUM = ["#2166ac", "#4393c3", "#92c5de", "#d9d9d9", "#f4a582", "#d6604d", "#b2182b"];
const LABEL_COLORS = { hedging: "#762a83", balancing: "#2166ac", bandwagoning: "#b2182b", neutral: "#bdbdbd" };
const ACTION_COLORS = { reward: "#1b9e77", hold: "#cccccc", pressure: "#e6ab02", coerce: "#7a0177" };

// The lesson's controls: a name from the theory and the range a slider spans (the schema's range
// when it is narrow; a teaching range when the schema's is a guard such as γ ≤ 10⁴). The unit
// and the tooltip come from the schema.
const CONTROLS = [
  { group: "The great power", paths: [
    ["great_power.hostility", "Hostility θ*", 0, 1, 0.01],
    ["great_power.focus", "Regional focus", 0, 1, 0.01]] },
  { group: "The small state", paths: [
    ["small_state.cap", "Capability", 0, 1, 0.01],
    ["small_state.dep", "Economic dependence", 0, 1, 0.01],
    ["small_state.gamma", "Risk aversion γ", 0, 20, 0.1]] },
  { group: "A forced choice", paths: [
    ["decision.rivalry", "Rivalry that demands a choice", 0, 3, 0.05]] },
];
const PARTNER = [
  ["cap", "Capability", 0, 2, 0.01],
  ["reliability", "Reliability", 0, 1, 0.01],
  ["affinity", "Affinity", 0, 1, 0.01],
  ["exclusivity", "Exclusivity (rivalry)", 0, 3, 0.05],
];
const LEGIT = ["Legitimation of", -1, 1, 0.01];

// Shocks: dated events appended to the scenario, so the model's own event mechanics apply them.
const SHOCKS = {
  threat: { text: "the great power threatens you", event: (d) => ({ imminence: 1.0, hostile_signal: 3.0 }) },
  ally: { text: "your ally fails a test", event: (d) => ({ reliability_signal: d.third_powers.length ? { [d.third_powers[0]]: -2.0 } : null }) },
  neighbour: { text: "the great power attacks a neighbour", event: (d) => ({ hostile_signal: 1.5, reliability_signal: d.third_powers.length ? Object.fromEntries(d.third_powers.map((n) => [n, -1.0])) : null }) },
};

const $ = (id) => document.getElementById(id);
const call = hedgesimModel(Uint8Array.from(atob(WASM_BASE64), (c) => c.charCodeAt(0)));

const S = { preset: PRESETS[0].id, seed: null, set: {}, shocks: [], many: false, runs: 50, cursor: null, why: null };
let desc = null, run = null, agg = null, playing = null;
const timings = {};

// A setting — preset, seed, sliders, shocks, runs — is `S` for the live view; a pinned setting
// (compare) is a copy of those fields, and `d` the description of its preset.
function preset(st = S) { return PRESETS.find((p) => p.id === st.preset) || PRESETS[0]; }

function tomlString(s) { return JSON.stringify(s); }
function scenarioText(st = S, d = desc) {
  let text = preset(st).toml;
  for (const sh of st.shocks) {
    const e = SHOCKS[sh.kind].event(d);
    text += `\n[[events]]\nturn = ${sh.turn}\nlabel = ${tomlString("Shock: " + SHOCKS[sh.kind].text)}\n`;
    if (e.imminence !== undefined) text += `imminence = ${e.imminence.toFixed(1)}\n`;
    if (e.hostile_signal !== undefined) text += `hostile_signal = ${e.hostile_signal.toFixed(1)}\n`;
    if (e.reliability_signal) text += `reliability_signal = { ${Object.entries(e.reliability_signal).map(([n, v]) => `${tomlString(n)} = ${v.toFixed(1)}`).join(", ")} }\n`;
  }
  return text;
}
function request(op, extra, st = S, d = desc) {
  return Object.assign({ op, scenario: scenarioText(st, d), origin: preset(st).file, set: Object.entries(st.set), seed: seed(st, d) }, extra || {});
}
function seed(st = S, d = desc) { return st.seed === null ? d.seed : st.seed; }

// ---- the fragment: #preset=…&seed=…&set=path:value,…&shocks=kind@turn,…&runs=N&turn=T&why=T,
// and compare=<the pinned setting, encoded the same way>
function encode(st) {
  const p = new URLSearchParams();
  p.set("preset", st.preset);
  if (st.seed !== null) p.set("seed", st.seed);
  const set = Object.entries(st.set).map(([k, v]) => `${k}:${v}`).join(",");
  if (set) p.set("set", set);
  if (st.shocks.length) p.set("shocks", st.shocks.map((s) => `${s.kind}@${s.turn}`).join(","));
  if (st.many) p.set("runs", st.runs);
  return p;
}
function decode(text) {
  const p = new URLSearchParams(text);
  const st = { set: {} };
  st.preset = PRESETS.some((x) => x.id === p.get("preset")) ? p.get("preset") : PRESETS[0].id;
  st.seed = p.has("seed") && /^\d+$/.test(p.get("seed")) ? Number(p.get("seed")) : null;
  for (const kv of (p.get("set") || "").split(",").filter(Boolean)) {
    const i = kv.lastIndexOf(":");
    const v = Number(kv.slice(i + 1));
    if (i > 0 && Number.isFinite(v)) st.set[kv.slice(0, i)] = v;
  }
  st.shocks = (p.get("shocks") || "").split(",").filter(Boolean).map((s) => s.split("@"))
    .filter(([k, t]) => k in SHOCKS && /^\d+$/.test(t)).map(([kind, t]) => ({ kind, turn: Number(t) }));
  st.many = p.has("runs");
  st.runs = st.many ? Math.max(2, Math.min(1000, Number(p.get("runs")) || 50)) : 50;
  return { st, p };
}
function writeHash() {
  const p = encode(S);
  if (S.cursor !== null && S.cursor < desc.turns - 1) p.set("turn", S.cursor);
  if (S.why !== null) p.set("why", S.why);
  if (pinned) p.set("compare", encode(pinned.st).toString());
  const h = "#" + p.toString();
  if (location.hash !== h) history.replaceState(null, "", h);
}
function readHash() {
  const { st, p } = decode(location.hash.slice(1));
  Object.assign(S, st);
  S.cursor = p.has("turn") ? Number(p.get("turn")) : null;
  S.why = p.has("why") ? Number(p.get("why")) : null;
  pinned = null;
  if (p.has("compare")) {
    try { pinned = view(decode(p.get("compare")).st); } catch (e) { $("error").textContent = e.message; }
  }
}

// ---- compare: a pinned setting, computed once, drawn above the live one
let pinned = null;
function copy(st) { return JSON.parse(JSON.stringify({ preset: st.preset, seed: st.seed, set: st.set, shocks: st.shocks, many: st.many, runs: st.runs })); }
function view(st) {
  const d = call({ op: "describe", scenario: preset(st).toml, origin: preset(st).file });
  const r = call(request("run", {}, st, d));
  return { st, desc: d, run: r, agg: st.many ? call(request("runs", { runs: st.runs }, st, d)) : null, upto: r.rows.length - 1 };
}
function live() { return { st: S, desc, run, agg, upto: S.cursor }; }
// In words: the preset, the seed, what differs from the file, the shocks and the runs.
function summary(v) {
  const parts = [preset(v.st).title, `seed ${seed(v.st, v.desc)}`];
  for (const [k, val] of Object.entries(v.st.set)) parts.push(`${k} = ${val}`);
  for (const s of v.st.shocks) parts.push(`turn ${s.turn}: ${SHOCKS[s.kind].text}`);
  if (v.st.many) parts.push(`${v.st.runs} runs`);
  return parts.join("; ");
}

// ---- controls
function loadPreset() {
  desc = call({ op: "describe", scenario: preset().toml, origin: preset().file });
  $("preset").value = S.preset;
  $("caption").textContent = preset().caption;
  $("seed").value = seed();
  $("many").checked = S.many;
  $("nruns").value = S.runs;
  buildSliders();
}
function param(path) { return desc.params.find((p) => p.path === path); }
function slider(box, path, name, lo, hi, step) {
  const p = param(path);
  if (!p) return;
  const value = path in S.set ? S.set[path] : p.value;
  lo = Math.max(p.min, Math.min(lo, value));
  hi = Math.min(p.max, Math.max(hi, value));
  const row = document.createElement("label");
  row.className = "slider";
  row.title = `${path}: ${p.doc}`;
  row.innerHTML = `<span class="name"></span><span class="unit"></span><input type="range"><output></output>`;
  row.querySelector(".name").textContent = name;
  row.querySelector(".unit").textContent = p.unit;
  const input = row.querySelector("input");
  Object.assign(input, { min: lo, max: hi, step, value });
  input.dataset.path = path;
  const out = row.querySelector("output");
  out.textContent = fmt(value);
  if (path in S.set) row.classList.add("changed");
  input.addEventListener("input", () => {
    const v = Number(input.value);
    S.set[path] = v;
    out.textContent = fmt(v);
    row.classList.toggle("changed", v !== p.value);
    if (v === p.value) delete S.set[path];
    schedule();
  });
  box.appendChild(row);
}
function group(title, open) {
  const d = document.createElement("details");
  d.className = "group";
  d.open = open;
  d.innerHTML = "<summary></summary>";
  d.querySelector("summary").textContent = title;
  $("sliders").appendChild(d);
  return d;
}
function buildSliders() {
  $("sliders").innerHTML = "";
  for (const g of CONTROLS) {
    const box = group(g.group, true);
    for (const [path, name, lo, hi, step] of g.paths) slider(box, path, name, lo, hi, step);
  }
  for (const n of desc.third_powers) {
    const box = group(`Partner: ${n}`, true);
    for (const [key, name, lo, hi, step] of PARTNER) slider(box, `third_powers.${n}.${key}`, name, lo, hi, step);
  }
  const box = group("Domestic legitimation", false);
  for (const c of desc.components) slider(box, `small_state.legit.${c.code}`, `${LEGIT[0]} ${c.name.toLowerCase()}`, LEGIT[1], LEGIT[2], LEGIT[3]);
}
function fmt(v) { return Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2); }

// ---- computing
let pending = false;
function schedule() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => { pending = false; recompute(); });
}
function recompute() {
  const t = performance.now();
  try {
    run = call(request("run"));
    agg = S.many ? call(request("runs", { runs: S.runs })) : null;
    $("error").textContent = "";
  } catch (e) {
    $("error").textContent = e.message;
    return;
  }
  timings.recompute_ms = performance.now() - t;
  if (S.cursor === null || S.cursor >= run.rows.length) S.cursor = run.rows.length - 1;
  draw();
  if (S.why !== null) why(S.why);
  writeHash();
}

// ---- drawing
const PAD = { l: 64, r: 28, t: 12, b: 34 };
// Years on the axis for a scenario dated on the calendar (the cases); turns for the others.
function calendar(d = desc) { return d.start_year >= 1800; }
function canvas(id, v = live()) {
  const c = $(id), dpr = window.devicePixelRatio || 1;
  const w = c.clientWidth, h = Number(c.getAttribute("height"));
  c.width = w * dpr; c.height = h * dpr; c.style.height = h + "px";
  const g = c.getContext("2d");
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.font = "15px system-ui, sans-serif";
  const turns = v.run.rows.length;
  const x = (t) => PAD.l + (t / turns) * (w - PAD.l - PAD.r);
  return { g, w, h, x, turns, v, y0: PAD.t, y1: h - PAD.b };
}
function yAxis(c, lo, hi, y0, y1, ticks, name) {
  const { g } = c;
  g.fillStyle = "#222"; g.textAlign = "right"; g.textBaseline = "middle";
  for (const v of ticks) {
    const y = y1 - ((v - lo) / (hi - lo)) * (y1 - y0);
    g.fillText(String(v), PAD.l - 8, y);
  }
  g.save(); g.translate(14, (y0 + y1) / 2); g.rotate(-Math.PI / 2); g.textAlign = "center"; g.fillText(name, 0, 0); g.restore();
}
function xAxis(c) {
  const { g, x, turns, y1 } = c, d = c.v.desc;
  g.fillStyle = "#222"; g.textAlign = "center"; g.textBaseline = "top";
  const every = calendar(d) ? 4 * Math.ceil(turns / 4 / 8) : turns > 60 ? 20 : 10;
  for (let t = 0; t < turns; t += every) {
    const yr = d.start_year + t / d.turns_per_year;
    g.fillText(calendar(d) ? String(Math.floor(yr)) : `turn ${t}`, x(t), y1 + 8);
  }
}
// Scenario events (grey) and shocks (black) as vertical lines, the cursor and the explained turn.
function marks(c, y0, y1) {
  const { g, x } = c;
  const line = (t, color, width, dash) => { g.strokeStyle = color; g.lineWidth = width; g.setLineDash(dash); g.beginPath(); g.moveTo(x(t), y0); g.lineTo(x(t), y1); g.stroke(); g.setLineDash([]); };
  for (const e of c.v.desc.events) if (e.label) line(e.turn, "rgba(0,0,0,.35)", 1.5, [4, 4]);
  for (const s of c.v.st.shocks) line(s.turn, "#000", 3, []);
  if (S.why !== null && c.v.st === S) line(S.why + 0.5, "rgba(230,171,2,.75)", 5, []);
}
function shown(c) { return Math.min(c.v.upto + 1, c.turns); }
// Stacked shares as areas, each turn a step from its start to its end.
function stack(c, y0, y1, rows, colors) {
  const { g, x } = c, n = shown(c);
  const y = (v) => y1 - v * (y1 - y0);
  const below = new Array(n).fill(0);
  for (let k = 0; k < colors.length; k++) {
    const above = below.map((b, t) => b + rows[t][k]);
    g.fillStyle = colors[k];
    g.beginPath();
    for (let t = 0; t < n; t++) { g.lineTo(x(t), y(above[t])); g.lineTo(x(t + 1), y(above[t])); }
    for (let t = n - 1; t >= 0; t--) { g.lineTo(x(t + 1), y(below[t])); g.lineTo(x(t), y(below[t])); }
    g.fill();
    above.forEach((v, t) => { below[t] = v; });
  }
}
function drawMix(id = "mix", v = live()) {
  const c = canvas(id, v), band = 26, gap = 6, { run, agg } = v;
  const y1 = c.y1 - band - gap;
  const mix = agg ? agg.mix : run.rows.map((r) => r.mix);
  stack(c, c.y0, y1, mix, SPECTRUM);
  const names = agg ? agg.label_names : Object.keys(LABEL_COLORS);
  const labels = agg ? agg.labels : run.rows.map((r) => names.map((n) => (r.label === n ? 1 : 0)));
  stack(c, c.y1 - band, c.y1, labels, names.map((n) => LABEL_COLORS[n]));
  yAxis(c, 0, 1, c.y0, y1, [0, 0.5, 1], "share of policy");
  c.g.textAlign = "right"; c.g.fillText("label", PAD.l - 8, c.y1 - band / 2);
  xAxis(c);
  marks(c, c.y0, c.y1);
  if (v.st !== S) { $("mixAcap").textContent = "A, pinned: " + summary(v); return; }
  $("mixcap").textContent = (pinned ? "B, live: " + summary(v) + ". " : "") + (agg
    ? `The mean mix over ${agg.runs} runs along the spectrum (pure balancing at the bottom, pure bandwagoning at the top); the band below: the share of runs with each label. Click a turn to see why (run 0).`
    : "The mix along the spectrum, turn by turn (pure balancing at the bottom, pure bandwagoning at the top); the band below: the label. Click a turn to see why.");
}
function drawBelief() {
  const c = canvas("belief"), { g, x } = c;
  const y = (v) => c.y1 - v * (c.y1 - c.y0);
  const n = shown(c);
  const mid = [], lo = [], hi = [];
  for (let t = 0; t < n; t++) {
    if (agg) { lo.push(agg.belief[t][0]); mid.push(agg.belief[t][1]); hi.push(agg.belief[t][2]); }
    else { const r = run.rows[t], sd = Math.sqrt(r.plan_var); mid.push(r.belief_mean); lo.push(Math.max(0, r.belief_mean - sd)); hi.push(Math.min(1, r.belief_mean + sd)); }
  }
  const cx = (t) => x(t + 0.5);
  g.fillStyle = "rgba(118,42,131,.22)"; g.beginPath();
  for (let t = 0; t < n; t++) g.lineTo(cx(t), y(hi[t]));
  for (let t = n - 1; t >= 0; t--) g.lineTo(cx(t), y(lo[t]));
  g.fill();
  const path = (vals, color, width, dash) => { g.strokeStyle = color; g.lineWidth = width; g.setLineDash(dash); g.beginPath(); vals.forEach((v, t) => g.lineTo(cx(t), y(v))); g.stroke(); g.setLineDash([]); };
  path(mid, "#762a83", 3, []);
  const truth = (agg ? agg.true_hostility : run.rows.map((r) => r.true_hostility)).slice(0, n);
  path(truth, "#333", 2.5, [8, 5]);
  yAxis(c, 0, 1, c.y0, c.y1, [0, 0.5, 1], "hostility");
  xAxis(c);
  marks(c, c.y0, c.y1);
  $("beliefcap").textContent = agg
    ? `Believed hostility: the median over ${agg.runs} runs (purple) with the 10–90% band of the runs; dashed: the great power's true hostility.`
    : "Believed hostility (purple) with the uncertainty the state plans with (± sd, the band); dashed: the great power's true hostility, hidden from the state.";
}
function drawActions() {
  const c = canvas("actions");
  const names = Object.keys(ACTION_COLORS);
  const rows = agg ? agg.actions : run.rows.map((r) => names.map((n) => (r.action === n ? 1 : 0)));
  stack(c, c.y0, c.y1, rows, names.map((n) => ACTION_COLORS[n]));
  yAxis(c, 0, 1, c.y0, c.y1, [], agg ? "share" : "");
  xAxis(c);
  marks(c, c.y0, c.y1);
  $("actcap").textContent = agg ? `What the great power did: the share of ${agg.runs} runs with each action.` : "What the great power did each turn.";
}
// The scenario's dated events (the grey lines), listed: what a teacher reads out.
function events() {
  const list = desc.events.filter((e) => e.label);
  $("eventbox").hidden = !list.length;
  $("eventsum").textContent = `The scenario's events (${list.length}, the grey lines)`;
  $("events").innerHTML = "";
  for (const e of list) {
    const li = document.createElement("li");
    li.textContent = `turn ${e.turn}${calendar() ? ` (${(desc.start_year + e.turn / desc.turns_per_year).toFixed(2)})` : ""}: ${e.label}`;
    $("events").appendChild(li);
  }
}
function keys() {
  events();
  $("mixkey").innerHTML = desc.components.map((k, i) => `<li><span class="swatch" style="background:${SPECTRUM[i]}"></span>${k.name}</li>`).join("")
    + Object.entries(LABEL_COLORS).map(([n, col]) => `<li><span class="swatch" style="background:${col}"></span><i>${n}</i></li>`).join("");
  $("actkey").innerHTML = Object.entries(ACTION_COLORS).map(([n, col]) => `<li><span class="swatch" style="background:${col}"></span>${n}</li>`).join("");
}
function draw() {
  $("compareA").hidden = !pinned;
  $("unpin").hidden = !pinned;
  if (pinned) drawMix("mixA", pinned);
  drawMix(); drawBelief(); drawActions();
  const r = run.rows[S.cursor];
  const year = calendar() ? ` (${r.year.toFixed(2)})` : "";
  $("turnnow").textContent = `Turn ${S.cursor}${year}:`;
  let label = r.label === "hedging" && r.tilt !== "even" ? `hedging, tilted toward ${r.tilt}` : r.label, color = LABEL_COLORS[r.label];
  if (agg) {
    // Many runs: the most common label this turn and its share of the runs.
    const shares = agg.labels[S.cursor], k = shares.indexOf(Math.max(...shares));
    label = `${agg.label_names[k]} in ${Math.round(100 * shares[k])}% of ${agg.runs} runs`;
    color = LABEL_COLORS[agg.label_names[k]];
  }
  $("labelnow").textContent = label;
  $("labelnow").style.background = color;
  $("shocklist").innerHTML = "";
  for (const s of S.shocks) {
    const li = document.createElement("li");
    li.textContent = `turn ${s.turn}: ${SHOCKS[s.kind].text}`;
    $("shocklist").appendChild(li);
  }
  // From the navigation's start (performance.now's origin): parsing the page, decoding and
  // compiling the module, the first run and the first drawing.
  if (timings.first_chart_ms === undefined) Object.assign(timings, { first_chart_ms: performance.now(), script_start_ms: T0 });
}

// ---- why
function why(turn) {
  S.why = turn;
  let e;
  try { e = call(request("explain", { turn })); } catch (err) { $("error").textContent = err.message; return; }
  $("whyturn").textContent = `turn ${turn}${calendar() ? ` (${e.year.toFixed(2)})` : ""}` + (S.many ? ", run 0" : "");
  // Events without a label are bookkeeping (a threat held for another turn): not shown.
  const events = e.events.filter(Boolean);
  $("whyhint").textContent = events.length ? "Events this turn: " + events.join("; ") : "";
  $("sentences").innerHTML = "";
  for (const s of e.sentences) { const li = document.createElement("li"); li.textContent = s; $("sentences").appendChild(li); }
  const head = "<tr><th>component</th><th>weight</th><th>expected payoff μ</th><th>risk Σ<sub>kk</sub></th><th>offset from the other side</th></tr>";
  $("comps").innerHTML = head + e.components.map((k, i) =>
    `<tr><td><span class="swatch" style="background:${SPECTRUM[i]}"></span>${k.name}</td><td>${k.weight.toFixed(2)}</td><td>${num(k.expected)}</td><td>${num(k.variance)}</td><td class="${num(k.offset_from_other_side).startsWith("-") ? "neg" : ""}">${num(k.offset_from_other_side)}</td></tr>`).join("");
  draw();
  writeHash();
}
// The tooltip over a chart: the turn, its label and action, and the events dated there.
function hover(t) {
  const r = run.rows[t];
  const events = desc.events.filter((e) => e.turn === t && e.label).map((e) => e.label)
    .concat(S.shocks.filter((s) => s.turn === t).map((s) => "Shock: " + SHOCKS[s.kind].text));
  return `turn ${t}${calendar() ? ` (${r.year.toFixed(2)})` : ""}: ${r.label}, the great power: ${r.action}` + (events.length ? "\n" + events.join("\n") : "") + "\nclick: why?";
}
// Three decimals, and no "-0.000" for a tiny negative.
function num(v) { const t = v.toFixed(3); return /^-0\.0+$/.test(t) ? t.slice(1) : t; }
function turnAt(ev) {
  const c = ev.currentTarget, rect = c.getBoundingClientRect();
  const turns = run.rows.length;
  const t = Math.floor(((ev.clientX - rect.left - PAD.l) / (rect.width - PAD.l - PAD.r)) * turns);
  return Math.max(0, Math.min(turns - 1, t));
}

// ---- play
function stop() { if (playing) { clearInterval(playing); playing = null; } $("play").classList.remove("on"); }
function play() {
  stop();
  if (S.cursor >= run.rows.length - 1) S.cursor = 0;
  $("play").classList.add("on");
  playing = setInterval(() => {
    if (S.cursor >= run.rows.length - 1) { stop(); writeHash(); return; }
    S.cursor++; draw();
  }, 1000 / Number($("speed").value));
}

function wire() {
  for (const p of PRESETS) {
    const o = document.createElement("option");
    o.value = p.id; o.textContent = p.title;
    $("preset").appendChild(o);
  }
  $("preset").addEventListener("change", () => {
    stop();
    Object.assign(S, { preset: $("preset").value, seed: null, set: {}, shocks: [], cursor: null, why: null });
    clearWhy(); loadPreset(); keys(); recompute();
  });
  $("setup").addEventListener("click", () => { stop(); S.cursor = 0; recompute(); });
  $("step").addEventListener("click", () => { stop(); S.cursor = Math.min(run.rows.length - 1, S.cursor + 1); draw(); writeHash(); });
  $("play").addEventListener("click", play);
  $("pause").addEventListener("click", () => { stop(); writeHash(); });
  $("speed").addEventListener("input", () => { $("speedv").textContent = $("speed").value; if (playing) play(); });
  $("seed").addEventListener("change", () => { const v = $("seed").value; if (/^\d+$/.test(v)) { S.seed = Number(v); recompute(); } });
  $("many").addEventListener("change", () => { S.many = $("many").checked; recompute(); });
  $("nruns").addEventListener("change", () => { S.runs = Math.max(2, Math.min(1000, Number($("nruns").value) || 50)); if (S.many) recompute(); });
  for (const b of document.querySelectorAll("[data-shock]")) {
    b.addEventListener("click", () => { S.shocks.push({ kind: b.dataset.shock, turn: S.cursor }); recompute(); });
  }
  $("clearshocks").addEventListener("click", () => { S.shocks = []; recompute(); });
  $("pin").addEventListener("click", () => { pinned = view(copy(S)); draw(); writeHash(); });
  $("unpin").addEventListener("click", () => { pinned = null; draw(); writeHash(); });
  for (const id of ["mix", "belief", "actions"]) {
    $(id).addEventListener("click", (ev) => { why(turnAt(ev)); $("why").scrollIntoView({ block: "nearest" }); });
    $(id).addEventListener("mousemove", (ev) => { ev.currentTarget.title = hover(turnAt(ev)); });
  }
  window.addEventListener("resize", () => draw());
  window.addEventListener("hashchange", () => {
    stop(); readHash(); clearWhy(); loadPreset(); keys(); recompute();
  });
}
function clearWhy() { $("sentences").innerHTML = ""; $("comps").innerHTML = ""; $("whyturn").textContent = ""; $("whyhint").textContent = "Click a turn on a chart."; }

readHash();
wire();
loadPreset();
keys();
recompute();
// For the browser test and BENCHMARKS.md: the state, the last answers and the timings.
window.hedgesim = { S, timings, get run() { return run; }, get agg() { return agg; }, get pinned() { return pinned; }, call, request };
