//! Differential tests: the fast path against pest, the grammar of record.
//! Whenever the fast path returns a tree, pest must accept the file and
//! build the same tree, spans included (compared through `Debug`, which
//! shows them; `PartialEq` on the AST ignores spans by design).

use super::super::errors::check_nesting;
use super::super::parse::parse_with_pest;
use crate::span::FileId;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn vpl_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if !matches!(name, "target" | ".git" | "node_modules") {
                vpl_files(&path, out);
            }
        } else if name.ends_with(".vpl") {
            out.push(path);
        }
    }
}

/// Every `.vpl` file of the repository, and every ```vpl block of the docs.
fn corpus() -> Vec<(String, String)> {
    let root = root();
    let mut paths = Vec::new();
    for dir in ["stdlib", "policies", "examples", "tests", "docs"] {
        vpl_files(&root.join(dir), &mut paths);
    }
    let mut out: Vec<(String, String)> =
        paths.iter().map(|p| (p.display().to_string(), std::fs::read_to_string(p).unwrap())).collect();
    for md in ["docs/language.md", "README.md"] {
        let text = std::fs::read_to_string(root.join(md)).unwrap();
        for (i, block) in text.split("```vpl\n").skip(1).enumerate() {
            let code = block.split("```").next().unwrap_or("");
            out.push((format!("{md} block {i}"), code.to_string()));
        }
    }
    assert!(out.len() > 200, "corpus too small: {}", out.len());
    out
}

/// What the fast path says of `text` must agree with pest. Returns whether
/// the fast path built a tree.
fn agree(name: &str, text: &str) -> bool {
    if check_nesting(FileId(3), text).is_err() {
        // parse_file stops before either parser sees the text.
        return false;
    }
    let Some(fast) = super::parse(FileId(3), text) else { return false };
    match parse_with_pest(FileId(3), text) {
        Ok(slow) => {
            let (f, s) = (format!("{fast:#?}"), format!("{slow:#?}"));
            if f != s {
                let line = f.lines().zip(s.lines()).position(|(a, b)| a != b).unwrap_or(0);
                let show = |t: &str| t.lines().skip(line.saturating_sub(12)).take(16).collect::<Vec<_>>().join("\n");
                panic!("{name}: the trees differ near line {line}\n--- fast\n{}\n--- pest\n{}\n--- text\n{text:?}", show(&f), show(&s));
            }
        }
        Err(e) => panic!("{name}: the fast path built a tree, pest reports {e:#?}\n--- text\n{text:?}"),
    }
    true
}

#[test]
fn keywords_read_as_pest_reads_them() {
    use super::super::{Rule, VplParser};
    use pest::Parser;
    let mut words: Vec<String> = super::KEYWORDS.iter().map(|k| k.to_string()).collect();
    words.extend(super::KEYWORDS.iter().map(|k| format!("{k}x")));
    words.extend(super::KEYWORDS.iter().map(|k| format!("{k}_")));
    words.extend(super::KEYWORDS.iter().map(|k| k[..k.len() - 1].to_string()));
    words.extend(["x", "_", "a1", "In", "WITH", "withi", "within_", "day", "not_x"].map(String::from));
    for w in words {
        let pest_ident = VplParser::parse(super::super::Rule::ident, &w).is_ok_and(|p| p.as_str() == w);
        let fast_ident = !super::is_keyword(&w);
        assert_eq!(pest_ident, fast_ident, "`{w}`: pest reads it as a name: {pest_ident}");
        let _ = Rule::keyword;
    }
}

#[test]
fn corpus_takes_the_fast_path_and_agrees() {
    let mut fast = 0;
    let mut pest_ok = 0;
    for (name, text) in corpus() {
        let ok = check_nesting(FileId(3), &text).is_ok() && parse_with_pest(FileId(3), &text).is_ok();
        let took = agree(&name, &text);
        if ok {
            pest_ok += 1;
            assert!(took, "{name}: pest accepts it, the fast path gave up");
        }
        fast += usize::from(took);
    }
    assert_eq!(fast, pest_ok);
    assert!(pest_ok > 100, "only {pest_ok} files parse");
}
