//! The flow as a graph: ids, `start`, every `next`, reachability and cycles.
//!
//! One mistake is reported once: an answer sent back to an earlier question is the cycle
//! it closes (not also the questions caught in it, nor the branch it no longer leads to,
//! which is named in the cycle's help), and a branch nothing leads to is reported at its
//! first node (not at every node behind it).
//!
//! Questions and outcomes are nodes; each answer is an edge. A sound flow is a directed
//! acyclic graph in which every node is reachable from `start` and every question leads to
//! at least one outcome. On such a graph the progress numbers are well defined: a question
//! is at step 1 + its shortest distance from `start`, out of at most that step plus the
//! longest chain of questions still ahead of it. So is what a page without JavaScript can
//! say about the way there ([`Lineage`]): a node's one parent, and an outcome's one path.
//!
//! Every check is linear in the size of the flow, and so is the report: a generated flow of
//! thousands of questions can have a problem at each of them (or a cycle through all of
//! them at each), so each kind of problem is listed at most [`MAX_LISTED`] times and the rest
//! are summed up in one more diagnostic, and a long cycle is shown by its first and last ids.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::ops::Range;

use super::schema::{FlowSource, Text};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity, SourceFile};

/// How many problems of one kind a flow lists before the rest are summed up in one note.
pub const MAX_LISTED: usize = 20;

/// How many ids of a long cycle are shown before the `…`; its last two ids and the id it
/// returns to are shown too.
const CYCLE_IDS_SHOWN: usize = 6;

/// How many ids a help line lists before "and N more".
const HELP_IDS_SHOWN: usize = 10;

/// The kinds of problem a flow can have at many of its nodes, counted separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    UnsafeId,
    DuplicateId,
    BrokenNext,
    FewAnswers,
    DuplicateLabel,
    SameTarget,
    Unreachable,
    Cycle,
}

impl Kind {
    /// The note that stands for `count` more problems of this kind, after those listed.
    fn summary(self, count: usize) -> (Severity, String) {
        let (severity, what) = match self {
            Kind::UnsafeId => (Severity::Error, "ids that are not URL-safe"),
            Kind::DuplicateId => (Severity::Error, "ids used twice"),
            Kind::BrokenNext => (
                Severity::Error,
                "`next` values that name no question or outcome",
            ),
            Kind::FewAnswers => (Severity::Error, "questions with fewer than two answers"),
            Kind::DuplicateLabel => (
                Severity::Error,
                "answers that repeat a label of their question",
            ),
            Kind::SameTarget => (
                Severity::Warning,
                "questions that send every answer to one place",
            ),
            Kind::Unreachable => (
                Severity::Error,
                "questions and outcomes that cannot be reached from `start`",
            ),
            Kind::Cycle => (Severity::Error, "cycles"),
        };
        // The noun is a plural phrase; one more is "one more of the …".
        let more = if count == 1 {
            format!("…and 1 more of the {what}")
        } else {
            format!("…and {count} more {what}")
        };
        (severity, more)
    }
}

/// Problems of one kind not listed, and where the first of them is.
#[derive(Debug)]
struct Unlisted {
    count: usize,
    first: Range<usize>,
}

/// Where an answer leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeRef {
    /// A question, by index in [`FlowSource::questions`].
    Question(usize),
    /// An outcome, by index in [`FlowSource::outcomes`].
    Outcome(usize),
}

/// The checked graph of a flow.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    /// The first question, when `start` names one.
    pub start: Option<usize>,
    /// For each question, where each of its answers leads (`None`: names nothing).
    pub targets: Vec<Vec<Option<NodeRef>>>,
    /// For each question, `(step, at most)`: its step on the shortest path from `start`,
    /// and that step plus the longest chain of questions still ahead. Empty when the graph
    /// has a cycle or no start, where the numbers mean nothing.
    pub progress: Vec<(usize, usize)>,
    /// Where each node's way back leads; computed with `progress`, on acyclic graphs only.
    pub lineage: Lineage,
}

/// What pages without JavaScript can say about the way to each node: its one parent (the
/// target of a "Back" link that does not know the answers given), and for an outcome the
/// one path that reaches it (the answers a page can list without being told them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lineage {
    /// For each question, the only question with an answer leading to it; `None` for the
    /// first question and for a question that several questions lead to.
    pub question_parents: Vec<Option<usize>>,
    /// For each outcome, the only question with an answer leading to it, if there is one.
    pub outcome_parents: Vec<Option<usize>>,
    /// For each outcome, `(question, answer)` along the one path from `start` that reaches
    /// it; `None` when several paths do (two answers of one question count as two).
    pub outcome_paths: Vec<Option<Vec<(usize, usize)>>>,
}

/// Checks ids and edges and builds the graph, reporting every problem into `problems`.
pub fn check(flow: &FlowSource, source: &SourceFile, problems: &mut Diagnostics) -> Graph {
    let mut checker = Checker {
        flow,
        source,
        problems,
        listed: BTreeMap::new(),
        unlisted: BTreeMap::new(),
    };
    let graph = checker.graph();
    checker.sum_up();
    graph
}

/// `ids` as a help line lists them: in backticks, the first few, then how many more.
fn id_list<'a>(ids: impl ExactSizeIterator<Item = &'a str>) -> String {
    let total = ids.len();
    let mut shown: Vec<String> = ids
        .take(HELP_IDS_SHOWN)
        .map(|id| format!("`{id}`"))
        .collect();
    if total > HELP_IDS_SHOWN {
        shown.push(format!("and {} more", total - HELP_IDS_SHOWN));
    }
    shown.join(", ")
}

/// A cycle as its ids, `a → b → c → a`; a long one shows its first ids, `…`, and its last.
fn cycle_path(ids: &[&str]) -> String {
    let mut shown: Vec<&str> = Vec::new();
    if ids.len() > CYCLE_IDS_SHOWN + 2 {
        shown.extend(&ids[..CYCLE_IDS_SHOWN]);
        shown.push("…");
        shown.extend(&ids[ids.len() - 2..]);
    } else {
        shown.extend(ids);
    }
    shown.extend(ids.first());
    shown.join(" → ")
}

/// True for ids that can be a URL segment as they are: lowercase ASCII letters, digits,
/// `-` and `_`, starting with a letter or digit.
pub fn is_url_safe(id: &str) -> bool {
    id.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

struct Checker<'a> {
    flow: &'a FlowSource,
    source: &'a SourceFile,
    problems: &'a mut Diagnostics,
    /// How many problems of each kind were listed.
    listed: BTreeMap<Kind, usize>,
    /// The problems of each kind past [`MAX_LISTED`].
    unlisted: BTreeMap<Kind, Unlisted>,
}

impl Checker<'_> {
    fn push(&mut self, diagnostic: Diagnostic, range: Range<usize>) {
        self.problems.push(diagnostic.at(self.source, range));
    }

    /// True when one more problem of `kind` is to be listed; otherwise it is counted, at
    /// `range`, for the note that sums up the rest.
    fn listing(&mut self, kind: Kind, range: &Range<usize>) -> bool {
        let listed = self.listed.entry(kind).or_default();
        if *listed < MAX_LISTED {
            *listed += 1;
            return true;
        }
        self.unlisted
            .entry(kind)
            .or_insert_with(|| Unlisted {
                count: 0,
                first: range.clone(),
            })
            .count += 1;
        false
    }

    /// Lists a problem of `kind` at `range`, or counts it when enough are listed.
    fn report(
        &mut self,
        kind: Kind,
        diagnostic: impl FnOnce(&Self) -> Diagnostic,
        range: Range<usize>,
    ) {
        if self.listing(kind, &range) {
            let diagnostic = diagnostic(self);
            self.push(diagnostic, range);
        }
    }

    /// One note per kind of problem for those past [`MAX_LISTED`].
    fn sum_up(&mut self) {
        for (kind, unlisted) in std::mem::take(&mut self.unlisted) {
            let (severity, message) = kind.summary(unlisted.count);
            let help = format!(
                "only the first {MAX_LISTED} are listed: fix those and check the flow again to see the rest"
            );
            self.push(
                Diagnostic::with_severity(severity, message)
                    .label("the first of them")
                    .help(help),
                unlisted.first,
            );
        }
    }

    fn kind_of(&self, node: NodeRef) -> &'static str {
        match node {
            NodeRef::Question(_) => "question",
            NodeRef::Outcome(_) => "outcome",
        }
    }

    fn id_of(&self, node: NodeRef) -> &Text {
        match node {
            NodeRef::Question(i) => &self.flow.questions[i].id,
            NodeRef::Outcome(i) => &self.flow.outcomes[i].id,
        }
    }

    /// Checks everything and builds the graph.
    fn graph(&mut self) -> Graph {
        let ids = self.ids();
        let start = self.start(&ids);
        let (targets, guesses) = self.edges(&ids);
        let mut graph = Graph {
            start,
            targets,
            progress: Vec::new(),
            lineage: Lineage::default(),
        };
        let Some(start) = start else {
            self.answers(&graph.targets, true);
            return graph;
        };
        let (orphans, reached) = self.unreachable(&graph, start, &guesses);
        let orphan = orphans
            .first()
            .map(|(node, _)| self.id_of(*node).value.clone());
        let (acyclic, named) = self.cycles(&graph, orphan.as_deref(), &reached);
        // A cycle among the questions `start` reaches names the first branch cut off in its
        // help (the answer that closes the cycle most likely led there): not twice.
        // Where an answer could not be read, or says nowhere where it leads, what it would
        // reach is unknown: "cannot be reached" would only repeat that error.
        let edges_known = self
            .flow
            .questions
            .iter()
            .all(|q| !q.answers_broken && q.answers.iter().all(|answer| answer.next.is_some()));
        if edges_known {
            self.report_unreachable(&orphans[usize::from(named).min(orphans.len())..]);
        }
        // A follow-on of a cycle is left out: "every answer leads to `a`" is the cycle.
        self.answers(&graph.targets, acyclic);
        if acyclic {
            graph.progress = progress(&graph, start);
            graph.lineage = lineage(&graph, start, self.flow.outcomes.len());
        }
        graph
    }

    /// Every id → its node; duplicates (across questions and outcomes) and unsafe ids refused.
    fn ids(&mut self) -> HashMap<String, NodeRef> {
        let mut ids: HashMap<String, NodeRef> = HashMap::new();
        let all: Vec<NodeRef> = (0..self.flow.questions.len())
            .map(NodeRef::Question)
            .chain((0..self.flow.outcomes.len()).map(NodeRef::Outcome))
            .collect();
        for node in all {
            let id = self.id_of(node).clone();
            if !is_url_safe(&id.value) {
                self.report(
                    Kind::UnsafeId,
                    |_| {
                        let slug = crate::slug::slugify(&id.value);
                        let help = if slug.is_empty() {
                            "ids become URLs (/quiz/<name>/<id>/): use lowercase letters, digits, `-` and `_`".to_string()
                        } else {
                            format!(
                                "ids become URLs (/quiz/<name>/<id>/): use lowercase letters, digits, `-` and `_`, e.g. `{slug}`"
                            )
                        };
                        let message = format!("the id `{}` is not URL-safe", id.value);
                        Diagnostic::error(message).help(help)
                    },
                    id.range.clone(),
                );
            }
            match ids.get(&id.value) {
                Some(first) => {
                    let first = *first;
                    self.report(
                        Kind::DuplicateId,
                        |checker| {
                            let first_span =
                                checker.source.span(checker.id_of(first).range.clone());
                            let message = format!(
                                "the id `{}` is used twice: by a {} on line {} and by this {}",
                                id.value,
                                checker.kind_of(first),
                                first_span.line,
                                checker.kind_of(node)
                            );
                            let help =
                                "each question and outcome needs its own id: rename one of them";
                            Diagnostic::error(message).help(help)
                        },
                        id.range.clone(),
                    );
                }
                None => {
                    ids.insert(id.value.clone(), node);
                }
            }
        }
        ids
    }

    fn start(&mut self, ids: &HashMap<String, NodeRef>) -> Option<usize> {
        let start = self.flow.start.as_ref()?;
        if self.flow.questions.is_empty() && self.problems.has_errors() {
            // The questions are missing or misnamed, which is reported already.
            return None;
        }
        match ids.get(&start.value) {
            Some(NodeRef::Question(index)) => Some(*index),
            Some(NodeRef::Outcome(_)) => {
                let message = format!(
                    "`start` names the outcome `{}`, not a question",
                    start.value
                );
                let help = self.question_list("name the first question");
                self.push(Diagnostic::error(message).help(help), start.range.clone());
                None
            }
            None => {
                let message = format!("`start` names `{}`, which is not a question", start.value);
                let questions = self.flow.questions.iter().map(|q| q.id.value.as_str());
                let help = match crate::suggest::closest(&start.value, questions) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => self.question_list("name the first question"),
                };
                self.push(Diagnostic::error(message).help(help), start.range.clone());
                None
            }
        }
    }

    fn question_list(&self, lead: &str) -> String {
        if self.flow.questions.is_empty() {
            return "the flow has no questions yet: add them under `nodes:`".to_string();
        }
        let ids = self.flow.questions.iter().map(|q| q.id.value.as_str());
        format!("{lead}; the questions are {}", id_list(ids))
    }

    /// Resolves every `next`. A `next` naming nothing is reported; when it is a near miss of
    /// an id, that id is returned as a guess, so the node it meant is not also reported as
    /// unreachable (for the listed ones: looking for a near miss takes a pass over every id).
    fn edges(
        &mut self,
        ids: &HashMap<String, NodeRef>,
    ) -> (Vec<Vec<Option<NodeRef>>>, Vec<NodeRef>) {
        let mut guesses = Vec::new();
        let mut targets = Vec::new();
        let flow = self.flow;
        for question in &flow.questions {
            let mut row = Vec::new();
            for answer in &question.answers {
                let Some(next) = &answer.next else {
                    row.push(None);
                    continue;
                };
                if let Some(node) = ids.get(&next.value) {
                    row.push(Some(*node));
                    continue;
                }
                row.push(None);
                if !self.listing(Kind::BrokenNext, &next.range) {
                    continue;
                }
                let best = crate::suggest::closest(&next.value, ids.keys().map(String::as_str));
                let help = match best {
                    Some(best) => {
                        guesses.extend(ids.get(best).copied());
                        format!("did you mean `{best}`?")
                    }
                    None => {
                        "name the id of a question (under `nodes:`) or an outcome (under `outcomes:`)"
                            .to_string()
                    }
                };
                let message = format!("`next: {}` names no question or outcome", next.value);
                self.problems.push(
                    Diagnostic::error(message)
                        .at(self.source, next.range.clone())
                        .help(help),
                );
            }
            targets.push(row);
        }
        (targets, guesses)
    }

    /// At least two answers, distinct labels, and (when `acyclic`) a warning when all lead
    /// to one place.
    fn answers(&mut self, targets: &[Vec<Option<NodeRef>>], acyclic: bool) {
        let flow = self.flow;
        for (index, question) in flow.questions.iter().enumerate() {
            let Some(answers_key) = question.answers_key.clone() else {
                continue;
            };
            if question.answers.len() < 2 && !question.answers_broken {
                let count = match question.answers.len() {
                    0 => "no answers",
                    _ => "only one answer",
                };
                let message = format!("the question `{}` has {count}", question.id.value);
                let help = "a question needs at least two answers to choose from";
                self.report(
                    Kind::FewAnswers,
                    |_| Diagnostic::error(message).help(help),
                    answers_key.clone(),
                );
            }
            let mut seen: HashMap<String, &Text> = HashMap::new();
            for label in question.answers.iter().filter_map(|a| a.label.as_ref()) {
                let folded = label.value.trim().to_lowercase();
                if let Some(first) = seen.get(&folded) {
                    let first = first.range.clone();
                    self.report(
                        Kind::DuplicateLabel,
                        |checker| {
                            let line = checker.source.span(first).line;
                            let message = format!(
                                "two answers of `{}` have the label `{}`",
                                question.id.value,
                                label.value.trim()
                            );
                            let help = format!(
                                "the first is on line {line}; give each answer a label of its own"
                            );
                            Diagnostic::error(message).help(help)
                        },
                        label.range.clone(),
                    );
                } else {
                    seen.insert(folded, label);
                }
            }
            let row = &targets[index];
            if acyclic && row.len() >= 2 && row.iter().all(|t| t.is_some() && *t == row[0]) {
                self.report(
                    Kind::SameTarget,
                    |checker| {
                        let target = row[0]
                            .map(|t| checker.id_of(t).value.clone())
                            .unwrap_or_default();
                        let message = format!(
                            "every answer of `{}` leads to `{target}`",
                            question.id.value
                        );
                        let help = "the answer changes nothing: send the answers to different places, or remove the question";
                        Diagnostic::warning(message).help(help)
                    },
                    answers_key,
                );
            }
        }
    }

    /// Every question and outcome must be reachable from `start`. Of the nodes that are not,
    /// only the first of each branch counts (none of the others leads to it), with how many
    /// more are cut off behind it: one answer sent elsewhere cuts off a whole branch, and the
    /// branch is one mistake. Returns each branch's first node and that count, and which
    /// questions `start` reaches.
    fn unreachable(
        &self,
        graph: &Graph,
        start: usize,
        guesses: &[NodeRef],
    ) -> (Vec<(NodeRef, usize)>, Vec<bool>) {
        let questions = self.flow.questions.len();
        let index = |node: NodeRef| match node {
            NodeRef::Question(q) => q,
            NodeRef::Outcome(o) => questions + o,
        };
        let node_at = |i: usize| {
            if i < questions {
                NodeRef::Question(i)
            } else {
                NodeRef::Outcome(i - questions)
            }
        };
        let total = questions + self.flow.outcomes.len();
        let follow = |from: &[NodeRef], seen: &mut Vec<bool>| {
            let mut queue: VecDeque<NodeRef> = from.iter().copied().collect();
            let mut found = 0;
            while let Some(node) = queue.pop_front() {
                if std::mem::replace(&mut seen[index(node)], true) {
                    continue;
                }
                found += 1;
                if let NodeRef::Question(q) = node {
                    queue.extend(graph.targets[q].iter().flatten().copied());
                }
            }
            found
        };
        let mut seen = vec![false; total];
        let mut roots = vec![NodeRef::Question(start)];
        roots.extend(guesses.iter().copied());
        follow(&roots, &mut seen);
        let reached = seen[..questions].to_vec();
        // Unreachable nodes that another unreachable node leads to are behind a root.
        let mut led_to = vec![false; total];
        for (q, row) in graph.targets.iter().enumerate() {
            if !seen[q] {
                for target in row.iter().flatten() {
                    if index(*target) != q {
                        led_to[index(*target)] = true;
                    }
                }
            }
        }
        let unreachable: Vec<usize> = (0..total).filter(|i| !seen[*i]).collect();
        // Roots first (nothing unreachable leads to them), then, for branches that are
        // cycles of their own, the first node in the file that is still not covered.
        let mut order: Vec<usize> = unreachable
            .iter()
            .copied()
            .filter(|i| !led_to[*i])
            .collect();
        order.extend(unreachable.iter().copied().filter(|i| led_to[*i]));
        let mut branches = Vec::new();
        for i in order {
            if seen[i] {
                continue;
            }
            let behind = follow(&[node_at(i)], &mut seen) - 1;
            branches.push((node_at(i), behind));
        }
        (branches, reached)
    }

    /// Reports each branch nothing leads to at its first node.
    fn report_unreachable(&mut self, branches: &[(NodeRef, usize)]) {
        for &(node, behind) in branches {
            let id = self.id_of(node).clone();
            self.report(
                Kind::Unreachable,
                |checker| {
                    let message = format!(
                        "the {} `{}` cannot be reached from `start`",
                        checker.kind_of(node),
                        id.value
                    );
                    let mut help = format!(
                        "no path of answers leads here: point an answer's `next` at `{}`, or remove it",
                        id.value
                    );
                    if behind > 0 {
                        help.push_str(&format!(
                            " (the {} after it cannot be reached either)",
                            crate::diagnostics::count(behind, "question or outcome")
                                .replace("question or outcomes", "questions and outcomes")
                        ));
                    }
                    Diagnostic::error(message).help(help)
                },
                id.range,
            );
        }
    }

    /// Reports every cycle once, at the `next` that closes it. `orphan` is the first question
    /// or outcome nothing leads to: a cycle among the questions `start` reaches (`reached`)
    /// names it, as where its closing answer may have been meant to lead. True when there is
    /// no cycle, and whether a cycle named the orphan.
    ///
    /// One depth-first walk: an answer leading back to a question still on the walk's path
    /// closes a cycle, which runs down the walk's tree from that question to the answer's.
    /// Every question and answer is visited once, so the walk is linear however many
    /// cycles there are; only the listed cycles are followed through the tree to show them.
    fn cycles(&mut self, graph: &Graph, orphan: Option<&str>, reached: &[bool]) -> (bool, bool) {
        let count = self.flow.questions.len();
        let mut visited = vec![false; count];
        let mut on_path = vec![false; count];
        // Each question's parent in the walk's tree.
        let mut parent: Vec<Option<usize>> = vec![None; count];
        // Every answer that closes a cycle: (question, answer, question led back to).
        let mut closing: Vec<(usize, usize, usize)> = Vec::new();
        for root in 0..count {
            if visited[root] {
                continue;
            }
            // Depth-first, without recursion: (question, next answer to follow).
            let mut path: Vec<(usize, usize)> = vec![(root, 0)];
            visited[root] = true;
            on_path[root] = true;
            while let Some(&mut (question, ref mut answer)) = path.last_mut() {
                let Some(target) = graph.targets[question].get(*answer).copied() else {
                    on_path[question] = false;
                    path.pop();
                    continue;
                };
                let index = *answer;
                *answer += 1;
                let Some(NodeRef::Question(next)) = target else {
                    continue;
                };
                if !visited[next] {
                    visited[next] = true;
                    on_path[next] = true;
                    parent[next] = Some(question);
                    path.push((next, 0));
                } else if on_path[next] {
                    closing.push((question, index, next));
                }
            }
        }
        let next_range = |question: usize, answer: usize| {
            self.flow.questions[question].answers[answer]
                .next
                .as_ref()
                .map_or(0..0, |n| n.range.clone())
        };
        // Listed in the order of the file, each cycle once however many answers close it.
        closing.sort_by_key(|&(question, answer, _)| {
            (next_range(question, answer).start, question, answer)
        });
        let mut reported: HashSet<(usize, usize)> = HashSet::new();
        let acyclic = closing.is_empty();
        let leads = leads_to_outcome(self.flow, graph);
        let mut named = false;
        for (question, answer, next) in closing {
            if !reported.insert((question, next)) {
                continue;
            }
            let range = next_range(question, answer);
            if !self.listing(Kind::Cycle, &range) {
                continue;
            }
            let mut members = vec![question];
            let mut at = question;
            while at != next {
                let Some(up) = parent[at] else { break };
                members.push(up);
                at = up;
            }
            let ids: Vec<&str> = members
                .iter()
                .rev()
                .map(|q| self.flow.questions[*q].id.value.as_str())
                .collect();
            let message = if ids.len() > CYCLE_IDS_SHOWN + 2 {
                format!(
                    "the flow has a cycle through {} questions: {}",
                    ids.len(),
                    cycle_path(&ids)
                )
            } else {
                format!("the flow has a cycle: {}", cycle_path(&ids))
            };
            let mut help = "a quiz must always move forward: point this answer at a later question or an outcome".to_string();
            if let Some(orphan) = orphan.filter(|_| reached[question]) {
                help.push_str(&format!(" (nothing leads to `{orphan}` now)"));
                named = true;
            }
            if members.iter().all(|q| !leads[*q]) {
                help.push_str(
                    "; no answer on this cycle leads out of it, so no outcome can be reached from it",
                );
            }
            self.push(Diagnostic::error(message).help(help), range);
        }
        (acyclic, named)
    }
}

/// For each question, whether some path of answers from it reaches an outcome. A question
/// with a `next` naming nothing, or with no answers, counts as leading somewhere: that is
/// reported already. A question that leads nowhere is always caught in a cycle (there is
/// nowhere else for its answers to go), so it is reported with the cycle, not on its own.
fn leads_to_outcome(flow: &FlowSource, graph: &Graph) -> Vec<bool> {
    let count = flow.questions.len();
    let mut predecessors: Vec<Vec<usize>> = vec![Vec::new(); count];
    let mut leads = vec![false; count];
    let mut queue = VecDeque::new();
    for (question, row) in graph.targets.iter().enumerate() {
        let answers = &flow.questions[question].answers;
        let broken = answers
            .iter()
            .zip(row)
            .any(|(a, t)| a.next.is_some() && t.is_none());
        if answers.is_empty() || broken {
            leads[question] = true;
        }
        for target in row.iter().flatten() {
            match target {
                NodeRef::Outcome(_) => leads[question] = true,
                NodeRef::Question(next) => predecessors[*next].push(question),
            }
        }
        if leads[question] {
            queue.push_back(question);
        }
    }
    while let Some(question) = queue.pop_front() {
        for &before in &predecessors[question] {
            if !leads[before] {
                leads[before] = true;
                queue.push_back(before);
            }
        }
    }
    leads
}

/// `(step, at most)` for every question of an acyclic graph.
fn progress(graph: &Graph, start: usize) -> Vec<(usize, usize)> {
    let count = graph.targets.len();
    let mut distance = vec![usize::MAX; count];
    let mut queue = VecDeque::from([start]);
    distance[start] = 0;
    while let Some(question) = queue.pop_front() {
        for target in graph.targets[question].iter().flatten() {
            if let NodeRef::Question(next) = target
                && distance[*next] == usize::MAX
            {
                distance[*next] = distance[question] + 1;
                queue.push_back(*next);
            }
        }
    }
    // Longest chain of questions after each one, children first (the graph is acyclic).
    let mut ahead: Vec<Option<usize>> = vec![None; count];
    for root in 0..count {
        let mut stack = vec![root];
        while let Some(&question) = stack.last() {
            if ahead[question].is_some() {
                stack.pop();
                continue;
            }
            let pending: Vec<usize> = graph.targets[question]
                .iter()
                .flatten()
                .filter_map(|t| match t {
                    NodeRef::Question(next) if ahead[*next].is_none() => Some(*next),
                    _ => None,
                })
                .collect();
            if pending.is_empty() {
                let longest = graph.targets[question]
                    .iter()
                    .flatten()
                    .map(|t| match t {
                        NodeRef::Question(next) => 1 + ahead[*next].unwrap_or(0),
                        NodeRef::Outcome(_) => 0,
                    })
                    .max()
                    .unwrap_or(0);
                ahead[question] = Some(longest);
                stack.pop();
            } else {
                stack.extend(pending);
            }
        }
    }
    (0..count)
        .map(|q| {
            let step = distance[q].saturating_add(1);
            (step, step.saturating_add(ahead[q].unwrap_or(0)))
        })
        .collect()
}

/// Each node's one parent and each outcome's one path, on an acyclic graph.
///
/// Paths are counted from `start` in topological order (capped at 2: only "one" matters),
/// remembering for each node an answer that leads to it from a reachable question. A node
/// one path reaches has exactly one such answer, so its path is that answer's, walked back.
fn lineage(graph: &Graph, start: usize, outcome_count: usize) -> Lineage {
    let count = graph.targets.len();
    let index = |node: NodeRef| match node {
        NodeRef::Question(q) => q,
        NodeRef::Outcome(o) => count + o,
    };
    let nodes = count + outcome_count;
    // Distinct parent questions of each node: `None` none yet, `Some(Some(q))` one, `Some(None)` several.
    let mut parents: Vec<Option<Option<usize>>> = vec![None; nodes];
    let mut incoming = vec![0usize; count];
    for (question, row) in graph.targets.iter().enumerate() {
        for target in row.iter().flatten() {
            let at = index(*target);
            parents[at] = match parents[at] {
                None => Some(Some(question)),
                Some(Some(one)) if one == question => Some(Some(one)),
                Some(_) => Some(None),
            };
            if let NodeRef::Question(next) = target {
                incoming[*next] += 1;
            }
        }
    }
    let mut paths = vec![0u8; nodes];
    let mut via: Vec<Option<(usize, usize)>> = vec![None; nodes];
    paths[start] = 1;
    // Kahn's algorithm: a question is taken once every question leading to it was.
    let mut ready: Vec<usize> = (0..count).filter(|q| incoming[*q] == 0).collect();
    while let Some(question) = ready.pop() {
        for (answer, target) in graph.targets[question].iter().enumerate() {
            let Some(target) = target else { continue };
            let at = index(*target);
            if paths[question] > 0 {
                paths[at] = paths[at].saturating_add(paths[question]).min(2);
                via[at] = Some((question, answer));
            }
            if let NodeRef::Question(next) = target {
                incoming[*next] -= 1;
                if incoming[*next] == 0 {
                    ready.push(*next);
                }
            }
        }
    }
    let outcome_paths = (0..outcome_count)
        .map(|outcome| {
            let mut at = count + outcome;
            if paths[at] != 1 {
                return None;
            }
            let mut path = Vec::new();
            while let Some((question, answer)) = via[at] {
                path.push((question, answer));
                at = question;
            }
            path.reverse();
            Some(path)
        })
        .collect();
    let parent = |at: usize| parents[at].flatten();
    Lineage {
        question_parents: (0..count)
            .map(|q| if q == start { None } else { parent(q) })
            .collect(),
        outcome_parents: (count..nodes).map(parent).collect(),
        outcome_paths,
    }
}

#[cfg(test)]
mod tests {
    use super::{Graph, Lineage, NodeRef, is_url_safe, lineage};

    #[test]
    fn url_safe_ids() {
        for id in ["a", "told-them", "q_2", "3rd"] {
            assert!(is_url_safe(id), "{id}");
        }
        for id in ["", "-a", "A", "told them", "ü", "a/b", "a.b"] {
            assert!(!is_url_safe(id), "{id}");
        }
    }

    /// A graph of questions 0.. and outcomes, from `(question, [targets])` rows.
    fn graph(rows: &[&[NodeRef]]) -> Graph {
        Graph {
            start: Some(0),
            targets: rows
                .iter()
                .map(|row| row.iter().map(|t| Some(*t)).collect())
                .collect(),
            ..Graph::default()
        }
    }

    #[test]
    fn unique_parents_and_single_paths() {
        use NodeRef::{Outcome as O, Question as Q};
        // 0 → 1 | o0 | o0;  1 → 2 | 3;  2 → o1 | o2;  3 → 2 | o3
        let g = graph(&[
            &[Q(1), O(0), O(0)],
            &[Q(2), Q(3)],
            &[O(1), O(2)],
            &[Q(2), O(3)],
        ]);
        let found = lineage(&g, 0, 4);
        assert_eq!(
            found,
            Lineage {
                // 2 has two parents (1 and 3): its Back link goes to the start.
                question_parents: vec![None, Some(0), None, Some(1)],
                // o0 has one parent (0), reached by two of its answers.
                outcome_parents: vec![Some(0), Some(2), Some(2), Some(3)],
                outcome_paths: vec![
                    None, // two answers of 0 lead there
                    None, // via 1 → 2 or 1 → 3 → 2
                    None,
                    Some(vec![(0, 0), (1, 1), (3, 1)]),
                ],
            }
        );
    }

    #[test]
    fn a_chain_has_one_path_everywhere() {
        use NodeRef::{Outcome as O, Question as Q};
        let g = graph(&[&[Q(1), O(0)], &[O(1), O(2)]]);
        let found = lineage(&g, 0, 3);
        assert_eq!(found.question_parents, vec![None, Some(0)]);
        assert_eq!(
            found.outcome_paths,
            vec![
                Some(vec![(0, 1)]),
                Some(vec![(0, 0), (1, 0)]),
                Some(vec![(0, 0), (1, 1)])
            ]
        );
    }
}
