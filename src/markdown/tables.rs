//! Table markup, with column alignment written as classes (`align-left`,
//! `align-center`, `align-right`) rather than `style` attributes.

use pulldown_cmark::Alignment;

/// Where the writer is inside the current table.
#[derive(Debug, Default)]
pub(super) struct TableWriter {
    alignments: Vec<Alignment>,
    in_head: bool,
    column: usize,
    body_open: bool,
}

impl TableWriter {
    /// Opens a table whose columns have `alignments`.
    pub(super) fn start_table(&mut self, out: &mut String, alignments: &[Alignment]) {
        *self = TableWriter {
            alignments: alignments.to_vec(),
            ..TableWriter::default()
        };
        out.push_str("<table>\n");
    }

    /// Opens the header row.
    pub(super) fn start_head(&mut self, out: &mut String) {
        self.in_head = true;
        self.column = 0;
        out.push_str("<thead>\n<tr>");
    }

    /// Closes the header row.
    pub(super) fn end_head(&mut self, out: &mut String) {
        self.in_head = false;
        out.push_str("</tr>\n</thead>\n");
    }

    /// Opens a body row, and the body itself before the first one.
    pub(super) fn start_row(&mut self, out: &mut String) {
        self.column = 0;
        if !self.body_open {
            self.body_open = true;
            out.push_str("<tbody>\n");
        }
        out.push_str("<tr>");
    }

    /// Closes a body row.
    pub(super) fn end_row(&mut self, out: &mut String) {
        out.push_str("</tr>\n");
    }

    /// Opens a header or body cell, with its column's alignment class.
    pub(super) fn start_cell(&mut self, out: &mut String) {
        let element = if self.in_head { "th" } else { "td" };
        let class = match self.alignments.get(self.column) {
            Some(Alignment::Left) => " class=\"align-left\"",
            Some(Alignment::Center) => " class=\"align-center\"",
            Some(Alignment::Right) => " class=\"align-right\"",
            Some(Alignment::None) | None => "",
        };
        out.push_str(&format!("<{element}{class}>"));
    }

    /// Closes a cell and moves to the next column.
    pub(super) fn end_cell(&mut self, out: &mut String) {
        out.push_str(if self.in_head { "</th>" } else { "</td>" });
        self.column += 1;
    }

    /// Closes the table (and its body, if it had rows).
    pub(super) fn end_table(&mut self, out: &mut String) {
        if self.body_open {
            out.push_str("</tbody>\n");
        }
        out.push_str("</table>\n");
        *self = TableWriter::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_alignment_classes_per_column() {
        let mut table = TableWriter::default();
        let mut out = String::new();
        table.start_table(&mut out, &[Alignment::Right, Alignment::None]);
        table.start_head(&mut out);
        for _ in 0..2 {
            table.start_cell(&mut out);
            table.end_cell(&mut out);
        }
        table.end_head(&mut out);
        table.start_row(&mut out);
        for _ in 0..3 {
            table.start_cell(&mut out);
            table.end_cell(&mut out);
        }
        table.end_row(&mut out);
        table.end_table(&mut out);
        assert_eq!(
            out,
            "<table>\n<thead>\n<tr><th class=\"align-right\"></th><th></th></tr>\n</thead>\n\
             <tbody>\n<tr><td class=\"align-right\"></td><td></td><td></td></tr>\n</tbody>\n</table>\n"
        );
    }
}
