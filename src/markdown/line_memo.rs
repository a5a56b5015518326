//! Remembered line parses: the highlighter's parse of a code line, kept by the line's
//! text and the parser's state before it, so that a line seen before in the same state is
//! not parsed again.
//!
//! syntect's parser is most of highlighting's cost, and code repeats itself: closing
//! braces, blank lines, `return result`, imports, the same loop header in every example of
//! a tutorial. A line's parse depends only on the grammar, the state the line starts in
//! (the stack of contexts, which names the grammar too) and its text, so reusing it gives
//! the same operations, hence the same HTML, as parsing again. The class spans are still
//! written line by line from the operations, against the block's own scope stack.
//!
//! Each thread keeps its own memo (the renderer runs pages on every core, and a shared one
//! would be contended for every line), bounded in bytes and in states per line: it is
//! emptied when full, so memory stays bounded however much code a site has, and a long
//! `cairn serve` session keeps the lines its recent builds used. A parser state grows with
//! the nesting it is in (a thousand nested braces are a thousand contexts), and syntect
//! does not say how deep one is, so a state is weighed by the length of its debug form,
//! which grows with it; a line in a deeply nested state is parsed every time.

use std::cell::RefCell;
use std::collections::HashMap;

use syntect::parsing::{ParseState, ParsingError, ScopeStackOp, SyntaxSet};

/// Lines longer than this are parsed every time: long lines seldom repeat.
const MAX_LINE_BYTES: usize = 256;

/// About how many bytes a thread's memo holds before it is emptied.
const MAX_MEMO_BYTES: usize = 8 << 20;

/// A line whose states before and after it weigh more than this together (see [`weight`])
/// is parsed every time.
const MAX_STATES_WEIGHT: usize = 8192;

/// States a line is kept in: a line that starts in many states (inside strings, comments,
/// nested blocks) keeps the first few.
const MAX_STATES_PER_LINE: usize = 4;

/// The operations syntect's parser gives for one line: scope pushes and pops at byte
/// offsets.
pub(super) type LineOps = Vec<(usize, ScopeStackOp)>;

/// A line's parse in one state: the state it starts in, its operations and the state it
/// leaves.
struct Parsed {
    before: ParseState,
    ops: LineOps,
    after: ParseState,
}

#[derive(Default)]
struct Memo {
    /// The grammars the states below belong to (a state names its contexts by number in
    /// one set), by address: a line parsed with another set is not taken from the memo.
    syntaxes: usize,
    lines: HashMap<Box<str>, Vec<Parsed>>,
    /// The weight of everything kept, about its bytes.
    bytes: usize,
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::default();
}

/// Parses `line` (with its line ending) from `state` with `syntaxes`, advancing `state`
/// past it: the same as `state.parse_line(line, syntaxes)`, from the memo when this thread
/// parsed the same line in the same state, with the same grammars, before. The grammars
/// are a process-wide set (`'static`): the memo tells sets apart by their address.
pub(super) fn parse_line(
    state: &mut ParseState,
    line: &str,
    syntaxes: &'static SyntaxSet,
) -> Result<LineOps, ParsingError> {
    if line.len() > MAX_LINE_BYTES {
        return state.parse_line(line, syntaxes);
    }
    let set = std::ptr::from_ref(syntaxes) as usize;
    let remembered = MEMO.with_borrow(|memo| {
        if memo.syntaxes != set {
            return None;
        }
        let parses = memo.lines.get(line)?;
        let parsed = parses.iter().find(|parsed| parsed.before == *state)?;
        Some((parsed.ops.clone(), parsed.after.clone()))
    });
    if let Some((ops, after)) = remembered {
        *state = after;
        return Ok(ops);
    }
    let before = state.clone();
    let ops = state.parse_line(line, syntaxes)?;
    MEMO.with_borrow_mut(|memo| memo.keep(set, line, before, &ops, state));
    Ok(ops)
}

impl Memo {
    fn keep(
        &mut self,
        syntaxes: usize,
        line: &str,
        before: ParseState,
        ops: &LineOps,
        after: &ParseState,
    ) {
        if self.syntaxes != syntaxes {
            self.clear(syntaxes);
        }
        if self
            .lines
            .get(line)
            .is_some_and(|parses| parses.len() >= MAX_STATES_PER_LINE)
        {
            return;
        }
        let states = weight(&before) + weight(after);
        if states > MAX_STATES_WEIGHT {
            return;
        }
        let bytes = line.len() + std::mem::size_of_val(ops.as_slice()) + states;
        if self.bytes + bytes > MAX_MEMO_BYTES {
            self.clear(syntaxes);
        }
        self.bytes += bytes;
        self.lines.entry(line.into()).or_default().push(Parsed {
            before,
            ops: ops.clone(),
            after: after.clone(),
        });
    }

    fn clear(&mut self, syntaxes: usize) {
        self.lines.clear();
        self.bytes = 0;
        self.syntaxes = syntaxes;
    }
}

/// A state's weight: the length of its debug form, which grows with its depth and its
/// captures as its memory does (and overstates it: a context's number is a dozen bytes of
/// text for eight of memory). Counted without being written out.
fn weight(state: &ParseState) -> usize {
    struct Count(usize);
    impl std::fmt::Write for Count {
        fn write_str(&mut self, text: &str) -> std::fmt::Result {
            self.0 += text.len();
            Ok(())
        }
    }
    let mut count = Count(0);
    let _ = std::fmt::write(&mut count, format_args!("{state:?}"));
    count.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;
    use syntect::util::LinesWithEndings;

    static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);
    static OTHER_SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

    /// Every line's operations, parsed directly or through the memo.
    fn parse_all(
        code: &str,
        language: &str,
        syntaxes: &'static SyntaxSet,
        memo: bool,
    ) -> Vec<LineOps> {
        let syntax = syntaxes
            .find_syntax_by_token(language)
            .expect("a known grammar");
        let mut state = ParseState::new(syntax);
        LinesWithEndings::from(code)
            .map(|line| {
                if memo {
                    parse_line(&mut state, line, syntaxes).expect("parses")
                } else {
                    state.parse_line(line, syntaxes).expect("parses")
                }
            })
            .collect()
    }

    #[test]
    fn a_line_in_another_state_is_parsed_again() {
        let syntaxes = &*SYNTAXES;
        // `x = 1` is code at the top and text inside the docstring: the same line in two
        // states must not share a parse.
        let code = "x = 1\n\"\"\"\nx = 1\n\"\"\"\nx = 1\nx = 1\n";
        let direct = parse_all(code, "python", syntaxes, false);
        for _ in 0..2 {
            assert_eq!(parse_all(code, "python", syntaxes, true), direct);
        }
        assert_ne!(direct[2], direct[4], "string and code parse differently");
        assert_eq!(direct[4], direct[5]);
        // Another set of grammars numbers its contexts its own way: nothing is shared.
        assert_eq!(parse_all(code, "python", &OTHER_SYNTAXES, true), direct);
        MEMO.with_borrow(|memo| {
            assert_eq!(memo.syntaxes, std::ptr::from_ref(&*OTHER_SYNTAXES) as usize);
        });
    }

    /// Lines that open and close strings, comments and blocks in the three grammars, so
    /// that the same line is met in many states.
    const LINES: &[&str] = &[
        "x = 1",
        "\"\"\"",
        "'''",
        "# note",
        "def f(items):",
        "    return x",
        "/*",
        "*/",
        "}",
        "fn f() {",
        "let s = \"open",
        "close\";",
        "`",
        "",
        "// done",
    ];

    proptest::proptest! {
        #[test]
        fn remembered_parses_equal_fresh_ones(
            picks in proptest::collection::vec(0..LINES.len(), 0..40),
            language in proptest::sample::select(vec!["python", "rust", "js"]),
        ) {
            let syntaxes = &*SYNTAXES;
            let code: String = picks.iter().map(|&n| format!("{}\n", LINES[n])).collect();
            let direct = parse_all(&code, language, syntaxes, false);
            proptest::prop_assert_eq!(parse_all(&code, language, syntaxes, true), direct);
        }
    }

    #[test]
    fn the_memo_stays_bounded() {
        let syntaxes = &*SYNTAXES;
        let code: String = (0..15_000)
            .map(|number| format!("let v{number} = {number};\n"))
            .collect();
        let direct = parse_all(&code, "rust", syntaxes, false);
        assert_eq!(parse_all(&code, "rust", syntaxes, true), direct);
        MEMO.with_borrow(|memo| {
            assert!(memo.bytes <= MAX_MEMO_BYTES);
            assert!(memo.lines.len() < 15_000, "the memo was emptied when full");
            assert!(!memo.lines.is_empty());
        });
        // Deeply nested lines are not kept: their states would be large.
        let deep = "fn f() {\n".repeat(300);
        let direct = parse_all(&deep, "rust", syntaxes, false);
        assert_eq!(parse_all(&deep, "rust", syntaxes, true), direct);
        MEMO.with_borrow(|memo| {
            let kept = memo.lines.get("fn f() {\n").map_or(0, Vec::len);
            assert!(kept <= MAX_STATES_PER_LINE);
            let heaviest = memo
                .lines
                .values()
                .flatten()
                .map(|parsed| weight(&parsed.before))
                .max()
                .unwrap_or(0);
            assert!(heaviest <= MAX_STATES_WEIGHT, "{heaviest}");
        });
        // A line in more states than are kept is still parsed right in the others.
        let nested: String = (0..MAX_STATES_PER_LINE + 3)
            .map(|depth| format!("{}{}\n", "fn f() {\n".repeat(depth), "x;"))
            .collect();
        let direct = parse_all(&nested, "rust", syntaxes, false);
        assert_eq!(parse_all(&nested, "rust", syntaxes, true), direct);
    }
}
