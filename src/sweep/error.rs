//! What can go wrong in a sweep or a merge, in one type that both share (a merge finalises a
//! folder the way a sweep does, through [`super::folder`], and meets the same errors).

use crate::input::InputError;
use crate::output::explain_io;
use std::io;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    #[error(transparent)]
    Input(#[from] InputError),
    /// An I/O error, said in plain words with what to do ([`explain_io`]); `context` says what
    /// was being done to which file.
    #[error("{context}: {}", explain_io(.error))]
    Io { context: String, error: io::Error },
    #[error("{0}")]
    Refused(String),
    /// An error after runs were written: they are kept, and `resume` is the command that goes on.
    #[error("{error}; the runs written so far are kept: when that is fixed, continue with `{resume}`")]
    Interrupted { error: Box<SweepError>, resume: String },
}

/// For `?` inside [`crate::output::write_atomically`]'s callers; [`in_file`] adds which file.
impl From<io::Error> for SweepError {
    fn from(error: io::Error) -> Self {
        SweepError::Io { context: String::new(), error }
    }
}

/// An I/O error with what was being done: `io_err(format!("reading {}", p.display()))`.
pub(crate) fn io_err(context: impl Into<String>) -> impl FnOnce(io::Error) -> SweepError {
    let context = context.into();
    move |error| SweepError::Io { context, error }
}

/// Name the file an I/O error without context happened in: `writing out/summary.csv: …`.
pub(crate) fn in_file(path: &Path) -> impl FnOnce(SweepError) -> SweepError + '_ {
    move |e| match e {
        SweepError::Io { context, error } if context.is_empty() => {
            SweepError::Io { context: format!("writing {}", path.display()), error }
        }
        e => e,
    }
}
