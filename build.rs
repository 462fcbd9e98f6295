//! Records the commit the binary is built from, for `--version` and a sweep's manifest.json
//! (the README asks users to cite it). `git rev-parse --short HEAD` when the source is a git
//! checkout and git is installed; `unknown` otherwise (a source tarball, a machine without git),
//! so the build never fails for want of git.

use std::path::Path;
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let s = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !s.is_empty()).then_some(s)
}

fn main() {
    // Only this repository's own commit: a source tarball unpacked inside some other git checkout
    // must not take that checkout's commit.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let ours = git(&["rev-parse", "--show-toplevel"]).is_some_and(|top| {
        let canon = |p: &str| std::fs::canonicalize(p).ok();
        canon(&top).is_some() && canon(&top) == canon(&manifest_dir)
    });
    let commit =
        if ours { git(&["rev-parse", "--short=12", "HEAD"]) } else { None }.unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=HEDGESIM_COMMIT={commit}");
    println!("cargo:rerun-if-changed=build.rs");
    // Rebuild when HEAD moves: HEAD itself (a checkout) and the branch it points to (a commit).
    // In a worktree these live in different folders, so ask git where they are.
    if let Some(head) = git(&["rev-parse", "--git-path", "HEAD"]) {
        println!("cargo:rerun-if-changed={head}");
    }
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"])
        && let Some(reference) = git(&["rev-parse", "--git-path", &branch])
        && Path::new(&reference).exists()
    {
        println!("cargo:rerun-if-changed={reference}");
    }
}
