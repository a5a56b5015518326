//! The flow's own tests (`tests:` in the flow file), walked through: answer sequences and
//! the outcome each must reach.
//!
//! Each test walks the flow from `start`, choosing answers by label (exact text, surrounding
//! spaces ignored) or by 1-based position, and must land on its outcome exactly when its
//! answers run out. Outcomes no test reaches are reported as warnings, so an editor sees
//! which parts of a flow nothing checks.

use std::collections::HashSet;

use super::graph::{Graph, MAX_LISTED, NodeRef};
use super::schema::{FlowSource, OutcomeSource, Step};
use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};

/// Runs every test of `flow` on `graph`, reporting failures and untested outcomes.
pub(super) fn run(
    flow: &FlowSource,
    graph: &Graph,
    source: &SourceFile,
    problems: &mut Diagnostics,
) {
    let Some(start) = graph.start else {
        return; // `start` is reported already; nothing can be walked.
    };
    let mut reached: HashSet<usize> = HashSet::new();
    for test in &flow.tests {
        if let Some((outcome, path)) = walk(
            flow,
            graph,
            start,
            &test.steps,
            test.range.clone(),
            source,
            problems,
        ) {
            reached.insert(outcome);
            check_expected(
                flow,
                test.outcome.as_ref(),
                outcome,
                &path,
                source,
                problems,
            );
        } else if let Some(expected) = &test.outcome {
            // The walk failed; still make sure the expected outcome exists.
            if !flow.outcomes.iter().any(|o| o.id.value == expected.value) {
                problems.push(unknown_outcome(flow, expected, source));
            }
        }
    }
    if flow.tests.is_empty()
        && let Some(first) = flow.outcomes.first()
    {
        // One warning for the flow, not one per outcome, with a test that would pass.
        let answers = path_to(graph, start, 0).map_or_else(
            || "1".to_string(),
            |steps| {
                steps
                    .iter()
                    .map(|p| (p + 1).to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        );
        problems.push(
            Diagnostic::warning(format!(
                "the flow has no tests, so nothing checks that its answers reach its {}",
                crate::diagnostics::count(flow.outcomes.len(), "outcome")
            ))
            .at(source, first.id.range.clone())
            .help(format!(
                "add `tests:` with the answers that lead to each outcome (by label, or by position from 1), e.g.\ntests:\n  - {{ answers: [{answers}], outcome: {} }}",
                first.id.value
            )),
        );
        return;
    }
    let untested: Vec<&OutcomeSource> = (flow.outcomes.iter().enumerate())
        .filter(|(index, _)| !reached.contains(index))
        .map(|(_, outcome)| outcome)
        .collect();
    for outcome in untested.iter().take(MAX_LISTED) {
        problems.push(
            Diagnostic::warning(format!(
                "no test reaches the outcome `{}`",
                outcome.id.value
            ))
            .at(source, outcome.id.range.clone())
            .help(format!(
                "add a test under `tests:` with the answers that lead here and `outcome: {}`",
                outcome.id.value
            )),
        );
    }
    // A generated flow may have thousands: the first few say what to do.
    if let Some(first) = untested.get(MAX_LISTED) {
        problems.push(
            Diagnostic::warning(format!(
                "…and {} more outcomes that no test reaches",
                untested.len() - MAX_LISTED
            ))
            .at(source, first.id.range.clone())
            .label("the first of them")
            .help(format!(
                "only the first {MAX_LISTED} are listed: add tests for those and check the flow again to see the rest"
            )),
        );
    }
}

/// The answers (0-based positions) of a shortest way from `start` to the outcome `outcome`.
fn path_to(graph: &Graph, start: usize, outcome: usize) -> Option<Vec<usize>> {
    let mut came_from: Vec<Option<(usize, usize)>> = vec![None; graph.targets.len()];
    let mut seen = vec![false; graph.targets.len()];
    let mut queue = std::collections::VecDeque::from([start]);
    seen[start] = true;
    while let Some(question) = queue.pop_front() {
        for (answer, target) in graph.targets[question].iter().enumerate() {
            match target {
                Some(NodeRef::Outcome(o)) if *o == outcome => {
                    let mut steps = vec![answer];
                    let mut at = question;
                    while let Some((before, chosen)) = came_from[at] {
                        steps.push(chosen);
                        at = before;
                    }
                    steps.reverse();
                    return Some(steps);
                }
                Some(NodeRef::Question(next)) if !seen[*next] => {
                    seen[*next] = true;
                    came_from[*next] = Some((question, answer));
                    queue.push_back(*next);
                }
                _ => {}
            }
        }
    }
    None
}

/// Follows `steps` from `start`: the outcome reached and the path taken, written as
/// `start-id → “Yes” → next-id → …`, or `None` after reporting why the walk failed.
fn walk(
    flow: &FlowSource,
    graph: &Graph,
    start: usize,
    steps: &[Step],
    test_range: std::ops::Range<usize>,
    source: &SourceFile,
    problems: &mut Diagnostics,
) -> Option<(usize, String)> {
    let mut at = NodeRef::Question(start);
    let mut path = vec![flow.questions[start].id.value.clone()];
    for step in steps {
        let question = match at {
            NodeRef::Question(q) => q,
            NodeRef::Outcome(o) => {
                problems.push(
                    Diagnostic::error(format!(
                        "this answer comes after the flow reached the outcome `{}`",
                        flow.outcomes[o].id.value
                    ))
                    .at(source, step.range())
                    .help("remove the answers after the outcome, or check the answers before it"),
                );
                return None;
            }
        };
        let answers = &flow.questions[question].answers;
        let id = &flow.questions[question].id.value;
        let chosen = match step {
            Step::Position(position, range) => {
                let valid = usize::try_from(*position)
                    .ok()
                    .filter(|p| (1..=answers.len()).contains(p));
                if valid.is_none() {
                    problems.push(
                        Diagnostic::error(format!("the question `{id}` has no answer {position}"))
                            .at(source, range.clone())
                            .help(format!(
                                "positions count from 1; `{id}` has {} answers",
                                answers.len()
                            )),
                    );
                }
                valid.map(|p| p - 1)
            }
            Step::Label(label) => {
                let wanted = label.value.trim();
                let found = answers
                    .iter()
                    .position(|a| a.label.as_ref().is_some_and(|l| l.value.trim() == wanted));
                if found.is_none() {
                    let labels = answers
                        .iter()
                        .filter_map(|a| a.label.as_ref())
                        .map(|l| l.value.trim());
                    let help = match crate::suggest::closest(wanted, labels.clone()) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => format!(
                            "the answers of `{id}` are: {}",
                            labels
                                .map(|l| format!("`{l}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    };
                    problems.push(
                        Diagnostic::error(format!("the question `{id}` has no answer `{wanted}`"))
                            .at(source, label.range.clone())
                            .help(help),
                    );
                }
                found
            }
        };
        let chosen = chosen?;
        let label = answers[chosen]
            .label
            .as_ref()
            .map_or("", |l| l.value.trim());
        path.push(format!("“{label}”"));
        // A `next` that names nothing is reported already; the walk just stops there.
        at = graph.targets[question].get(chosen).copied().flatten()?;
        path.push(match at {
            NodeRef::Question(q) => flow.questions[q].id.value.clone(),
            NodeRef::Outcome(o) => flow.outcomes[o].id.value.clone(),
        });
    }
    match at {
        NodeRef::Outcome(outcome) => Some((outcome, path.join(" → "))),
        NodeRef::Question(question) => {
            let range = steps.last().map_or(test_range, Step::range);
            problems.push(
                Diagnostic::error(format!(
                    "the answers stop at the question `{}`, before any outcome",
                    flow.questions[question].id.value
                ))
                .at(source, range)
                .help(format!(
                    "add the answer to give to `{}`",
                    flow.questions[question].id.value
                )),
            );
            None
        }
    }
}

fn check_expected(
    flow: &FlowSource,
    expected: Option<&super::schema::Text>,
    reached: usize,
    path: &str,
    source: &SourceFile,
    problems: &mut Diagnostics,
) {
    let Some(expected) = expected else { return };
    if flow.outcomes[reached].id.value == expected.value {
        return;
    }
    if !flow.outcomes.iter().any(|o| o.id.value == expected.value) {
        problems.push(unknown_outcome(flow, expected, source));
        return;
    }
    problems.push(
        Diagnostic::error(format!(
            "these answers reach the outcome `{}`, not `{}`",
            flow.outcomes[reached].id.value, expected.value
        ))
        .at(source, expected.range.clone())
        .help(format!("the answers go {path}")),
    );
}

fn unknown_outcome(
    flow: &FlowSource,
    expected: &super::schema::Text,
    source: &SourceFile,
) -> Diagnostic {
    let ids = flow.outcomes.iter().map(|o| o.id.value.as_str());
    let help = match crate::suggest::closest(&expected.value, ids) {
        Some(best) => format!("did you mean `{best}`?"),
        None => "name one of the ids under `outcomes:`".to_string(),
    };
    Diagnostic::error(format!("there is no outcome `{}`", expected.value))
        .at(source, expected.range.clone())
        .help(help)
}
