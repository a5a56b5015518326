//! Filters cairn adds to tera: dates and JSON for `<script type="application/ld+json">`.

use tera::{Error, Kwargs, State, Tera, TeraResult, Value};

use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};

/// Registers cairn's filters.
pub(super) fn register(tera: &mut Tera) {
    tera.register_filter("date", date);
    tera.register_filter("json", json);
}

/// `{{ page.date | date(format="%B %-d, %Y") }}`: formats a `YYYY-MM-DD` or RFC 3339 date.
fn date(value: &str, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let format = kwargs.get::<&str>("format")?.unwrap_or("%Y-%m-%d");
    let parsed = crate::content::dates::parse(value).map_err(Error::message)?;
    let zoned = parsed.timestamp.to_zoned(jiff::tz::TimeZone::UTC);
    let mut out = String::new();
    let formatter = jiff::fmt::strtime::format(format, &zoned)
        .map_err(|error| Error::message(format!("bad date format `{format}`: {error}")))?;
    out.push_str(&formatter);
    Ok(out)
}

/// `{{ value | json }}`: JSON that is safe inside a `<script>` element and inside a
/// single-quoted HTML attribute (`data-x='{{ value | json }}'`); see
/// [`crate::escape::script_json`].
fn json(value: &Value, _: Kwargs, _: &State) -> TeraResult<Value> {
    let text = serde_json::to_string(value).map_err(Error::message)?;
    Ok(Value::safe_string(&crate::escape::script_json(&text)))
}

/// Errors for `json` output placed in a double-quoted attribute (`data-x="{{ v | json }}"`),
/// where the quotes JSON itself needs would end the attribute: such output must be
/// single-quoted. A plain scan: within a tag, is the nearest quote before `{{` an unclosed
/// `="`?
pub(super) fn json_in_double_quotes(source: &SourceFile, problems: &mut Diagnostics) {
    let text = &*source.text;
    let mut from = 0;
    while let Some(found) = text[from..].find("{{") {
        let start = from + found;
        let Some(length) = text[start..].find("}}") else {
            break;
        };
        let expression = &text[start + 2..start + length];
        from = start + length + 2;
        let uses_json = expression
            .split('|')
            .skip(1)
            .any(|filter| filter.trim().split(['(', ' ']).next() == Some("json"));
        if !uses_json {
            continue;
        }
        // Back to the start of the tag: is an attribute value opened with `"` still open?
        let tag_start = text[..start].rfind(['<', '>']).unwrap_or(0);
        if !text[tag_start..start].starts_with('<') {
            continue;
        }
        let inside = &text[tag_start..start];
        let mut quote: Option<char> = None;
        let mut opened_with = None;
        for (index, c) in inside.char_indices() {
            match (quote, c) {
                (None, '"' | '\'') => {
                    quote = Some(c);
                    opened_with = Some(index);
                }
                (Some(open), c) if c == open => quote = None,
                _ => {}
            }
        }
        if quote == Some('"') && opened_with.is_some() {
            problems.push(
                Diagnostic::error("`json` output inside a double-quoted attribute: its quotes would end the attribute")
                    .at(source, start..start + length + 2)
                    .help("put the attribute value in single quotes: data-x='{{ value | json }}'"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(template: &str, value: serde_json::Value) -> String {
        let mut tera = Tera::new();
        register(&mut tera);
        tera.add_raw_template("t.html", template).unwrap();
        let mut context = tera::Context::new();
        context.insert("v", &value);
        tera.render("t.html", &context).unwrap()
    }

    #[test]
    fn json_cannot_close_a_script_element() {
        let out = render("{{ v | json }}", serde_json::json!({"t": "</script><b>&'"}));
        assert_eq!(
            out,
            r#"{"t":"\u003c/script\u003e\u003cb\u003e\u0026\u0027"}"#
        );
    }

    /// Whatever the value holds, a parser reads back the same JSON from a `<script>`
    /// element and from a single-quoted attribute.
    #[test]
    fn json_reads_back_the_same_in_a_script_and_in_an_attribute() {
        let value = serde_json::json!({
            "t": "a \"quoted\" ' </script> <b onclick='x'> & &amp; \\\" end",
            "n": [1, "\u{2028}"],
        });
        let out = render(
            "<div data-v='{{ v | json }}' title=\"x\"></div><script type=\"application/json\">{{ v | json }}</script>",
            value.clone(),
        );
        let html = scraper::Html::parse_fragment(&out);
        let div = html
            .select(&scraper::Selector::parse("div").unwrap())
            .next()
            .unwrap();
        assert_eq!(
            div.value().attr("title"),
            Some("x"),
            "the attribute did not end early: {out}"
        );
        let attribute: serde_json::Value =
            serde_json::from_str(div.value().attr("data-v").unwrap()).unwrap();
        assert_eq!(attribute, value);
        let script = html
            .select(&scraper::Selector::parse("script").unwrap())
            .next()
            .unwrap()
            .text()
            .collect::<String>();
        let from_script: serde_json::Value = serde_json::from_str(&script).unwrap();
        assert_eq!(from_script, value);
        assert!(!out.contains("</script> <b"), "{out}");
    }

    #[test]
    fn json_in_a_double_quoted_attribute_is_refused_where_it_is_written() {
        let source = SourceFile::new(
            "templates/page.html",
            "<main>\n<p>{{ v | json }}</p>\n<div class=\"a\" data-ok='{{ v | json }}'>\n<div\n  data-bad=\"{{ page.title | json }}\">\n<script>{{ v | json }}</script>",
        );
        let mut problems = Diagnostics::default();
        json_in_double_quotes(&source, &mut problems);
        assert_eq!(problems.len(), 1, "{problems:?}");
        let span = problems[0].span.as_ref().unwrap();
        assert_eq!((span.line, span.column), (5, 13));
    }

    #[test]
    fn dates_are_formatted() {
        let out = render(
            r#"{{ v | date(format="%B %-d, %Y") }}"#,
            serde_json::json!("2024-05-01"),
        );
        assert_eq!(out, "May 1, 2024");
    }
}
