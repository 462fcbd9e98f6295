//! Durability: the few primitives behind "nothing is lost on any path".
//!
//! - Every operation that makes a result final (a flush, an fsync, a rename, a removal, the
//!   sync of a folder) goes through [`step`], so that tests can make the N-th of them fail and
//!   check that whatever is left on disk is either the old state, the new state, or a state that
//!   `--resume` (or running the same command again) completes. The hook costs one thread-local
//!   read per operation in tests and nothing at all otherwise: finalisation has a dozen steps,
//!   not millions.
//! - Temporary files are registered while they exist ([`TempFile`]), so that SIGINT and SIGTERM,
//!   which end the process without unwinding, can still remove them ([`on_interrupt`]).
//! - Outputs are compared with inputs by file identity (device and inode), not by their
//!   spelling: `a.toml`, `./a.toml` and a link to it are one file ([`same_file`]).

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

#[cfg(test)]
thread_local! {
    /// Steps taken on this thread since [`fault::arm`], and the step that fails (1-based).
    static FAULT: std::cell::Cell<(u64, Option<u64>)> = const { std::cell::Cell::new((0, None)) };
}

/// Fault injection for the library's own tests: make the N-th finalisation step on this thread
/// fail as an I/O error would.
#[cfg(test)]
pub(crate) mod fault {
    /// Count steps from zero, failing step `at` (`None`: count only).
    pub(crate) fn arm(at: Option<u64>) {
        super::FAULT.with(|f| f.set((0, at)));
    }

    /// Steps taken since [`arm`].
    pub(crate) fn steps() -> u64 {
        super::FAULT.with(|f| f.get().0)
    }
}

/// One operation that makes a result final, named for the error a test sees. Outside tests it
/// does nothing.
#[inline]
pub(crate) fn step(what: &str) -> io::Result<()> {
    #[cfg(test)]
    {
        let (n, at) = FAULT.with(|f| f.get());
        FAULT.with(|f| f.set((n + 1, at)));
        if at == Some(n + 1) {
            return Err(io::Error::other(format!("injected fault at finalisation step {} ({what})", n + 1)));
        }
    }
    let _ = what;
    Ok(())
}

/// Flush a file's data and metadata to the disk.
pub(crate) fn sync_file(f: &File) -> io::Result<()> {
    step("fsync")?;
    f.sync_all()
}

/// Make the names in a folder durable: after a rename or a removal, the folder's own entry must
/// reach the disk too, or a power cut can bring back the old name.
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    step("fsync of the folder")?;
    let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    match File::open(dir).and_then(|d| d.sync_all()) {
        // Some file systems cannot sync a folder; the data itself is synced already.
        Err(e) if e.kind() == io::ErrorKind::InvalidInput || e.kind() == io::ErrorKind::Unsupported => Ok(()),
        r => r,
    }
}

/// Rename `from` to `to` (atomic on one file system).
pub(crate) fn rename(from: &Path, to: &Path) -> io::Result<()> {
    step("rename")?;
    fs::rename(from, to)
}

/// Remove a file; one that is already gone is not an error.
pub(crate) fn remove(path: &Path) -> io::Result<()> {
    step("remove")?;
    match fs::remove_file(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        r => r,
    }
}

/// How temporary files are named ([`crate::output::write_atomically`] makes them beside their
/// target): a folder's lock removes those a killed process left ([`is_temporary`]).
pub(crate) const TEMP_PREFIX: &str = ".hedgesim-";
pub(crate) const TEMP_SUFFIX: &str = ".tmp";

/// Whether a file name is one of this program's temporary files.
pub(crate) fn is_temporary(name: &str) -> bool {
    name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)
}

/// Temporary files that exist right now, removed if the process is interrupted.
static TEMPORARIES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// What to say when the process is interrupted: how to go on.
static ON_INTERRUPT: Mutex<String> = Mutex::new(String::new());

/// A temporary file's registration: the path is in [`TEMPORARIES`] while this lives.
pub(crate) struct TempFile(PathBuf);

impl TempFile {
    pub(crate) fn register(path: &Path) -> TempFile {
        if let Ok(mut t) = TEMPORARIES.lock() {
            t.push(path.to_path_buf());
        }
        TempFile(path.to_path_buf())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Ok(mut t) = TEMPORARIES.lock()
            && let Some(i) = t.iter().position(|p| *p == self.0)
        {
            t.swap_remove(i);
        }
    }
}

/// Set the line printed after `interrupted; ` if the process is stopped by SIGINT or SIGTERM.
pub fn set_interrupt_hint(hint: impl Into<String>) {
    if let Ok(mut h) = ON_INTERRUPT.lock() {
        *h = hint.into();
    }
}

/// Exit code after SIGINT or SIGTERM (128 + SIGINT, as shells report Ctrl-C).
pub const INTERRUPTED_EXIT: i32 = 130;

/// What the process does on SIGINT or SIGTERM: remove the temporary files that exist, say how to
/// go on, and exit with [`INTERRUPTED_EXIT`]. A sweep's `.partial` files are not temporary: they
/// are what `--resume` continues from, and stay.
pub fn on_interrupt() -> ! {
    if let Ok(t) = TEMPORARIES.lock() {
        for p in t.iter() {
            let _ = fs::remove_file(p);
        }
    }
    let hint = ON_INTERRUPT.lock().map(|h| h.clone()).unwrap_or_default();
    if hint.is_empty() {
        eprintln!("interrupted");
    } else {
        eprintln!("interrupted; {hint}");
    }
    std::process::exit(INTERRUPTED_EXIT)
}

/// Whether two paths name one existing file (the same device and inode, through any link).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::metadata(a), fs::metadata(b)) {
        #[cfg(unix)]
        (Ok(ma), Ok(mb)) => {
            use std::os::unix::fs::MetadataExt;
            ma.dev() == mb.dev() && ma.ino() == mb.ino()
        }
        #[cfg(not(unix))]
        (Ok(_), Ok(_)) => matches!((fs::canonicalize(a), fs::canonicalize(b)), (Ok(x), Ok(y)) if x == y),
        _ => false,
    }
}

/// Refuse to write `out` if it is the same file as one of `inputs`: writing it would replace the
/// input before (or while) it is read.
pub fn refuse_output_onto_input(out: &Path, inputs: &[&Path]) -> Result<(), String> {
    match inputs.iter().find(|i| same_file(out, i)) {
        Some(i) if Path::new(i) == out => Err(format!(
            "{} is an input of this command; writing to it would destroy it: choose another output",
            out.display()
        )),
        Some(i) => Err(format!(
            "{} is the same file as the input {}; writing to it would destroy it: choose another output",
            out.display(),
            i.display()
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_armed_step_fails_and_only_it() {
        fault::arm(Some(2));
        assert!(step("a").is_ok());
        let e = step("b").unwrap_err();
        assert!(e.to_string().contains("step 2 (b)"), "{e}");
        assert!(step("c").is_ok());
        assert_eq!(fault::steps(), 3);
        fault::arm(None);
    }

    #[test]
    fn links_and_spellings_of_one_file_are_the_same_file() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.toml");
        fs::write(&a, "x").unwrap();
        let dotted = dir.path().join(".").join("a.toml");
        assert!(same_file(&a, &dotted));
        #[cfg(unix)]
        {
            let link = dir.path().join("link.toml");
            std::os::unix::fs::symlink(&a, &link).unwrap();
            assert!(same_file(&a, &link));
            let e = refuse_output_onto_input(&link, &[&a]).unwrap_err();
            assert!(e.contains("same file as the input") && e.contains("choose another output"), "{e}");
        }
        let b = dir.path().join("b.toml");
        fs::write(&b, "x").unwrap();
        assert!(!same_file(&a, &b));
        assert!(!same_file(&a, &dir.path().join("missing")));
        assert!(refuse_output_onto_input(&b, &[&a]).is_ok());
    }
}
