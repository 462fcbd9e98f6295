//! Reading input files: size caps, regular-file checks, the error a user sees when a file cannot
//! be read, and [`FromFile`] for scenarios. Parsing the text, positions in it and the error type
//! are the core's ([`hedgesim_core::input`], [`hedgesim_core::scenario`]), which never touches the
//! filesystem; `hedgesim::input` and `hedgesim::scenario` re-export them beside what is read here.

use hedgesim_core::input::InputError;
use hedgesim_core::scenario::{Scenario, ScenarioError};
use std::io;
use std::path::Path;

/// What went wrong reading a file, in plain words.
pub(crate) fn describe_io(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "it does not exist".into(),
        io::ErrorKind::IsADirectory => "it is a folder, not a file".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::InvalidData => "it is not UTF-8 text".into(),
        io::ErrorKind::InvalidInput => e.to_string(),
        _ => e.to_string(),
    }
}

/// Largest scenario or sweep file read (they are a few KB; this stops `/dev/zero`, say).
pub const MAX_INPUT_BYTES: u64 = 64_000_000;
/// Largest design table read.
pub const MAX_TABLE_BYTES: u64 = 1_000_000_000;

/// Read at most `limit` bytes of a file; a longer one is an error (`FileTooLarge`) that says so.
///
/// Only regular files are read: a FIFO with no writer would block forever and a device such as
/// `/dev/zero` would be read up to the limit before it is refused, so both are refused before
/// they are opened. A regular file's size is checked before its bytes are read, and the read
/// itself stops one byte past the limit (a file may grow while it is read).
pub(crate) fn read_limited(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(io::Error::from(io::ErrorKind::IsADirectory));
    }
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "it is not a regular file (a pipe or a device); save it to a file first",
        ));
    }
    if meta.len() > limit {
        return Err(too_large(limit));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(limit));
    }
    Ok(bytes)
}

fn too_large(limit: u64) -> io::Error {
    io::Error::new(io::ErrorKind::FileTooLarge, format!("it is larger than {}, the limit", human_bytes(limit)))
}

/// Read a text file of at most [`MAX_INPUT_BYTES`].
pub(crate) fn read_limited_text(path: &Path) -> io::Result<String> {
    utf8(read_limited(path, MAX_INPUT_BYTES)?)
}

/// An input's bytes as text; not UTF-8 is `InvalidData`, which [`describe_io`] puts in words.
pub(crate) fn utf8(bytes: Vec<u8>) -> io::Result<String> {
    String::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// Read an input file (`kind` is "scenario" or "sweep"), with an error that says what to do.
pub fn read_text(path: &Path, kind: &str) -> Result<String, InputError> {
    read_limited_text(path).map_err(|e| {
        let hint = match e.kind() {
            io::ErrorKind::NotFound => "check the path (a relative path starts from the current folder)".to_string(),
            io::ErrorKind::IsADirectory => {
                let mut files: Vec<String> = std::fs::read_dir(path)
                    .into_iter()
                    .flatten()
                    .filter_map(|d| d.ok().map(|d| d.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                    .map(|p| p.display().to_string())
                    .collect();
                files.sort();
                match files.len() {
                    0 => format!("give a {kind} file (TOML)"),
                    n if n <= 6 => format!("give one of its files: {}", files.join(", ")),
                    n => format!("give one of its files: {}, … ({n} in all)", files[..5].join(", ")),
                }
            }
            io::ErrorKind::InvalidData => format!("a {kind} file is TOML text"),
            _ => String::new(),
        };
        let what = describe_io(&e);
        let message = if hint.is_empty() {
            format!("cannot read the {kind} file: {what}")
        } else {
            format!("cannot read the {kind} file: {what}; {hint}")
        };
        InputError::file(path, message)
    })
}

/// A byte count for people: `361.2 MB`, `30.7 GB` (decimal units, as disks are sold). It lives
/// beside the byte limits it reports; the output writers re-export it for theirs.
pub fn human_bytes(b: u64) -> String {
    indicatif::DecimalBytes(b).to_string()
}

/// Read and validate a scenario file: `Scenario::from_file(path)` with this trait in scope.
pub trait FromFile: Sized {
    fn from_file(path: &Path) -> Result<Self, ScenarioError>;
}

impl FromFile for Scenario {
    fn from_file(path: &Path) -> Result<Scenario, ScenarioError> {
        let text = read_text(path, "scenario")?;
        Scenario::parse(&text, path)
    }
}
