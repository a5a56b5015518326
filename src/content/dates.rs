//! Dates in front matter: `YYYY-MM-DD` or RFC 3339.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

/// A parsed date, with the forms templates and feeds need.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct PageDate {
    /// The instant, for sorting (a plain date means midnight UTC).
    #[serde(skip)]
    pub timestamp: Timestamp,
    /// `YYYY-MM-DD`.
    pub day: String,
    /// RFC 3339, for feeds, sitemaps and `<time datetime>`.
    pub rfc3339: String,
}

/// Parses `YYYY-MM-DD` or an RFC 3339 timestamp; the error says which forms are accepted.
pub fn parse(text: &str) -> Result<PageDate, String> {
    let text = text.trim();
    if let Ok(date) = text.parse::<Date>()
        && text.len() == 10
    {
        let timestamp = date
            .to_zoned(jiff::tz::TimeZone::UTC)
            .map_err(|e| e.to_string())?
            .timestamp();
        return Ok(PageDate {
            timestamp,
            day: date.to_string(),
            rfc3339: format!("{date}T00:00:00Z"),
        });
    }
    match text.parse::<Timestamp>() {
        Ok(timestamp) => Ok(PageDate {
            timestamp,
            day: timestamp.strftime("%Y-%m-%d").to_string(),
            rfc3339: timestamp.to_string(),
        }),
        Err(_) => Err(format!("`{text}` is not a date")),
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn accepts_plain_dates_and_rfc3339() {
        assert_eq!(parse("2024-05-01").unwrap().rfc3339, "2024-05-01T00:00:00Z");
        let stamp = parse("2024-05-01T10:30:00+02:00").unwrap();
        assert_eq!(stamp.day, "2024-05-01");
        assert_eq!(stamp.rfc3339, "2024-05-01T08:30:00Z");
    }

    #[test]
    fn refuses_impossible_dates() {
        assert!(parse("2024-02-30").is_err());
        assert!(parse("May 1st").is_err());
        assert!(parse("2024-5-1").is_err());
    }
}
