//! The compiler: a flow file in, a checked flow (or every problem with it) out.
//!
//! Stages, each reporting all it finds: YAML → shape ([`super::schema`]) → graph
//! ([`super::graph`]) → the flow's tests (`walkthrough`) → links and Markdown,
//! checked against the site when there is one → the addresses of `exit` and `help`.
//! Only a flow without errors is compiled.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::graph::{self, NodeRef};
use super::schema::{self, FlowSource, Text};
use crate::content::links::Resolved;
use crate::content::{Site, Target};
use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::markdown::{self, LinkTarget, MarkdownOptions};
use crate::render::{self, SiteMarkdown};
use crate::yaml::Yaml;

/// Where "Exit this page" leads when a flow does not say: the neutral page GOV.UK's own
/// "Exit this page" component uses, a weather forecast anyone might be reading.
pub const DEFAULT_EXIT: &str = "https://www.bbc.co.uk/weather";

/// A flow without errors, ready to become pages.
#[derive(Debug, Clone)]
pub struct CompiledFlow {
    /// The file's content key, e.g. `quiz/should-i-contact-my-ex.yaml`.
    pub key: String,
    /// `title`.
    pub title: String,
    /// `description` (empty when not given).
    pub description: String,
    /// `intro` rendered from Markdown (sanitized), if given.
    pub intro_html: Option<String>,
    /// Where "Exit this page" leads: `exit`, or [`DEFAULT_EXIT`].
    pub exit: String,
    /// The links sensitive outcomes show, in order.
    pub help: Vec<HelpLink>,
    /// Index of the first question.
    pub start: usize,
    /// Questions in file order.
    pub questions: Vec<Question>,
    /// Outcomes in file order.
    pub outcomes: Vec<Outcome>,
}

/// A compiled question.
#[derive(Debug, Clone)]
pub struct Question {
    /// Its id, the last segment of its URL.
    pub id: String,
    /// The question, as plain text.
    pub text: String,
    /// `help` rendered from Markdown (sanitized), if given.
    pub help_html: Option<String>,
    /// `lead`: a short line shown above the question, if given.
    pub lead: Option<String>,
    /// Whether the page shows "Exit this page".
    pub sensitive: bool,
    /// The answers in order.
    pub answers: Vec<Answer>,
    /// 1 + the shortest distance from the first question.
    pub step: usize,
    /// `step` + the longest chain of questions still ahead.
    pub max_steps: usize,
    /// The one question leading here, where a Back link without JavaScript goes; `None`
    /// for the first question, and where several questions lead here (Back then goes to
    /// the first question).
    pub parent: Option<usize>,
}

/// A compiled answer.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The text of the answer.
    pub label: String,
    /// Where it leads.
    pub next: NodeRef,
}

/// A compiled outcome.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Its id, the last segment of its URL.
    pub id: String,
    /// The outcome in a few words.
    pub title: String,
    /// `body` rendered from Markdown (sanitized).
    pub body_html: String,
    /// Pages and headings to read next.
    pub read: Vec<ReadLink>,
    /// Whether the page shows "Exit this page" and the flow's help links.
    pub sensitive: bool,
    /// The one question leading here, if only one does.
    pub parent: Option<usize>,
    /// `(question, answer)` by index along the one path that reaches this outcome; `None`
    /// when several do.
    pub path: Option<Vec<(usize, usize)>>,
}

/// A link of the flow's `help` list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpLink {
    /// The link's text.
    pub label: String,
    /// Its address, as written (checked: `https:`, `http:`, `tel:` or `mailto:`).
    pub url: String,
}

/// A page or heading an outcome sends the reader to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadLink {
    /// The page's title, or the heading's text for a link to a heading.
    pub title: String,
    /// For a link to a heading: the title of the page it is on.
    pub page: Option<String>,
    /// Root-relative URL, with the `#anchor` if any.
    pub url: String,
}

/// What the compiler needs from the site to check and resolve links.
pub struct SiteLinks<'a> {
    /// The loaded site.
    pub site: &'a Site,
    /// Its rendered Markdown, for heading titles.
    pub rendered: &'a SiteMarkdown,
    /// Heading ids by content key.
    pub ids: HashMap<&'a str, HashSet<&'a str>>,
}

impl<'a> SiteLinks<'a> {
    /// Indexes the site's headings once, for all flows.
    pub fn new(site: &'a Site, rendered: &'a SiteMarkdown) -> Self {
        SiteLinks {
            site,
            rendered,
            ids: render::heading_ids(site, rendered),
        }
    }
}

/// Everything compiling one file produced.
#[derive(Debug, Default)]
pub struct Compilation {
    /// The compiled flow, when it has no errors.
    pub flow: Option<CompiledFlow>,
    /// The flow as written, when its YAML could be parsed (for `cairn quiz graph`).
    pub written: Option<FlowSource>,
    /// Every error and warning, in file order.
    pub problems: Diagnostics,
}

/// Compiles the flow in `source` (content key `key`). Without `links`, links are not
/// checked and stay as written (for a flow checked outside a site).
pub fn compile(
    source: &SourceFile,
    key: &str,
    links: Option<&SiteLinks>,
    options: &MarkdownOptions,
) -> Compilation {
    let mut problems = Diagnostics::default();
    let tree = match Yaml::parse(source) {
        Ok(tree) => tree,
        Err(error) => {
            return Compilation {
                problems: error.into(),
                ..Compilation::default()
            };
        }
    };
    problems.extend(crate::yaml::lints::lint(&tree, source, &[]));
    let written = schema::read(&tree, source, &mut problems);
    let graph = graph::check(&written, source, &mut problems);
    // The flow's tests describe the flow as meant: walked through a flow with errors (an
    // answer that could not be read, a cycle, an answer leading nowhere) they fail for the
    // same reason, so they wait.
    if problems.error_count() == 0 {
        super::walkthrough::run(&written, &graph, source, &mut problems);
    }
    let mut texts = Texts {
        source,
        key,
        links,
        options,
        problems: &mut problems,
    };
    let helps: Vec<Option<String>> = written
        .questions
        .iter()
        .map(|q| q.help.as_ref().map(|help| texts.markdown(help)))
        .collect();
    let bodies: Vec<String> = written
        .outcomes
        .iter()
        .map(|o| {
            o.body
                .as_ref()
                .map(|body| texts.markdown(body))
                .unwrap_or_default()
        })
        .collect();
    let reads: Vec<Vec<ReadLink>> = written
        .outcomes
        .iter()
        .map(|o| {
            o.read
                .iter()
                .filter_map(|link| texts.read_link(link))
                .collect()
        })
        .collect();
    let intro = written.intro.as_ref().map(|intro| texts.markdown(intro));
    let (exit, help) = addresses(&written, source, &mut problems);
    problems.sort();
    let rendered = Rendered {
        intro,
        helps,
        bodies,
        reads,
        exit,
        help,
    };
    let flow = match graph.start {
        Some(start)
            if !problems.has_errors() && graph.progress.len() == written.questions.len() =>
        {
            Some(assemble(&written, &graph, start, key, rendered))
        }
        _ => None,
    };
    Compilation {
        flow,
        written: Some(written),
        problems,
    }
}

/// What the compiler made of the flow's texts and addresses.
struct Rendered {
    intro: Option<String>,
    helps: Vec<Option<String>>,
    bodies: Vec<String>,
    reads: Vec<Vec<ReadLink>>,
    exit: String,
    help: Vec<HelpLink>,
}

/// Schemes a `help` link may have: web pages, phone numbers (a helpline) and e-mail.
const HELP_SCHEMES: &[&str] = &["https", "http", "tel", "mailto"];
/// Schemes `exit` may have: it must lead to a web page.
const EXIT_SCHEMES: &[&str] = &["https", "http"];

/// Checks `exit` and the `help` links: `exit` (or [`DEFAULT_EXIT`]) and the help links
/// whose address is sound. Also warns when help links are given but no outcome would
/// show them.
fn addresses(
    written: &FlowSource,
    source: &SourceFile,
    problems: &mut Diagnostics,
) -> (String, Vec<HelpLink>) {
    let exit = written
        .exit
        .as_ref()
        .and_then(|exit| address(exit, "exit", EXIT_SCHEMES, source, problems))
        .unwrap_or_else(|| DEFAULT_EXIT.to_string());
    let help: Vec<HelpLink> = written
        .help
        .iter()
        .filter_map(|link| {
            let url = address(link.url.as_ref()?, "url", HELP_SCHEMES, source, problems)?;
            Some(HelpLink {
                label: link.label.as_ref()?.value.trim().to_string(),
                url,
            })
        })
        .collect();
    let shown = written
        .outcomes
        .iter()
        .any(|o| o.sensitive.as_ref().is_some_and(|f| f.value));
    if let Some(key) = &written.help_key
        && !written.help.is_empty()
        && !shown
    {
        problems.push(
            Diagnostic::warning(
                "no outcome shows these `help` links: none is marked `sensitive: true`",
            )
            .at(source, key.clone())
            .help("add `sensitive: true` to the outcomes that should show them, or remove `help`"),
        );
    }
    (exit, help)
}

/// The address in `text` when it is absolute and has one of `schemes`; otherwise reports
/// why not and returns `None`.
fn address(
    text: &Text,
    what: &str,
    schemes: &[&str],
    source: &SourceFile,
    problems: &mut Diagnostics,
) -> Option<String> {
    let written = text.value.trim();
    let allowed = schemes
        .iter()
        .map(|s| format!("`{s}:`"))
        .collect::<Vec<_>>()
        .join(", ");
    let problem = match url::Url::parse(written) {
        Ok(url) if schemes.contains(&url.scheme()) => return Some(written.to_string()),
        Ok(url) => Diagnostic::error(format!(
            "`{what}` cannot be a `{}:` address",
            url.scheme()
        ))
        .help(format!("use an address starting with one of {allowed}, e.g. `https://findahelpline.com/`")),
        Err(_) => Diagnostic::error(format!("`{written}` is not a full address"))
            .help(format!(
                "write the whole address, starting with one of {allowed}, e.g. `https://findahelpline.com/`"
            )),
    };
    problems.push(problem.at(source, text.range.clone()));
    None
}

/// Builds the compiled flow from a flow known to have no errors.
fn assemble(
    written: &FlowSource,
    graph: &graph::Graph,
    start: usize,
    key: &str,
    rendered: Rendered,
) -> CompiledFlow {
    let Rendered {
        intro,
        helps,
        bodies,
        reads,
        exit,
        help,
    } = rendered;
    let lineage = &graph.lineage;
    let flag = |f: &Option<schema::Flag>| f.as_ref().is_some_and(|f| f.value);
    let text = |t: &Option<Text>| {
        t.as_ref()
            .map(|t| t.value.trim().to_string())
            .unwrap_or_default()
    };
    let questions = written
        .questions
        .iter()
        .zip(helps)
        .enumerate()
        .map(|(index, (question, help_html))| Question {
            id: question.id.value.clone(),
            text: text(&question.question),
            help_html,
            answers: question
                .answers
                .iter()
                .zip(&graph.targets[index])
                .filter_map(|(answer, target)| {
                    Some(Answer {
                        label: text(&answer.label),
                        next: (*target)?,
                    })
                })
                .collect(),
            step: graph.progress[index].0,
            max_steps: graph.progress[index].1,
            lead: question.lead.as_ref().map(|l| l.value.trim().to_string()),
            sensitive: flag(&question.sensitive),
            parent: lineage.question_parents.get(index).copied().flatten(),
        })
        .collect();
    let outcomes = written
        .outcomes
        .iter()
        .zip(bodies)
        .zip(reads)
        .enumerate()
        .map(|(index, ((outcome, body_html), read))| Outcome {
            id: outcome.id.value.clone(),
            title: text(&outcome.title),
            body_html,
            read,
            sensitive: flag(&outcome.sensitive),
            parent: lineage.outcome_parents.get(index).copied().flatten(),
            path: lineage.outcome_paths.get(index).cloned().flatten(),
        })
        .collect();
    CompiledFlow {
        key: key.to_string(),
        title: text(&written.title),
        description: text(&written.description),
        intro_html: intro,
        exit,
        help,
        start,
        questions,
        outcomes,
    }
}

/// Renders Markdown texts and resolves `read` links, reporting broken ones.
struct Texts<'a> {
    source: &'a SourceFile,
    key: &'a str,
    links: Option<&'a SiteLinks<'a>>,
    options: &'a MarkdownOptions,
    problems: &'a mut Diagnostics,
}

impl Texts<'_> {
    /// Renders `text` (help or body) to sanitized HTML; broken links and anchors are
    /// reported at the link when it can be found in the file, else at the value.
    fn markdown(&mut self, text: &Text) -> String {
        let site = self.links.map(|l| l.site);
        let key = self.key;
        let rendered = markdown::render(&text.value, self.options, &|target, _| match site {
            Some(site) => render::link_target(site, key, target),
            None => LinkTarget::Unchanged,
        });
        for problem in &rendered.problems {
            let range = self.locate(text, &problem.range);
            self.problems.push(
                Diagnostic::with_severity(problem.severity, problem.message.clone())
                    .at(self.source, range)
                    .maybe_help(problem.help.clone()),
            );
        }
        for anchor in &rendered.anchor_refs {
            let missing = match (&anchor.page, self.links) {
                (Some(page), _) if page.is_empty() => None,
                (Some(page), Some(links)) => {
                    render::missing_anchor(links.site, &links.ids, page, &anchor.anchor)
                }
                (Some(_), None) => None,
                (None, _) => {
                    (!rendered.headings.iter().any(|h| h.id == anchor.anchor)).then(|| {
                        Diagnostic::error(format!(
                            "the anchor `#{}` does not exist in this text",
                            anchor.anchor
                        ))
                        .help("link to a heading of this text, or to a page: `../faq.md#ever`")
                    })
                }
            };
            if let Some(problem) = missing {
                let range = self.locate(text, &anchor.range);
                self.problems.push(problem.at(self.source, range));
            }
        }
        rendered.html
    }

    /// The place in the file of `range` of a Markdown value: the same text found within
    /// the value as written (block scalars are indented, so offsets differ), else the value.
    fn locate(&self, text: &Text, range: &Range<usize>) -> Range<usize> {
        let Some(wanted) = text.value.get(range.clone()).filter(|w| !w.is_empty()) else {
            return text.range.clone();
        };
        let Some(written) = self.source.text.get(text.range.clone()) else {
            return text.range.clone();
        };
        let mut found = written.match_indices(wanted);
        match (found.next(), found.next()) {
            (Some((at, _)), None) => {
                let start = text.range.start + at;
                start..start + wanted.len()
            }
            _ => text.range.clone(),
        }
    }

    /// Resolves one `read` entry to a page or heading of the site.
    fn read_link(&mut self, link: &Text) -> Option<ReadLink> {
        let links = self.links?;
        let site = links.site;
        let error =
            |message: String, help: Option<String>| Diagnostic::error(message).maybe_help(help);
        let problem = match site.resolve_link(self.key, link.value.trim()) {
            Resolved::Internal { url, key, anchor } => match site.targets.get(&key) {
                Some(target) => {
                    let (page_title, markdown) = match target {
                        Target::Page(i) => (&site.pages[*i].front.title.value, &links.rendered.pages[*i]),
                        Target::Section(i) => (&site.sections[*i].title, &links.rendered.sections[*i]),
                    };
                    let Some(anchor) = anchor else {
                        return Some(ReadLink {
                            title: page_title.clone(),
                            page: None,
                            url,
                        });
                    };
                    match render::missing_anchor(site, &links.ids, &key, &anchor) {
                        None => {
                            let heading = markdown.headings.iter().find(|h| h.id == anchor);
                            return Some(ReadLink {
                                title: heading.map_or_else(|| page_title.clone(), |h| h.title.clone()),
                                page: Some(page_title.clone()),
                                url: format!("{url}#{anchor}"),
                            });
                        }
                        Some(problem) => problem,
                    }
                }
                None => error(
                    format!("`{}` is a quiz; `read` links name pages or headings", link.value),
                    Some("link to a Markdown page, e.g. `../faq.md#ever`; link quizzes from the body".into()),
                ),
            },
            Resolved::Asset { .. } => error(
                format!("`{}` is a file, not a page", link.value),
                Some("`read` links name Markdown pages or their headings, e.g. `../faq.md#ever`".into()),
            ),
            // Not external: a page that failed to load, whose errors are reported already.
            Resolved::Unchanged if !crate::content::links::is_external(&link.value) => return None,
            Resolved::Unchanged => error(
                format!("`{}` is not a page of this site", link.value),
                Some("`read` links are paths to Markdown files relative to the flow, e.g. `../faq.md#ever`; put links to other sites in the body".into()),
            ),
            Resolved::Broken { message, help } => error(message, help),
        };
        self.problems
            .push(problem.at(self.source, link.range.clone()));
        None
    }
}
