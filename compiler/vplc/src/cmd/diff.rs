//! `vplc diff OLD NEW`: the semantic difference between two versions of an
//! instrument (see `vpl_core::diff`); with `--cases`, the cases whose
//! verdicts change and witness cases for the changed duties no case
//! exercises (see `vpl_eval::impact`, `vpl_eval::witness`); with
//! `--git-external`, git's external-diff calling convention (docs/git.md).

use super::check::{case_files, for_each_case, now, parse_as_of};
use super::table::compile_source;
use super::{BAD_INPUT, FINDINGS, OK};
use crate::cli::TableFormat;
use crate::report::{Reporter, ToolError};
use serde::Serialize;
use std::collections::BTreeSet;
use std::io::Read;
use std::path::PathBuf;
use vpl_core::diff::{DutyPair, TableDiff};
use vpl_core::DecisionTable;
use vpl_eval::impact::{case_impact, change_words, changes_of, Flip};
use vpl_eval::witness::{changed_pairs, witness, Witness};
use vpl_eval::{Compiled, LoadOptions, Vocab};

pub struct Options {
    pub old: Option<String>,
    pub new: Option<String>,
    pub format: TableFormat,
    pub cases: Vec<String>,
    pub as_of: Option<String>,
    pub git_external: Option<Vec<String>>,
}

/// Everything `--cases` adds to the diff; the JSON form is documented in docs/cli.md.
#[derive(Debug, Serialize)]
pub struct Impact {
    pub diff: TableDiff,
    pub cases: CasesOut,
    /// A checked witness case for each changed duty no case exercises.
    pub witnesses: Vec<Witness>,
    /// The changed duties no case exercises and no witness could be built for.
    pub unwitnessed: Vec<NoWitness>,
}

#[derive(Debug, Serialize)]
pub struct CasesOut {
    pub checked: usize,
    /// The cases with at least one verdict that changes, in file order.
    pub changed: Vec<CaseImpact>,
}

#[derive(Debug, Serialize)]
pub struct CaseImpact {
    pub file: String,
    pub case: String,
    pub title: Option<String>,
    pub as_of: String,
    pub flips: Vec<Flip>,
}

#[derive(Debug, Serialize)]
pub struct NoWitness {
    pub duty: String,
    pub changes: Vec<String>,
    pub reason: String,
}

fn load(rep: &mut Reporter, given: &str) -> Option<DecisionTable> {
    if given != "-" {
        return super::table::compile_policy(rep, given);
    }
    let mut text = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut text) {
        rep.tool_error(ToolError::Read { path: "<stdin>".into(), reason: e.to_string() });
        return None;
    }
    compile_source(rep, "<stdin>", &text)
}

pub fn run(rep: &mut Reporter, o: &Options) -> u8 {
    if let Some(args) = &o.git_external {
        return git_external(rep, args, o);
    }
    let (Some(old), Some(new)) = (&o.old, &o.new) else {
        rep.tool_error(ToolError::BadArgument { what: "vplc diff".into(), why: "give OLD and NEW".into() });
        return BAD_INPUT;
    };
    let (Some(a), Some(b)) = (load(rep, old), load(rep, new)) else { return BAD_INPUT };
    diff_tables(rep, a, b, o)
}

fn diff_tables(rep: &mut Reporter, a: DecisionTable, b: DecisionTable, o: &Options) -> u8 {
    let d = vpl_core::diff::diff(&a, &b);
    let differ = !d.is_empty();
    if o.cases.is_empty() {
        let out = match o.format {
            TableFormat::Text => vpl_core::diff::text(&d),
            TableFormat::Md => vpl_core::diff::markdown(&d),
            TableFormat::Json => serde_json::to_string_pretty(&d).unwrap_or_default() + "\n",
        };
        print!("{out}");
        return if differ { FINDINGS } else { OK };
    }
    let Some((impact, all_read)) = impact(rep, a, b, d, o) else { return BAD_INPUT };
    let out = match o.format {
        TableFormat::Text => text(&impact),
        TableFormat::Md => markdown(&impact),
        TableFormat::Json => serde_json::to_string_pretty(&impact).unwrap_or_default() + "\n",
    };
    print!("{out}");
    if !all_read || rep.failed() {
        BAD_INPUT
    } else if differ {
        FINDINGS
    } else {
        OK
    }
}

fn compiled(rep: &mut Reporter, t: DecisionTable) -> Option<Compiled> {
    let id = t.instrument.id.clone();
    match Compiled::new(t) {
        Ok(c) => Some(c),
        Err(e) => {
            rep.tool_error(ToolError::UnknownPolicy { given: id, help: Some(e) });
            None
        }
    }
}

/// Checks every case under both versions, then builds witnesses. The flag
/// is false when some case file could not be read (already reported).
pub fn impact(rep: &mut Reporter, a: DecisionTable, b: DecisionTable, d: TableDiff, o: &Options) -> Option<(Impact, bool)> {
    let forced = parse_as_of(rep, o.as_of.as_deref())?;
    let (old, new) = (compiled(rep, a)?, compiled(rep, b)?);
    let pairs = vpl_core::diff::pairs(old.table(), new.table());
    let vocab = Vocab::new([&old.table().vocabulary, &new.table().vocabulary]);
    let paths: Vec<PathBuf> = o.cases.iter().map(PathBuf::from).collect();
    let files = case_files(rep, &paths);
    let now = now();
    let mut checked = 0usize;
    let mut changed = Vec::new();
    let mut all_read = true;
    for file in &files {
        let name = file.display().to_string();
        all_read &= for_each_case(rep, file, &vocab, LoadOptions::default(), false, |_, case| {
            checked += 1;
            let as_of = forced.or(case.as_of).unwrap_or(now);
            let flips = case_impact(&old, &new, &pairs, &d, &case, &as_of);
            if !flips.is_empty() {
                changed.push(CaseImpact {
                    file: name.clone(),
                    case: case.id.clone(),
                    title: case.title.clone(),
                    as_of: as_of.to_string(),
                    flips,
                });
            }
        });
    }
    let exercised: BTreeSet<&DutyPair> = changed.iter().flat_map(|c| c.flips.iter().flat_map(|f| f.pairs.iter())).collect();
    let mut witnesses = Vec::new();
    let mut unwitnessed = Vec::new();
    for pair in changed_pairs(&pairs, &d) {
        if exercised.contains(&pair) {
            continue;
        }
        match witness(&old, &new, &d, &pair) {
            Ok(w) => witnesses.push(w),
            Err(reason) => unwitnessed.push(NoWitness {
                duty: pair.1.clone().or(pair.0.clone()).unwrap_or_default(),
                changes: changes_of(&d, &pair).into_iter().map(change_words).collect(),
                reason,
            }),
        }
    }
    Some((Impact { diff: d, cases: CasesOut { checked, changed }, witnesses, unwitnessed }, all_read))
}

fn cites(f: &Flip) -> String {
    match (&f.old_cite, &f.new_cite) {
        (Some(a), Some(b)) if a != b => format!("{a} → {b}"),
        (_, Some(b)) => b.clone(),
        (Some(a), None) => a.clone(),
        (None, None) => String::new(),
    }
}

/// `report (art 7(1)(2)) for vendor: met → late (due … → …)`
fn flip_line(f: &Flip) -> String {
    let details = f.details();
    let details = if details.is_empty() { String::new() } else { format!(" ({})", details.join("; ")) };
    format!("{} ({}) for {}: {}{details}", duties(f), cites(f), f.actor, f.statuses())
}

/// `duty`, or `old → new` for a renamed or merged duty.
fn duties(f: &Flip) -> String {
    match &f.old_duty {
        Some(o) if *o != f.duty => format!("{o} → {}", f.duty),
        _ => f.duty.clone(),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn text(i: &Impact) -> String {
    let mut out = vpl_core::diff::text(&i.diff);
    out.push_str(&format!(
        "\nCase impact: {} checked, {} whose verdicts change\n",
        plural(i.cases.checked, "case", "cases"),
        i.cases.changed.len()
    ));
    for c in &i.cases.changed {
        out.push_str(&format!("  {} ({})\n", c.case, c.file));
        for f in &c.flips {
            out.push_str(&format!("    {}\n", flip_line(f)));
            for w in &f.why {
                out.push_str(&format!("      {w}\n"));
            }
        }
    }
    if !i.witnesses.is_empty() {
        out.push_str(&format!(
            "\nWitnesses: {} no case exercises, each checked under both versions (keep one as a case file):\n",
            plural(i.witnesses.len(), "changed duty", "changed duties")
        ));
        for w in &i.witnesses {
            out.push_str(&format!("\n  {}\n", flip_line(&w.flip)));
            for why in &w.flip.why {
                out.push_str(&format!("    {why}\n"));
            }
            out.push_str(&format!("    {}:\n", w.file));
            for line in w.text.lines() {
                out.push_str(&format!("    {line}\n"));
            }
        }
    }
    if !i.unwitnessed.is_empty() {
        out.push_str("\nNo witness:\n");
        for n in &i.unwitnessed {
            out.push_str(&format!("  {}: {} — {}\n", n.duty, n.changes.join("; "), n.reason));
        }
    }
    out
}

pub fn markdown(i: &Impact) -> String {
    let mut out = vpl_core::diff::markdown(&i.diff);
    out.push_str(&format!(
        "\n## Case impact\n\n{} checked, {} whose verdicts change.\n",
        plural(i.cases.checked, "case", "cases"),
        i.cases.changed.len()
    ));
    if !i.cases.changed.is_empty() {
        out.push_str("\n| case | duty | actor | before → after | why |\n|---|---|---|---|---|\n");
        for c in &i.cases.changed {
            for f in &c.flips {
                let details = f.details();
                let details = if details.is_empty() { String::new() } else { format!(" ({})", details.join("; ")) };
                out.push_str(&format!(
                    "| `{}` ({}) | `{}` {} | {} | {}{} | {} |\n",
                    c.case,
                    c.file,
                    duties(f).replace(" → ", "` → `"),
                    cites(f),
                    f.actor,
                    f.statuses(),
                    details,
                    f.why.join("; ").replace('|', "\\|")
                ));
            }
        }
    }
    if !i.witnesses.is_empty() {
        out.push_str("\n## Witnesses\n\nFor each changed duty no case exercises, a case file checked under both versions.\n");
        for w in &i.witnesses {
            out.push_str(&format!("\n### `{}`: {}\n\n", w.file, flip_line(&w.flip)));
            for why in &w.flip.why {
                out.push_str(&format!("- {why}\n"));
            }
            out.push_str(&format!("\n```json\n{}```\n", w.text));
        }
    }
    if !i.unwitnessed.is_empty() {
        out.push_str("\n## No witness\n\n");
        for n in &i.unwitnessed {
            out.push_str(&format!("- `{}` ({}): {}\n", n.duty, n.changes.join("; "), n.reason));
        }
    }
    out
}

/// `git diff` with `diff.vpl.command "vplc diff --git-external"`: git passes
/// PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE (one argument,
/// PATH, for an unmerged file). An added or deleted file is diffed against
/// nothing: every duty added or removed. Exit 0 whether or not the versions
/// differ: git treats any other code as a failure.
fn git_external(rep: &mut Reporter, args: &[String], o: &Options) -> u8 {
    let [path, old_file, _old_hex, _old_mode, new_file, _new_hex, _new_mode] = args else {
        if let [path] = args {
            println!("* Unmerged path {path}");
            return OK;
        }
        rep.tool_error(ToolError::BadArgument {
            what: "--git-external".into(),
            why: format!(
                "git passes 7 arguments (PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE), or 1 for an unmerged path; got {}",
                args.len()
            ),
        });
        return BAD_INPUT;
    };
    let read = |rep: &mut Reporter, file: &str| -> Option<Option<DecisionTable>> {
        if file == "/dev/null" {
            return Some(None);
        }
        let text = match crate::input::read_text(std::path::Path::new(file)) {
            Ok(Ok(t)) => t,
            Ok(Err(_)) => {
                rep.tool_error(ToolError::Read { path: path.clone(), reason: "not UTF-8 text".into() });
                return None;
            }
            Err(e) => {
                rep.tool_error(e);
                return None;
            }
        };
        // Named by its path in the repository, so imports resolve next to it.
        compile_source(rep, path, &text).map(Some)
    };
    let (Some(a), Some(b)) = (read(rep, old_file), read(rep, new_file)) else { return BAD_INPUT };
    let empty = |t: &DecisionTable| DecisionTable { rows: Vec::new(), ..t.clone() };
    let (a, b) = match (a, b) {
        (Some(a), Some(b)) => (a, b),
        (None, Some(b)) => (empty(&b), b),
        (Some(a), None) => (a.clone(), empty(&a)),
        (None, None) => return OK,
    };
    println!("vplc diff a/{path} b/{path}");
    let code = diff_tables(rep, a, b, o);
    if code == BAD_INPUT {
        BAD_INPUT
    } else {
        OK
    }
}
