//! The sequence diagram as plain text for a terminal: a legend of
//! addresses, one column per socket, one row per step with its words on the
//! right.

use std::fmt::Write as _;

use super::rows::{Column, Row};
use crate::lang::Lang;
use crate::render::phrase::Term;
use crate::render::redact::Redaction;
use crate::render::term;

/// The diagram's text in `lang`.
pub(super) fn text(columns: &[Column], rows: &[Row], redaction: &Redaction, lang: Lang) -> String {
    let width = columns
        .iter()
        .map(|c| c.label.chars().count() + 3)
        .max()
        .unwrap_or(0)
        .max(10);
    let canvas = width * columns.len();
    let center = |i: usize| i * width + 2;
    let mut out = String::new();
    let label_width = columns
        .iter()
        .map(|c| c.label.chars().count())
        .max()
        .unwrap_or(0);
    for column in columns {
        let address = column.address.clone().unwrap_or_else(|| {
            if column.recorded {
                "-".to_string()
            } else {
                term(&Term::NotRecorded, lang)
            }
        });
        let _ = writeln!(out, "{:label_width$}  {address}", column.label);
    }
    out.push('\n');
    let mut header = String::new();
    for column in columns {
        let _ = write!(header, "{:width$}", column.label);
    }
    out.push_str(header.trim_end());
    out.push('\n');
    for (r, row) in rows.iter().enumerate() {
        let mut cells: Vec<char> = vec![' '; canvas];
        if let Row::Phase(phase) = row {
            let title = term(&Term::Phase(*phase), lang);
            let _ = writeln!(out, "{}  {title}", "─".repeat(canvas));
            continue;
        }
        for (i, column) in columns.iter().enumerate() {
            cells[center(i)] = column.glyph(r);
        }
        match row {
            Row::Phase(_) => {}
            Row::Note { col, .. } => {
                let mark = &mut cells[center(*col)];
                *mark = match *mark {
                    ' ' => '·',
                    '│' => '●',
                    other => other,
                };
            }
            Row::Arrow { from, to, .. } => {
                let (a, b) = (center(*from), center(*to));
                let (low, high) = (a.min(b), a.max(b));
                for (x, cell) in cells.iter_mut().enumerate().take(high).skip(low + 1) {
                    *cell = if *cell == '│' && (x - 2) % width == 0 {
                        '┼'
                    } else {
                        '─'
                    };
                }
                if b > a {
                    cells[b - 1] = '>';
                } else {
                    cells[b + 1] = '<';
                }
            }
        }
        let line: String = cells.into_iter().collect();
        let words = row.words(redaction, lang, "  ");
        let _ = writeln!(out, "{line}  {words}");
    }
    out
}

impl Column {
    /// The column's mark in row `r`.
    fn glyph(&self, r: usize) -> char {
        if !self.recorded {
            return '┆';
        }
        match (self.start, self.end) {
            // A socket() that failed: no lifeline at all.
            (Some(start), Some(end)) if start == end => ' ',
            (Some(start), _) if r < start => ' ',
            (Some(start), _) if r == start => '┬',
            (_, Some(end)) if r == end => '┴',
            (_, Some(end)) if r > end => ' ',
            (Some(_), _) => '│',
            (None, _) => ' ',
        }
    }
}
