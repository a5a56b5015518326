//! "Did you mean …?" suggestions for misspelled names (keys, templates, quiz ids).

/// The candidate closest to `word`, if it is close enough to be a plausible typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|candidate| (strsim::damerau_levenshtein(word, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, candidate)| (*distance, *candidate))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn finds_near_misses_only() {
        let keys = ["title", "tags", "template"];
        assert_eq!(closest("titel", keys), Some("title"));
        assert_eq!(closest("tag", keys), Some("tags"));
        assert_eq!(closest("colour", keys), None);
    }
}
