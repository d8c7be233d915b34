//! Which files of a module tree import which: the reader behind the layer and cycle tests of
//! `crates/core/tests/module_layers.rs` (pki, conninfo) and `crates/cli/tests/layers.rs`.
//!
//! Imports are read from the source text: paths after the tree's own prefix (`crate::pki::`,
//! `crate::`), after `super::` (as often as written) and `self::`, and, in the tree's root
//! file, paths that start with the name of one of its modules; `{…}` groups give one path per
//! member. Comments and the test module at the end of a file are left out (tests may import
//! anything). A module's paths into its own children are left out: that is the tree itself.

#![allow(dead_code, clippy::panic, clippy::indexing_slicing)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The name the root file (`mod.rs`, `main.rs`) goes by in the graph.
pub const ROOT: &str = "(root)";
/// Where a re-export of an item from outside the tree leads: no module of the graph.
const OUTSIDE: &str = "(outside)";

/// A module tree: a folder of Rust files, and the prefix other files use to reach its root.
pub struct Tree {
    pub dir: PathBuf,
    /// `crate::pki::` for a module inside a crate; `crate::` for a crate's own tree.
    pub prefix: &'static str,
    /// The root file's stem: `mod` or `main` (or `lib`).
    pub root_file: &'static str,
}

impl Tree {
    /// Every file of the tree but test-only ones, as module path → code without comments and
    /// tests. The root is `ROOT`.
    pub fn modules(&self) -> BTreeMap<String, String> {
        let mut found = BTreeMap::new();
        let mut pending = vec![self.dir.clone()];
        while let Some(dir) = pending.pop() {
            for entry in
                std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            {
                let path = entry.map(|e| e.path()).unwrap_or_default();
                if path.is_dir() {
                    pending.push(path);
                    continue;
                }
                let relative = path
                    .strip_prefix(&self.dir)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .to_string();
                let Some(stem) = relative.strip_suffix(".rs") else {
                    continue;
                };
                if stem.ends_with("tests") {
                    continue;
                }
                let name = if stem == self.root_file {
                    ROOT.to_string()
                } else {
                    stem.trim_end_matches("/mod").replace('/', "::")
                };
                found.insert(name, code_only(&read(&path)));
            }
        }
        found
    }

    /// Module → the other modules of the tree it imports from. A module's use of its own
    /// child counts like any other import: a child that imports from its parent while the
    /// parent calls into it is a cycle between two files.
    pub fn dependencies(&self) -> BTreeMap<String, BTreeSet<String>> {
        let known = self.modules();
        let reexports = self.reexports(&known);
        known
            .iter()
            .map(|(name, code)| {
                let deps = self
                    .paths(name, code, &known)
                    .iter()
                    .map(|path| resolve(path, &known, &reexports))
                    .filter(|dep| dep != name && dep != OUTSIDE)
                    .collect();
                (name.clone(), deps)
            })
            .collect()
    }

    /// (module, name) → the module that defines what `module` re-exports as `name`
    /// (`pub use model::{Dialect, Verdict};`), so that an import through a re-export counts
    /// as an import from the file that holds the item.
    fn reexports(&self, known: &BTreeMap<String, String>) -> BTreeMap<(String, String), String> {
        let mut found = BTreeMap::new();
        for (module, code) in known {
            for line in code.lines() {
                let line = line.trim_start();
                let Some(start) = ["pub use ", "pub(crate) use ", "pub(super) use "]
                    .iter()
                    .find_map(|head| line.strip_prefix(head))
                else {
                    continue;
                };
                // The statement runs to its `;`, over as many lines as rustfmt gave it.
                let from = code.find(line).unwrap_or_default() + (line.len() - start.len());
                let rest = code[from..].split(';').next().unwrap_or_default();
                for (path, name) in use_members(rest) {
                    // A re-export from outside the tree (`pub use crate::diagnostic::Change`)
                    // is no import of this module's file.
                    let defining = match self.paths(module, &path, known).into_iter().next() {
                        Some(full) => module_of(&full, known),
                        None => OUTSIDE.to_string(),
                    };
                    if &defining != module {
                        found.insert((module.clone(), name), defining);
                    }
                }
            }
        }
        found
    }

    /// For a reader of the graph: which paths in `module`'s code lead to `dep`.
    pub fn paths_to(&self, module: &str, dep: &str) -> Vec<String> {
        let known = self.modules();
        let reexports = self.reexports(&known);
        let code = known.get(module).cloned().unwrap_or_default();
        self.paths(module, &code, &known)
            .into_iter()
            .filter(|path| resolve(path, &known, &reexports) == dep)
            .map(|path| path.join("::"))
            .collect()
    }

    /// The paths in `code` that lead into the tree, each as module segments from the root.
    fn paths(
        &self,
        module: &str,
        code: &str,
        known: &BTreeMap<String, String>,
    ) -> Vec<Vec<String>> {
        let own: Vec<String> = if module == ROOT {
            Vec::new()
        } else {
            module.split("::").map(str::to_string).collect()
        };
        let child_of = |name: &str| {
            if module == ROOT {
                name.to_string()
            } else {
                format!("{module}::{name}")
            }
        };
        let mut parent = own.clone();
        parent.pop();
        let mut found = Vec::new();
        let mut at = 0;
        while at < code.len() {
            let rest = &code[at..];
            let before = code[..at].chars().last();
            let starts_path = before.is_none_or(|c| !is_ident(c) && c != ':');
            let ident: String = rest.chars().take_while(|c| is_ident(*c)).collect();
            let leading_child = !ident.is_empty()
                && rest[ident.len()..].starts_with("::")
                && known.contains_key(&child_of(&ident));
            let (base, skip) = if !starts_path {
                at += rest.chars().next().map_or(1, char::len_utf8);
                continue;
            } else if rest.starts_with(self.prefix) {
                (Vec::new(), self.prefix.len())
            } else if rest.starts_with("super::") {
                let mut base = parent.clone();
                let mut skip = "super::".len();
                while code[at + skip..].starts_with("super::") {
                    base.pop();
                    skip += "super::".len();
                }
                (base, skip)
            } else if rest.starts_with("self::") {
                (own.clone(), "self::".len())
            } else if leading_child {
                (own.clone(), 0)
            } else {
                at += rest.chars().next().map_or(1, char::len_utf8);
                continue;
            };
            let (members, used) = segments(&code[at + skip..]);
            for member in members {
                let mut full = base.clone();
                full.extend(member);
                found.push(full);
            }
            at += skip + used.max(1);
        }
        found
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The text without its test modules (`#[cfg(test)] mod …`, wherever they stand) and without
/// comments.
fn code_only(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    // While inside a test module: how deep its braces are open.
    let mut skipping: Option<i64> = None;
    while let Some(line) = lines.next() {
        let code = line.split("//").next().unwrap_or_default();
        if let Some(depth) = skipping.as_mut() {
            *depth += braces(code);
            // The module's last brace closed, or it was `mod tests;` (a file of its own).
            if *depth <= 0 && (code.contains('}') || code.trim_end().ends_with(';')) {
                skipping = None;
            }
            continue;
        }
        let next = lines.peek().map(|l| l.trim_start()).unwrap_or_default();
        if line.trim() == "#[cfg(test)]"
            && (next.starts_with("mod ") || next.starts_with("pub(crate) mod "))
        {
            skipping = Some(0);
            continue;
        }
        out.push_str(code);
        out.push('\n');
    }
    out
}

/// Opening minus closing braces on a line (outside string literals, roughly: enough for the
/// test modules of this codebase).
fn braces(code: &str) -> i64 {
    let mut in_string = false;
    let mut count = 0;
    let mut chars = code.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if in_string => {
                chars.next();
            }
            '"' => in_string = !in_string,
            '{' if !in_string => count += 1,
            '}' if !in_string => count -= 1,
            _ => {}
        }
    }
    count
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Reads `a::b::c` or `a::{b, c::d}` from the start of `text`: the member paths, and how many
/// bytes were read.
fn segments(text: &str) -> (Vec<Vec<String>>, usize) {
    let mut prefix = Vec::new();
    let mut at = 0;
    loop {
        let ident: String = text[at..].chars().take_while(|c| is_ident(*c)).collect();
        if !ident.is_empty() {
            at += ident.len();
            prefix.push(ident);
            if text[at..].starts_with("::") {
                at += 2;
                continue;
            }
            return (vec![prefix], at);
        }
        if text[at..].starts_with('{') {
            let close = text[at..].find('}').map_or(text.len(), |i| at + i);
            let members = text[at + 1..close]
                .split(',')
                .filter(|m| !m.trim().is_empty())
                .map(|m| {
                    let mut path = prefix.clone();
                    let head = m.trim().split(" as ").next().unwrap_or_default();
                    path.extend(
                        head.split("::")
                            .map(|s| s.trim().to_string())
                            .filter(|s| !s.is_empty() && s != "self"),
                    );
                    path
                })
                .collect();
            return (members, close + 1);
        }
        return (vec![prefix], at);
    }
}

/// The longest prefix of `path` that is a module of the tree, else the root (its own items).
fn module_of(path: &[String], known: &BTreeMap<String, String>) -> String {
    module_prefix(path, known).0
}

/// The module `path` leads to, and how many of its segments name it.
fn module_prefix(path: &[String], known: &BTreeMap<String, String>) -> (String, usize) {
    (1..=path.len())
        .rev()
        .map(|n| (path[..n].join("::"), n))
        .find(|(name, _)| known.contains_key(name))
        .unwrap_or_else(|| (ROOT.to_string(), 0))
}

/// The file that holds what `path` names, following re-exports.
fn resolve(
    path: &[String],
    known: &BTreeMap<String, String>,
    reexports: &BTreeMap<(String, String), String>,
) -> String {
    let (mut module, used) = module_prefix(path, known);
    if let Some(item) = path.get(used) {
        // A re-export of a re-export is followed a few steps, never around a loop.
        for _ in 0..4 {
            match reexports.get(&(module.clone(), item.clone())) {
                Some(defining) => module = defining.clone(),
                None => break,
            }
        }
    }
    module
}

/// The members of a `use` tree (`a::{b, c as d}`): each full path as text, with the name it
/// is known by.
fn use_members(tree: &str) -> Vec<(String, String)> {
    let (prefix, group) = match tree.find('{') {
        Some(open) => (
            &tree[..open],
            tree[open + 1..].trim_end().trim_end_matches('}'),
        ),
        None => ("", tree),
    };
    group
        .split(',')
        .map(str::trim)
        .filter(|m| !m.is_empty() && *m != "self" && !m.ends_with('*'))
        .map(|member| {
            let (path, alias) = match member.split_once(" as ") {
                Some((path, alias)) => (path.trim(), Some(alias.trim())),
                None => (member, None),
            };
            let name = alias
                .unwrap_or_else(|| path.rsplit("::").next().unwrap_or(path))
                .to_string();
            (format!("{prefix}{path}"), name)
        })
        .collect()
}

/// A cycle of imports, as the modules around it (the first repeated at the end), if any.
pub fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    // Depth-first, colouring each module: a module met again while still open closes a cycle.
    fn visit(
        module: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        open: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = open.iter().position(|m| m == module) {
            let mut cycle = open[start..].to_vec();
            cycle.push(module.to_string());
            return Some(cycle);
        }
        if done.contains(module) {
            return None;
        }
        open.push(module.to_string());
        for dep in graph.get(module).into_iter().flatten() {
            if let Some(cycle) = visit(dep, graph, open, done) {
                return Some(cycle);
            }
        }
        open.pop();
        done.insert(module.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|module| visit(module, graph, &mut Vec::new(), &mut done))
}

/// Layers, lowest first: (name, modules).
pub type Layers = &'static [(&'static str, &'static [&'static str])];

pub fn layer_of(layers: Layers, module: &str) -> Option<usize> {
    layers
        .iter()
        .position(|(_, members)| members.contains(&module))
}

/// Modules of the graph (the root aside) that no layer names.
pub fn unlayered(graph: &BTreeMap<String, BTreeSet<String>>, layers: Layers) -> Vec<String> {
    graph
        .keys()
        .filter(|m| *m != ROOT && layer_of(layers, m).is_none())
        .cloned()
        .collect()
}

/// Every import from a module to one in a higher layer, described.
pub fn upward_imports(graph: &BTreeMap<String, BTreeSet<String>>, layers: Layers) -> Vec<String> {
    let mut upward = Vec::new();
    for (module, deps) in graph {
        let Some(own) = layer_of(layers, module) else {
            continue;
        };
        for dep in deps {
            if let Some(theirs) = layer_of(layers, dep).filter(|theirs| *theirs > own) {
                upward.push(format!(
                    "{module} ({}) imports {dep} ({})",
                    layers[own].0, layers[theirs].0
                ));
            }
        }
    }
    upward
}

/// The graph with one more import, to show a check fails when a cycle is added.
pub fn with_import(
    graph: &BTreeMap<String, BTreeSet<String>>,
    from: &str,
    to: &str,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph = graph.clone();
    graph
        .entry(from.to_string())
        .or_default()
        .insert(to.to_string());
    graph
}

/// Fails, naming them, when a module of `graph` has no layer; `file` says where to add it.
pub fn assert_every_module_layered(
    graph: &BTreeMap<String, BTreeSet<String>>,
    layers: Layers,
    file: &str,
) {
    let missing = unlayered(graph, layers);
    assert!(
        missing.is_empty(),
        "give these modules their layer in {file} (and ARCHITECTURE.md): {missing:?}"
    );
}

/// Fails, naming them, on imports against the layer order.
pub fn assert_no_upward_import(graph: &BTreeMap<String, BTreeSet<String>>, layers: Layers) {
    let upward = upward_imports(graph, layers);
    assert!(
        upward.is_empty(),
        "imports against the layer order:\n{}",
        upward.join("\n")
    );
}

/// Fails, showing it, on an import cycle; `tree` names the folder.
pub fn assert_no_cycle(graph: &BTreeMap<String, BTreeSet<String>>, tree: &str) {
    if let Some(cycle) = find_cycle(graph) {
        panic!("an import cycle in {tree}: {}", cycle.join(" → "));
    }
}
