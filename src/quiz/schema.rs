//! The flow file's shape: which keys exist, what type each value has, which are required.
//!
//! [`read`] walks the YAML tree and returns the flow as written, every value with its byte
//! range, plus one diagnostic per problem: unknown keys (with a "did you mean"), wrongly
//! typed values, missing required keys and empty texts. It keeps going after a problem, so
//! the later checks still see as much of the flow as could be read.

use std::ops::Range;

use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::yaml::{Kind, Yaml};

/// A text value and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// The value (for a missing value: empty).
    pub value: String,
    /// Its byte range in the file.
    pub range: Range<usize>,
}

/// A `true` or `false` value and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// The value.
    pub value: bool,
    /// Its byte range in the file.
    pub range: Range<usize>,
}

/// A flow as written in its file.
#[derive(Debug, Clone, Default)]
pub struct FlowSource {
    /// `title`.
    pub title: Option<Text>,
    /// `description`.
    pub description: Option<Text>,
    /// `intro`: Markdown shown under the title on the quiz's first page.
    pub intro: Option<Text>,
    /// `exit`: where "Exit this page" leads, as written.
    pub exit: Option<Text>,
    /// `help`: links that sensitive outcomes show, in order.
    pub help: Vec<HelpLinkSource>,
    /// Where the `help` key is written, if it is.
    pub help_key: Option<Range<usize>>,
    /// `start`: the id of the first question.
    pub start: Option<Text>,
    /// `nodes`, in file order.
    pub questions: Vec<QuestionSource>,
    /// `outcomes`, in file order.
    pub outcomes: Vec<OutcomeSource>,
    /// `tests`, in file order.
    pub tests: Vec<TestSource>,
}

/// One question (`nodes.<id>`).
#[derive(Debug, Clone)]
pub struct QuestionSource {
    /// Its id, the key it is written under.
    pub id: Text,
    /// `question`.
    pub question: Option<Text>,
    /// `help`: Markdown.
    pub help: Option<Text>,
    /// `lead`: a short line shown above the question.
    pub lead: Option<Text>,
    /// `sensitive`: the page shows "Exit this page".
    pub sensitive: Option<Flag>,
    /// `answers`, in order.
    pub answers: Vec<AnswerSource>,
    /// Where the `answers` key is written, if it is.
    pub answers_key: Option<Range<usize>>,
    /// True when `answers` is written but is no list, or holds an item that is no answer
    /// (each reported already): how many answers there are, and where they lead, is not
    /// known, so the graph's counts and reachability would only repeat that error.
    pub answers_broken: bool,
}

/// One answer of a question.
#[derive(Debug, Clone)]
pub struct AnswerSource {
    /// `label`.
    pub label: Option<Text>,
    /// `next`: the id of a question or an outcome.
    pub next: Option<Text>,
}

/// One outcome (`outcomes.<id>`).
#[derive(Debug, Clone)]
pub struct OutcomeSource {
    /// Its id.
    pub id: Text,
    /// `title`.
    pub title: Option<Text>,
    /// `body`: Markdown.
    pub body: Option<Text>,
    /// `read`: links to pages or headings, as written.
    pub read: Vec<Text>,
    /// `sensitive`: the page shows "Exit this page" and the flow's help links.
    pub sensitive: Option<Flag>,
}

/// One link of the flow's `help` list.
#[derive(Debug, Clone)]
pub struct HelpLinkSource {
    /// `label`: the link's text.
    pub label: Option<Text>,
    /// `url`: where it leads, as written.
    pub url: Option<Text>,
}

/// One flow test (`tests[i]`).
#[derive(Debug, Clone)]
pub struct TestSource {
    /// `name`, if given.
    pub name: Option<Text>,
    /// `answers`: labels or 1-based positions.
    pub steps: Vec<Step>,
    /// Where the test is written (its first key).
    pub range: Range<usize>,
    /// `outcome`: the id of the outcome the answers must reach.
    pub outcome: Option<Text>,
}

/// One answer given by a test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// An answer by its label.
    Label(Text),
    /// An answer by its 1-based position (as written, so 0 or negatives can be reported).
    Position(i64, Range<usize>),
}

impl Step {
    /// Where the step is written.
    pub fn range(&self) -> Range<usize> {
        match self {
            Step::Label(text) => text.range.clone(),
            Step::Position(_, range) => range.clone(),
        }
    }
}

const FLOW_KEYS: &[&str] = &[
    "title",
    "description",
    "intro",
    "exit",
    "help",
    "start",
    "nodes",
    "outcomes",
    "tests",
];
const QUESTION_KEYS: &[&str] = &["question", "lead", "help", "sensitive", "answers"];
const ANSWER_KEYS: &[&str] = &["label", "next"];
const OUTCOME_KEYS: &[&str] = &["title", "body", "read", "sensitive"];
const HELP_LINK_KEYS: &[&str] = &["label", "url"];
const TEST_KEYS: &[&str] = &["name", "answers", "outcome"];

/// Reads the flow's shape out of its YAML tree, reporting every problem into `problems`.
pub fn read(tree: &Yaml, source: &SourceFile, problems: &mut Diagnostics) -> FlowSource {
    let mut reader = Reader { source, problems };
    reader.flow(tree)
}

struct Reader<'a> {
    source: &'a SourceFile,
    problems: &'a mut Diagnostics,
}

impl Reader<'_> {
    fn error(&mut self, range: Range<usize>, message: String, help: impl Into<String>) {
        self.problems
            .push(Diagnostic::error(message).at(self.source, range).help(help));
    }

    fn flow(&mut self, tree: &Yaml) -> FlowSource {
        let mut flow = FlowSource::default();
        let Some(entries) = self.mapping(
            tree,
            "the flow",
            "write the flow as keys: `title:`, `start:`, `nodes:`, `outcomes:`",
        ) else {
            return flow;
        };
        for (key, value) in self.known_entries(entries, FLOW_KEYS) {
            match key.as_str() {
                "title" => flow.title = self.text(value, "title", "give the quiz a title"),
                "description" => {
                    flow.description = self.text(
                        value,
                        "description",
                        "describe the quiz in a sentence, or remove the key",
                    );
                }
                "intro" => {
                    flow.intro = self.text(
                        value,
                        "intro",
                        "write a line or two of Markdown to show under the title, or remove the key",
                    );
                }
                "exit" => {
                    flow.exit = self.text(
                        value,
                        "exit",
                        "write the address \"Exit this page\" leads to, e.g. `exit: https://www.bbc.co.uk/weather`, or remove the key for that default",
                    );
                }
                "help" => {
                    flow.help_key = key_range(entries, "help");
                    flow.help = self.help_links(value);
                }
                "start" => {
                    flow.start = self.text(
                        value,
                        "start",
                        "name the first question, e.g. `start: first-question`",
                    );
                }
                "nodes" => flow.questions = self.questions(value),
                "outcomes" => flow.outcomes = self.outcomes(value),
                "tests" => flow.tests = self.tests(value),
                _ => {}
            }
        }
        let at_top = tree.range.start..tree.range.start;
        for (key, help) in [
            ("title", "add `title: <the quiz's title>`"),
            ("start", "add `start: <id of the first question>`"),
        ] {
            if !has_key(entries, key, FLOW_KEYS) {
                self.error(at_top.clone(), format!("the flow has no `{key}`"), help);
            }
        }
        for key in ["nodes", "outcomes"] {
            if !has_key(entries, key, FLOW_KEYS) {
                self.error(
                    at_top.clone(),
                    format!("the flow has no `{key}`"),
                    format!(
                        "add `{key}:` with {} by id",
                        if key == "nodes" {
                            "its questions"
                        } else {
                            "its outcomes"
                        }
                    ),
                );
            }
        }
        flow
    }

    fn questions(&mut self, value: &Yaml) -> Vec<QuestionSource> {
        let Some(entries) = self.mapping(
            value,
            "`nodes`",
            "write the questions under their ids:\nnodes:\n  first-question:\n    question: …",
        ) else {
            return Vec::new();
        };
        let mut questions = Vec::new();
        for (key, body) in entries {
            let Some(id) = self.id(key) else { continue };
            let mut question = QuestionSource {
                answers_key: None,
                answers_broken: false,
                id,
                question: None,
                help: None,
                lead: None,
                sensitive: None,
                answers: Vec::new(),
            };
            if let Some(fields) = self.mapping(
                body,
                &format!("the question `{}`", question.id.value),
                "write `question:` and `answers:` under the id",
            ) {
                for (field, value) in self.known_entries(fields, QUESTION_KEYS) {
                    match field.as_str() {
                        "question" => {
                            question.question =
                                self.text(value, "question", "write the question to ask");
                        }
                        "help" => {
                            question.help = self.text(
                                value,
                                "help",
                                "write help text in Markdown, or remove the key",
                            );
                        }
                        "lead" => {
                            question.lead = self.text(
                                value,
                                "lead",
                                "write a short line to show above the question, e.g. `lead: First, a safety check`, or remove the key",
                            );
                        }
                        "sensitive" => question.sensitive = self.flag(value, "sensitive"),
                        "answers" => {
                            question.answers_key = key_range(fields, "answers");
                            (question.answers, question.answers_broken) = self.answers(value);
                        }
                        _ => {}
                    }
                }
                self.require(
                    fields,
                    &question.id,
                    "question",
                    "question",
                    "add `question: <the text to ask>`",
                );
                self.require(
                    fields,
                    &question.id,
                    "question",
                    "answers",
                    "add `answers:` with at least two `{ label: …, next: … }`",
                );
            }
            questions.push(question);
        }
        questions
    }

    /// The answers, and whether any of them (or the list itself) could not be read.
    fn answers(&mut self, value: &Yaml) -> (Vec<AnswerSource>, bool) {
        let Some(items) = self.sequence(
            value,
            "`answers`",
            "write the answers as a list:\nanswers:\n  - { label: \"Yes\", next: some-id }",
        ) else {
            return (Vec::new(), true);
        };
        let mut answers = Vec::new();
        let mut broken = false;
        for item in items {
            let Some(fields) = self.mapping(
                item,
                "an answer",
                "write an answer as `{ label: …, next: … }`",
            ) else {
                broken = true;
                continue;
            };
            let mut answer = AnswerSource {
                label: None,
                next: None,
            };
            for (field, value) in self.known_entries(fields, ANSWER_KEYS) {
                match field.as_str() {
                    "label" => answer.label = self.text(value, "label", "write the answer's text"),
                    "next" => {
                        answer.next = self.text(
                            value,
                            "next",
                            "name the question or outcome this answer leads to",
                        );
                    }
                    _ => {}
                }
            }
            let at = item.range.clone();
            for (key, help) in [
                ("label", "add `label: <the answer's text>`"),
                ("next", "add `next: <id of a question or an outcome>`"),
            ] {
                if !has_key(fields, key, ANSWER_KEYS) {
                    self.error(at.clone(), format!("this answer has no `{key}`"), help);
                }
            }
            answers.push(answer);
        }
        (answers, broken)
    }

    fn outcomes(&mut self, value: &Yaml) -> Vec<OutcomeSource> {
        let Some(entries) = self.mapping(value, "`outcomes`", "write the outcomes under their ids:\noutcomes:\n  some-outcome:\n    title: …\n    body: …") else {
            return Vec::new();
        };
        let mut outcomes = Vec::new();
        for (key, body) in entries {
            let Some(id) = self.id(key) else { continue };
            let mut outcome = OutcomeSource {
                id,
                title: None,
                body: None,
                read: Vec::new(),
                sensitive: None,
            };
            if let Some(fields) = self.mapping(
                body,
                &format!("the outcome `{}`", outcome.id.value),
                "write `title:`, `body:` and `read:` under the id",
            ) {
                for (field, value) in self.known_entries(fields, OUTCOME_KEYS) {
                    match field.as_str() {
                        "title" => {
                            outcome.title = self.text(value, "title", "give the outcome a title");
                        }
                        "body" => {
                            outcome.body =
                                self.text(value, "body", "write the outcome's text in Markdown");
                        }
                        "read" => outcome.read = self.read_links(value),
                        "sensitive" => outcome.sensitive = self.flag(value, "sensitive"),
                        _ => {}
                    }
                }
                self.require(
                    fields,
                    &outcome.id,
                    "outcome",
                    "title",
                    "add `title: <the outcome in a few words>`",
                );
                self.require(
                    fields,
                    &outcome.id,
                    "outcome",
                    "body",
                    "add `body:` with the outcome's text in Markdown",
                );
            }
            outcomes.push(outcome);
        }
        outcomes
    }

    fn read_links(&mut self, value: &Yaml) -> Vec<Text> {
        let Some(items) = self.sequence(
            value,
            "`read`",
            "write the links as a list, e.g. `read: [../faq.md#ever, ../reasons/healing.md]`",
        ) else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| {
                self.text(
                    item,
                    "a `read` link",
                    "write a path to a Markdown file, e.g. `../faq.md#ever`",
                )
            })
            .collect()
    }

    fn help_links(&mut self, value: &Yaml) -> Vec<HelpLinkSource> {
        let Some(items) = self.sequence(
            value,
            "`help`",
            "write the help links as a list:\nhelp:\n  - { label: Find a helpline, url: \"https://findahelpline.com/\" }",
        ) else {
            return Vec::new();
        };
        let mut links = Vec::new();
        for item in items {
            let Some(fields) = self.mapping(
                item,
                "a help link",
                "write a help link as `{ label: …, url: … }`",
            ) else {
                continue;
            };
            let mut link = HelpLinkSource {
                label: None,
                url: None,
            };
            for (field, value) in self.known_entries(fields, HELP_LINK_KEYS) {
                match field.as_str() {
                    "label" => link.label = self.text(value, "label", "write the link's text"),
                    "url" => {
                        link.url = self.text(
                            value,
                            "url",
                            "write the address the link leads to, e.g. `https://findahelpline.com/`",
                        );
                    }
                    _ => {}
                }
            }
            for (key, help) in [
                ("label", "add `label: <the link's text>`"),
                ("url", "add `url: <the address it leads to>`"),
            ] {
                if !has_key(fields, key, HELP_LINK_KEYS) {
                    self.error(
                        item.range.clone(),
                        format!("this help link has no `{key}`"),
                        help,
                    );
                }
            }
            links.push(link);
        }
        links
    }

    fn tests(&mut self, value: &Yaml) -> Vec<TestSource> {
        let Some(items) = self.sequence(value, "`tests`", "write the tests as a list:\ntests:\n  - answers: [\"Yes\", 2]\n    outcome: some-outcome") else {
            return Vec::new();
        };
        let mut tests = Vec::new();
        for item in items {
            let Some(fields) = self.mapping(
                item,
                "a test",
                "write a test as `{ answers: […], outcome: … }`",
            ) else {
                continue;
            };
            let mut test = TestSource {
                name: None,
                steps: Vec::new(),
                range: item.range.clone(),
                outcome: None,
            };
            for (field, value) in self.known_entries(fields, TEST_KEYS) {
                match field.as_str() {
                    "name" => {
                        test.name = self.text(value, "name", "name the test, or remove the key");
                    }
                    "outcome" => {
                        test.outcome = self.text(
                            value,
                            "outcome",
                            "name the outcome these answers must reach",
                        );
                    }
                    "answers" => test.steps = self.steps(value),
                    _ => {}
                }
            }
            for (key, help) in [
                (
                    "answers",
                    "add `answers:` with the answers to give, as labels or 1-based positions",
                ),
                (
                    "outcome",
                    "add `outcome: <id of the outcome the answers must reach>`",
                ),
            ] {
                if !has_key(fields, key, TEST_KEYS) {
                    self.error(
                        item.range.clone(),
                        format!("this test has no `{key}`"),
                        help,
                    );
                }
            }
            tests.push(test);
        }
        tests
    }

    fn steps(&mut self, value: &Yaml) -> Vec<Step> {
        let help = "write each answer as its label (text) or its position (1 for the first answer)";
        let Some(items) = self.sequence(value, "`answers`", help) else {
            return Vec::new();
        };
        let mut steps = Vec::new();
        for item in items {
            match &item.kind {
                Kind::Int(position) => steps.push(Step::Position(*position, item.range.clone())),
                Kind::Str(_) | Kind::Bool(_) | Kind::Float(_) => {
                    if let Some(label) = self.text(item, "an answer", help) {
                        steps.push(Step::Label(label));
                    }
                }
                _ => self.error(
                    item.range.clone(),
                    format!(
                        "an answer in a test must be a label or a position, not {}",
                        item.describe()
                    ),
                    help,
                ),
            }
        }
        steps
    }

    /// The entries of a mapping, or an error saying what `what` should have been.
    fn mapping<'t>(
        &mut self,
        value: &'t Yaml,
        what: &str,
        help: &str,
    ) -> Option<&'t [(Yaml, Yaml)]> {
        match &value.kind {
            Kind::Map(entries) => Some(entries),
            other => {
                let message = if *other == Kind::Null {
                    format!("{what} is empty")
                } else {
                    format!(
                        "{what} must be a set of `key: value` lines, not {}",
                        value.describe()
                    )
                };
                self.error(value.range.clone(), message, help);
                None
            }
        }
    }

    fn sequence<'t>(&mut self, value: &'t Yaml, what: &str, help: &str) -> Option<&'t [Yaml]> {
        match &value.kind {
            Kind::Seq(items) => Some(items),
            Kind::Null => {
                self.error(value.range.clone(), format!("{what} is empty"), help);
                None
            }
            _ => {
                self.error(
                    value.range.clone(),
                    format!("{what} must be a list, not {}", value.describe()),
                    help,
                );
                None
            }
        }
    }

    /// A non-empty text; numbers and booleans count as the text they are written as.
    fn text(&mut self, value: &Yaml, what: &str, help: &str) -> Option<Text> {
        let what = if what.contains(' ') {
            what.to_string()
        } else {
            format!("`{what}`")
        };
        match value.scalar_text(self.source) {
            Some(text) if text.trim().is_empty() => {
                self.error(value.range.clone(), format!("{what} is empty"), help);
                None
            }
            Some(text) => Some(Text {
                value: text,
                range: value.range.clone(),
            }),
            None if value.kind == Kind::Null => {
                self.error(value.range.clone(), format!("{what} is empty"), help);
                None
            }
            None => {
                self.error(
                    value.range.clone(),
                    format!("{what} must be text, not {}", value.describe()),
                    help,
                );
                None
            }
        }
    }

    /// A `true` or `false`.
    fn flag(&mut self, value: &Yaml, what: &str) -> Option<Flag> {
        if let Kind::Bool(flag) = value.kind {
            return Some(Flag {
                value: flag,
                range: value.range.clone(),
            });
        }
        let message = if value.kind == Kind::Null {
            format!("`{what}` is empty")
        } else {
            format!(
                "`{what}` must be `true` or `false`, not {}",
                value.describe()
            )
        };
        self.error(
            value.range.clone(),
            message,
            format!("write `{what}: true`, or remove the key (the default is `false`)"),
        );
        None
    }

    /// An id written as a mapping key (URL-safety is checked with the graph).
    fn id(&mut self, key: &Yaml) -> Option<Text> {
        match key.scalar_text(self.source) {
            Some(value) => Some(Text {
                value,
                range: key.range.clone(),
            }),
            None => {
                self.error(
                    key.range.clone(),
                    format!("an id must be text, not {}", key.describe()),
                    "use lowercase letters, digits and dashes, e.g. `first-question`",
                );
                None
            }
        }
    }

    /// The entries whose keys are known; each unknown key is reported with a suggestion.
    fn known_entries<'t>(
        &mut self,
        entries: &'t [(Yaml, Yaml)],
        known: &[&str],
    ) -> Vec<(String, &'t Yaml)> {
        let mut found = Vec::new();
        for (key, value) in entries {
            let name = key.scalar_text(self.source).unwrap_or_default();
            if known.contains(&name.as_str()) {
                found.push((name, value));
                continue;
            }
            let help = match meant(&name, known) {
                Some(best) => format!("did you mean `{best}`? Known keys: {}", known.join(", ")),
                None => format!("known keys: {}", known.join(", ")),
            };
            self.error(key.range.clone(), format!("unknown key `{name}`"), help);
        }
        found
    }

    /// Reports a required key missing under the node `id`.
    fn require(&mut self, fields: &[(Yaml, Yaml)], id: &Text, kind: &str, key: &str, help: &str) {
        let known = if kind == "question" {
            QUESTION_KEYS
        } else {
            OUTCOME_KEYS
        };
        if !has_key(fields, key, known) {
            self.error(
                id.range.clone(),
                format!("the {kind} `{}` has no `{key}`", id.value),
                help,
            );
        }
    }
}

/// Where `key` is written among `entries`.
fn key_range(entries: &[(Yaml, Yaml)], key: &str) -> Option<Range<usize>> {
    entries
        .iter()
        .find(|(k, _)| matches!(&k.kind, Kind::Str(name) if name == key))
        .map(|(k, _)| k.range.clone())
}

/// True when `key` is written in `entries`, or as an unknown key that [`meant`] it: the
/// unknown key is reported already, and "missing `key`" would only repeat it.
fn has_key(entries: &[(Yaml, Yaml)], key: &str, known: &[&str]) -> bool {
    entries.iter().any(|(k, _)| match &k.kind {
        Kind::Str(name) if name == key => true,
        Kind::Str(name) if !known.contains(&name.as_str()) => meant(name, known) == Some(key),
        _ => false,
    })
}

/// Words editors write for the flow's keys, from other quiz tools and from plain English.
const OTHER_NAMES: &[(&str, &[&str])] = &[
    ("nodes", &["questions", "steps", "node", "items"]),
    (
        "outcomes",
        &["results", "result", "endings", "answers_to", "outcome"],
    ),
    (
        "start",
        &["first", "begin", "start_at", "entry", "first_question"],
    ),
    ("tests", &["test", "cases", "examples"]),
    ("question", &["text", "prompt", "ask", "title", "q"]),
    ("answers", &["options", "choices", "answer", "replies"]),
    ("label", &["text", "answer", "title", "option", "choice"]),
    (
        "next",
        &["goto", "go_to", "to", "then", "target", "leads_to", "go"],
    ),
    (
        "body",
        &["text", "description", "content", "message", "explanation"],
    ),
    ("read", &["links", "see", "more", "see_also", "read_more"]),
    (
        "outcome",
        &["expect", "expected", "result", "reaches", "end"],
    ),
    ("name", &["title", "description"]),
    ("title", &["name", "heading"]),
    ("description", &["intro", "summary", "about"]),
];

/// The known key an unknown `name` most likely meant: a near spelling, or another name for
/// it (`questions` for `nodes`).
fn meant<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    crate::suggest::closest(name, known.iter().copied()).or_else(|| {
        let lower = name.to_lowercase();
        known.iter().copied().find(|key| {
            OTHER_NAMES
                .iter()
                .any(|(k, others)| k == key && others.contains(&lower.as_str()))
        })
    })
}
