//! The PKI layers (ARCHITECTURE.md, "PKI layers"), kept true: each module of `src/pki` imports
//! only from its own layer or a lower one, and no modules import each other around a cycle.
//! A module's tests may import anything; a new module must be given its layer here.
//!
//! The imports are read from the source text (`crate::pki::…` and `super::…` paths, groups
//! included), comments and test modules left out. An import from a module's own parent counts
//! like any other (`use super::{Policy, Purpose}` in `chain::checks` takes them from `chain`,
//! its layer); only a module's paths into its own children are left out, as the tree itself.

#![allow(clippy::panic, clippy::indexing_slicing)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Lowest first. The order the issue asked for: der → x509 → certificate facts and the chain
/// model → chain → intake → review.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "primitives",
        &["der", "time", "oids", "text", "crypto", "pem", "rules"],
    ),
    (
        "x509",
        &[
            "x509",
            "x509::extensions",
            "x509::time",
            "name",
            "known_cas",
        ],
    ),
    (
        "facts and the chain model",
        &["chain::model", "cert", "key"],
    ),
    (
        "chain and key material",
        &[
            "chain",
            "chain::checks",
            "chain::constraints",
            "chain::error",
            "chain::names",
            "chain::path",
            "chain::rules",
            "chain::signature",
            "decrypt",
            "pkcs12",
            "keymatch",
        ],
    ),
    ("intake", &["intake", "convert"]),
    ("review", &["review", "system_roots", "shared_identity"]),
];

struct Module {
    code: String,
}

/// Every module of `src/pki` but the root and test-only files, with its code.
fn modules() -> BTreeMap<String, Module> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/pki");
    let mut found = BTreeMap::new();
    let mut pending = vec![root.clone()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.map(|e| e.path()).unwrap_or_default();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let relative = path
                .strip_prefix(&root)
                .unwrap_or(&path)
                .to_string_lossy()
                .to_string();
            let Some(stem) = relative.strip_suffix(".rs") else {
                continue;
            };
            if stem == "mod" || stem.ends_with("/tests") {
                continue;
            }
            let name = stem.trim_end_matches("/mod").replace('/', "::");
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            found.insert(
                name,
                Module {
                    code: code_only(&text),
                },
            );
        }
    }
    found
}

/// The text without its test module (at the end of the file, by this codebase's custom) and
/// without comments.
fn code_only(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let next = lines.peek().map(|l| l.trim_start()).unwrap_or_default();
        if line.trim() == "#[cfg(test)]"
            && (next.starts_with("mod tests") || next.starts_with("pub(crate) mod tests"))
        {
            break;
        }
        let code = line.split("//").next().unwrap_or_default();
        out.push_str(code);
        out.push('\n');
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The paths written after `crate::pki::` or `super::`, each as the segments of its module
/// (base included); a `{…}` group gives one path per member.
fn paths(module: &str, unit: &Module) -> Vec<Vec<String>> {
    // `super` is the parent module, for `chain/checks.rs` (`chain::checks`) as for
    // `chain/mod.rs` (`chain`, whose parent is the root).
    let mut parent: Vec<String> = module.split("::").map(str::to_string).collect();
    parent.pop();
    let code = &unit.code;
    let mut found = Vec::new();
    let mut at = 0;
    while at < code.len() {
        let rest = &code[at..];
        let before = code[..at].chars().last();
        let starts_path = before.is_none_or(|c| !is_ident(c) && c != ':');
        let (base, skip) = if starts_path && rest.starts_with("crate::pki::") {
            (Vec::new(), "crate::pki::".len())
        } else if starts_path && rest.starts_with("super::") {
            let mut base = parent.clone();
            let mut skip = "super::".len();
            while code[at + skip..].starts_with("super::") {
                base.pop();
                skip += "super::".len();
            }
            (base, skip)
        } else {
            at += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let (mut members, used) = segments(&code[at + skip..]);
        for member in &mut members {
            let mut full = base.clone();
            full.append(member);
            found.push(full);
        }
        at += skip + used.max(1);
    }
    found
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

/// The longest prefix of `path` that is a module of `src/pki` (or none: the root's items).
fn module_of(path: &[String], known: &BTreeMap<String, Module>) -> Option<String> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].join("::"))
        .find(|name| known.contains_key(name))
}

/// `dep` is `module` itself or one of its children.
fn own_or_child(module: &str, dep: &str) -> bool {
    module == dep || dep.starts_with(&format!("{module}::"))
}

fn dependencies() -> BTreeMap<String, BTreeSet<String>> {
    let known = modules();
    known
        .iter()
        .map(|(name, unit)| {
            let deps = paths(name, unit)
                .iter()
                .filter_map(|path| module_of(path, &known))
                .filter(|dep| !own_or_child(name, dep))
                .collect();
            (name.clone(), deps)
        })
        .collect()
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS
        .iter()
        .position(|(_, members)| members.contains(&module))
}

#[test]
fn every_pki_module_has_a_layer() {
    let missing: Vec<String> = modules()
        .into_keys()
        .filter(|m| layer_of(m).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "give these modules their layer in tests/pki_layers.rs (and ARCHITECTURE.md): {missing:?}"
    );
}

#[test]
fn no_pki_module_imports_from_a_higher_layer() {
    let mut upward = Vec::new();
    for (module, deps) in dependencies() {
        let Some(own) = layer_of(&module) else {
            continue;
        };
        for dep in deps {
            if layer_of(&dep).is_some_and(|theirs| theirs > own) {
                upward.push(format!(
                    "{module} ({}) imports {dep} ({})",
                    LAYERS[own].0,
                    LAYERS[layer_of(&dep).unwrap_or(own)].0
                ));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports against the layer order:\n{}",
        upward.join("\n")
    );
}

#[test]
fn pki_modules_import_each_other_in_no_cycle() {
    let graph = dependencies();
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
    for module in graph.keys() {
        if let Some(cycle) = visit(module, &graph, &mut Vec::new(), &mut done) {
            panic!("an import cycle: {}", cycle.join(" → "));
        }
    }
}

#[test]
fn the_reader_of_imports_sees_paths_groups_and_supers() {
    // The checks above are only as good as this reading: a known module's imports, read back.
    let graph = dependencies();
    let of = |m: &str| graph.get(m).cloned().unwrap_or_default();
    assert!(of("cert").contains("chain::model") && of("cert").contains("known_cas"));
    assert!(
        of("chain::checks").contains("chain::constraints"),
        "{:?}",
        of("chain::checks")
    );
    assert!(of("intake").contains("pkcs12") && of("review").contains("intake"));
    assert!(
        !of("chain::model").contains("cert"),
        "a doc link is not an import"
    );
    assert!(
        of("chain::checks").contains("chain"),
        "an import from the parent module counts"
    );
}
