// The page runs the CLI's model: for several scenarios, seeds and settings, every value of every
// turn that the page's wasm module (taken out of the built page) gives equals the value in
// `hedgesim run --format csv` — the same f64 bit for bit (Object.is on the parsed numbers: the CSV
// writes each number in its shortest round-trip form, so equal doubles are equal text), and the
// same words for label, tilt and action. Also checks that the page draws with the report's colours.
//
//   node web/tests/equality.js docs/hedgesim.html target/release/hedgesim
"use strict";
const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");
const { hedgesimModel } = require("../page/model.js");

const [pagePath, cli] = process.argv.slice(2);
if (!pagePath || !cli) {
  console.error("usage: node web/tests/equality.js PAGE.html HEDGESIM_BINARY");
  process.exit(2);
}
const root = path.resolve(__dirname, "../..");
const page = fs.readFileSync(pagePath, "utf8");
const b64 = /const WASM_BASE64 = "([A-Za-z0-9+/=]+)"/.exec(page);
if (!b64) throw new Error(`${pagePath}: no inlined wasm module`);
const call = hedgesimModel(Buffer.from(b64[1], "base64"));

// CSV column → the page's record: the run's `columns` (the core's RecordField names, the CLI's
// own), support per third power, and the turn and year, which the record has under those names.
function pageValue(row, column, partners) {
  if (column in row.columns) return row.columns[column];
  if (column.startsWith("s_") && partners.includes(column.slice(2))) return row.support[partners.indexOf(column.slice(2))];
  if (column === "turn" || column === "year") return row[column];
  throw new Error(`the page's record has no column ${column}`);
}

const CASES = [
  { file: "scenarios/teaching-dyad.toml", seed: 7, set: [["great_power.hostility", 0.7]] },
  { file: "scenarios/teaching/1-uncertainty.toml", seed: 1, set: [] },
  { file: "scenarios/teaching/2a-threat-alone.toml", seed: 3, set: [["small_state.gamma", 3.0]] },
  { file: "scenarios/teaching/3-forced-choice.toml", seed: 11, set: [["decision.rivalry", 0.8], ["third_powers.Ally.reliability", 0.9]] },
  { file: "scenarios/teaching/4-azerbaijan-2003-2023.toml", seed: 42, set: [] },
  { file: "scenarios/belarus-russia.toml", seed: 5, set: [["small_state.legit.BE", 0.25]] },
];
let values = 0;
for (const c of CASES) {
  const scenario = fs.readFileSync(path.join(root, c.file), "utf8");
  const args = ["run", path.join(root, c.file), "--seed", String(c.seed), "--format", "csv"];
  for (const [p, v] of c.set) args.push("--set", `${p}=${v}`);
  const out = spawnSync(cli, args, { encoding: "utf8" });
  if (out.status !== 0) throw new Error(`${cli} ${args.join(" ")}: ${out.stderr}`);
  const lines = out.stdout.trimEnd().split("\n");
  const header = lines[0].split(",");
  if (lines[0].includes('"')) throw new Error(`${c.file}: a quoted header; this test reads plain names`);
  const first = header.indexOf("turn");
  const run = call({ op: "run", scenario, origin: c.file, seed: c.seed, set: c.set });
  const partners = call({ op: "describe", scenario }).third_powers;
  if (run.rows.length !== lines.length - 1) throw new Error(`${c.file}: ${run.rows.length} turns in the page, ${lines.length - 1} in the CLI`);
  lines.slice(1).forEach((line, t) => {
    const cells = line.split(",");
    for (let j = first; j < header.length; j++) {
      const want = cells[j], got = pageValue(run.rows[t], header[j], partners);
      const same = typeof got === "string" ? got === want : Object.is(got, Number(want));
      if (!same) throw new Error(`${c.file} seed ${c.seed}, turn ${t}, ${header[j]}: CLI ${want}, page ${got}`);
      values++;
    }
  });
  console.log(`ok ${c.file} --seed ${c.seed}${c.set.map(([p, v]) => ` --set ${p}=${v}`).join("")}: ${run.rows.length} turns × ${header.length - first} columns equal`);
}

// The report's colours, read from the Rust source, are the page's.
const hexes = (text) => [...text.matchAll(/RGBColor\(0x([0-9a-f]{2}), 0x([0-9a-f]{2}), 0x([0-9a-f]{2})\)/g)].map((m) => `#${m[1]}${m[2]}${m[3]}`);
const charts = fs.readFileSync(path.join(root, "src/report/charts.rs"), "utf8");
const spectrum = hexes(charts.slice(charts.indexOf("pub const SPECTRUM"))).slice(0, 7);
const html = fs.readFileSync(path.join(root, "src/report/html.rs"), "utf8");
const actions = hexes(html.slice(html.indexOf("const ACTION_COLORS"))).slice(0, 4);
const pageList = (name) => { const m = new RegExp(`const ${name} = ([^;]+);`).exec(page); return m ? m[1] : ""; };
const pageHexes = (name) => [...pageList(name).matchAll(/#[0-9a-f]{6}/g)].map((m) => m[0]);
if (JSON.stringify(pageHexes("SPECTRUM")) !== JSON.stringify(spectrum)) throw new Error(`the page's SPECTRUM ${pageHexes("SPECTRUM")} is not the report's ${spectrum}`);
if (JSON.stringify(pageHexes("ACTION_COLORS")) !== JSON.stringify(actions)) throw new Error(`the page's ACTION_COLORS ${pageHexes("ACTION_COLORS")} are not the report's ${actions}`);
console.log(`ok: ${values} values equal the CLI's; the page's colours are the report's`);
