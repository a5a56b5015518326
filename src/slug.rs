//! Slugs: the URL-safe form of file names, titles and tags.

/// Transliterates to ASCII, lowercases, and turns every run of other characters into `-`.
///
/// The result never contains `/`, `.` or `..`, so it is safe as one URL path segment.
/// It may be empty (for input with no letters or digits); callers decide what that means.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut slug = String::with_capacity(ascii.len());
    let mut pending_dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn transliterates_lowercases_and_dashes() {
        assert_eq!(slugify("Über Café"), "uber-cafe");
        assert_eq!(slugify("  Hello,  World!  "), "hello-world");
        assert_eq!(slugify("../../etc"), "etc");
        assert_eq!(slugify("a/b\\c"), "a-b-c");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn unicode_normalization_forms_give_one_slug() {
        assert_eq!(slugify("Cafe\u{301}"), slugify("Caf\u{e9}"));
    }
}
