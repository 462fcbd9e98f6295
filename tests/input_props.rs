//! Property tests of the input parsers, through the library API (no process per case).
//!
//! The bundled scenario and sweep files are mutated one field at a time: a wrong type, a number out
//! of range, NaN, ±inf, a negative or huge number, an empty or dotted name, a duplicate third power
//! or axis, a duplicate key, an unknown key, an unknown field path; and valid in-range values. On
//! top come line-level damage (deleted, swapped, truncated lines, stray bytes), random bytes and
//! random TOML built from the schema's own words.
//!
//! What must hold:
//! - nothing panics;
//! - an invalid input gives an error that names the file, the line of the mutation and the field
//!   (or, for a value inside an array or range, the array or range);
//! - a valid input validates, and runs with finite numbers in every output column;
//! - any other error still names the file and a line.
//!
//! Deterministic: every runner has a fixed ChaCha seed, so CI sees the same inputs every time.

use hedgesim::input::{Seg, display_path};
use hedgesim::output::{Format, RunSpec, write_run};
use hedgesim::scenario::{MAX_INNER_STEPS, MAX_SIGNAL, MAX_TURNS, Scenario};
use hedgesim::schema::{self, FieldPath};
use hedgesim::sweep::metrics::simulate_run;
use hedgesim::sweep::spec::{MAX_AXIS_VALUES, MAX_LEVELS, MAX_REPLICATIONS, MAX_SAMPLES};
use hedgesim::sweep::{FileResolver, SweepSpec};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use std::cell::RefCell;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::de::{DeTable, DeValue};

// ---------------------------------------------------------------------------------------------
// The bundled files, and every leaf value in them with its path and position.

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Scenario,
    Sweep,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Type {
    Str,
    Int,
    Float,
    Other,
}

#[derive(Clone, Debug)]
struct Leaf {
    path: Vec<Seg>,
    value: Range<usize>,
    key: Option<Range<usize>>,
    ty: Type,
}

#[derive(Debug)]
struct Source {
    kind: Kind,
    path: PathBuf,
    text: String,
    leaves: Vec<Leaf>,
    /// Inline tables (`{ … }`): their path and the byte just after `{`.
    inline_tables: Vec<(Vec<Seg>, usize)>,
    /// Third power names (scenario) or axis paths (sweep), with their leaf indices.
    names: Vec<usize>,
    /// Turns of the scenario (for sweeps: of the scenario they name).
    turns: u32,
    start_year: f64,
    turns_per_year: u32,
    third_powers: Vec<String>,
}

fn collect(table: &DeTable, path: &mut Vec<Seg>, src: &mut Source) {
    for (k, v) in table.iter() {
        path.push(Seg::Key(k.get_ref().to_string()));
        collect_value(v, Some(k.span()), path, src);
        path.pop();
    }
}

fn collect_value(v: &toml::Spanned<DeValue>, key: Option<Range<usize>>, path: &mut Vec<Seg>, src: &mut Source) {
    let ty = match v.get_ref() {
        DeValue::Table(t) => {
            if src.text.as_bytes().get(v.span().start) == Some(&b'{') {
                src.inline_tables.push((path.clone(), v.span().start + 1));
            }
            return collect(t, path, src);
        }
        DeValue::Array(a) => {
            for (i, item) in a.iter().enumerate() {
                path.push(Seg::Index(i));
                collect_value(item, None, path, src);
                path.pop();
            }
            return;
        }
        DeValue::String(_) => Type::Str,
        DeValue::Integer(_) => Type::Int,
        DeValue::Float(_) => Type::Float,
        _ => Type::Other,
    };
    src.leaves.push(Leaf { path: path.clone(), value: v.span(), key, ty });
}

fn load(kind: Kind, path: &Path) -> Source {
    let text = std::fs::read_to_string(path).unwrap();
    let mut src = Source {
        kind,
        path: path.to_path_buf(),
        text: text.clone(),
        leaves: Vec::new(),
        inline_tables: Vec::new(),
        names: Vec::new(),
        turns: 0,
        start_year: 0.0,
        turns_per_year: 1,
        third_powers: Vec::new(),
    };
    let root = DeTable::parse(&text).unwrap();
    collect(root.get_ref(), &mut Vec::new(), &mut src);
    let scenario = match kind {
        Kind::Scenario => Scenario::parse(&text, path).unwrap(),
        Kind::Sweep => SweepSpec::parse(&text, path, &FileResolver::beside(path)).unwrap().scenario,
    };
    src.turns = scenario.meta.turns;
    src.start_year = scenario.clock().start_year;
    src.turns_per_year = scenario.clock().turns_per_year;
    src.third_powers = scenario.third_power_names().iter().map(|s| s.to_string()).collect();
    let name_field = if kind == Kind::Scenario { "name" } else { "path" };
    let list = if kind == Kind::Scenario { "third_powers" } else { "axes" };
    src.names = (0..src.leaves.len())
        .filter(|&i| {
            let p = &src.leaves[i].path;
            p.len() == 3 && matches!(&p[0], Seg::Key(k) if k == list) && matches!(&p[2], Seg::Key(k) if k == name_field)
        })
        .collect();
    src
}

fn toml_files(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    v.sort();
    v
}

fn sources() -> Vec<Source> {
    let mut out: Vec<Source> = toml_files("scenarios")
        .into_iter()
        .chain(toml_files("scenarios/teaching"))
        .map(|p| load(Kind::Scenario, &p))
        .collect();
    out.extend(toml_files("sweeps").into_iter().map(|p| load(Kind::Sweep, &p)));
    assert!(out.iter().filter(|s| s.kind == Kind::Scenario).count() >= 8, "bundled scenarios missing");
    assert!(out.iter().filter(|s| s.kind == Kind::Sweep).count() >= 3, "bundled sweeps missing");
    out
}

// ---------------------------------------------------------------------------------------------
// The oracle: what a value of each field must be.

#[derive(Clone, Copy, Debug)]
enum Rule {
    /// Valid exactly when within `lo..=hi` (a whole number if `int`); nothing else depends on it.
    Range { lo: f64, hi: f64, int: bool },
    /// Invalid outside `lo..=hi`; inside, other fields may still object (events past a shortened
    /// scenario, say), so no verdict.
    Bounded { lo: f64, hi: f64, int: bool },
    /// A name or label: any printable text on one line (no control or bidi characters).
    Label,
    /// A seed: any whole number ≥ 0.
    Seed,
    /// Any finite number (an event's `shift`).
    Finite,
    /// Free text: any string.
    Text,
    /// A non-empty string.
    NonEmpty,
    /// A name other fields refer to (a third power): empty or dotted is invalid, others no verdict.
    Name,
    /// A string from a fixed set (a rule, a design, a path): anything made up is invalid.
    Keyword,
}

fn key_at(path: &[Seg], i: usize) -> &str {
    match path.get(i) {
        Some(Seg::Key(k)) => k,
        _ => "",
    }
}

fn field_range(dotted: &str, names: &[String]) -> Option<(f64, f64)> {
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    FieldPath::parse(dotted, &names).ok().map(|p| p.range())
}

fn rule(src: &Source, path: &[Seg]) -> Rule {
    let k: Vec<&str> = (0..path.len()).map(|i| key_at(path, i)).collect();
    let range = |(lo, hi): (f64, f64)| Rule::Range { lo, hi, int: false };
    let last_turn = f64::from(src.turns - 1);
    match (src.kind, k.as_slice()) {
        // A scenario reads formats 1 and 2 (rates per turn or per year); format 2 may still object
        // to the rest (a great power deciding more often than there are turns), so no verdict.
        (Kind::Scenario, ["format"]) => Rule::Bounded { lo: 1.0, hi: 2.0, int: true },
        (_, ["format"]) => Rule::Range { lo: 1.0, hi: 1.0, int: true },
        (Kind::Scenario, ["meta", "name"]) => Rule::NonEmpty,
        (Kind::Scenario, ["meta", "description" | "sources", ..]) => Rule::Text,
        (Kind::Scenario, ["meta", "start_year"]) => Rule::Bounded { lo: -1e5, hi: 1e5, int: false },
        (Kind::Scenario, ["meta", "turns_per_year"]) => Rule::Bounded { lo: 1.0, hi: 366.0, int: true },
        (Kind::Scenario, ["meta", "turns"]) => Rule::Bounded { lo: 1.0, hi: f64::from(MAX_TURNS), int: true },
        (Kind::Scenario, ["meta", "seed"]) => Rule::Seed,
        (Kind::Scenario, ["small_state" | "great_power", "name"]) => Rule::Label,
        (Kind::Scenario, ["small_state" | "decision", "initial_mix" | "mix", _]) => {
            Rule::Bounded { lo: 0.0, hi: f64::MAX, int: false }
        }
        (Kind::Scenario, ["decision", "rule"]) => Rule::Keyword,
        (Kind::Scenario, ["decision", "inner_steps"]) => {
            Rule::Range { lo: 0.0, hi: f64::from(MAX_INNER_STEPS), int: true }
        }
        (Kind::Scenario, ["beliefs", "prior_hostility" | "prior_reliability", ""]) => {
            // Any positive number, subnormals included, up to 1e6.
            Rule::Range { lo: f64::from_bits(1), hi: 1e6, int: false }
        }
        (Kind::Scenario, ["third_powers", "", "name"]) => Rule::Name,
        (Kind::Scenario, ["third_powers", "", field]) => {
            range(schema::row(&format!("third_powers.<name>.{field}")).map(|p| (p.min, p.max)).unwrap())
        }
        (Kind::Scenario, ["events", "", "label"]) => Rule::Label,
        (Kind::Scenario, ["events", "", "at"]) => Rule::Range {
            lo: src.start_year,
            hi: src.start_year + last_turn / f64::from(src.turns_per_year),
            int: false,
        },
        (Kind::Scenario, ["events", "", "turn"]) => Rule::Range { lo: 0.0, hi: last_turn, int: true },
        (Kind::Scenario, ["events", "", "set", p]) => range(field_range(p, &src.third_powers).unwrap()),
        (Kind::Scenario, ["events", "", "shift", _]) => Rule::Finite,
        (Kind::Scenario, ["events", "", "hostile_signal" | "reliability_signal", ..]) => {
            range((-MAX_SIGNAL, MAX_SIGNAL))
        }
        (Kind::Scenario, ["events", "", "imminence"]) => range((0.0, 1.0)),
        (Kind::Scenario, _) => range(
            field_range(&k.join("."), &src.third_powers)
                .unwrap_or_else(|| panic!("{}: the oracle does not know {}", src.path.display(), display_path(path))),
        ),
        (Kind::Sweep, ["scenario" | "design"]) => Rule::Keyword,
        (Kind::Sweep, ["replications"]) => Rule::Bounded { lo: 1.0, hi: f64::from(MAX_REPLICATIONS), int: true },
        // A Latin hypercube's size; the design's total of numbers may still object.
        (Kind::Sweep, ["samples"]) => Rule::Bounded { lo: 1.0, hi: f64::from(MAX_SAMPLES), int: true },
        (Kind::Sweep, ["master_seed" | "design_seed"]) => Rule::Seed,
        (Kind::Sweep, ["metrics_from_turn"]) => Rule::Range { lo: 0.0, hi: last_turn, int: true },
        (Kind::Sweep, ["axes", "", "path"]) => Rule::Keyword,
        (Kind::Sweep, ["axes", "", "values" | "range", ..]) if k.last() == Some(&"steps") => {
            Rule::Bounded { lo: 1.0, hi: f64::from(MAX_AXIS_VALUES), int: true }
        }
        // A Sobol' or Morris range must also run upwards: within the field's range, no verdict.
        (Kind::Sweep, ["axes", "", "range", ..]) if screening(src) => {
            let Seg::Index(i) = path[1] else { unreachable!() };
            let (lo, hi) = field_range(&axis_path(src, i), &src.third_powers).unwrap();
            Rule::Bounded { lo, hi, int: false }
        }
        (Kind::Sweep, ["axes", "", "values" | "range", ..]) => {
            let Seg::Index(i) = path[1] else { unreachable!() };
            range(field_range(&axis_path(src, i), &src.third_powers).unwrap())
        }
        (Kind::Sweep, ["second_order"]) => Rule::Keyword,
        (Kind::Sweep, ["axes", "", "distribution"]) => Rule::Keyword,
        (Kind::Sweep, ["axes", "", "mean"]) => Rule::Finite,
        (Kind::Sweep, ["axes", "", "sd"]) => Rule::Bounded { lo: f64::MIN_POSITIVE, hi: f64::MAX, int: false },
        (Kind::Sweep, ["trajectories"]) => Rule::Bounded { lo: 2.0, hi: f64::from(MAX_SAMPLES), int: true },
        (Kind::Sweep, ["levels"]) => Rule::Bounded { lo: 2.0, hi: f64::from(MAX_LEVELS), int: true },
        (Kind::Sweep, _) => panic!("{}: the oracle does not know {}", src.path.display(), display_path(path)),
    }
}

/// A Sobol' or Morris sweep, whose ranges have rules of their own.
fn screening(src: &Source) -> bool {
    src.text.lines().any(|l| matches!(l.trim(), "design = \"sobol\"" | "design = \"morris\""))
}

fn axis_path(src: &Source, axis: usize) -> String {
    let leaf = src
        .leaves
        .iter()
        .find(|l| l.path.len() == 3 && matches!(l.path[1], Seg::Index(i) if i == axis) && key_at(&l.path, 2) == "path")
        .unwrap();
    src.text[leaf.value.clone()].trim_matches('"').to_string()
}

// ---------------------------------------------------------------------------------------------
// Mutations.

/// What the test expects of a mutated file.
#[derive(Debug, Clone)]
enum Expect {
    /// Invalid: the error names this line and this field (or the array or range holding it).
    Invalid {
        line: usize,
        field: String,
    },
    Valid,
    /// No verdict on validity; an error must still name the file and a line.
    Any,
}

#[derive(Debug, Clone)]
struct Case {
    text: String,
    expect: Expect,
    what: String,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

fn splice(text: &str, span: Range<usize>, with: &str) -> String {
    format!("{}{}{}", &text[..span.start], with, &text[span.end..])
}

/// A number written as TOML.
fn float_text(v: f64) -> String {
    if v.is_nan() {
        "nan".into()
    } else if v.is_infinite() {
        if v > 0.0 { "inf".into() } else { "-inf".into() }
    } else {
        format!("{v:?}")
    }
}

const WRONG_TYPES: [&str; 5] = ["\"oops\"", "true", "[1, 2]", "{ a = 1 }", "1979-05-27"];
const BAD_PATHS: [&str; 8] = [
    "great_power.hostilty",
    "nowhere.at_all",
    "third_powers.Nobody.cap",
    "doctrine.XX.ret",
    "doctrine.PB.nope",
    "small_state.legit.QQ",
    "small_state",
    "",
];
const TEXTS: [&str; 5] = ["Zanzibar", "ü → ∞, \\\"quoted\\\"", "a\\nb", " ", "x,y"];

/// The verdict for value `v` (whole number or not) under `rule`.
fn verdict(rule: Rule, v: f64, is_int: bool) -> Option<bool> {
    let inside = |lo: f64, hi: f64, int: bool| v.is_finite() && lo <= v && v <= hi && (!int || is_int);
    match rule {
        Rule::Range { lo, hi, int } => Some(inside(lo, hi, int)),
        Rule::Bounded { lo, hi, int } => (!inside(lo, hi, int)).then_some(false),
        Rule::Seed => Some(is_int && v >= 0.0),
        Rule::Finite => Some(v.is_finite()),
        _ => Some(false), // a number where a string belongs
    }
}

/// Build case number `choice` of mutation `kind` of `src`; `u` picks values. `None` if the
/// mutation does not apply to this file.
fn mutate(src: &Source, kind: u8, choice: usize, u: f64) -> Option<Case> {
    let text = &src.text;
    let pick = |n: usize| choice % n.max(1);
    match kind {
        // A leaf of the wrong type.
        0 => {
            let leaf = &src.leaves[pick(src.leaves.len())];
            let mut with = WRONG_TYPES[(choice / src.leaves.len()) % WRONG_TYPES.len()];
            if with == "\"oops\"" && leaf.ty == Type::Str {
                with = "42";
            }
            // `true` is no wrong type for a flag (`second_order`).
            if with == "true" && matches!(&text[leaf.value.clone()], "true" | "false") {
                with = "42";
            }
            Some(Case {
                text: splice(text, leaf.value.clone(), with),
                expect: Expect::Invalid { line: line_of(text, leaf.value.start), field: display_path(&leaf.path) },
                what: format!("{} = {with}", display_path(&leaf.path)),
            })
        }
        // A number: NaN, ±inf, just outside, huge, negative, or inside the field's range.
        1 => {
            let nums: Vec<&Leaf> = src.leaves.iter().filter(|l| matches!(l.ty, Type::Int | Type::Float)).collect();
            let leaf = nums[pick(nums.len())];
            let r = rule(src, &leaf.path);
            let (lo, hi, int) = match r {
                Rule::Range { lo, hi, int } | Rule::Bounded { lo, hi, int } => (lo, hi, int),
                Rule::Seed => (0.0, 9.0e18, true),
                _ => (-1e6, 1e6, false),
            };
            let (v, is_int): (f64, bool) = match (choice / 7) % 9 {
                0 => (f64::NAN, false),
                1 => (f64::INFINITY, false),
                2 => (f64::NEG_INFINITY, false),
                3 => (lo - lo.abs().max(1.0), int),
                4 => (hi + hi.abs().max(1.0), int),
                5 => (if int { 9.0e18 } else { 1e300 }, int),
                6 => (-1.0, int),
                _ => {
                    // Inside the range: an end, or a point between.
                    let hi = hi.min(1e12);
                    let x = match (choice / 63) % 4 {
                        0 => lo,
                        1 => hi,
                        _ => lo + (hi - lo) * u,
                    };
                    if int { (x.round().clamp(lo, hi), true) } else { (x, false) }
                }
            };
            let is_int = is_int && v.abs() < 9.2e18;
            let written = if is_int { format!("{}", v as i64) } else { float_text(v) };
            let expect = match verdict(r, v, is_int) {
                Some(false) => {
                    Expect::Invalid { line: line_of(text, leaf.value.start), field: display_path(&leaf.path) }
                }
                Some(true) => Expect::Valid,
                None => Expect::Any,
            };
            Some(Case {
                text: splice(text, leaf.value.clone(), &written),
                expect,
                what: format!("{} = {written}", display_path(&leaf.path)),
            })
        }
        // A string: empty, dotted, or other text.
        2 => {
            let strs: Vec<&Leaf> = src.leaves.iter().filter(|l| l.ty == Type::Str).collect();
            let leaf = strs[pick(strs.len())];
            let r = rule(src, &leaf.path);
            let with = match (choice / 7) % 3 {
                0 => "",
                1 => "made.up",
                _ => TEXTS[(choice / 21) % TEXTS.len()],
            };
            // `a\nb` (a TOML escape): a line break, which no name or label may hold.
            let unprintable = with.contains("\\n");
            let invalid = match r {
                Rule::Text => false,
                Rule::Label => unprintable,
                Rule::NonEmpty => with.trim().is_empty() || unprintable,
                Rule::Name if with.trim().is_empty() || with.contains('.') || unprintable => true,
                Rule::Name => {
                    return Some(Case {
                        text: splice(text, leaf.value.clone(), &format!("\"{with}\"")),
                        expect: Expect::Any,
                        what: format!("{} = {with:?}", display_path(&leaf.path)),
                    });
                }
                _ => true,
            };
            let expect = if invalid {
                Expect::Invalid { line: line_of(text, leaf.value.start), field: display_path(&leaf.path) }
            } else {
                Expect::Valid
            };
            Some(Case {
                text: splice(text, leaf.value.clone(), &format!("\"{with}\"")),
                expect,
                what: format!("{} = {with:?}", display_path(&leaf.path)),
            })
        }
        // A duplicate third power name or axis.
        3 => {
            if src.names.len() < 2 {
                return None;
            }
            let a = pick(src.names.len());
            let b = (a + 1 + (choice / 7) % (src.names.len() - 1)) % src.names.len();
            let (from, to) = (&src.leaves[src.names[a]], &src.leaves[src.names[b]]);
            let later = if a > b { from } else { to };
            Some(Case {
                text: splice(text, to.value.clone(), &text[from.value.clone()]),
                expect: Expect::Invalid { line: line_of(text, later.value.start), field: display_path(&later.path) },
                what: format!("duplicate {}", &text[from.value.clone()]),
            })
        }
        // An unknown key under a [table] header, at the top, or inside an inline table.
        4 => {
            let headers: Vec<(usize, Vec<Seg>)> = header_paths(text);
            let n = headers.len() + 1 + src.inline_tables.len();
            let i = pick(n);
            let (at, base, inline) = if i == 0 {
                (0, Vec::new(), false)
            } else if i <= headers.len() {
                let (line_start, ref path) = headers[i - 1];
                let eol = text[line_start..].find('\n').map_or(text.len(), |e| line_start + e + 1);
                (eol, path.clone(), false)
            } else {
                let (ref path, at) = src.inline_tables[i - 1 - headers.len()];
                (at, path.clone(), true)
            };
            let insert = if inline {
                let empty = text[at..].trim_start().starts_with('}');
                if empty { " zzz_unknown = 1 " } else { " zzz_unknown = 1," }
            } else {
                "zzz_unknown = 1\n"
            };
            let mut path = base;
            path.push(Seg::Key("zzz_unknown".into()));
            let new_text = format!("{}{}{}", &text[..at], insert, &text[at..]);
            Some(Case {
                expect: Expect::Invalid {
                    line: line_of(&new_text, at + insert.find('z').unwrap()),
                    field: display_path(&path),
                },
                text: new_text,
                what: format!("unknown key {}", display_path(&path)),
            })
        }
        // An unknown field path: an event's set/shift key, or an axis path.
        5 => {
            let bad = BAD_PATHS[(choice / 7) % BAD_PATHS.len()];
            let targets: Vec<&Leaf> = src
                .leaves
                .iter()
                .filter(|l| {
                    (src.kind == Kind::Scenario && matches!(key_at(&l.path, 2), "set" | "shift"))
                        || (src.kind == Kind::Sweep && key_at(&l.path, 0) == "axes" && key_at(&l.path, 2) == "path")
                })
                .collect();
            if targets.is_empty() {
                return None;
            }
            let leaf = targets[pick(targets.len())];
            let (span, path) = if src.kind == Kind::Scenario {
                let mut p = leaf.path.clone();
                *p.last_mut().unwrap() = Seg::Key(bad.to_string());
                (leaf.key.clone().unwrap(), p)
            } else {
                (leaf.value.clone(), leaf.path.clone())
            };
            let new_text = splice(text, span.clone(), &format!("\"{bad}\""));
            // Two keys of one inline table may now collide: then it is a duplicate-key error.
            Some(Case {
                text: new_text,
                expect: Expect::Invalid { line: line_of(text, span.start), field: display_path(&path) },
                what: format!("unknown path {bad:?} at {}", display_path(&leaf.path)),
            })
        }
        // A `key = value` line written twice.
        6 => {
            let lines: Vec<(usize, &str)> = line_starts(text)
                .into_iter()
                .map(|s| (s, text[s..].split('\n').next().unwrap()))
                .filter(|(_, l)| {
                    let t = l.trim_start();
                    !t.starts_with('#') && !t.starts_with('[') && t.contains(" = ") && !t.ends_with('[')
                })
                .collect();
            let (start, line) = lines[pick(lines.len())];
            let key = line.split(" = ").next().unwrap().trim().to_string();
            let new_text = format!("{}{}\n{}", &text[..start], line, &text[start..]);
            Some(Case {
                expect: Expect::Invalid { line: line_of(text, start) + 1, field: key.trim_matches('"').to_string() },
                text: new_text,
                what: format!("duplicate line {line:?}"),
            })
        }
        _ => unreachable!(),
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).filter(|&i| i < text.len()).collect()
}

/// `[table]` and `[[array]]` header lines: their start and the path of the table they open.
fn header_paths(text: &str) -> Vec<(usize, Vec<Seg>)> {
    let mut counts = std::collections::HashMap::<String, usize>::new();
    let mut out = Vec::new();
    for start in line_starts(text) {
        let line = text[start..].split('\n').next().unwrap().trim();
        let line = line.split('#').next().unwrap().trim();
        let mut path: Vec<Seg> = Vec::new();
        if let Some(name) = line.strip_prefix("[[").and_then(|l| l.strip_suffix("]]")) {
            let n = counts.entry(name.to_string()).or_default();
            path.extend(name.split('.').map(|k| Seg::Key(k.trim().to_string())));
            path.push(Seg::Index(*n));
            *n += 1;
        } else if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            path.extend(name.split('.').map(|k| Seg::Key(k.trim().to_string())));
        } else {
            continue;
        }
        out.push((start, path));
    }
    out
}

/// Damage that breaks the syntax or the structure: no verdict, but no panic either.
fn damage(text: &str, kind: u8, choice: usize, bytes: &[u8]) -> String {
    let starts = line_starts(text);
    let line = |i: usize| {
        let s = starts[i % starts.len()];
        let e = text[s..].find('\n').map_or(text.len(), |e| s + e + 1);
        s..e
    };
    match kind {
        0 => splice(text, line(choice), ""),
        1 => {
            let (a, b) = (line(choice), line(choice / 3 + 1));
            if a.start == b.start {
                return text.to_string();
            }
            let (a, b) = if a.start < b.start { (a, b) } else { (b, a) };
            format!(
                "{}{}{}{}{}",
                &text[..a.start],
                &text[b.clone()],
                &text[a.end..b.start],
                &text[a.clone()],
                &text[b.end..]
            )
        }
        2 => {
            let mut cut = choice % (text.len() + 1);
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text[..cut].to_string()
        }
        _ => {
            let mut at = choice % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            format!("{}{}{}", &text[..at], String::from_utf8_lossy(bytes), &text[at..])
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Checking an outcome.

/// Parse `text` as a file of `kind` at `origin`; on success run it and check every number is
/// finite. Returns the error message, if any.
fn check_input(kind: Kind, text: &str, origin: &Path) -> Result<Option<String>, String> {
    match kind {
        Kind::Scenario => match Scenario::parse(text, origin) {
            Err(e) => Ok(Some(e.to_string())),
            Ok(s) => {
                let mut out = Vec::new();
                let run = RunSpec {
                    seed: s.meta.seed,
                    stream: 0,
                    scenario_sha256: "-",
                    settings: &[],
                    turns: s.meta.turns.min(120),
                };
                write_run(&s, &run, Format::Csv, &mut out).map_err(|e| e.to_string())?;
                finite_csv(&String::from_utf8(out).unwrap())?;
                Ok(None)
            }
        },
        Kind::Sweep => match SweepSpec::parse(text, origin, &FileResolver::beside(origin)) {
            Err(e) => Ok(Some(e.to_string())),
            Ok(spec) => {
                let mut rows = String::new();
                simulate_run(&spec, 0, false, &mut rows, None);
                simulate_run(&spec, spec.runs() - 1, false, &mut rows, None);
                finite_csv(&rows)?;
                Ok(None)
            }
        },
    }
}

fn finite_csv(text: &str) -> Result<(), String> {
    for line in text.lines() {
        for cell in line.split(',') {
            if let Ok(v) = cell.parse::<f64>()
                && !v.is_finite()
            {
                return Err(format!("a non-finite number `{cell}` in the output row {line}"));
            }
        }
    }
    Ok(())
}

/// `file:LINE:COL: …`: the line number an error gives, if it starts with the file name.
fn error_line(message: &str, origin: &Path) -> Option<usize> {
    let rest = message.strip_prefix(&origin.display().to_string())?.strip_prefix(':')?;
    let line: usize = rest.split(':').next()?.parse().ok()?;
    Some(line)
}

/// The field an error names: the text between `file:L:C: ` and the next `: `.
fn error_field<'m>(message: &'m str, origin: &Path) -> &'m str {
    let rest = message.strip_prefix(&origin.display().to_string()).unwrap_or(message);
    let mut parts = rest.splitn(4, ": ");
    parts.next();
    parts.next().unwrap_or("")
}

/// Whether the error's field is `expected` or what holds it (the array of an array item, the
/// `range` of a `range.from`).
fn names_field(got: &str, expected: &str) -> bool {
    got == expected
        || expected.strip_prefix(got).is_some_and(|rest| {
            (rest.starts_with('[') && rest.ends_with(']') && !rest[1..].contains('['))
                || (rest.starts_with('.') && !rest[1..].contains(['.', '[']))
        })
}

#[derive(Default)]
struct Tally {
    tried: usize,
    invalid: usize,
    valid: usize,
    other: usize,
    /// Of the others, those that validated and ran.
    other_ok: usize,
    skipped: usize,
}

fn judge(kind: Kind, case: &Case, origin: &Path, tally: &mut Tally) -> Result<(), TestCaseError> {
    tally.tried += 1;
    let outcome =
        check_input(kind, &case.text, origin).map_err(|e| TestCaseError::fail(format!("{}: {e}", case.what)))?;
    let fail = |msg: String| Err(TestCaseError::fail(format!("{}: {msg}\n--- input ---\n{}", case.what, case.text)));
    match (&case.expect, outcome) {
        (Expect::Invalid { line, field }, Some(msg)) => {
            tally.invalid += 1;
            if error_line(&msg, origin) != Some(*line) {
                return fail(format!("expected the error at line {line}, got: {msg}"));
            }
            if !names_field(error_field(&msg, origin), field) {
                return fail(format!("expected the error to name `{field}`, got: {msg}"));
            }
        }
        (Expect::Invalid { .. }, None) => return fail("an invalid input was accepted".into()),
        (Expect::Valid, Some(msg)) => return fail(format!("a valid input was refused: {msg}")),
        (Expect::Valid, None) => tally.valid += 1,
        (Expect::Any, outcome) => {
            tally.other += 1;
            tally.other_ok += usize::from(outcome.is_none());
            if let Some(msg) = outcome {
                let lines = case.text.matches('\n').count() + 1;
                match error_line(&msg, origin) {
                    Some(l) if (1..=lines).contains(&l) => {}
                    _ => return fail(format!("the error does not name the file and a line: {msg}")),
                }
            }
        }
    }
    Ok(())
}

/// A runner with a fixed seed. For a longer hunt on one's own machine, `HEDGESIM_PROPS_SCALE=20`
/// multiplies the cases and `HEDGESIM_PROPS_SEED=N` changes the seed; CI sets neither.
fn runner(cases: u32, seed: u8) -> TestRunner {
    let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u32>().ok());
    let cases = cases * env("HEDGESIM_PROPS_SCALE").unwrap_or(1);
    let mut bytes = [seed; 32];
    bytes[..4].copy_from_slice(&env("HEDGESIM_PROPS_SEED").unwrap_or(0).to_le_bytes());
    let config = Config { cases, failure_persistence: None, max_shrink_iters: 256, ..Config::default() };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
}

fn report(name: &str, t: &Tally) {
    eprintln!(
        "input_props: {name}: {} inputs tried ({} invalid with file, line and field checked; {} valid and run; \
         {} others, of which {} ran; {} not applicable)",
        t.tried, t.invalid, t.valid, t.other, t.other_ok, t.skipped
    );
}

// ---------------------------------------------------------------------------------------------
// The properties.

/// One field of a bundled file mutated: the error names file, line and field; valid values run.
#[test]
fn mutated_bundled_files_fail_cleanly_or_run_finite() {
    let sources = sources();
    let tally = RefCell::new(Tally::default());
    let strategy = (0..sources.len(), 0u8..7, any::<usize>(), 0.0..1.0f64);
    runner(15_000, 1)
        .run(&strategy, |(file, kind, choice, u)| {
            let src = &sources[file];
            let mut t = tally.borrow_mut();
            match mutate(src, kind, choice, u) {
                None => {
                    t.skipped += 1;
                    Ok(())
                }
                Some(case) => judge(src.kind, &case, &src.path, &mut t),
            }
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let t = tally.into_inner();
    report("one-field mutations of the bundled files", &t);
    assert!(t.invalid > 8000 && t.valid > 1000, "too few cases of each kind");
}

/// Every leaf of every bundled file, each with every wrong type: exhaustive, not sampled.
#[test]
fn every_field_of_every_bundled_file_rejects_a_wrong_type() {
    let mut tally = Tally::default();
    for src in sources() {
        for (i, _) in src.leaves.iter().enumerate() {
            for w in 0..WRONG_TYPES.len() {
                let case = mutate(&src, 0, i + src.leaves.len() * w, 0.0).unwrap();
                if let Err(e) = judge(src.kind, &case, &src.path, &mut tally) {
                    panic!("{e}");
                }
            }
        }
    }
    report("every field × every wrong type", &tally);
}

/// Extreme magnitudes, exhaustively: every number of every bundled file set to each of them,
/// alone and together with the other numbers of its array (`prior_hostility = [1e-200, 1e-200]`
/// validated and then gave NaN variances). An invalid value names its line and field; a valid one
/// runs with finite numbers in every output column.
#[test]
fn every_number_at_extreme_magnitudes_fails_cleanly_or_runs_finite() {
    const EXTREMES: [f64; 12] =
        [1e-300, -1e-300, 1e300, -1e300, 5e-324, 1e-200, 1e-100, 1e100, 1e200, f64::MAX, f64::MIN_POSITIVE, 1e6];
    let mut tally = Tally::default();
    for src in sources() {
        let nums: Vec<&Leaf> = src.leaves.iter().filter(|l| matches!(l.ty, Type::Int | Type::Float)).collect();
        for leaf in &nums {
            let parent = &leaf.path[..leaf.path.len() - 1];
            let in_array = matches!(leaf.path.last(), Some(Seg::Index(_)));
            let siblings: Vec<&Leaf> = nums
                .iter()
                .copied()
                .filter(|l| {
                    in_array
                        && l.path.len() == leaf.path.len()
                        && display_path(&l.path[..l.path.len() - 1]) == display_path(parent)
                })
                .collect();
            for v in EXTREMES {
                let written = float_text(v);
                let line = line_of(&src.text, leaf.value.start);
                let expect = match verdict(rule(&src, &leaf.path), v, false) {
                    Some(false) => Expect::Invalid { line, field: display_path(&leaf.path) },
                    Some(true) => Expect::Valid,
                    None => Expect::Any,
                };
                let case = Case {
                    text: splice(&src.text, leaf.value.clone(), &written),
                    expect,
                    what: format!("{} = {written}", display_path(&leaf.path)),
                };
                if let Err(e) = judge(src.kind, &case, &src.path, &mut tally) {
                    panic!("{e}");
                }
                if siblings.len() > 1 {
                    // Every number of the array at once, from the last so the spans stay valid.
                    let mut text = src.text.clone();
                    for l in siblings.iter().rev() {
                        text = splice(&text, l.value.clone(), &written);
                    }
                    let all_valid = siblings.iter().all(|l| verdict(rule(&src, &l.path), v, false) == Some(true));
                    let case = Case {
                        text,
                        expect: if all_valid { Expect::Valid } else { Expect::Any },
                        what: format!("every number of {} = {written}", display_path(parent)),
                    };
                    if let Err(e) = judge(src.kind, &case, &src.path, &mut tally) {
                        panic!("{e}");
                    }
                }
            }
        }
    }
    report("every number × extreme magnitudes", &tally);
    assert!(tally.valid > 100, "too few valid extreme cases: {}", tally.valid);
}

/// Several numbers of one bundled file at extreme magnitudes at once (the issue found NaN in 22
/// of 400 such scenarios): whatever validates runs with finite numbers in every column.
#[test]
fn several_numbers_at_extreme_magnitudes_run_finite_if_valid() {
    const EXTREMES: [f64; 8] = [1e-300, 1e300, 5e-324, 1e-200, 1e200, f64::MAX, 1e-8, 1e6];
    let sources = sources();
    let tally = RefCell::new(Tally::default());
    let strategy = (0..sources.len(), proptest::collection::vec((any::<usize>(), 0..EXTREMES.len()), 2..8));
    runner(3000, 5)
        .run(&strategy, |(file, picks)| {
            let src = &sources[file];
            let nums: Vec<&Leaf> = src.leaves.iter().filter(|l| l.ty == Type::Float).collect();
            if nums.is_empty() {
                return Ok(());
            }
            let mut chosen: Vec<(&Leaf, f64)> =
                picks.iter().map(|(i, v)| (nums[i % nums.len()], EXTREMES[*v])).collect();
            chosen.sort_by_key(|(l, _)| std::cmp::Reverse(l.value.start));
            chosen.dedup_by_key(|(l, _)| l.value.start);
            let mut text = src.text.clone();
            let mut what = Vec::new();
            for (l, v) in &chosen {
                text = splice(&text, l.value.clone(), &float_text(*v));
                what.push(format!("{} = {}", display_path(&l.path), float_text(*v)));
            }
            let case = Case { text, expect: Expect::Any, what: what.join(", ") };
            judge(src.kind, &case, &src.path, &mut tally.borrow_mut())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let t = tally.into_inner();
    report("several numbers at extreme magnitudes", &t);
    assert!(t.other_ok > 100, "too few of them validated and ran: {}", t.other_ok);
}

/// Lines deleted, swapped or cut, stray bytes inserted: errors name the file and a line.
#[test]
fn damaged_bundled_files_never_panic() {
    let sources = sources();
    let tally = RefCell::new(Tally::default());
    let strategy = (0..sources.len(), 0u8..4, any::<usize>(), proptest::collection::vec(any::<u8>(), 1..8));
    runner(6000, 2)
        .run(&strategy, |(file, kind, choice, bytes)| {
            let src = &sources[file];
            let case =
                Case { text: damage(&src.text, kind, choice, &bytes), expect: Expect::Any, what: "damage".into() };
            // Also read it as the other kind of file: a scenario given to `sweep` and vice versa.
            let other = if src.kind == Kind::Scenario { Kind::Sweep } else { Kind::Scenario };
            let mut t = tally.borrow_mut();
            judge(src.kind, &case, &src.path, &mut t)?;
            judge(other, &case, &src.path, &mut t)
        })
        .unwrap_or_else(|e| panic!("{e}"));
    report("damaged bundled files", &tally.into_inner());
}

/// A TOML value built from the schema's own words, numbers at the edges, and nesting.
fn value() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vec![
        "hedge",
        "fixed",
        "grid",
        "zip",
        "lhs",
        "table",
        "Ally",
        "great_power.hostility",
        "small_state.gamma",
        "third_powers.Ally.cap",
        "../scenarios/teaching-dyad.toml",
        "",
        "H",
    ])
    .prop_map(|w| format!("{w:?}"));
    let number = prop_oneof![
        any::<i64>().prop_map(|i| i.to_string()),
        (-3i64..100).prop_map(|i| i.to_string()),
        any::<f64>().prop_map(float_text),
        (0.0..1.0f64).prop_map(float_text),
        prop::sample::select(vec!["nan", "inf", "-inf", "-0.0", "1e308", "true", "false", "1979-05-27T07:32:00Z"])
            .prop_map(String::from),
    ];
    let leaf = prop_oneof![word, number];
    leaf.prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec((key(), inner), 0..4).prop_map(|kv| {
                let mut seen = std::collections::HashSet::new();
                let kv: Vec<String> =
                    kv.into_iter().filter(|(k, _)| seen.insert(k.clone())).map(|(k, v)| format!("{k} = {v}")).collect();
                format!("{{ {} }}", kv.join(", "))
            }),
        ]
    })
}

fn key() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "format",
        "name",
        "turns",
        "seed",
        "start_year",
        "turns_per_year",
        "cap",
        "mil",
        "dep",
        "gamma",
        "hostility",
        "reliability",
        "legit",
        "PB",
        "PW",
        "initial_mix",
        "turn",
        "at",
        "label",
        "\"great_power.focus\"",
        "\"third_powers.Ally.support\"",
        "hostile_signal",
        "reliability_signal",
        "Ally",
        "imminence",
        "rule",
        "mix",
        "inner_steps",
        "prior_hostility",
        "ret",
        "prov",
        "scenario",
        "replications",
        "master_seed",
        "design",
        "samples",
        "csv",
        "metrics_from_turn",
        "series",
        "path",
        "values",
        "range",
        "from",
        "to",
        "steps",
        "zzz",
    ])
    .prop_map(String::from)
}

fn section() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "[meta]",
        "[small_state]",
        "[great_power]",
        "[[third_powers]]",
        "[beliefs]",
        "[decision]",
        "[doctrine.PB]",
        "[payoff]",
        "[dynamics]",
        "[[events]]",
        "[[axes]]",
        "[zzz]",
    ])
    .prop_map(String::from)
}

/// A random TOML document: top-level keys, then sections with keys.
fn document() -> impl Strategy<Value = String> {
    let entries = || prop::collection::vec((key(), value()), 0..6);
    (entries(), prop::collection::vec((section(), entries()), 0..6), any::<bool>()).prop_map(|(top, sections, meta)| {
        let mut out = String::new();
        let write = |entries: Vec<(String, String)>, out: &mut String| {
            let mut seen = std::collections::HashSet::new();
            for (k, v) in entries.into_iter().filter(|(k, _)| seen.insert(k.clone())) {
                out.push_str(&format!("{k} = {v}\n"));
            }
        };
        write(top, &mut out);
        if meta {
            out.push_str("[meta]\nname = \"random\"\nturns = 5\n");
        }
        let mut headers = std::collections::HashSet::new();
        for (header, entries) in sections {
            if !header.starts_with("[[") && !headers.insert(header.clone()) || meta && header == "[meta]" {
                continue;
            }
            out.push_str(&header);
            out.push('\n');
            write(entries, &mut out);
        }
        out
    })
}

/// Random TOML from the schema's words, and random bytes, as scenario and as sweep files.
#[test]
fn random_toml_and_random_bytes_never_panic() {
    let tally = RefCell::new(Tally::default());
    let origin = Path::new("sweeps/random.toml");
    runner(6000, 3)
        .run(&document(), |text| {
            let case = Case { text, expect: Expect::Any, what: "random TOML".into() };
            let mut t = tally.borrow_mut();
            judge(Kind::Scenario, &case, origin, &mut t)?;
            judge(Kind::Sweep, &case, origin, &mut t)
        })
        .unwrap_or_else(|e| panic!("{e}"));
    runner(4000, 4)
        .run(&prop::collection::vec(any::<u8>(), 0..300), |bytes| {
            let case =
                Case { text: String::from_utf8_lossy(&bytes).into_owned(), expect: Expect::Any, what: "bytes".into() };
            let mut t = tally.borrow_mut();
            judge(Kind::Scenario, &case, origin, &mut t)?;
            judge(Kind::Sweep, &case, origin, &mut t)
        })
        .unwrap_or_else(|e| panic!("{e}"));
    report("random TOML and random bytes", &tally.into_inner());
}
