//! Input files: where in a TOML file a field sits, and the error a user sees when it is wrong.
//!
//! Scenario and sweep files are written by hand, so every error names the file, the line and column,
//! and the field as a dotted path, and says what to do:
//!
//! ```text
//! scenarios/x.toml:12:7: small_state.cap: must be between 0 and 1, got 1.5
//! ```
//!
//! Positions come from toml's spanned parse tree ([`toml::de::DeTable`]): typed deserialisation
//! reports a byte span, [`Locator::path_at`] turns it into a field path, and validation code turns a
//! field path back into a position with [`Locator::error`].
//!
//! This module works on text only; reading the files (size caps, regular-file checks) is the
//! `hedgesim` crate's `input` module, which hands the text here.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::de::{DeTable, DeValue};

/// An input file that could not be read, with where and what.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct InputError {
    pub file: PathBuf,
    /// 1-based line and column; 0 when the error has no position (an unreadable file).
    pub line: usize,
    pub column: usize,
    /// The field, as a dotted path (`third_powers[1].reliability`); empty if none applies.
    pub field: String,
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        if !self.field.is_empty() {
            write!(f, ": {}", self.field)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl InputError {
    /// An error about a whole file (it cannot be read, say), with no position.
    pub fn file(file: &Path, message: impl Into<String>) -> InputError {
        InputError { file: file.to_path_buf(), line: 0, column: 0, field: String::new(), message: message.into() }
    }
}

/// A step of a TOML path: a key or an array index.
#[derive(Debug, Clone)]
pub enum Seg {
    Key(String),
    Index(usize),
}

pub fn key(k: &str) -> Seg {
    Seg::Key(k.to_string())
}

/// A path as every input error writes it: `events[3].set."great_power.focus"`.
pub fn display_path(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) if k.contains('.') || k.contains(' ') => out.push_str(&format!(".\"{k}\"")),
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Maps TOML paths to positions in the text and back, using toml's spanned parse tree.
pub struct Locator<'a> {
    text: &'a str,
    origin: &'a Path,
    root: Option<DeTable<'a>>,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str, origin: &'a Path) -> Result<Locator<'a>, InputError> {
        prescan(text, origin)?;
        let mut loc = Locator { text, origin, root: None };
        match DeTable::parse(text) {
            Ok(t) => loc.root = Some(t.into_inner()),
            Err(e) => return Err(loc.serde_error(&e)),
        }
        Ok(loc)
    }

    fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, col)
    }

    pub fn error_at(&self, span: Option<Range<usize>>, field: &str, message: &str) -> InputError {
        let (line, column) = span.map_or((1, 1), |s| self.line_col(s.start));
        InputError {
            file: self.origin.to_path_buf(),
            line,
            column,
            field: field.to_string(),
            message: message.to_string(),
        }
    }

    /// An error about the field at `path`, placed at its value (or the nearest enclosing table if
    /// the key is absent, as for a default that fails together with another field).
    pub fn error(&self, path: &[Seg], message: impl AsRef<str>) -> InputError {
        self.error_at(self.span_of(path), &display_path(path), message.as_ref())
    }

    /// An error about a key itself (one the file may not hold), placed at the key, not its value.
    pub fn key_error(&self, path: &[Seg], message: impl AsRef<str>) -> InputError {
        let span = self.key_span_of(path).or_else(|| self.span_of(path));
        self.error_at(span, &display_path(path), message.as_ref())
    }

    fn key_span_of(&self, path: &[Seg]) -> Option<Range<usize>> {
        let (Seg::Key(k), parent) = path.split_last()? else { return None };
        let root = self.root.as_ref()?;
        let mut value: Option<&toml::Spanned<DeValue>> = None;
        for seg in parent {
            value = Some(match (seg, value.map(|v| v.get_ref())) {
                (Seg::Key(k), None) => root.get(k.as_str())?,
                (Seg::Key(k), Some(DeValue::Table(t))) => t.get(k.as_str())?,
                (Seg::Index(i), Some(DeValue::Array(a))) => a.get(*i)?,
                _ => return None,
            });
        }
        let table = match value.map(|v| v.get_ref()) {
            None => root,
            Some(DeValue::Table(t)) => t,
            _ => return None,
        };
        table.iter().find(|(key, _)| key.get_ref() == k).map(|(key, _)| key.span())
    }

    fn span_of(&self, path: &[Seg]) -> Option<Range<usize>> {
        let mut table = self.root.as_ref()?;
        let mut value: Option<&toml::Spanned<DeValue>> = None;
        let mut best: Option<Range<usize>> = None;
        for seg in path {
            let next = match (seg, value.map(|v| v.get_ref())) {
                (Seg::Key(k), None) => table.get(k.as_str()),
                (Seg::Key(k), Some(DeValue::Table(t))) => t.get(k.as_str()),
                (Seg::Index(i), Some(DeValue::Array(a))) => a.get(*i),
                _ => None,
            };
            match next {
                Some(v) => {
                    best = Some(v.span());
                    if let DeValue::Table(t) = v.get_ref() {
                        table = t;
                    }
                    value = Some(v);
                }
                None => break,
            }
        }
        best
    }

    /// The dotted path of the deepest key or value whose span contains `offset`. A `[table]`
    /// header's span does not cover the table's body, so every entry is searched, not only those
    /// whose span contains the offset.
    pub fn path_at(&self, offset: usize) -> String {
        fn search_table(t: &DeTable, offset: usize, path: &mut Vec<Seg>) -> bool {
            for (k, v) in t.iter() {
                path.push(Seg::Key(k.get_ref().to_string()));
                if search_value(v, offset, path) || k.span().contains(&offset) || v.span().contains(&offset) {
                    return true;
                }
                path.pop();
            }
            false
        }
        fn search_value(v: &toml::Spanned<DeValue>, offset: usize, path: &mut Vec<Seg>) -> bool {
            match v.get_ref() {
                DeValue::Table(t) => search_table(t, offset, path),
                DeValue::Array(a) => {
                    for (i, item) in a.iter().enumerate() {
                        path.push(Seg::Index(i));
                        if search_value(item, offset, path) || item.span().contains(&offset) {
                            return true;
                        }
                        path.pop();
                    }
                    false
                }
                _ => false,
            }
        }
        let mut path = Vec::new();
        if let Some(root) = &self.root {
            search_table(root, offset, &mut path);
        }
        display_path(&path)
    }

    /// Whether the file's top level has `key` (to tell a sweep file from a scenario file).
    pub fn has_top_key(&self, key: &str) -> bool {
        self.root.as_ref().is_some_and(|t| t.get(key).is_some())
    }

    /// The text a span covers, if it is a short single line (a key, say).
    fn snippet(&self, span: &Range<usize>) -> Option<&str> {
        let s = self.text.get(span.clone())?.trim();
        (!s.is_empty() && s.len() <= 80 && !s.contains('\n')).then_some(s)
    }

    pub fn serde_error(&self, e: &toml::de::Error) -> InputError {
        let span = e.span();
        let mut field = span.as_ref().map_or(String::new(), |s| self.path_at(s.start));
        let mut message = e
            .message()
            .trim()
            .replace("expected f64", "expected a number")
            .replace("expected i64", "expected a whole number")
            .replace("expected u64", "expected a whole number ≥ 0");
        if message == "duplicate key"
            && let Some(k) = span.as_ref().and_then(|s| self.snippet(s))
        {
            message = format!("duplicate key `{k}`: a key may appear only once in a table; remove one of them");
            if field.is_empty() {
                field = k.trim_matches('"').to_string();
            }
        }
        // A sweep file's missing `scenario` is reported at the top of the file, where toml names
        // the first key there (`format`, `replications`): name `scenario` instead.
        if message.starts_with("missing field `scenario`") {
            field = "scenario".into();
            message = "missing `scenario`; a sweep names the scenario it runs: `scenario = \"path/to/scenario.toml\"` \
                       (relative to the sweep file's folder)"
                .into();
        }
        if message.starts_with("missing field `meta`") {
            field = "meta".into();
            message = "missing `[meta]` table; a scenario needs at least `[meta]` with `name = \"…\"`".into();
        }
        self.error_at(span, &field, &message)
    }
}

/// Most values (numbers, strings, array items, keys) a scenario or sweep file may hold, counted
/// by a scan of the text before it is parsed: parsing costs about a kilobyte of memory a value,
/// so a 60 MB array would take gigabytes before any limit on its contents could be checked. The
/// largest valid file, an axis of a million values, holds about a million.
pub const MAX_VALUES: usize = 2_000_000;

/// Most events in one scenario. It lives with the text scan's limits because the scan counts
/// `[[events]]` tables before the parse (the scenario module re-exports it).
pub const MAX_EVENTS: usize = 10_000;

/// Check what a file asks for before parsing it: its `[[events]]` tables and its values (an upper
/// bound: the separators, commas and line ends, outside comments), so that a file far over a
/// limit is refused in a scan, not after a parse of gigabytes.
fn prescan(text: &str, origin: &Path) -> Result<(), InputError> {
    let at = |offset: usize, field: &str, message: String| {
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        InputError { file: origin.to_path_buf(), line, column: 1, field: field.into(), message }
    };
    let (mut events, mut values, mut offset) = (0usize, 0usize, 0usize);
    for line in text.split_inclusive('\n') {
        let code = line.split('#').next().unwrap_or("");
        let header: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if header == "[[events]]" {
            events += 1;
            if events > MAX_EVENTS {
                return Err(at(
                    offset,
                    &format!("events[{}]", MAX_EVENTS),
                    format!(
                        "the scenario has {} events or more, more than the limit of {}",
                        MAX_EVENTS + 1,
                        MAX_EVENTS
                    ),
                ));
            }
        }
        values += 1 + code.matches(',').count();
        if values > MAX_VALUES {
            return Err(at(
                offset,
                "",
                format!(
                    "the file holds more than {MAX_VALUES} values by this line, the limit of a scenario or sweep \
                     file; a longer list belongs in a design table (design = \"table\")"
                ),
            ));
        }
        offset += line.len();
    }
    Ok(())
}

/// A whole number in `lo..=hi`, or `default` when absent.
pub fn int_in(v: Option<i64>, default: u32, lo: u32, hi: u32, path: &[Seg], doc: &Locator) -> Result<u32, InputError> {
    match v {
        None => Ok(default),
        Some(x) if x >= i64::from(lo) && x <= i64::from(hi) => Ok(x as u32),
        Some(x) => Err(doc.error(path, format!("must be a whole number from {lo} to {hi}, got {x}"))),
    }
}

/// A number as a message shows it: as written for ordinary magnitudes (`0.25`, `1500`), in
/// exponent form beyond them (`1e300`, `5e-324`, not 309 or 327 digits), and `-0` as `0`.
pub fn show_number(v: f64) -> String {
    let a = v.abs();
    if v == 0.0 {
        "0".into()
    } else if !v.is_finite() || (1e-5..1e16).contains(&a) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// Most numbers of a list a message echoes; a longer list is cut, with its length.
const SHOWN: usize = 8;

/// A list of numbers as a message shows it: `[1, 2.5]`, or `[1, 2, …, 8, … (2000000 numbers)]`.
pub fn show_list(v: &[f64]) -> String {
    let shown: Vec<String> = v.iter().take(SHOWN).map(|x| show_number(*x)).collect();
    if v.len() > SHOWN {
        format!("[{}, … ({} numbers)]", shown.join(", "), v.len())
    } else {
        format!("[{}]", shown.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_messages_are_short() {
        assert_eq!(show_number(0.25), "0.25");
        assert_eq!(show_number(1500.0), "1500");
        assert_eq!(show_number(-0.0), "0");
        assert_eq!(show_number(1e300), "1e300");
        assert_eq!(show_number(5e-324), "5e-324");
        assert_eq!(show_number(f64::MAX), "1.7976931348623157e308");
        assert_eq!(show_number(f64::NAN), "NaN");
        assert_eq!(show_list(&[1.0, 2.5]), "[1, 2.5]");
        let long = show_list(&vec![1e300; 2_000_000]);
        assert!(long.len() < 120 && long.ends_with("(2000000 numbers)]"), "{long}");
    }
}
