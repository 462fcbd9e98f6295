//! The progress bar of a sweep: runs done of the shard's, their rate and the time left, on
//! standard error (a terminal only: `--quiet` or a redirected stderr hides it).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

/// A bar over `runs` runs starting at `done` (a resumed sweep), or a hidden one.
pub(crate) fn bar(show: bool, runs: u64, done: u64) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(runs), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {human_pos}/{human_len} runs  {rate}  elapsed {elapsed}  ETA {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .with_key("rate", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0} runs/s", s.per_sec());
            }),
    );
    bar.set_position(done);
    bar
}
