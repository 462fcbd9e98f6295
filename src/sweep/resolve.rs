//! Where the files a sweep file names come from (its scenario, its design table): the filesystem
//! for the command line ([`FileResolver`]), memory for the Python package or a browser page, which
//! hold the files themselves. [`super::SweepSpec::parse`] asks a [`Resolve`] for each, so parsing
//! a sweep never opens a file of its own accord.

use crate::input::{describe_io, read_limited};
use std::path::{Path, PathBuf};

/// A file a sweep file names, found.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The path errors name and the manifest records (`sweeps/../scenarios/dyad.toml`).
    pub path: PathBuf,
    /// Its bytes (at most the limit asked for): the SHA-256 of the inputs in a sweep's manifest
    /// is of these bytes, so they are handed over as they are, not as text.
    pub bytes: Vec<u8>,
}

/// A file a sweep file names that could not be had.
#[derive(Debug, Clone)]
pub struct Unresolved {
    /// The path it was looked for at, as [`Resolved::path`] would be.
    pub path: PathBuf,
    /// Why, in plain words (`it does not exist`): the error adds the sweep file's line and field.
    pub reason: String,
}

/// Finds the files a sweep file names.
pub trait Resolve {
    /// The file written `name` in the sweep file (a path relative to the sweep file's folder),
    /// refused if it is larger than `limit` bytes.
    fn resolve(&self, name: &str, limit: u64) -> Result<Resolved, Unresolved>;
}

/// Any function of the name and the limit resolves: `&|name: &str, _limit| …` for files in memory.
impl<F: Fn(&str, u64) -> Result<Resolved, Unresolved>> Resolve for F {
    fn resolve(&self, name: &str, limit: u64) -> Result<Resolved, Unresolved> {
        self(name, limit)
    }
}

/// Files on disk, relative to the sweep file's folder, read as every input is (regular files
/// only, refused past the limit before they are read: [`crate::read`]).
#[derive(Debug, Clone)]
pub struct FileResolver {
    base: PathBuf,
}

impl FileResolver {
    /// Resolve names relative to the folder of the sweep file at `sweep_file`.
    pub fn beside(sweep_file: &Path) -> FileResolver {
        FileResolver { base: sweep_file.parent().unwrap_or(Path::new("")).to_path_buf() }
    }
}

impl Resolve for FileResolver {
    fn resolve(&self, name: &str, limit: u64) -> Result<Resolved, Unresolved> {
        let path = self.base.join(name);
        match read_limited(&path, limit) {
            Ok(bytes) => Ok(Resolved { path, bytes }),
            Err(e) => Err(Unresolved { path, reason: describe_io(&e) }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::SweepSpec;
    use std::fs;

    /// A sweep parsed from memory, its scenario and design table handed over by a closure, is the
    /// sweep parsed from the same files on disk; a name the closure does not know is an error at
    /// the sweep file's line and field, with the closure's path and reason.
    #[test]
    fn a_sweep_parses_from_memory_as_from_disk() {
        let scenario = fs::read("scenarios/teaching-dyad.toml").unwrap();
        let table = b"great_power.hostility,small_state.dep\n0.2,0.1\n0.8,0.9\n".to_vec();
        let text = "format = 1\nscenario = \"dyad.toml\"\ndesign = \"table\"\ncsv = \"design.csv\"\nreplications = 2\n";
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("dyad.toml"), &scenario).unwrap();
        fs::write(dir.path().join("design.csv"), &table).unwrap();
        let sweep = dir.path().join("sweep.toml");
        fs::write(&sweep, text).unwrap();
        let on_disk = SweepSpec::from_file(&sweep).unwrap();

        let memory = |name: &str, limit: u64| -> Result<Resolved, Unresolved> {
            let path = PathBuf::from(format!("<memory>/{name}"));
            let bytes = match name {
                "dyad.toml" => scenario.clone(),
                "design.csv" => table.clone(),
                _ => return Err(Unresolved { path, reason: "no such file in memory".into() }),
            };
            assert!(bytes.len() as u64 <= limit);
            Ok(Resolved { path, bytes })
        };
        let in_memory = SweepSpec::parse(text, Path::new("<memory>/sweep.toml"), &memory).unwrap();
        assert_eq!(in_memory.scenario_file, Path::new("<memory>/dyad.toml"));
        assert_eq!(in_memory.table_file.as_deref(), Some(Path::new("<memory>/design.csv")));
        assert_eq!(
            (in_memory.runs(), &in_memory.sweep_sha256, &in_memory.scenario_sha256, &in_memory.table_sha256),
            (on_disk.runs(), &on_disk.sweep_sha256, &on_disk.scenario_sha256, &on_disk.table_sha256)
        );
        let (mut a, mut b) = (String::new(), String::new());
        for run in 0..in_memory.runs() {
            crate::sweep::metrics::simulate_run(&in_memory, run, false, &mut a, None);
            crate::sweep::metrics::simulate_run(&on_disk, run, false, &mut b, None);
        }
        assert!(a == b, "the runs of the sweep from memory differ from those from disk");

        let missing = text.replace("dyad.toml", "other.toml");
        let e = SweepSpec::parse(&missing, Path::new("<memory>/sweep.toml"), &memory).unwrap_err();
        assert_eq!((e.file.as_path(), e.line, e.field.as_str()), (Path::new("<memory>/sweep.toml"), 2, "scenario"));
        assert!(e.message.contains("cannot read the scenario <memory>/other.toml: no such file in memory"), "{e}");
    }
}
