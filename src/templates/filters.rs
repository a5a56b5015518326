//! Filters cairn adds to tera: dates and JSON for `<script type="application/ld+json">`.

use tera::{Error, Kwargs, State, Tera, TeraResult, Value};

/// Registers cairn's filters.
pub fn register(tera: &mut Tera) {
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

/// `{{ value | json }}`: JSON that is safe inside a `<script>` element and an HTML attribute.
fn json(value: &Value, _: Kwargs, _: &State) -> TeraResult<Value> {
    let text = serde_json::to_string(value).map_err(Error::message)?;
    Ok(Value::safe_string(&crate::escape::script_json(&text)))
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

    #[test]
    fn dates_are_formatted() {
        let out = render(
            r#"{{ v | date(format="%B %-d, %Y") }}"#,
            serde_json::json!("2024-05-01"),
        );
        assert_eq!(out, "May 1, 2024");
    }
}
