//! The native half of the `hedgesim` Python package (`hedgesim._native`): scenarios, one run, the
//! explanation of a turn, many runs on every core, and sweeps, over the same library code as the
//! command line, so that Python gets the CLI's numbers to the last bit.
//!
//! Results cross into Python as columns: each a name, a NumPy dtype and the little-endian bytes
//! of its values (words such as labels as one-byte codes into a list of categories). The Python
//! half (python/hedgesim/__init__.py) turns them into NumPy arrays and a pandas DataFrame without
//! a copy per value, so that handing back a million rows costs a few memory copies, not a million
//! Python objects.

use hedgesim::output::{self, Format, RecordField, RunSpec, Setting};
use hedgesim::record::Cell;
use hedgesim::scenario::Scenario;
use hedgesim::schema::{self, FieldPath};
use hedgesim::summary::{RunSummarizer, RunSummary};
use hedgesim::sweep::metrics::RunId;
use hedgesim::sweep::{self, Shard, SweepOptions, SweepSpec};
use hedgesim_core::explain;
use hedgesim_core::input::InputError;
use hedgesim_core::param::Kind;
use pyo3::exceptions::{PyMemoryError, PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyByteArray, PyDict, PyFloat, PyList, PyString, PyTuple};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// The scenarios shipped with hedgesim, by the name `Scenario.bundled` takes, with the path the
/// command line reads them from (their errors and SHA-256 are the file's).
const BUNDLED: &[(&str, &str, &str)] = &[
    ("teaching-dyad", "scenarios/teaching-dyad.toml", include_str!("../../scenarios/teaching-dyad.toml")),
    ("azerbaijan-russia", "scenarios/azerbaijan-russia.toml", include_str!("../../scenarios/azerbaijan-russia.toml")),
    ("belarus-russia", "scenarios/belarus-russia.toml", include_str!("../../scenarios/belarus-russia.toml")),
    (
        "teaching/1-uncertainty",
        "scenarios/teaching/1-uncertainty.toml",
        include_str!("../../scenarios/teaching/1-uncertainty.toml"),
    ),
    (
        "teaching/2a-threat-alone",
        "scenarios/teaching/2a-threat-alone.toml",
        include_str!("../../scenarios/teaching/2a-threat-alone.toml"),
    ),
    (
        "teaching/2b-threat-with-ally",
        "scenarios/teaching/2b-threat-with-ally.toml",
        include_str!("../../scenarios/teaching/2b-threat-with-ally.toml"),
    ),
    (
        "teaching/3-forced-choice",
        "scenarios/teaching/3-forced-choice.toml",
        include_str!("../../scenarios/teaching/3-forced-choice.toml"),
    ),
    (
        "teaching/4-azerbaijan-2003-2023",
        "scenarios/teaching/4-azerbaijan-2003-2023.toml",
        include_str!("../../scenarios/teaching/4-azerbaijan-2003-2023.toml"),
    ),
];

/// Turns computed between two looks for Ctrl-C in `run_many`: about a third of a second on two
/// cores, so an interrupt is felt at once whatever the length of a run, and rayon has plenty of
/// runs per look (13,107 of 80 turns).
const CHUNK_TURNS: usize = 1 << 20;

// ---------------------------------------------------------------------------------------------
// Errors: hedgesim.InputError (python/hedgesim/_errors.py) with the file, line, column and field.

/// A Python `hedgesim.InputError` whose text is what the command line prints after `error: `.
fn input_error(
    py: Python<'_>,
    text: String,
    file: &Path,
    line: usize,
    column: usize,
    field: &str,
    message: &str,
) -> PyErr {
    let made = py.import("hedgesim._errors").and_then(|m| m.getattr("InputError")).and_then(|class| {
        class.call1((text.clone(), file.display().to_string(), line, column, field.to_string(), message.to_string()))
    });
    match made {
        Ok(instance) => PyErr::from_value(instance),
        Err(e) => e,
    }
}

fn from_input(py: Python<'_>, e: &InputError) -> PyErr {
    input_error(py, e.to_string(), &e.file, e.line, e.column, &e.field, &e.message)
}

/// An error about a parameter path given to a setter or as a column of `params`, in the words a
/// file or `--set` gets: `<path>: <message>`.
fn param_error(py: Python<'_>, origin: &Path, path: &str, message: &str) -> PyErr {
    input_error(py, format!("{path}: {message}"), origin, 0, 0, path, message)
}

// ---------------------------------------------------------------------------------------------
// Columns handed to Python.

/// A column of words with few distinct values (labels, actions): one-byte codes into `words`.
#[derive(Default)]
struct Words {
    words: Vec<&'static str>,
    codes: Vec<u8>,
}

impl Words {
    fn push(&mut self, word: &'static str) {
        let code = match self.words.iter().position(|w| *w == word) {
            Some(k) => k,
            None => {
                self.words.push(word);
                self.words.len() - 1
            }
        };
        self.codes.push(code as u8);
    }
}

enum Values {
    F64(Vec<f64>),
    U64(Vec<u64>),
    I64(Vec<i64>),
    Words(Words),
    /// The same text on every row (the scenario's SHA-256).
    Same(String, usize),
}

impl Values {
    /// An empty column for `n` cells of `cell`'s kind: numbers as float64, counts as int64, words
    /// as categories.
    fn for_cell(cell: Cell, n: usize) -> Values {
        match cell {
            Cell::Number(_) => Values::F64(Vec::with_capacity(n)),
            Cell::Count(_) => Values::I64(Vec::with_capacity(n)),
            Cell::Word(_) => Values::Words(Words::default()),
        }
    }

    fn push_cell(&mut self, cell: Cell) {
        match (self, cell) {
            (Values::F64(v), Cell::Number(x)) => v.push(x),
            (Values::I64(v), Cell::Count(c)) => v.push(i64::from(c)),
            (Values::Words(words), Cell::Word(w)) => words.push(w),
            _ => unreachable!("a summary column's cells are of one kind, fixed by RunSummary::cells"),
        }
    }
}

struct Column {
    name: String,
    values: Values,
}

impl Column {
    fn new(name: impl Into<String>, values: Values) -> Column {
        Column { name: name.into(), values }
    }
}

fn le_bytes<T, const B: usize>(v: &[T], f: impl Fn(&T) -> [u8; B]) -> Vec<u8> {
    let mut out = Vec::with_capacity(v.len() * B);
    for x in v {
        out.extend_from_slice(&f(x));
    }
    out
}

/// Columns as a Python list of `(name, dtype, bytes, words)`: `words` is `None` for numbers, the
/// list of categories the one-byte codes index for words.
fn to_python<'py>(py: Python<'py>, columns: Vec<Column>) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for c in columns {
        let (dtype, bytes, words): (&str, Vec<u8>, Option<Vec<String>>) = match c.values {
            Values::F64(v) => ("<f8", le_bytes(&v, |x| x.to_le_bytes()), None),
            Values::U64(v) => ("<u8", le_bytes(&v, |x| x.to_le_bytes()), None),
            Values::I64(v) => ("<i8", le_bytes(&v, |x| x.to_le_bytes()), None),
            Values::Words(w) => ("u1", w.codes, Some(w.words.iter().map(|s| s.to_string()).collect())),
            Values::Same(text, n) => ("u1", vec![0; n], Some(vec![text])),
        };
        list.append((c.name, dtype, PyByteArray::new(py, &bytes), words))?;
    }
    Ok(list)
}

// ---------------------------------------------------------------------------------------------
// Scenarios.

/// A validated scenario and what the command line would be told to run it: its text (the SHA-256
/// of which the run's CSV carries) and the settings made on it, which a run writes as `--set`
/// columns, so that a run of a scenario set from Python is `hedgesim run FILE --set PATH=VALUE`.
#[pyclass(module = "hedgesim._native", name = "Scenario")]
#[derive(Clone)]
struct PyScenario {
    /// As parsed, without the settings: what a run starts from, the settings applied on top, as
    /// the command line applies `--set`.
    base: Scenario,
    /// With the settings applied, for `get`.
    current: Scenario,
    text: String,
    sha256: String,
    settings: Vec<Setting>,
}

impl PyScenario {
    fn parse(py: Python<'_>, text: String, origin: &Path) -> PyResult<PyScenario> {
        let base = Scenario::parse(&text, origin).map_err(|e| from_input(py, &e))?;
        let sha256 = output::sha256_hex(text.as_bytes());
        Ok(PyScenario { current: base.clone(), base, text, sha256, settings: Vec::new() })
    }

    fn run_spec<'a>(&'a self, seed: Option<u64>, stream: u64, turns: Option<u32>) -> RunSpec<'a> {
        RunSpec {
            seed: seed.unwrap_or(self.base.meta.seed),
            stream,
            scenario_sha256: &self.sha256,
            settings: &self.settings,
            turns: turns.unwrap_or(self.base.meta.turns),
        }
    }
}

/// `turns` as `hedgesim run --turns` takes it: 1 to the longest run a scenario may ask for.
fn check_turns(turns: Option<u32>) -> PyResult<()> {
    match turns {
        Some(t) if t == 0 || t > hedgesim::scenario::MAX_TURNS => {
            Err(PyValueError::new_err(format!("turns must be from 1 to {}, got {t}", hedgesim::scenario::MAX_TURNS)))
        }
        _ => Ok(()),
    }
}

#[pymethods]
impl PyScenario {
    /// Validate scenario text; `origin` names it in errors.
    #[staticmethod]
    fn from_text(py: Python<'_>, text: String, origin: PathBuf) -> PyResult<PyScenario> {
        PyScenario::parse(py, text, &origin)
    }

    /// Read and validate a scenario file, as `hedgesim run` reads it.
    #[staticmethod]
    fn from_file(py: Python<'_>, path: PathBuf) -> PyResult<PyScenario> {
        let text = hedgesim::input::read_text(&path, "scenario").map_err(|e| from_input(py, &e))?;
        PyScenario::parse(py, text, &path)
    }

    /// Validate a scenario given as a dict of the file's tables (`{"meta": {"name": …}, …}`): it
    /// is written as TOML text, which errors then point into and whose SHA-256 a run carries.
    #[staticmethod]
    fn from_dict(py: Python<'_>, d: &Bound<'_, PyAny>, origin: PathBuf) -> PyResult<PyScenario> {
        let toml::Value::Table(table) = to_toml_value(d, "")? else {
            return Err(PyTypeError::new_err("a scenario is a dict of tables, such as {\"meta\": {\"name\": \"…\"}}"));
        };
        let text = toml::to_string(&table).map_err(|e| PyValueError::new_err(e.to_string()))?;
        PyScenario::parse(py, text, &origin)
    }

    /// A scenario shipped with hedgesim, by name (`teaching-dyad`, `teaching/3-forced-choice`).
    #[staticmethod]
    fn bundled(py: Python<'_>, name: &str) -> PyResult<PyScenario> {
        let Some((_, path, text)) = BUNDLED.iter().find(|(n, _, _)| *n == name) else {
            let names: Vec<&str> = BUNDLED.iter().map(|(n, _, _)| *n).collect();
            return Err(PyValueError::new_err(format!(
                "no bundled scenario named `{name}`; {}",
                schema::suggest(name, &names)
            )));
        };
        PyScenario::parse(py, text.to_string(), Path::new(path))
    }

    /// The names of the bundled scenarios.
    #[staticmethod]
    fn bundled_names() -> Vec<&'static str> {
        BUNDLED.iter().map(|(n, _, _)| *n).collect()
    }

    /// A parameter by its path, as the file set it, or its default, with the settings made since:
    /// a float for a real, an int for a whole number, a bool for a switch.
    fn get<'py>(&self, py: Python<'py>, path: &str) -> PyResult<Bound<'py, PyAny>> {
        let v = self.current.get(path).map_err(|e| param_error(py, &self.base.origin, &e.path, &e.message))?;
        let kind = schema::resolve(path, &self.current.third_power_names()).map(|f| f.param.kind);
        Ok(match kind {
            Ok(Kind::Integer) => (v as i64).into_pyobject(py)?.into_any(),
            Ok(Kind::Bool) => (v != 0.0).into_pyobject(py)?.to_owned().into_any(),
            _ => v.into_pyobject(py)?.into_any(),
        })
    }

    /// Set a parameter by its path, checked against its kind and range with the messages a file
    /// gets. A run then writes it as a `--set` column; setting a path again replaces its value.
    fn set(&mut self, py: Python<'_>, path: &str, value: f64) -> PyResult<()> {
        self.current.set(path, value).map_err(|e| param_error(py, &self.base.origin, &e.path, &e.message))?;
        let field = schema::resolve(path, &self.base.third_power_names())
            .map_err(|m| param_error(py, &self.base.origin, path, &m))?;
        match self.settings.iter_mut().find(|s| s.name == path) {
            Some(s) => s.value = value,
            None => self.settings.push(Setting { name: path.to_string(), path: field, value }),
        }
        Ok(())
    }

    /// The scenario as TOML text: the text it was read from, with the settings made since written
    /// into their tables (the file is then re-written, without its comments). A setting no file
    /// may hold (a field only events and sweep axes change) is refused.
    fn to_toml(&self, py: Python<'_>) -> PyResult<String> {
        if self.settings.is_empty() {
            return Ok(self.text.clone());
        }
        let mut doc: toml::Table =
            self.text.parse().map_err(|e: toml::de::Error| PyValueError::new_err(e.to_string()))?;
        for s in &self.settings {
            let param = s.path.param;
            let refuse = |m: &str| param_error(py, &self.base.origin, &s.name, m);
            if !param.in_file {
                return Err(refuse("a scenario file does not hold this field (events and sweep axes change it)"));
            }
            let value = match param.kind {
                Kind::Real => toml::Value::Float(s.value),
                Kind::Integer => toml::Value::Integer(s.value as i64),
                Kind::Bool => toml::Value::Boolean(s.value != 0.0),
            };
            let segs: Vec<&str> = s.name.split('.').collect();
            let (last, tables) = segs.split_last().expect("a path has a key");
            let mut table = &mut doc;
            let mut rest = tables;
            if let ["third_powers", name, ..] = tables {
                let partners = table.get_mut("third_powers").and_then(|v| v.as_array_mut());
                let partner = partners
                    .and_then(|a| a.iter_mut().find(|t| t.get("name").and_then(|n| n.as_str()) == Some(*name)))
                    .and_then(|t| t.as_table_mut());
                table = partner.ok_or_else(|| refuse("no such third power in the file"))?;
                rest = &tables[2..];
            }
            for seg in rest {
                let entry = table.entry(seg.to_string()).or_insert_with(|| toml::Value::Table(toml::Table::new()));
                table = entry.as_table_mut().ok_or_else(|| refuse("the file holds a value where a table should be"))?;
            }
            table.insert(last.to_string(), value);
        }
        toml::to_string(&doc).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// The settings made with `set`, in order, as `(path, value)`.
    fn settings(&self) -> Vec<(String, f64)> {
        self.settings.iter().map(|s| (s.name.clone(), s.value)).collect()
    }

    #[getter]
    fn name(&self) -> String {
        self.base.meta.name.clone()
    }

    #[getter]
    fn description(&self) -> String {
        self.base.meta.description.clone()
    }

    #[getter]
    fn turns(&self) -> u32 {
        self.base.meta.turns
    }

    #[getter]
    fn seed(&self) -> u64 {
        self.base.meta.seed
    }

    #[getter]
    fn origin(&self) -> String {
        self.base.origin.display().to_string()
    }

    #[getter]
    fn text(&self) -> String {
        self.text.clone()
    }

    #[getter]
    fn sha256(&self) -> String {
        self.sha256.clone()
    }

    #[getter]
    fn third_powers(&self) -> Vec<String> {
        self.base.third_power_names().iter().map(|s| s.to_string()).collect()
    }

    fn __copy__(&self) -> PyScenario {
        self.clone()
    }

    fn __deepcopy__(&self, _memo: Bound<'_, PyAny>) -> PyScenario {
        self.clone()
    }
}

/// A Python value as the TOML value a file would write; `at` names where it sits, for errors.
fn to_toml_value(v: &Bound<'_, PyAny>, at: &str) -> PyResult<toml::Value> {
    let here = |k: &str| if at.is_empty() { k.to_string() } else { format!("{at}.{k}") };
    Ok(if v.is_instance_of::<PyBool>() {
        toml::Value::Boolean(v.extract()?)
    } else if v.is_instance_of::<PyString>() {
        toml::Value::String(v.extract()?)
    } else if let Ok(d) = v.cast::<PyDict>() {
        let mut table = toml::Table::new();
        for (k, item) in d.iter() {
            let k: String = k.extract().map_err(|_| PyTypeError::new_err(format!("{at}: keys are strings")))?;
            let value = to_toml_value(&item, &here(&k))?;
            table.insert(k, value);
        }
        toml::Value::Table(table)
    } else if v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() {
        let mut items = Vec::new();
        for (i, item) in v.try_iter()?.enumerate() {
            items.push(to_toml_value(&item?, &format!("{at}[{i}]"))?);
        }
        toml::Value::Array(items)
    } else if v.is_instance_of::<PyFloat>() {
        toml::Value::Float(v.extract()?)
    } else if let Ok(i) = v.extract::<i64>() {
        toml::Value::Integer(i)
    } else if let Ok(x) = v.extract::<f64>() {
        toml::Value::Float(x)
    } else {
        return Err(PyTypeError::new_err(format!(
            "{at}: {} is not a value a scenario holds (a number, a bool, a string, a list or a dict)",
            v.get_type().name()?
        )));
    })
}

// ---------------------------------------------------------------------------------------------
// One run, one turn explained.

/// Every turn of one run, in the columns of `hedgesim run --format csv`.
#[pyfunction]
#[pyo3(signature = (scenario, seed=None, stream=0, turns=None))]
fn run<'py>(
    py: Python<'py>,
    scenario: &PyScenario,
    seed: Option<u64>,
    stream: u64,
    turns: Option<u32>,
) -> PyResult<Bound<'py, PyList>> {
    check_turns(turns)?;
    let spec = scenario.run_spec(seed, stream, turns);
    let n = spec.turns as usize;
    let base = &scenario.base;
    let columns = py.detach(|| {
        let mut fields: Vec<(RecordField, Values)> = RecordField::ALL
            .iter()
            .map(|f| {
                let values =
                    if f.is_word() { Values::Words(Words::default()) } else { Values::F64(Vec::with_capacity(n)) };
                (*f, values)
            })
            .collect();
        let (mut turn, mut year) = (Vec::with_capacity(n), Vec::with_capacity(n));
        let mut support: Vec<Vec<f64>> = vec![Vec::with_capacity(n); base.third_power_names().len()];
        let mut world = spec.world(base);
        world.run(spec.turns, |r, w| {
            turn.push(i64::from(r.turn));
            year.push(r.year);
            for (f, values) in &mut fields {
                match values {
                    Values::F64(v) => v.push(f.number(r).unwrap_or(f64::NAN)),
                    Values::Words(words) => words.push(f.word(r)),
                    _ => {}
                }
            }
            for (column, t) in support.iter_mut().zip(&w.third_powers) {
                column.push(t.support);
            }
        });
        let mut columns = vec![
            Column::new("seed", Values::U64(vec![spec.seed; n])),
            Column::new("stream", Values::U64(vec![spec.stream; n])),
            Column::new("scenario_sha256", Values::Same(scenario.sha256.clone(), n)),
        ];
        columns.extend(spec.settings.iter().map(|s| Column::new(s.name.clone(), Values::F64(vec![s.value; n]))));
        columns.push(Column::new("turn", Values::I64(turn)));
        columns.push(Column::new("year", Values::F64(year)));
        columns.extend(fields.into_iter().map(|(f, values)| Column::new(f.name(), values)));
        columns.extend(
            base.third_power_names()
                .iter()
                .zip(support)
                .map(|(name, v)| Column::new(format!("s_{name}"), Values::F64(v))),
        );
        columns
    });
    to_python(py, columns)
}

/// Write one run as `hedgesim run --format csv --out PATH` writes it: the same bytes, atomically.
#[pyfunction]
#[pyo3(signature = (scenario, path, seed=None, stream=0, turns=None))]
fn write_run_csv(
    py: Python<'_>,
    scenario: &PyScenario,
    path: PathBuf,
    seed: Option<u64>,
    stream: u64,
    turns: Option<u32>,
) -> PyResult<()> {
    check_turns(turns)?;
    let spec = scenario.run_spec(seed, stream, turns);
    py.detach(|| output::write_atomically(&path, |w| output::write_run(&scenario.base, &spec, Format::Csv, w)))
        .map_err(|e| PyOSError::new_err(format!("cannot write {}: {}", path.display(), output::explain_io(&e))))
}

/// One turn taken apart, as the JSON text of `hedgesim explain --format json`.
#[pyfunction]
#[pyo3(signature = (scenario, turn, seed=None, stream=0))]
fn explain_json(scenario: &PyScenario, turn: u32, seed: Option<u64>, stream: u64) -> PyResult<String> {
    let last = scenario.base.meta.turns;
    if turn >= last {
        return Err(PyValueError::new_err(format!(
            "turn {turn} is past the end of {}, which has turns 0 to {}",
            scenario.base.origin.display(),
            last - 1
        )));
    }
    let spec = scenario.run_spec(seed, stream, Some(turn + 1));
    let e = explain::explain(&scenario.base, &spec, turn);
    serde_json::to_string_pretty(&e).map_err(|e| PyValueError::new_err(e.to_string()))
}

// ---------------------------------------------------------------------------------------------
// Many runs: the bridge to SALib and the EMA workbench.

/// The runs of `configs` configurations (rows of `values`, one column per path in `names`) ×
/// `replications`, numbered as a sweep numbers them (`run_id = config_id × replications +
/// replication`, stream `replication` of `seed`, or `run_id` with independent seeds), each
/// summarised over turns `[metrics_from_turn, turns)`: the columns of a sweep's runs.csv.
#[pyfunction]
#[pyo3(signature = (scenario, names, values, configs, replications, seed=None, turns=None, metrics_from_turn=0, independent_seeds=false, threads=None))]
#[allow(clippy::too_many_arguments)]
fn run_many<'py>(
    py: Python<'py>,
    scenario: &PyScenario,
    names: Vec<String>,
    values: &[u8],
    configs: usize,
    replications: u32,
    seed: Option<u64>,
    turns: Option<u32>,
    metrics_from_turn: u32,
    independent_seeds: bool,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyList>> {
    check_turns(turns)?;
    let origin = &scenario.base.origin;
    // The design as float64 bytes, little-endian, row by row: a sample matrix of millions of
    // numbers crosses as one buffer, not as a Python float each.
    let values: Vec<f64> =
        values.chunks_exact(8).map(|b| f64::from_le_bytes(b.try_into().expect("chunks of 8 bytes"))).collect();
    if values.len() != configs * names.len() {
        return Err(PyValueError::new_err(format!(
            "{} values for {configs} configurations of {} parameters",
            values.len(),
            names.len()
        )));
    }
    if configs == 0 {
        return Err(PyValueError::new_err("params has no rows: give at least one configuration"));
    }
    if replications == 0 {
        return Err(PyValueError::new_err("replications must be at least 1"));
    }
    let turns = turns.unwrap_or(scenario.base.meta.turns);
    if metrics_from_turn >= turns {
        return Err(PyValueError::new_err(format!(
            "metrics_from_turn {metrics_from_turn} must be below the run's {turns} turns"
        )));
    }
    // Each column is a field a sweep axis could vary, and each value within its range: checked,
    // with the row, before any run starts.
    let mut paths: Vec<FieldPath> = Vec::with_capacity(names.len());
    for name in &names {
        paths.push(scenario.base.real_field(name).map_err(|m| param_error(py, origin, name, &m))?);
    }
    if !names.is_empty() {
        for (row, config) in values.chunks_exact(names.len()).enumerate() {
            for ((name, path), v) in names.iter().zip(&paths).zip(config) {
                path.check(*v).map_err(|m| param_error(py, origin, name, &format!("row {row}: {m}")))?;
            }
        }
    }
    let pool = match threads {
        Some(n) if !(1..=256).contains(&n) => {
            return Err(PyValueError::new_err(format!("threads must be from 1 to 256, got {n}")));
        }
        Some(n) => Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| PyOSError::new_err(format!("starting {n} threads: {e}")))?,
        ),
        None => None,
    };
    let seed = seed.unwrap_or(scenario.base.meta.seed);
    let runs = configs * replications as usize;
    let template = &scenario.base;
    // Settings made on the scenario come first, as `--set` before a sweep's axes.
    let fixed: Vec<(FieldPath, f64)> = scenario.settings.iter().map(|s| (s.path, s.value)).collect();
    let one_run = |run_id: u64| -> RunSummary {
        let id = RunId::new(run_id, replications, independent_seeds);
        let config = id.config_id as usize;
        let mut overrides = fixed.clone();
        let row = &values[config * names.len()..(config + 1) * names.len()];
        overrides.extend(paths.iter().copied().zip(row.iter().copied()));
        let mut world = template.world_with(seed, id.stream, &overrides);
        let mut summarizer = RunSummarizer::new(metrics_from_turn);
        world.run(turns, |r, _| summarizer.observe(r));
        summarizer.summary().expect("a run has at least one turn")
    };
    let chunk_runs = (CHUNK_TURNS / turns as usize).max(1);
    let mut summaries: Vec<RunSummary> = Vec::new();
    let mut start = 0;
    while start < runs {
        let end = (start + chunk_runs).min(runs);
        // Memory runs out as a MemoryError, not an abort of the interpreter.
        summaries.try_reserve(end - start).map_err(|_| {
            PyMemoryError::new_err(format!("no memory for the results of {runs} runs (kept {start} so far)"))
        })?;
        let chunk: Vec<RunSummary> = py.detach(|| {
            let work = || (start as u64..end as u64).into_par_iter().map(one_run).collect();
            match &pool {
                Some(pool) => pool.install(work),
                None => work(),
            }
        });
        summaries.extend(chunk);
        // Ctrl-C in a notebook raises KeyboardInterrupt here, between chunks.
        py.check_signals()?;
        start = end;
    }
    to_python(py, runs_columns(&names, &values, replications, seed, independent_seeds, &summaries))
}

/// The columns of a sweep's runs.csv for these runs, typed.
fn runs_columns(
    names: &[String],
    values: &[f64],
    replications: u32,
    seed: u64,
    independent_seeds: bool,
    summaries: &[RunSummary],
) -> Vec<Column> {
    let n = summaries.len();
    let ids: Vec<RunId> = (0..n as u64).map(|i| RunId::new(i, replications, independent_seeds)).collect();
    let mut columns = vec![
        Column::new("run_id", Values::U64(ids.iter().map(|id| id.run_id).collect())),
        Column::new("config_id", Values::U64(ids.iter().map(|id| id.config_id).collect())),
        Column::new("replication", Values::I64(ids.iter().map(|id| i64::from(id.replication)).collect())),
        Column::new("seed", Values::U64(vec![seed; n])),
        Column::new("stream", Values::U64(ids.iter().map(|id| id.stream).collect())),
    ];
    for (k, name) in names.iter().enumerate() {
        let column = ids.iter().map(|id| values[id.config_id as usize * names.len() + k]).collect();
        columns.push(Column::new(name.clone(), Values::F64(column)));
    }
    // runs.csv's summary columns, in the order of RunSummary::cells, each typed as its cells are
    // (read off the first run: run_many does at least one), filled in one pass over the runs.
    let mut cells: Vec<Values> = match summaries.first() {
        Some(s) => s.cells().into_iter().map(|cell| Values::for_cell(cell, n)).collect(),
        None => Vec::new(),
    };
    for s in summaries {
        for (values, cell) in cells.iter_mut().zip(s.cells()) {
            values.push_cell(cell);
        }
    }
    columns.extend(RunSummary::COLUMNS.into_iter().zip(cells).map(|(name, values)| Column::new(name, values)));
    columns
}

// ---------------------------------------------------------------------------------------------
// Sweeps.

/// Run a sweep file into a folder, as `hedgesim sweep FILE --out OUT` does; returns the number of
/// runs done and whether the folder already held the sweep, finished.
#[pyfunction]
#[pyo3(signature = (path, out, threads=None, series=false, independent_seeds=false, resume=false, force=false))]
#[allow(clippy::too_many_arguments)]
fn sweep_folder(
    py: Python<'_>,
    path: PathBuf,
    out: PathBuf,
    threads: Option<usize>,
    series: bool,
    independent_seeds: bool,
    resume: bool,
    force: bool,
) -> PyResult<(u64, bool)> {
    let spec = SweepSpec::from_file(&path).map_err(|e| from_input(py, &e))?;
    let opts = SweepOptions { out, shard: Shard::WHOLE, resume, independent_seeds, series, progress: false, force };
    let pool = match threads {
        Some(n) if !(1..=256).contains(&n) => {
            return Err(PyValueError::new_err(format!("threads must be from 1 to 256, got {n}")));
        }
        n => rayon::ThreadPoolBuilder::new()
            .num_threads(n.unwrap_or(0))
            .build()
            .map_err(|e| PyOSError::new_err(format!("starting the threads: {e}")))?,
    };
    let outcome = py.detach(|| pool.install(|| sweep::run_sweep(&spec, &opts)));
    match outcome {
        Ok(o) => Ok((o.runs_done, o.already_complete)),
        Err(sweep::SweepError::Input(e)) => Err(from_input(py, &e)),
        Err(e) => Err(PyOSError::new_err(e.to_string())),
    }
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyScenario>()?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(write_run_csv, m)?)?;
    m.add_function(wrap_pyfunction!(explain_json, m)?)?;
    m.add_function(wrap_pyfunction!(run_many, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_folder, m)?)?;
    m.add("VERSION", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
