//! Slugs: the URL-safe form of file names, titles and tags.

/// The site's one slug function, for file and folder names, titles, tags and heading ids:
/// transliterates to ASCII, lowercases, and turns every run of other characters into `-`.
///
/// Contract: the result holds only `a-z`, `0-9` and single inner `-`, so it is safe as one
/// URL path segment and as an HTML id; equal text in any Unicode normalization form gives
/// the same slug. It may be empty (for input with no letters or digits); callers decide
/// what that means (an error for a page, `section` for a heading).
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
