//! The progress bar of a sweep: runs done of the shard's, their rate and the time left, on
//! standard error (a terminal only: `--quiet` or a redirected stderr hides it).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

/// A bar over `runs` runs starting at `done` (a resumed sweep), or a hidden one.
pub(crate) fn bar(show: bool, runs: u64, done: u64) -> ProgressBar {
    bar_of(show, runs, done, "runs")
}

/// A bar over `n` items of `unit` (`runs`, `points`) starting at `done`, or a hidden one.
pub(crate) fn bar_of(show: bool, n: u64, done: u64, unit: &'static str) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "{{bar:40}} {{human_pos}}/{{human_len}} {unit}  {{rate}}  elapsed {{elapsed}}  ETA {{eta}}"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .with_key("rate", move |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{:.0} {unit}/s", s.per_sec());
        }),
    );
    bar.set_position(done);
    bar
}
