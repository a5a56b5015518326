//! Request paths to output paths, refusing anything that could leave the output.

/// Why a request path cannot be served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathError {
    /// Malformed or dangerous: `..`, backslashes, bad percent escapes, control characters.
    Bad(&'static str),
    /// Outside the site's base path.
    OutsideBase,
}

/// The output path a request path names: percent-decoded, below the base path, with
/// `index.html` added to folder paths. `base_path` is `/` or `/guide/`.
///
/// The output is looked up in memory, never joined onto a folder, but the checks still
/// refuse every form of traversal so no future change can turn them into a file read.
pub fn output_path(request_path: &str, base_path: &str) -> Result<String, PathError> {
    let decoded = percent_decode(request_path).ok_or(PathError::Bad("invalid percent escape"))?;
    if !decoded.starts_with('/') {
        return Err(PathError::Bad("the path must start with /"));
    }
    if decoded.starts_with("//") {
        return Err(PathError::Bad("absolute paths are not served"));
    }
    if decoded.contains('\\') {
        return Err(PathError::Bad("backslashes are not allowed"));
    }
    if decoded.chars().any(char::is_control) {
        return Err(PathError::Bad("control characters are not allowed"));
    }
    for (index, segment) in decoded.split('/').enumerate() {
        if index > 0 && segment.is_empty() && index + 1 < decoded.split('/').count() {
            return Err(PathError::Bad("empty path segments are not allowed"));
        }
        if segment == ".." || segment == "." {
            return Err(PathError::Bad("`.` and `..` segments are not allowed"));
        }
        if segment.contains(':') && segment.len() >= 2 && segment.as_bytes()[1] == b':' {
            return Err(PathError::Bad("drive letters are not allowed"));
        }
    }
    let Some(rel) = decoded.strip_prefix(base_path) else {
        return Err(PathError::OutsideBase);
    };
    if rel.is_empty() || rel.ends_with('/') {
        Ok(format!("{rel}index.html"))
    } else {
        Ok(rel.to_string())
    }
}

/// Decodes `%xx` escapes; `None` for a broken escape or bytes that are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_folders_to_index_files_below_the_base_path() {
        assert_eq!(output_path("/", "/").unwrap(), "index.html");
        assert_eq!(output_path("/a/b/", "/").unwrap(), "a/b/index.html");
        assert_eq!(output_path("/css/site.css", "/").unwrap(), "css/site.css");
        assert_eq!(output_path("/guide/x/", "/guide/").unwrap(), "x/index.html");
        assert_eq!(
            output_path("/my%20page/", "/").unwrap(),
            "my page/index.html"
        );
        assert_eq!(output_path("/x/", "/guide/"), Err(PathError::OutsideBase));
    }

    #[test]
    fn refuses_every_form_of_traversal() {
        for path in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2fetc",
            "/a/%2e%2e/%2e%2e/x",
            "/a\\..\\b",
            "/a%5c..%5cb",
            "//etc/passwd",
            "/%2fetc/passwd",
            "/C:/Windows",
            "/./x",
            "/a%00b",
            "/%zz",
            "/a//b",
            "/%ff",
        ] {
            assert!(
                matches!(output_path(path, "/"), Err(PathError::Bad(_))),
                "{path}"
            );
        }
    }
}
