//! Every ```` ```vpl ```` block in `docs/language.md` and `README.md` is
//! compiled, so the documentation cannot drift from the compiler. The
//! conventions (also written at the top of `docs/language.md`):
//!
//! - A block holding an `instrument` is a complete policy; any other block is
//!   a *fragment*, compiled inside a generated policy: the header
//!   `instrument doc/example { … calendar cn }` is put before it, and an
//!   article with the needed paragraphs and items is added for every
//!   citation the block makes but does not declare. Articles a fragment does
//!   declare must be covered by the fragment itself.
//! - ```` ```vpl ```` — compiles with no error and no warning (in fragments,
//!   `W0001 unused` is allowed: a fragment declares things to show them).
//! - ```` ```vpl error E0101 W0003 ```` — compiling reports exactly these codes
//!   (besides W0001 in fragments). A block expecting `E0001` (a syntax
//!   error) is not formatted.
//! - ```` ```vpl warning W0002 ```` — the same, for blocks that still compile.
//! - ```` ```vpl unformatted ```` — written in a non-canonical layout on
//!   purpose; the next `vpl` block must be exactly what `vplc fmt` makes of it.
//! - ```` ```text table ```` — the output of `vplc table` for the `vpl` block
//!   just before it.
//! - Every other `vpl` block must already be in canonical layout.
//!
//! Failures name the line of the block's opening fence in the `.md` file.

#![allow(clippy::unwrap_used, clippy::panic, reason = "test helpers fail by panicking")]

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use vpl_core::syntax::ast::{DutyClause, File, Item, PenaltyClause};
use vpl_core::syntax::parse_file;
use vpl_core::{Compilation, FileId};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fenced block: its info string after the language, its text, and the
/// 1-based line of its opening fence.
struct Block {
    lang: String,
    info: Vec<String>,
    text: String,
    line: usize,
}

fn blocks(md: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut lines = md.lines().enumerate();
    while let Some((n, line)) = lines.next() {
        let Some(info) = line.strip_prefix("```") else { continue };
        let mut words = info.split_whitespace().map(String::from);
        let lang = words.next().unwrap_or_default();
        let mut text = String::new();
        for (_, l) in lines.by_ref() {
            if l.starts_with("```") {
                break;
            }
            text.push_str(l);
            text.push('\n');
        }
        out.push(Block { lang, info: words.collect(), text, line: n + 1 });
    }
    out
}

const HEADER: &str = "instrument doc/example {
    title en \"Example\"
    status in_force issued 2024-01-01 effective 2024-01-01
    calendar cn
}
";

/// The policy a fragment is compiled in: the header, the fragment, and the
/// articles its citations need that it does not declare.
fn wrap(fragment: &str, ast: Option<&File>) -> String {
    let Some(ast) = ast else { return format!("{HEADER}\n{fragment}") };
    let declared: BTreeSet<u32> =
        ast.items.iter().filter_map(|i| if let Item::Article(a) = i { Some(a.number.node) } else { None }).collect();
    // article → paragraph → items
    let mut needed: BTreeMap<u32, BTreeMap<u32, BTreeSet<u32>>> = BTreeMap::new();
    let mut cite = |c: &vpl_core::syntax::ast::Citation| {
        if declared.contains(&c.article) {
            return;
        }
        let paras = needed.entry(c.article).or_default();
        if let Some(p) = c.paragraph {
            let items = paras.entry(p).or_default();
            if let Some(i) = c.item {
                items.insert(i);
            }
        }
    };
    for item in &ast.items {
        match item {
            Item::Duty(d) => d.clauses.iter().for_each(|c| {
                if let DutyClause::Cite(x) = &c.node {
                    cite(&x.node);
                }
            }),
            Item::Penalty(p) => p.clauses.iter().for_each(|c| {
                if let PenaltyClause::Cite(x) = &c.node {
                    cite(&x.node);
                }
            }),
            _ => {}
        }
    }
    let mut out = format!("{HEADER}\n{fragment}");
    for (article, paras) in needed {
        out.push_str(&format!("\narticle {article} {{\n    en \"Article {article}.\"\n"));
        for (p, items) in paras {
            out.push_str(&format!("    para {p} {{\n        en \"Paragraph {p}.\"\n"));
            for i in items {
                out.push_str(&format!("        item {i} {{\n            en \"Item {i}.\"\n        }}\n"));
            }
            out.push_str("    }\n");
        }
        out.push_str("}\n");
    }
    out
}

fn is_policy(text: &str, ast: Option<&File>) -> bool {
    match ast {
        Some(f) => f.items.iter().any(|i| matches!(i, Item::Instrument(_))),
        None => text.lines().any(|l| l.starts_with("instrument ")),
    }
}

fn rendered(c: &Compilation) -> String {
    vplc::report::render(vplc::cli::ErrorFormat::Plain, false, &c.sources, &c.diagnostics)
}

/// Checks one block; returns a problem, if any.
fn check(block: &Block, next: Option<&Block>, previous_table: &mut Option<String>) -> Option<String> {
    if block.lang == "text" && block.info.first().map(String::as_str) == Some("table") {
        let Some(expected) = previous_table.take() else {
            return Some("a `text table` block must follow a `vpl` block that compiles".into());
        };
        return (expected != block.text).then(|| format!("the table differs from `vplc table`'s; it should be:\n{expected}"));
    }
    if block.lang != "vpl" {
        return None;
    }
    *previous_table = None;
    let mode = block.info.first().map(String::as_str).unwrap_or("");
    let expected: BTreeSet<&str> = match mode {
        "error" | "warning" => block.info.iter().skip(1).map(String::as_str).collect(),
        "" | "unformatted" => BTreeSet::new(),
        other => return Some(format!("unknown info string `{other}`; use error, warning or unformatted")),
    };
    if matches!(mode, "error" | "warning") && expected.is_empty() {
        return Some(format!("`vpl {mode}` needs the codes the block shows"));
    }
    let ast = parse_file(FileId(0), &block.text).ok();
    let syntax_error = expected.contains("E0001");
    if ast.is_none() && !syntax_error {
        return Some("does not parse (mark it `vpl error E0001` if that is the point)".into());
    }
    // Layout.
    if !syntax_error {
        let formatted = vpl_core::fmt::format_source(&block.text).unwrap();
        if mode == "unformatted" {
            if formatted == block.text {
                return Some("marked `unformatted` but already canonical".into());
            }
            match next {
                Some(n) if n.lang == "vpl" && n.text == formatted => {}
                _ => return Some(format!("the next `vpl` block must be its canonical form:\n{formatted}")),
            }
        } else if formatted != block.text {
            return Some(format!("not in canonical layout; `vplc fmt` makes it:\n{formatted}"));
        }
    }
    // Compilation.
    let policy = is_policy(&block.text, ast.as_ref());
    let source = if policy { block.text.clone() } else { wrap(&block.text, ast.as_ref()) };
    let c = vpl_core::compile("block.vpl", &source, &vplc::input::resolve_import);
    let got: BTreeSet<&str> = c
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .filter(|code| policy || *code != "W0001" || expected.contains(code))
        .collect();
    if got != expected {
        let wrapped = if policy { String::new() } else { format!("\ncompiled as:\n{source}") };
        return Some(format!("expected codes {expected:?}, got {got:?}:\n{}{wrapped}", rendered(&c)));
    }
    if mode == "warning" && c.table.is_none() {
        return Some("marked `warning` but does not compile".into());
    }
    *previous_table = c.table.as_ref().map(|t| vpl_core::table::render::text(t, None));
    None
}

fn check_file(rel: &str) -> (usize, Vec<String>) {
    let path = root().join(rel);
    let md = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let all = blocks(&md);
    let mut problems = Vec::new();
    let mut previous_table = None;
    let mut checked = 0;
    for (i, b) in all.iter().enumerate() {
        let next = all.get(i + 1);
        if b.lang == "vpl" {
            checked += 1;
        }
        if let Some(p) = check(b, next, &mut previous_table) {
            problems.push(format!("{rel}:{}: {p}", b.line));
        }
    }
    (checked, problems)
}

#[test]
fn language_reference_examples_compile() {
    let (checked, problems) = check_file("docs/language.md");
    assert!(checked >= 25, "docs/language.md has only {checked} vpl blocks");
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn readme_examples_compile() {
    let (checked, problems) = check_file("README.md");
    assert!(checked >= 1, "README.md has no vpl block");
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn fragments_are_wrapped_into_a_policy() {
    let fragment = "duty d {\n    cite art 7(1)(2)\n    product_provider must verified\n}\n";
    let ast = parse_file(FileId(0), fragment).unwrap();
    let wrapped = wrap(fragment, Some(&ast));
    assert!(wrapped.starts_with(HEADER));
    assert!(wrapped.contains("article 7 {") && wrapped.contains("para 1 {") && wrapped.contains("item 2 {"), "{wrapped}");
    let c = vpl_core::compile("w.vpl", &wrapped, &vpl_core::no_files);
    assert!(c.diagnostics.is_empty(), "{}", rendered(&c));
}
