//! The flow as a graph: ids, `start`, every `next`, reachability, dead ends and cycles.
//!
//! Questions and outcomes are nodes; each answer is an edge. A sound flow is a directed
//! acyclic graph in which every node is reachable from `start` and every question leads to
//! at least one outcome. On such a graph the progress numbers are well defined: a question
//! is at step 1 + its shortest distance from `start`, out of at most that step plus the
//! longest chain of questions still ahead of it.

use std::collections::{HashMap, HashSet, VecDeque};
use std::ops::Range;

use super::schema::{FlowSource, Text};
use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};

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
    /// For each question, `(step, at most)` for "question k of at most n"; empty when the
    /// graph has a cycle or no start, where the numbers mean nothing.
    pub progress: Vec<(usize, usize)>,
}

/// Checks ids and edges and builds the graph, reporting every problem into `problems`.
pub fn check(flow: &FlowSource, source: &SourceFile, problems: &mut Diagnostics) -> Graph {
    let mut checker = Checker {
        flow,
        source,
        problems,
    };
    let ids = checker.ids();
    let start = checker.start(&ids);
    let (targets, guesses) = checker.edges(&ids);
    checker.answers(&targets);
    let mut graph = Graph {
        start,
        targets,
        progress: Vec::new(),
    };
    let Some(start) = start else {
        return graph;
    };
    checker.reachable(&graph, start, &guesses);
    let acyclic = checker.cycles(&graph);
    checker.dead_ends(&graph);
    if acyclic {
        graph.progress = progress(&graph, start);
    }
    graph
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
}

impl Checker<'_> {
    fn push(&mut self, diagnostic: Diagnostic, range: Range<usize>) {
        self.problems.push(diagnostic.at(self.source, range));
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
                let slug = crate::slug::slugify(&id.value);
                let help = if slug.is_empty() {
                    "ids become URLs (/quiz/<name>/<id>/): use lowercase letters, digits, `-` and `_`".to_string()
                } else {
                    format!(
                        "ids become URLs (/quiz/<name>/<id>/): use lowercase letters, digits, `-` and `_`, e.g. `{slug}`"
                    )
                };
                let message = format!("the id `{}` is not URL-safe", id.value);
                self.push(Diagnostic::error(message).help(help), id.range.clone());
            }
            match ids.get(&id.value) {
                Some(first) => {
                    let first = *first;
                    let first_span = self.source.span(self.id_of(first).range.clone());
                    let message = format!(
                        "the id `{}` is used twice: by a {} on line {} and by this {}",
                        id.value,
                        self.kind_of(first),
                        first_span.line,
                        self.kind_of(node)
                    );
                    let help = "each question and outcome needs its own id: rename one of them";
                    self.push(Diagnostic::error(message).help(help), id.range.clone());
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
        let ids: Vec<String> = self
            .flow
            .questions
            .iter()
            .map(|q| format!("`{}`", q.id.value))
            .collect();
        format!("{lead}; the questions are {}", ids.join(", "))
    }

    /// Resolves every `next`. A `next` naming nothing is reported; when it is a near miss of
    /// an id, that id is returned as a guess, so the node it meant is not also reported as
    /// unreachable.
    fn edges(
        &mut self,
        ids: &HashMap<String, NodeRef>,
    ) -> (Vec<Vec<Option<NodeRef>>>, Vec<NodeRef>) {
        let mut guesses = Vec::new();
        let mut targets = Vec::new();
        for question in &self.flow.questions {
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
                let best = crate::suggest::closest(&next.value, ids.keys().map(String::as_str));
                let help = match best {
                    Some(best) => {
                        guesses.push(ids[best]);
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

    /// At least two answers, distinct labels, and a warning when all lead to one place.
    fn answers(&mut self, targets: &[Vec<Option<NodeRef>>]) {
        for (index, question) in self.flow.questions.iter().enumerate() {
            let Some(answers_key) = question.answers_key.clone() else {
                continue;
            };
            if question.answers.len() < 2 {
                let count = match question.answers.len() {
                    0 => "no answers".to_string(),
                    _ => "only one answer".to_string(),
                };
                let message = format!("the question `{}` has {count}", question.id.value);
                let help = "a question needs at least two answers to choose from";
                self.push(Diagnostic::error(message).help(help), answers_key.clone());
            }
            let mut seen: HashMap<String, &Text> = HashMap::new();
            for label in question.answers.iter().filter_map(|a| a.label.as_ref()) {
                let folded = label.value.trim().to_lowercase();
                if let Some(first) = seen.get(&folded) {
                    let line = self.source.span(first.range.clone()).line;
                    let message = format!(
                        "two answers of `{}` have the label `{}`",
                        question.id.value,
                        label.value.trim()
                    );
                    let help =
                        format!("the first is on line {line}; give each answer a label of its own");
                    self.push(Diagnostic::error(message).help(help), label.range.clone());
                } else {
                    seen.insert(folded, label);
                }
            }
            let row = &targets[index];
            if row.len() >= 2 && row.iter().all(|t| t.is_some() && *t == row[0]) {
                let target = row[0]
                    .map(|t| self.id_of(t).value.clone())
                    .unwrap_or_default();
                let message = format!(
                    "every answer of `{}` leads to `{target}`",
                    question.id.value
                );
                let help = "the answer changes nothing: send the answers to different places, or remove the question";
                self.problems.push(
                    Diagnostic::warning(message)
                        .at(self.source, answers_key)
                        .help(help),
                );
            }
        }
    }

    /// Every question and outcome must be reachable from `start`.
    fn reachable(&mut self, graph: &Graph, start: usize, guesses: &[NodeRef]) {
        let mut seen: HashSet<NodeRef> = HashSet::new();
        let mut queue: VecDeque<NodeRef> = VecDeque::new();
        queue.push_back(NodeRef::Question(start));
        queue.extend(guesses.iter().copied());
        while let Some(node) = queue.pop_front() {
            if !seen.insert(node) {
                continue;
            }
            if let NodeRef::Question(q) = node {
                queue.extend(graph.targets[q].iter().flatten().copied());
            }
        }
        let all = (0..self.flow.questions.len())
            .map(NodeRef::Question)
            .chain((0..self.flow.outcomes.len()).map(NodeRef::Outcome));
        for node in all {
            if seen.contains(&node) {
                continue;
            }
            let id = self.id_of(node).clone();
            let message = format!(
                "the {} `{}` cannot be reached from `start`",
                self.kind_of(node),
                id.value
            );
            let help = format!(
                "no path of answers leads here: point an answer's `next` at `{}`, or remove it",
                id.value
            );
            self.push(Diagnostic::error(message).help(help), id.range);
        }
    }

    /// Reports every cycle once, at the `next` that closes it. True when there is none.
    fn cycles(&mut self, graph: &Graph) -> bool {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            OnPath,
            Done,
        }
        let count = self.flow.questions.len();
        let mut marks = vec![Mark::New; count];
        let mut acyclic = true;
        // Each cycle once, however many answers close it: keyed by its questions, rotated
        // to start at the smallest index.
        let mut reported: HashSet<Vec<usize>> = HashSet::new();
        for root in 0..count {
            if marks[root] != Mark::New {
                continue;
            }
            // Depth-first, without recursion: (question, next answer to follow).
            let mut path: Vec<(usize, usize)> = vec![(root, 0)];
            marks[root] = Mark::OnPath;
            while let Some(&mut (question, ref mut answer)) = path.last_mut() {
                let Some(target) = graph.targets[question].get(*answer).copied() else {
                    marks[question] = Mark::Done;
                    path.pop();
                    continue;
                };
                let closing = *answer;
                *answer += 1;
                let Some(NodeRef::Question(next)) = target else {
                    continue;
                };
                match marks[next] {
                    Mark::New => {
                        marks[next] = Mark::OnPath;
                        path.push((next, 0));
                    }
                    Mark::OnPath => {
                        acyclic = false;
                        let from = path.iter().position(|(q, _)| *q == next).unwrap_or(0);
                        let mut members: Vec<usize> =
                            path[from..].iter().map(|(q, _)| *q).collect();
                        let smallest = members
                            .iter()
                            .enumerate()
                            .min_by_key(|(_, q)| **q)
                            .map_or(0, |(i, _)| i);
                        members.rotate_left(smallest);
                        if !reported.insert(members) {
                            continue;
                        }
                        let mut names: Vec<&str> = path[from..]
                            .iter()
                            .map(|(q, _)| self.flow.questions[*q].id.value.as_str())
                            .collect();
                        names.push(&self.flow.questions[next].id.value);
                        let message = format!("the flow has a cycle: {}", names.join(" → "));
                        let help = "a quiz must always move forward: point this answer at a later question or an outcome";
                        let range = self.flow.questions[question].answers[closing]
                            .next
                            .as_ref()
                            .map_or(0..0, |n| n.range.clone());
                        self.problems
                            .push(Diagnostic::error(message).at(self.source, range).help(help));
                    }
                    Mark::Done => {}
                }
            }
        }
        acyclic
    }

    /// Every question must lead to at least one outcome.
    fn dead_ends(&mut self, graph: &Graph) {
        let count = self.flow.questions.len();
        let mut predecessors: Vec<Vec<usize>> = vec![Vec::new(); count];
        let mut leads = vec![false; count];
        let mut queue = VecDeque::new();
        for (question, row) in graph.targets.iter().enumerate() {
            let answers = &self.flow.questions[question].answers;
            // A `next` naming nothing is reported already; do not also call it a dead end.
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
        for (question, leads) in leads.iter().enumerate() {
            if !leads {
                let id = self.flow.questions[question].id.clone();
                let message = format!(
                    "no path from the question `{}` leads to an outcome",
                    id.value
                );
                let help = "every answer must eventually lead to an outcome: point one of these answers at an outcome";
                self.push(Diagnostic::error(message).help(help), id.range);
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use super::is_url_safe;

    #[test]
    fn url_safe_ids() {
        for id in ["a", "told-them", "q_2", "3rd"] {
            assert!(is_url_safe(id), "{id}");
        }
        for id in ["", "-a", "A", "told them", "ü", "a/b", "a.b"] {
            assert!(!is_url_safe(id), "{id}");
        }
    }
}
