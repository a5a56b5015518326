//! Quiz pages: one static HTML page per question and outcome, and the flow as JSON.
//!
//! `/quiz/<name>/` is the quiz's front page with its first question (the one page meant for
//! search engines), `/quiz/<name>/<id>/` every other question and every outcome. Answers
//! are plain links, so the quiz works without JavaScript and the browser's back button and
//! bookmarks just work; URLs name only the node, never the answers given. Each page has a
//! Back link to the node's one parent (else to the start), as the compiler worked out.
//! `/quiz/<name>/flow.json` carries the same flow for `quiz.js`, which runs it in place,
//! in one history entry.

use serde::Serialize;
use tera::Value;

use super::compile::CompiledFlow;
use super::graph::NodeRef;
use crate::content::Site;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{Kind, Origin, OutputFile};
use crate::paths::RelPath;
use crate::templates::{Job, SiteValues, Templates};

/// The template for question pages.
pub const QUESTION_TEMPLATE: &str = "quiz_question.html";
/// The template for outcome pages.
pub const OUTCOME_TEMPLATE: &str = "quiz_outcome.html";
/// The file, in each quiz's folder, that holds the flow for `quiz.js`.
pub const DATA_FILE: &str = "flow.json";

/// The pages of every flow, as template jobs, and each flow's data file.
pub fn jobs(
    site: &Site,
    flows: &[CompiledFlow],
    values: &SiteValues,
    templates: &Templates,
    problems: &mut Diagnostics,
) -> (Vec<Job>, Vec<OutputFile>) {
    if flows.is_empty() {
        return (Vec::new(), Vec::new());
    }
    for name in [QUESTION_TEMPLATE, OUTCOME_TEMPLATE] {
        if !templates.contains(name) {
            problems.push(
                Diagnostic::error(format!("the site has quizzes but no template `{name}`"))
                    .in_file(format!("templates/{name}"))
                    .help(format!(
                        "add templates/{name} to the site or the theme, or extend the default theme, which has it"
                    )),
            );
        }
    }
    if problems.has_errors() {
        return (Vec::new(), Vec::new());
    }
    let mut files = Vec::new();
    let mut jobs = Vec::new();
    for flow in flows {
        let Some(file) = site.flow_keys.get(&flow.key).map(|i| &site.flows[*i]) else {
            continue;
        };
        let urls = Urls {
            site,
            flow,
            site_path: &file.site_path,
        };
        let origin = Origin::file(
            Kind::Quiz,
            crate::diagnostics::SourceFile::display_name(&site.root, &file.path),
        );
        match checked(&format!("{}{DATA_FILE}", file.site_path), &origin) {
            Ok(path) => files.push(OutputFile {
                path,
                bytes: data_json(flow, &urls).into_bytes().into(),
                origin: origin.clone(),
            }),
            Err(problem) => problems.push(problem),
        }
        page_jobs(site, values, flow, &urls, &origin, &mut jobs, problems);
    }
    (jobs, files)
}

/// Where each node of one flow is published.
struct Urls<'a> {
    site: &'a Site,
    flow: &'a CompiledFlow,
    site_path: &'a str,
}

impl Urls<'_> {
    /// Path below the site root: the quiz's own path for the first question.
    fn path(&self, node: NodeRef) -> String {
        match node {
            NodeRef::Question(q) if q == self.flow.start => self.site_path.to_string(),
            NodeRef::Question(q) => format!("{}{}/", self.site_path, self.flow.questions[q].id),
            NodeRef::Outcome(o) => format!("{}{}/", self.site_path, self.flow.outcomes[o].id),
        }
    }

    /// The node's id.
    fn id(&self, node: NodeRef) -> &str {
        match node {
            NodeRef::Question(q) => &self.flow.questions[q].id,
            NodeRef::Outcome(o) => &self.flow.outcomes[o].id,
        }
    }

    fn link(&self, node: NodeRef) -> String {
        self.site.config.base_url.link(&self.path(node))
    }

    /// Where a Back link without JavaScript leads: the one parent, else the first question.
    fn back(&self, parent: Option<usize>) -> NodeRef {
        NodeRef::Question(parent.unwrap_or(self.flow.start))
    }

    /// An outcome as templates and `flow.json` see it.
    fn outcome(&self, index: usize) -> OutcomeValue<'_> {
        let outcome = &self.flow.outcomes[index];
        let back = self.back(outcome.parent);
        let path = outcome.path.as_deref().unwrap_or_default();
        OutcomeValue {
            id: &outcome.id,
            title: &outcome.title,
            body: &outcome.body_html,
            url: self.link(NodeRef::Outcome(index)),
            sensitive: outcome.sensitive,
            back_url: self.link(back),
            back: self.id(back),
            path: path
                .iter()
                .filter_map(|&(question, answer)| {
                    let question = self.flow.questions.get(question)?;
                    Some(PathStep {
                        question: &question.text,
                        answer: &question.answers.get(answer)?.label,
                    })
                })
                .collect(),
            read: outcome.read.iter().map(ReadValue::from).collect(),
        }
    }
}

/// A job for the quiz page at `site_path`, with the values every template gets.
fn quiz_job(
    template: &str,
    site_path: &str,
    (site, values, origin): (&Site, &SiteValues, &Origin),
    quiz: &Value,
) -> Result<Job, Diagnostic> {
    let output = checked(&format!("{site_path}index.html"), origin)?;
    let mut job = crate::templates::jobs::job(
        template.to_string(),
        (output, origin.clone()),
        values,
        site,
        site_path,
    );
    job.insert("quiz", quiz.clone());
    Ok(job)
}

fn page_jobs(
    site: &Site,
    values: &SiteValues,
    flow: &CompiledFlow,
    urls: &Urls,
    origin: &Origin,
    jobs: &mut Vec<Job>,
    problems: &mut Diagnostics,
) {
    let base = &site.config.base_url;
    let quiz = Value::from_serializable(&QuizValue {
        key: &flow.key,
        title: &flow.title,
        description: &flow.description,
        intro: flow.intro_html.as_deref(),
        exit: &flow.exit,
        help: flow.help.iter().map(HelpValue::from).collect(),
        max_steps: flow.questions[flow.start].max_steps,
        start: &flow.questions[flow.start].id,
        url: base.link(urls.site_path),
        permalink: base.permalink(urls.site_path),
        data_url: base.link(&format!("{}{DATA_FILE}", urls.site_path)),
        question_count: flow.questions.len(),
        outcome_count: flow.outcomes.len(),
    });
    let common = (site, values, origin);
    for (index, question) in flow.questions.iter().enumerate() {
        let node = NodeRef::Question(index);
        let is_start = index == flow.start;
        let back = urls.back(question.parent);
        let value = QuestionValue {
            id: &question.id,
            question: &question.text,
            help: question.help_html.as_deref(),
            lead: question.lead.as_deref(),
            sensitive: question.sensitive,
            step: question.step,
            max_steps: question.max_steps,
            url: urls.link(node),
            back_url: (!is_start).then(|| urls.link(back)),
            back: (!is_start).then(|| urls.id(back)),
            is_start,
            answers: question
                .answers
                .iter()
                .map(|a| AnswerValue {
                    label: &a.label,
                    url: urls.link(a.next),
                    next: urls.id(a.next),
                    outcome: matches!(a.next, NodeRef::Outcome(_)),
                })
                .collect(),
        };
        match quiz_job(QUESTION_TEMPLATE, &urls.path(node), common, &quiz) {
            Ok(mut job) => {
                job.insert("question", Value::from_serializable(&value));
                jobs.push(job);
            }
            Err(problem) => problems.push(problem),
        }
    }
    for index in 0..flow.outcomes.len() {
        let node = NodeRef::Outcome(index);
        let value = urls.outcome(index);
        match quiz_job(OUTCOME_TEMPLATE, &urls.path(node), common, &quiz) {
            Ok(mut job) => {
                job.insert("outcome", Value::from_serializable(&value));
                jobs.push(job);
            }
            Err(problem) => problems.push(problem),
        }
    }
}

/// A quiz file's output path, checked (a long quiz or node name can be too long for a
/// file name).
fn checked(path: &str, origin: &Origin) -> Result<RelPath, Diagnostic> {
    RelPath::new(path).map_err(|error| {
        Diagnostic::error(format!("cannot publish /{path}: {}", error.message()))
            .in_file(origin.name.to_string())
            .help(error.help())
    })
}

/// `quiz` in quiz templates.
#[derive(Serialize)]
struct QuizValue<'a> {
    key: &'a str,
    title: &'a str,
    description: &'a str,
    intro: Option<&'a str>,
    exit: &'a str,
    help: Vec<HelpValue<'a>>,
    max_steps: usize,
    start: &'a str,
    url: String,
    permalink: String,
    data_url: String,
    question_count: usize,
    outcome_count: usize,
}

/// `question` in `quiz_question.html`.
#[derive(Serialize)]
struct QuestionValue<'a> {
    id: &'a str,
    question: &'a str,
    help: Option<&'a str>,
    lead: Option<&'a str>,
    sensitive: bool,
    step: usize,
    max_steps: usize,
    url: String,
    back_url: Option<String>,
    back: Option<&'a str>,
    is_start: bool,
    answers: Vec<AnswerValue<'a>>,
}

#[derive(Serialize)]
struct AnswerValue<'a> {
    label: &'a str,
    url: String,
    next: &'a str,
    outcome: bool,
}

/// `outcome` in `quiz_outcome.html`.
#[derive(Serialize)]
struct OutcomeValue<'a> {
    id: &'a str,
    title: &'a str,
    body: &'a str,
    url: String,
    sensitive: bool,
    back_url: String,
    back: &'a str,
    path: Vec<PathStep<'a>>,
    read: Vec<ReadValue<'a>>,
}

/// One answer along the one path to an outcome.
#[derive(Serialize)]
struct PathStep<'a> {
    question: &'a str,
    answer: &'a str,
}

#[derive(Serialize)]
struct HelpValue<'a> {
    label: &'a str,
    url: &'a str,
}

impl<'a> From<&'a super::compile::HelpLink> for HelpValue<'a> {
    fn from(link: &'a super::compile::HelpLink) -> Self {
        HelpValue {
            label: &link.label,
            url: &link.url,
        }
    }
}

#[derive(Serialize)]
struct ReadValue<'a> {
    title: &'a str,
    page: Option<&'a str>,
    url: &'a str,
}

impl<'a> From<&'a super::compile::ReadLink> for ReadValue<'a> {
    fn from(link: &'a super::compile::ReadLink) -> Self {
        ReadValue {
            title: &link.title,
            page: link.page.as_deref(),
            url: &link.url,
        }
    }
}

/// The flow for `quiz.js`: every node with its URL, texts as shown, HTML already sanitized.
/// Nodes are lists (not objects keyed by id), so no id can collide with a JavaScript
/// object's own properties.
fn data_json(flow: &CompiledFlow, urls: &Urls) -> String {
    #[derive(Serialize)]
    struct Data<'a> {
        title: &'a str,
        description: &'a str,
        intro: Option<&'a str>,
        exit: &'a str,
        help: Vec<HelpValue<'a>>,
        start: &'a str,
        questions: Vec<QuestionData<'a>>,
        outcomes: Vec<OutcomeValue<'a>>,
    }
    #[derive(Serialize)]
    struct QuestionData<'a> {
        id: &'a str,
        url: String,
        question: &'a str,
        help: Option<&'a str>,
        lead: Option<&'a str>,
        sensitive: bool,
        step: usize,
        max_steps: usize,
        back: Option<&'a str>,
        answers: Vec<AnswerData<'a>>,
    }
    #[derive(Serialize)]
    struct AnswerData<'a> {
        label: &'a str,
        next: &'a str,
    }
    let data = Data {
        title: &flow.title,
        description: &flow.description,
        intro: flow.intro_html.as_deref(),
        exit: &flow.exit,
        help: flow.help.iter().map(HelpValue::from).collect(),
        start: &flow.questions[flow.start].id,
        questions: flow
            .questions
            .iter()
            .enumerate()
            .map(|(index, q)| QuestionData {
                id: &q.id,
                url: urls.link(NodeRef::Question(index)),
                question: &q.text,
                help: q.help_html.as_deref(),
                lead: q.lead.as_deref(),
                sensitive: q.sensitive,
                step: q.step,
                max_steps: q.max_steps,
                back: (index != flow.start).then(|| urls.id(urls.back(q.parent))),
                answers: q
                    .answers
                    .iter()
                    .map(|a| AnswerData {
                        label: &a.label,
                        next: urls.id(a.next),
                    })
                    .collect(),
            })
            .collect(),
        outcomes: (0..flow.outcomes.len())
            .map(|index| urls.outcome(index))
            .collect(),
    };
    // Serializing plain strings and numbers cannot fail; an empty object keeps quiz.js
    // (which then leaves the static page alone) safe should it ever.
    serde_json::to_string(&data).unwrap_or_else(|_| "{}".to_string())
}
