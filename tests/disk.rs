//! Writing where it cannot be written: an output path under a file, an existing file as a sweep
//! folder, a read-only disk, and a disk that fills up part-way through a sweep.
//!
//! The rules: the error names the path and says what to do, the exit code is 1, and no final
//! output file is ever half-written; only `.partial` files may be incomplete, and `--resume` on a
//! disk with room again finishes the sweep byte-identical to one that never failed.
//!
//! The read-only and full disks are small tmpfs mounts, which need root. Tests run as root here
//! and in CI; elsewhere those parts are skipped with a message (in CI, where `CI` is set, a mount
//! that fails is a failure, so they cannot be skipped silently there).

mod common;
use common::{assert_fails, hedgesim, ok, s, sweep_file};
use hedgesim::schema::FieldPath;
use hedgesim::{FromFile, Scenario};
use std::fs;
use std::path::Path;
use std::process::Command;

/// A tmpfs mounted on a temporary folder, unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    /// Mount with `options` (`size=64k`, `ro`); `None`, with a message, where that is impossible.
    fn mount(options: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let uid = Command::new("id")
            .arg("-u")
            .output()
            .map_or(String::new(), |o| String::from_utf8_lossy(&o.stdout).trim().to_string());
        let mounted = uid == "0"
            && Command::new("mount")
                .args(["-t", "tmpfs", "-o", options, "tmpfs", s(dir.path())])
                .status()
                .is_ok_and(|st| st.success());
        if mounted {
            return Some(Tmpfs { dir });
        }
        let why = format!("cannot mount a tmpfs ({options}): this part needs root (uid {uid})");
        if std::env::var_os("CI").is_some() {
            panic!("{why}; CI runs as root, so this must work there");
        }
        eprintln!("SKIPPED: {why}");
        None
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn remount(&self, options: &str) {
        let st = Command::new("mount").args(["-o", &format!("remount,{options}"), s(self.path())]).status().unwrap();
        assert!(st.success(), "remount {options}");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let st = Command::new("umount").arg(self.path()).status();
        if !st.is_ok_and(|st| st.success()) {
            let _ = Command::new("umount").arg("-l").arg(self.path()).status();
        }
    }
}

#[test]
fn output_paths_that_cannot_be_created_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let spec = sweep_file(dir.path(), "sweep.toml", "replications = 2\n");
    let file = dir.path().join("a-file");
    fs::write(&file, "not a folder").unwrap();

    // A folder under a regular file cannot exist, whoever you are (root included).
    let under = file.join("out");
    let out = hedgesim(&["sweep", s(&spec), "--out", s(&under), "--quiet"]);
    assert_fails(&out, 1, &[s(&under), "a part of its path is a file, not a folder", "choose another path"]);
    let csv = file.join("run.csv");
    let out = hedgesim(&["run", "scenarios/teaching-dyad.toml", "--out", s(&csv)]);
    assert_fails(&out, 1, &["cannot write", s(&csv), "a part of its path is a file", "choose another path"]);

    // An existing file given as a sweep's folder.
    let out = hedgesim(&["sweep", s(&spec), "--out", s(&file), "--quiet"]);
    assert_fails(&out, 1, &[s(&file), "a file of that name is in the way", "choose another name"]);
    assert_eq!(fs::read_to_string(&file).unwrap(), "not a folder", "the file is left alone");

    // A missing folder for `run --out`.
    let csv = dir.path().join("no/such/run.csv");
    let out = hedgesim(&["run", "scenarios/teaching-dyad.toml", "--out", s(&csv)]);
    let stderr = assert_fails(&out, 1, &[s(&csv), "a folder on its path does not exist", "create the folder first"]);
    assert!(!stderr.contains(".hedgesim-"), "no temporary file names in messages: {stderr}");

    // Only the two inputs remain: nothing half-written, no temporary files.
    let mut left: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    left.sort();
    assert_eq!(left, ["a-file", "sweep.toml"]);
}

#[test]
fn a_read_only_disk_is_a_clear_error() {
    let Some(ro) = Tmpfs::mount("ro,size=64k") else { return };
    let dir = tempfile::tempdir().unwrap();
    let spec = sweep_file(dir.path(), "sweep.toml", "replications = 2\n");
    let folder = ro.path().join("out");
    let out = hedgesim(&["sweep", s(&spec), "--out", s(&folder), "--quiet"]);
    assert_fails(&out, 1, &[s(&folder), "the disk is read-only", "choose a folder on a writable disk"]);
    let csv = ro.path().join("run.csv");
    let out = hedgesim(&["run", "scenarios/teaching-dyad.toml", "--out", s(&csv)]);
    assert_fails(&out, 1, &["cannot write", s(&csv), "the disk is read-only"]);
}

/// Fill a small disk at many different points of a sweep (while runs.csv grows, at series.csv, at
/// summary.csv, at the manifest): each time the error is clear, the files under their final names
/// are complete, and after the disk grows `--resume` finishes byte-identical to a sweep that never
/// failed.
#[test]
fn a_full_disk_mid_sweep_keeps_complete_files_and_resume_finishes_the_sweep() {
    let Some(disk) = Tmpfs::mount("size=8k") else { return };
    let dir = tempfile::tempdir().unwrap();
    // Two blocks of runs (BLOCK = 1024), with series: about 12 MB in all. Every doctrine
    // coefficient is also an axis with one long number (its value nudged by 1e-12), so that a
    // block's runs.csv rows overflow their 1 MB buffer: the order in which the two files reach
    // the disk then matters, and a runs row must never get there before its series rows.
    let world = Scenario::from_file(Path::new("scenarios/teaching-dyad.toml")).unwrap().world(1, 0);
    let mut body =
        "replications = 600\nmaster_seed = 4\n[[axes]]\npath = \"great_power.hostility\"\nvalues = [0.3, 0.6]\n"
            .to_string();
    for c in ["PB", "IB", "DD", "EP", "BE", "LB", "PW"] {
        for k in ["ret", "depret", "ins", "prov", "expl", "prot", "shock"] {
            let path = format!("doctrine.{c}.{k}");
            let v = FieldPath::parse(&path, &[]).unwrap().get(&world) + 1e-12;
            body.push_str(&format!("[[axes]]\npath = \"{path}\"\nvalues = [{v:?}]\n"));
        }
    }
    let spec = sweep_file(dir.path(), "sweep.toml", &body);
    let whole = dir.path().join("whole");
    ok(&["sweep", s(&spec), "--out", s(&whole), "--quiet", "--series"]);
    let size = |name: &str| fs::metadata(whole.join(name)).unwrap().len();
    let (runs, series, summary) = (size("runs.csv"), size("series.csv"), size("summary.csv"));
    let total = runs + series + summary + size("manifest.json");
    // Disk sizes from nearly nothing to just short of everything, with each stage inside the range.
    let mut sizes: Vec<u64> = (1..=12).map(|k| total * k / 13).collect();
    sizes.extend([runs + series - 4096, runs + series + summary / 2, total + (1 << 16)]);
    let mut failures = 0;
    for (i, bytes) in sizes.iter().enumerate() {
        let kib = bytes.div_ceil(1024).max(4);
        disk.remount(&format!("size={kib}k"));
        let out = disk.path().join(format!("sweep{i}"));
        let first = hedgesim(&["sweep", s(&spec), "--out", s(&out), "--quiet", "--series"]);
        if first.status.success() {
            // Files take whole pages, so only a disk about as big as the outputs may hold them.
            assert!(bytes + (1 << 16) >= total, "a sweep of {total} bytes fitted in {kib} KiB");
        } else {
            failures += 1;
            let stderr = assert_fails(&first, 1, &[s(&out), "the disk is full", "free some space"]);
            if out.join("manifest.partial.json").exists() {
                assert!(stderr.contains("--resume"), "the message says how to go on: {stderr}");
            }
            // Files under final names are complete; only `.partial` ones may be cut short.
            for name in ["runs.csv", "series.csv", "summary.csv"] {
                if out.join(name).exists() {
                    assert!(fs::read(out.join(name)).unwrap() == fs::read(whole.join(name)).unwrap(), "{name}");
                }
            }
            assert!(!out.join("manifest.json").exists(), "a failed sweep has no final manifest");
            for e in fs::read_dir(&out).into_iter().flatten() {
                let name = e.unwrap().file_name().into_string().unwrap();
                assert!(!name.starts_with(".hedgesim-"), "a temporary file was left behind: {name}");
            }
            // Room again: resume finishes the sweep.
            disk.remount("size=64m");
            ok(&["sweep", s(&spec), "--out", s(&out), "--quiet", "--series", "--resume"]);
        }
        for name in ["runs.csv", "series.csv", "summary.csv"] {
            assert!(
                fs::read(out.join(name)).unwrap() == fs::read(whole.join(name)).unwrap(),
                "{name} differs after a full disk at {kib} KiB and a resume"
            );
        }
        assert!(!out.join("manifest.partial.json").exists() && !out.join("runs.csv.partial").exists());
        fs::remove_dir_all(&out).unwrap();
    }
    assert!(failures >= 13, "only {failures} of {} sizes filled the disk", sizes.len());
    eprintln!("disk: filled a tmpfs at {failures} points of a sweep of {total} bytes; each resumed to identical files");

    // `run --out` on a full disk leaves no file at all.
    disk.remount("size=8k");
    let csv = disk.path().join("run.csv");
    let out = hedgesim(&["run", "scenarios/azerbaijan-russia.toml", "--format", "csv", "--out", s(&csv)]);
    assert_fails(&out, 1, &["cannot write", s(&csv), "the disk is full"]);
    assert_eq!(fs::read_dir(disk.path()).unwrap().count(), 0, "nothing is left on the full disk");
}
