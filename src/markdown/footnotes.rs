//! Footnote numbering and markup. Footnote ids are `fn-N` (definition) and
//! `fnref-N` (first reference), numbered in order of first reference, so
//! they never depend on what authors put in labels.

use std::collections::{HashMap, HashSet};

/// The footnotes of one page: their numbers and which are referenced.
#[derive(Debug, Default)]
pub(super) struct Footnotes {
    /// Footnote number by lowercased label.
    numbers: HashMap<String, usize>,
    /// Footnotes referenced somewhere, so their definition links back.
    referenced: HashSet<usize>,
    /// Footnotes whose first reference (the one with the `fnref-` id) is written.
    first_reference_written: HashSet<usize>,
}

impl Footnotes {
    /// The number of the footnote labelled `label`, assigning the next one if new.
    pub(super) fn number(&mut self, label: &str) -> usize {
        let next = self.numbers.len() + 1;
        *self.numbers.entry(label.to_lowercase()).or_insert(next)
    }

    /// Records, before writing, that `label` is referenced (numbering it if new).
    pub(super) fn note_reference(&mut self, label: &str) {
        let number = self.number(label);
        self.referenced.insert(number);
    }

    /// Every id footnotes will use on the page, to keep headings off them.
    pub(super) fn ids(&self) -> impl Iterator<Item = String> {
        (1..=self.numbers.len()).flat_map(|number| [definition_id(number), reference_id(number)])
    }

    /// Writes the mark for a reference to `label`; only the first reference
    /// to a footnote carries the id its definition links back to.
    pub(super) fn write_reference(&mut self, out: &mut String, label: &str) {
        let number = self.number(label);
        out.push_str(&format!(
            "<sup class=\"footnote-ref\"><a href=\"#{}\"",
            definition_id(number)
        ));
        if self.first_reference_written.insert(number) {
            out.push_str(&format!(" id=\"{}\"", reference_id(number)));
        }
        out.push_str(&format!(">{number}</a></sup>"));
    }

    /// Opens the definition of `label` and returns its number, for [`Footnotes::write_definition_end`].
    pub(super) fn write_definition_start(&mut self, out: &mut String, label: &str) -> usize {
        let number = self.number(label);
        out.push_str(&format!(
            "<div class=\"footnote-definition\" id=\"{}\"><sup class=\"footnote-definition-label\">{number}</sup>\n",
            definition_id(number)
        ));
        number
    }

    /// Closes definition `number`, with a link back to its first reference if it has one.
    pub(super) fn write_definition_end(&self, out: &mut String, number: usize) {
        if self.referenced.contains(&number) {
            out.push_str(&format!(
                "<a class=\"footnote-backref\" href=\"#{}\" aria-label=\"Back to reference {number}\">\u{21A9}\u{FE0E}</a>\n",
                reference_id(number)
            ));
        }
        out.push_str("</div>\n");
    }
}

/// The id of footnote `number`'s definition.
fn definition_id(number: usize) -> String {
    format!("fn-{number}")
}

/// The id of footnote `number`'s first reference.
fn reference_id(number: usize) -> String {
    format!("fnref-{number}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_first_appearance_and_ignore_case() {
        let mut footnotes = Footnotes::default();
        assert_eq!(footnotes.number("b"), 1);
        assert_eq!(footnotes.number("A"), 2);
        assert_eq!(footnotes.number("a"), 2);
        assert_eq!(
            footnotes.ids().collect::<Vec<_>>(),
            ["fn-1", "fnref-1", "fn-2", "fnref-2"]
        );
    }

    #[test]
    fn only_the_first_reference_gets_an_id() {
        let mut footnotes = Footnotes::default();
        let mut out = String::new();
        footnotes.write_reference(&mut out, "x");
        footnotes.write_reference(&mut out, "x");
        assert_eq!(
            out,
            "<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\">1</a></sup>\
             <sup class=\"footnote-ref\"><a href=\"#fn-1\">1</a></sup>"
        );
    }

    #[test]
    fn unreferenced_definitions_have_no_back_link() {
        let mut footnotes = Footnotes::default();
        footnotes.note_reference("used");
        let mut out = String::new();
        let used = footnotes.write_definition_start(&mut out, "used");
        footnotes.write_definition_end(&mut out, used);
        let unused = footnotes.write_definition_start(&mut out, "unused");
        footnotes.write_definition_end(&mut out, unused);
        assert_eq!(out.matches("footnote-backref").count(), 1);
        assert!(out.contains("id=\"fn-2\""));
    }
}
