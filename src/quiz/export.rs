//! `cairn quiz graph`: a flow as a Mermaid flowchart or a Graphviz DOT graph.
//!
//! Drawn from the flow as written, so a flow with mistakes can be drawn too: a `next` that
//! names nothing points at a dashed "missing" node, which is often the quickest way for an
//! editor to see what went wrong.

use std::collections::HashMap;
use std::fmt::Write;

use super::schema::FlowSource;

/// The graph formats `cairn quiz graph` can print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A Mermaid `flowchart` (renders on GitHub, GitLab, in many editors).
    Mermaid,
    /// Graphviz DOT (`dot -Tsvg`).
    Dot,
}

/// One node of the drawing.
struct Node {
    id: String,
    label: String,
    shape: Shape,
}

#[derive(Clone, Copy, PartialEq)]
enum Shape {
    Start,
    Question,
    Outcome,
    Missing,
}

/// Nodes and edges `(from, to, label)` by index, in file order.
fn layout(flow: &FlowSource) -> (Vec<Node>, Vec<(usize, usize, String)>) {
    let start = flow.start.as_ref().map(|s| s.value.as_str());
    let mut nodes: Vec<Node> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let text = |t: &Option<super::schema::Text>| {
        t.as_ref()
            .map_or(String::new(), |t| t.value.trim().to_string())
    };
    for question in &flow.questions {
        index
            .entry(question.id.value.clone())
            .or_insert(nodes.len());
        nodes.push(Node {
            id: question.id.value.clone(),
            label: text(&question.question),
            shape: if start == Some(question.id.value.as_str()) {
                Shape::Start
            } else {
                Shape::Question
            },
        });
    }
    for outcome in &flow.outcomes {
        index.entry(outcome.id.value.clone()).or_insert(nodes.len());
        nodes.push(Node {
            id: outcome.id.value.clone(),
            label: text(&outcome.title),
            shape: Shape::Outcome,
        });
    }
    let mut edges = Vec::new();
    for (from, question) in flow.questions.iter().enumerate() {
        for answer in &question.answers {
            let Some(next) = &answer.next else { continue };
            let to = match index.get(&next.value) {
                Some(to) => *to,
                None => {
                    let to = nodes.len();
                    index.insert(next.value.clone(), to);
                    nodes.push(Node {
                        id: next.value.clone(),
                        label: "missing".to_string(),
                        shape: Shape::Missing,
                    });
                    to
                }
            };
            edges.push((from, to, text(&answer.label)));
        }
    }
    (nodes, edges)
}

/// The flow drawn in `format`, ending with a newline.
pub fn render(flow: &FlowSource, format: Format) -> String {
    match format {
        Format::Mermaid => mermaid(flow),
        Format::Dot => dot(flow),
    }
}

fn mermaid(flow: &FlowSource) -> String {
    let (nodes, edges) = layout(flow);
    let mut out = String::from("flowchart TD\n");
    if let Some(title) = &flow.title {
        let _ = writeln!(out, "  %% {}", title.value.replace('\n', " "));
    }
    for (i, node) in nodes.iter().enumerate() {
        let label = format!(
            "<b>{}</b><br>{}",
            mermaid_text(&node.id),
            mermaid_text(&node.label)
        );
        let (open, close) = match node.shape {
            Shape::Outcome => ("([\"", "\"])"),
            _ => ("[\"", "\"]"),
        };
        let _ = writeln!(out, "  n{i}{open}{label}{close}");
    }
    for (from, to, label) in &edges {
        let _ = writeln!(out, "  n{from} -->|\"{}\"| n{to}", mermaid_text(label));
    }
    out.push_str("  classDef start stroke-width:3px\n");
    out.push_str("  classDef outcome fill:#e8f0fb\n");
    out.push_str("  classDef missing stroke:#c00,stroke-dasharray:4\n");
    for (class, shape) in [
        ("start", Shape::Start),
        ("outcome", Shape::Outcome),
        ("missing", Shape::Missing),
    ] {
        let members: Vec<String> = nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.shape == shape)
            .map(|(i, _)| format!("n{i}"))
            .collect();
        if !members.is_empty() {
            let _ = writeln!(out, "  class {} {class}", members.join(","));
        }
    }
    out
}

/// Text inside a quoted Mermaid label: Mermaid's entity codes for the characters that
/// would end the label or be read as markup.
fn mermaid_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '|' => out.push_str("#124;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn dot(flow: &FlowSource) -> String {
    let (nodes, edges) = layout(flow);
    let title = flow.title.as_ref().map_or("quiz", |t| t.value.as_str());
    let mut out = format!("digraph {} {{\n", dot_string(title));
    out.push_str("  rankdir=TB;\n  node [shape=box, style=rounded];\n");
    for node in &nodes {
        let style = match node.shape {
            Shape::Start => ", penwidth=3",
            Shape::Question => "",
            Shape::Outcome => ", shape=ellipse, style=filled, fillcolor=\"#e8f0fb\"",
            Shape::Missing => ", style=dashed, color=\"#cc0000\"",
        };
        let label = format!("{}\n{}", node.id, node.label);
        let _ = writeln!(
            out,
            "  {} [label={}{style}];",
            dot_string(&node.id),
            dot_string(&label)
        );
    }
    for (from, to, label) in &edges {
        let _ = writeln!(
            out,
            "  {} -> {} [label={}];",
            dot_string(&nodes[*from].id),
            dot_string(&nodes[*to].id),
            dot_string(label)
        );
    }
    out.push_str("}\n");
    out
}

/// A DOT quoted string.
fn dot_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Diagnostics, SourceFile};

    fn flow(text: &str) -> FlowSource {
        let source = SourceFile::new("f.yaml", text);
        let tree = crate::yaml::Yaml::parse(&source).unwrap();
        super::super::schema::read(&tree, &source, &mut Diagnostics::default())
    }

    const FLOW: &str = "title: T\nstart: a\nnodes:\n  a:\n    question: Is it \"so\" <b>#1</b>?\n    answers:\n      - { label: \"Yes\", next: done }\n      - { label: \"No\", next: nope }\noutcomes:\n  done:\n    title: Done\n    body: x\n";

    #[test]
    fn mermaid_escapes_labels_and_marks_missing_nodes() {
        let out = render(&flow(FLOW), Format::Mermaid);
        assert_eq!(
            out,
            "flowchart TD\n  %% T\n  n0[\"<b>a</b><br>Is it #quot;so#quot; #lt;b#gt;#35;1#lt;/b#gt;?\"]\n  n1([\"<b>done</b><br>Done\"])\n  n2[\"<b>nope</b><br>missing\"]\n  n0 -->|\"Yes\"| n1\n  n0 -->|\"No\"| n2\n  classDef start stroke-width:3px\n  classDef outcome fill:#e8f0fb\n  classDef missing stroke:#c00,stroke-dasharray:4\n  class n0 start\n  class n1 outcome\n  class n2 missing\n"
        );
    }

    #[test]
    fn dot_quotes_everything() {
        let out = render(&flow(FLOW), Format::Dot);
        assert!(out.starts_with("digraph \"T\" {\n"), "{out}");
        assert!(
            out.contains("  \"a\" [label=\"a\\nIs it \\\"so\\\" <b>#1</b>?\", penwidth=3];\n"),
            "{out}"
        );
        assert!(
            out.contains("  \"a\" -> \"nope\" [label=\"No\"];\n"),
            "{out}"
        );
        assert!(
            out.contains(
                "  \"nope\" [label=\"nope\\nmissing\", style=dashed, color=\"#cc0000\"];\n"
            ),
            "{out}"
        );
        assert!(out.ends_with("}\n"));
    }
}
