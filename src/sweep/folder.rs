//! A sweep folder: what it holds, under which names, and how it goes from empty to finished.
//!
//! Everything that knows the folder's layout is here, so that the sweep ([`super::exec`]), the
//! merge ([`super::merge`]), the report and the command line ask one place whether a folder is
//! finished, interrupted or someone else's, and where its files are:
//!
//! ```text
//! runs.csv          one row per run             runs.csv.partial     while it is being written
//! series.csv        one row per run and turn    series.csv.partial   (only with --series)
//! summary.csv       one row per configuration   written from the runs file, then final
//! manifest.json     the folder is finished      manifest.partial.json   the sweep (or merge) in it
//! .hedgesim.lock    held while a process writes the folder; gone once it is finished
//! ```
//!
//! A folder is *finished* exactly when `manifest.json` exists, and *interrupted* when it has only
//! the partial manifest. Finishing goes in an order that a stop at any step leaves resumable
//! ([`SweepFolder::finish`]): the rows reach the disk, the summary is written from them, the rows
//! take their final names, the final manifest is written, and only then does the partial manifest
//! go.

use super::error::{SweepError, io_err};
use super::manifest::{Manifest, now_rfc3339};
use super::summary::summarize;
use crate::durable;
use crate::output::write_atomically;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

pub const RUNS_CSV: &str = "runs.csv";
pub const SERIES_CSV: &str = "series.csv";
pub const SUMMARY_CSV: &str = "summary.csv";
pub const MANIFEST_JSON: &str = "manifest.json";
pub const MANIFEST_PARTIAL: &str = "manifest.partial.json";
/// Held (an OS file lock) by the sweep writing a folder; released by the OS when the process ends,
/// even by SIGKILL, so a killed sweep never blocks its own `--resume`.
pub const LOCK_FILE: &str = ".hedgesim.lock";

/// The name a file of rows has until it is complete.
fn partial(name: &str) -> String {
    format!("{name}.partial")
}

/// A file a sweep writes row by row, in run-id order, under its `.partial` name until the sweep
/// is complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    /// `runs.csv`: one row per run.
    Runs,
    /// `series.csv`: one row per run and turn (`--series`).
    Series,
}

impl Rows {
    /// The file's final name.
    pub fn name(self) -> &'static str {
        match self {
            Rows::Runs => RUNS_CSV,
            Rows::Series => SERIES_CSV,
        }
    }
}

/// What a folder holds, read from its manifests.
#[derive(Debug)]
pub enum Holds {
    /// No manifest: a new or empty folder, or one with files of its own ([`SweepFolder::refuse_foreign`]).
    Nothing,
    /// A finished sweep or merge, with its manifest.
    Finished(Box<Manifest>),
    /// A sweep or merge stopped before it finished, with its partial manifest.
    Interrupted(Box<Manifest>),
}

/// The output folder of a sweep (or a merge): its paths, its state and its lock.
#[derive(Debug, Clone)]
pub struct SweepFolder {
    dir: PathBuf,
}

impl SweepFolder {
    pub fn new(dir: &Path) -> SweepFolder {
        SweepFolder { dir: dir.to_path_buf() }
    }

    /// The folder itself.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A file of rows under its final name.
    pub fn rows(&self, rows: Rows) -> PathBuf {
        self.dir.join(rows.name())
    }

    /// A file of rows under the name it has while the sweep runs.
    pub fn partial_rows(&self, rows: Rows) -> PathBuf {
        self.dir.join(partial(rows.name()))
    }

    pub fn summary(&self) -> PathBuf {
        self.dir.join(SUMMARY_CSV)
    }

    /// The manifest of a finished folder.
    pub fn manifest(&self) -> PathBuf {
        self.dir.join(MANIFEST_JSON)
    }

    /// The manifest a sweep or merge writes first, naming what the folder is being filled with.
    pub fn partial_manifest(&self) -> PathBuf {
        self.dir.join(MANIFEST_PARTIAL)
    }

    fn lock_file(&self) -> PathBuf {
        self.dir.join(LOCK_FILE)
    }

    /// Whether the folder is finished: it has `manifest.json`.
    pub fn is_finished(&self) -> bool {
        self.manifest().exists()
    }

    /// Whether a sweep or merge was started in the folder and not finished.
    pub fn is_interrupted(&self) -> bool {
        !self.is_finished() && self.partial_manifest().exists()
    }

    /// What the folder holds: the finished manifest if there is one, else the partial one.
    pub fn holds(&self) -> Result<Holds, SweepError> {
        if self.is_finished() {
            return Ok(Holds::Finished(Box::new(read_manifest(&self.manifest())?)));
        }
        if self.partial_manifest().exists() {
            return Ok(Holds::Interrupted(Box::new(read_manifest(&self.partial_manifest())?)));
        }
        Ok(Holds::Nothing)
    }

    /// Create the folder (and its parents) if it does not exist.
    pub(crate) fn create(&self) -> Result<(), SweepError> {
        fs::create_dir_all(&self.dir).map_err(io_err(format!("creating the output folder {}", self.dir.display())))
    }

    /// Take the folder's lock (see [`FolderLock`]).
    pub(crate) fn lock(&self) -> Result<FolderLock, SweepError> {
        FolderLock::take(self)
    }

    /// Whether a lock file is there (left by an earlier process, or held by a running one).
    pub(crate) fn has_lock_file(&self) -> bool {
        self.lock_file().exists()
    }

    /// Remove the lock file, for a process that leaves the folder as it found it.
    pub(crate) fn remove_lock_file(&self) {
        let _ = fs::remove_file(self.lock_file());
    }

    /// Refuse to write a sweep into a folder that holds files of its own: a sweep writes into a
    /// new or empty folder, or into its own folder to resume or finish it.
    pub(crate) fn refuse_foreign(&self) -> Result<(), SweepError> {
        let Ok(entries) = fs::read_dir(&self.dir) else { return Ok(()) };
        if self.is_finished() || self.partial_manifest().exists() {
            return Ok(());
        }
        let mut foreign: Vec<String> = entries
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .filter(|n| n != LOCK_FILE && !n.starts_with(durable::TEMP_PREFIX))
            .collect();
        if foreign.is_empty() {
            return Ok(());
        }
        foreign.sort();
        let n = foreign.len();
        foreign.truncate(3);
        Err(SweepError::Refused(format!(
            "{} already holds other files ({}{}) and no hedgesim sweep; a sweep writes into a new or empty folder, \
             so choose another --out",
            self.dir.display(),
            foreign.join(", "),
            if n > 3 { format!(", … {n} in all") } else { String::new() }
        )))
    }

    /// Refuse a sweep whose inputs (sweep file, scenario, design table) are among the files it
    /// would write into the folder: writing would destroy them.
    pub(crate) fn refuse_writing_over(&self, inputs: &[&Path]) -> Result<(), SweepError> {
        let own = [RUNS_CSV, SERIES_CSV, SUMMARY_CSV, MANIFEST_JSON, MANIFEST_PARTIAL, LOCK_FILE];
        let outputs: Vec<PathBuf> = own.iter().flat_map(|n| [self.dir.join(n), self.dir.join(partial(n))]).collect();
        for input in inputs {
            for o in &outputs {
                if durable::same_file(input, o) {
                    return Err(SweepError::Refused(format!(
                        "{} is the input {}; the sweep would write over it: choose another --out",
                        o.display(),
                        input.display()
                    )));
                }
            }
        }
        Ok(())
    }

    /// Check that a folder whose `manifest.json` says it is finished holds every file it
    /// promises, and remove a partial manifest left by a stop between writing the final one and
    /// removing it.
    pub(crate) fn check_finished(&self, m: &Manifest) -> Result<(), SweepError> {
        let missing: Vec<&str> = promised_files(m).into_iter().filter(|f| !self.dir.join(f).is_file()).collect();
        if !missing.is_empty() {
            return Err(SweepError::Refused(format!(
                "{} has a {MANIFEST_JSON} that says it is finished, but {} {} missing: the folder was changed after \
                 it finished; delete the folder and run again",
                self.dir.display(),
                missing.join(", "),
                if missing.len() == 1 { "is" } else { "are" }
            )));
        }
        let partial = self.partial_manifest();
        if partial.exists() {
            durable::remove(&partial).map_err(io_err(format!("removing {}", partial.display())))?;
        }
        Ok(())
    }

    /// Write the partial manifest: from here on the folder holds this sweep (or merge).
    pub(crate) fn write_partial_manifest(&self, m: &Manifest) -> Result<(), SweepError> {
        write_manifest(&self.partial_manifest(), m)
    }

    /// Before a resume: a file of rows under its final name in an unfinished folder was renamed
    /// by an interrupted finalisation, after all its rows were written and synced; it is
    /// complete, and goes back to its `.partial` name to be finalised again. Each file on its own:
    /// a stop between the two renames leaves one under each name.
    ///
    /// Series rows are written before the runs rows they belong to: runs without a series file
    /// (deleted by hand) cannot be trusted to have theirs, so with `series` the runs start over.
    pub(crate) fn prepare_resume(&self, series: bool) -> Result<(), SweepError> {
        for rows in [Rows::Runs, Rows::Series] {
            let (done, partial) = (self.rows(rows), self.partial_rows(rows));
            if !partial.exists() && done.exists() {
                durable::rename(&done, &partial).map_err(io_err(format!("resuming {}", rows.name())))?;
            }
        }
        let (runs, series_path) = (self.partial_rows(Rows::Runs), self.partial_rows(Rows::Series));
        if series && !series_path.exists() && runs.exists() {
            durable::remove(&runs).map_err(io_err(format!("resuming {}", runs.display())))?;
        }
        Ok(())
    }

    /// Open a `.partial` file for appending after its last complete line (with `resume`, if it
    /// exists and holds at least a header); otherwise create it and write `header`. Returns the
    /// file and its number of complete data rows.
    pub(crate) fn open_partial(&self, rows: Rows, header: &str, resume: bool) -> Result<(File, u64), SweepError> {
        let path = self.partial_rows(rows);
        let ctx = || format!("opening {}", path.display());
        if resume && path.exists() {
            let mut f = OpenOptions::new().read(true).write(true).open(&path).map_err(io_err(ctx()))?;
            let (lines, end) = complete_lines(&mut f).map_err(io_err(ctx()))?;
            if lines >= 1 {
                f.set_len(end).map_err(io_err(ctx()))?;
                f.seek(SeekFrom::End(0)).map_err(io_err(ctx()))?;
                return Ok((f, lines - 1));
            }
        }
        let mut f = File::create(&path).map_err(io_err(ctx()))?;
        writeln!(f, "{header}").map_err(io_err(ctx()))?;
        Ok((f, 0))
    }

    /// Cut the partial series file before the first row of run `next_run` or later (or a torn
    /// last line): it runs ahead of the runs file, whose rows say which runs are done.
    pub(crate) fn cut_series(&self, next_run: u64) -> Result<(), SweepError> {
        let path = self.partial_rows(Rows::Series);
        let ctx = || format!("resuming {}", path.display());
        let f = File::open(&path).map_err(io_err(ctx()))?;
        let mut reader = BufReader::new(f);
        let mut line = String::new();
        let mut keep = 0u64;
        let mut first = true;
        loop {
            line.clear();
            let n = reader.read_line(&mut line).map_err(io_err(ctx()))?;
            if n == 0 || !line.ends_with('\n') {
                break;
            }
            if !first {
                let run: u64 = line.split(',').next().and_then(|s| s.parse().ok()).unwrap_or(u64::MAX);
                if run >= next_run {
                    break;
                }
            }
            first = false;
            keep += n as u64;
        }
        OpenOptions::new().write(true).open(&path).and_then(|f| f.set_len(keep)).map_err(io_err(ctx()))
    }

    /// Flush and sync a `.partial` file: its rows are on the disk before any file that counts on
    /// them (the summary, the final names, the manifest) is written.
    pub(crate) fn sync_partial(&self, w: BufWriter<File>, rows: Rows) -> Result<(), SweepError> {
        let ctx = || format!("writing {}", self.partial_rows(rows).display());
        durable::step("flush").map_err(io_err(ctx()))?;
        let f = w.into_inner().map_err(|e| SweepError::Io { context: ctx(), error: e.into_error() })?;
        durable::sync_file(&f).map_err(io_err(ctx()))
    }

    /// Give a synced `.partial` file its final name.
    pub(crate) fn promote(&self, rows: Rows) -> Result<(), SweepError> {
        let (partial, done) = (self.partial_rows(rows), self.rows(rows));
        durable::rename(&partial, &done).map_err(io_err(format!(
            "renaming {} to {}",
            partial.display(),
            done.display()
        )))
    }

    /// Write `summary.csv` from the runs file `runs` (`runs.csv`, or its `.partial` while a
    /// sweep finishes).
    pub(crate) fn write_summary(&self, runs: &Path, axes: &[String]) -> Result<(), SweepError> {
        let f = File::open(runs).map_err(io_err(format!("reading {}", runs.display())))?;
        let summary = self.summary();
        write_atomically(&summary, |w| summarize(BufReader::new(f), axes, w))
            .map_err(io_err(format!("writing {}", summary.display())))
    }

    /// Make the folder's names durable (after renames and removals).
    pub(crate) fn sync(&self) -> Result<(), SweepError> {
        durable::sync_dir(&self.dir).map_err(io_err(format!("syncing {}", self.dir.display())))
    }

    /// The last steps of a sweep or merge, once every file it promises is in place under its
    /// final name: `manifest.json` says the folder is finished, then the partial manifest goes.
    pub(crate) fn finish(&self, m: &mut Manifest) -> Result<(), SweepError> {
        m.finished = Some(now_rfc3339());
        write_manifest(&self.manifest(), m)?;
        let partial = self.partial_manifest();
        durable::remove(&partial).map_err(io_err(format!("removing {}", partial.display())))?;
        self.sync()
    }

    /// Remove what a merge writes (an interrupted attempt's files, before writing again, or this
    /// attempt's after it failed).
    pub(crate) fn remove_merge_files(&self) -> Result<(), SweepError> {
        for name in [MANIFEST_JSON, RUNS_CSV, SERIES_CSV, SUMMARY_CSV, MANIFEST_PARTIAL] {
            let path = self.dir.join(name);
            durable::remove(&path).map_err(io_err(format!("removing {}", path.display())))?;
        }
        Ok(())
    }
}

/// The files a finished sweep (or merge) promises, by name.
fn promised_files(m: &Manifest) -> Vec<&'static str> {
    let mut files = vec![RUNS_CSV, SUMMARY_CSV];
    if m.series.is_some() {
        files.push(SERIES_CSV);
    }
    files
}

/// Count newline-terminated lines and the byte offset just past the last one.
fn complete_lines(f: &mut File) -> io::Result<(u64, u64)> {
    f.seek(SeekFrom::Start(0))?;
    let mut reader = BufReader::with_capacity(1 << 20, &mut *f);
    let (mut lines, mut end, mut pos) = (0u64, 0u64, 0u64);
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        for (i, &b) in buf.iter().enumerate() {
            if b == b'\n' {
                lines += 1;
                end = pos + i as u64 + 1;
            }
        }
        let n = buf.len();
        pos += n as u64;
        reader.consume(n);
    }
    Ok((lines, end))
}

fn read_manifest(path: &Path) -> Result<Manifest, SweepError> {
    let text = fs::read_to_string(path).map_err(io_err(format!("reading {}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| {
        SweepError::Refused(format!(
            "{} is not a hedgesim manifest ({e}); hedgesim did not write this folder, so choose another --out",
            path.display()
        ))
    })
}

fn write_manifest(path: &Path, m: &Manifest) -> Result<(), SweepError> {
    write_atomically(path, |w| {
        serde_json::to_writer_pretty(&mut *w, m).map_err(io::Error::other)?;
        writeln!(w)
    })
    .map_err(io_err(format!("writing {}", path.display())))
}

/// A folder's lock, held (an OS file lock) while a sweep or a merge writes the folder.
///
/// Dropping it releases the lock; if the folder is finished by then (it has `manifest.json`) the
/// lock file goes too, so that a finished folder holds only its outputs, whether this process
/// finished it or only looked at it (a refused attempt, a `--resume` with nothing to do).
pub(crate) struct FolderLock {
    folder: SweepFolder,
    _file: File,
}

impl FolderLock {
    /// Take the folder's lock, or say who holds it. With the lock held, temporary files left in
    /// the folder by a killed process are removed: nothing else can be writing them.
    fn take(folder: &SweepFolder) -> Result<FolderLock, SweepError> {
        let path = folder.lock_file();
        let f = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io_err(format!("creating the lock file {}", path.display())))?;
        match f.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                return Err(SweepError::Refused(format!(
                    "another hedgesim sweep or merge is writing to {} right now; wait for it, or choose another --out",
                    folder.dir.display()
                )));
            }
            Err(fs::TryLockError::Error(e)) => {
                return Err(SweepError::Io { context: format!("locking {}", path.display()), error: e });
            }
        }
        for e in fs::read_dir(&folder.dir).into_iter().flatten().flatten() {
            if durable::is_temporary(&e.file_name().to_string_lossy()) {
                let _ = fs::remove_file(e.path());
            }
        }
        Ok(FolderLock { folder: folder.clone(), _file: f })
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        if self.folder.is_finished() {
            self.folder.remove_lock_file();
        }
    }
}
