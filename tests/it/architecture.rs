//! The architecture holds: data flows one way between cairn's top-level modules, so no two
//! of them depend on each other, however indirectly. A `crate::<module>` path anywhere in a
//! module's files (outside its unit tests) is a dependency on that module.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level module → the top-level modules its code names.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules = BTreeSet::new();
    for entry in std::fs::read_dir(&src).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let module = name.strip_suffix(".rs").unwrap_or(&name).to_string();
        if !["lib", "main", "cmd"].contains(&module.as_str()) {
            modules.insert(module);
        }
    }
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src).into_iter().flatten() {
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = entry.path().strip_prefix(&src).unwrap();
        let first = rel.iter().next().unwrap().to_string_lossy();
        let module = first.strip_suffix(".rs").unwrap_or(&first).to_string();
        if !modules.contains(&module) || rel.ends_with("tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
        let edges = graph.entry(module.clone()).or_default();
        for (at, _) in code.match_indices("crate::") {
            let rest = &code[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if name != module && modules.contains(&name) {
                edges.insert(name);
            }
        }
    }
    graph
}

/// A cycle through `start`, if there is one: the modules in order.
fn cycle_from(graph: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    let mut stack = vec![(start.to_string(), vec![start.to_string()])];
    let mut seen = BTreeSet::new();
    while let Some((module, path)) = stack.pop() {
        for next in graph.get(&module).into_iter().flatten() {
            if next == start {
                let mut cycle = path.clone();
                cycle.push(start.to_string());
                return Some(cycle);
            }
            if seen.insert(next.clone()) {
                let mut longer = path.clone();
                longer.push(next.clone());
                stack.push((next.clone(), longer));
            }
        }
    }
    None
}

#[test]
fn no_two_top_level_modules_depend_on_each_other() {
    let graph = module_graph();
    assert!(graph.len() > 20, "the modules were found: {graph:?}");
    let cycles: Vec<String> = graph
        .keys()
        .filter_map(|module| cycle_from(&graph, module))
        .map(|cycle| cycle.join(" → "))
        .collect();
    assert!(
        cycles.is_empty(),
        "module cycles (a stage must not import a later stage or the cache that wraps it):\n{}",
        cycles.join("\n")
    );
}

#[test]
fn the_cycle_check_finds_a_cycle() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    graph
        .entry("config".into())
        .or_default()
        .insert("deploy".into());
    graph
        .entry("deploy".into())
        .or_default()
        .insert("content".into());
    graph
        .entry("content".into())
        .or_default()
        .insert("config".into());
    graph.entry("paths".into()).or_default();
    assert_eq!(
        cycle_from(&graph, "config").map(|c| c.join(" → ")),
        Some("config → deploy → content → config".to_string())
    );
    assert_eq!(cycle_from(&graph, "paths"), None);
}

#[test]
fn leaf_modules_stay_leaves() {
    let graph = module_graph();
    for leaf in [
        "paths",
        "escape",
        "slug",
        "sync",
        "stamp",
        "suggest",
        "diagnostics",
    ] {
        assert!(
            graph.get(leaf).is_none_or(BTreeSet::is_empty),
            "{leaf} depends on {:?}",
            graph[leaf]
        );
    }
    let leaves: BTreeSet<String> = ["escape", "slug", "diagnostics"]
        .iter()
        .map(std::string::ToString::to_string)
        .collect();
    assert!(
        graph["markdown"].is_subset(&leaves),
        "the Markdown renderer depends only on escaping, slugs and the severity of a problem: {:?}",
        graph["markdown"]
    );
}
