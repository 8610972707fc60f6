//! `vplc doc POLICY... --out DIR`: a static site for readers (see
//! `vpl_doc`): the instruments, a comparison, amendment pages (`--diff OLD
//! NEW`) and case reports (`--cases PATH`). Rendering is pure; this module
//! compiles, checks, and writes the pages atomically.

use super::check::{case_files, compile_all, for_each_case, now, parse_as_of};
use super::table::compile_policy;
use super::{BAD_INPUT, OK};
use crate::cli::{DocFormat, DocLang};
use crate::input::write_atomic;
use crate::report::{Reporter, ToolError};
use std::path::{Path, PathBuf};
use vpl_eval::{LoadOptions, Vocab};

pub struct Options {
    pub out: PathBuf,
    pub format: DocFormat,
    pub diff: Vec<String>,
    pub cases: Vec<PathBuf>,
    pub lang: DocLang,
    pub as_of: Option<String>,
}

pub fn doc(rep: &mut Reporter, policies: &[String], o: &Options) -> u8 {
    if !o.diff.len().is_multiple_of(2) {
        rep.tool_error(ToolError::BadArgument {
            what: "--diff".into(),
            why: "give two policies after each --diff: OLD NEW".into(),
        });
        return BAD_INPUT;
    }
    if o.out.is_file() {
        rep.tool_error(ToolError::BadArgument {
            what: format!("--out {}", o.out.display()),
            why: "this is a file; give a directory (it is created if missing)".into(),
        });
        return BAD_INPUT;
    }
    let Some(compiled) = compile_all(rep, policies) else { return BAD_INPUT };
    let mut site = vpl_doc::Site { tables: compiled.iter().map(|c| c.table().clone()).collect(), ..Default::default() };
    for pair in o.diff.chunks(2) {
        let [old, new] = pair else { continue };
        let (Some(a), Some(b)) = (compile_policy(rep, old), compile_policy(rep, new)) else { return BAD_INPUT };
        let diff = vpl_core::diff::diff(&a, &b);
        site.amendments.push(vpl_doc::Amendment { old: a, new: b, diff });
    }
    if !o.cases.is_empty() {
        let Some(forced) = parse_as_of(rep, o.as_of.as_deref()) else { return BAD_INPUT };
        let now = now();
        let vocab = Vocab::new(compiled.iter().map(|c| &c.table().vocabulary));
        let refs: Vec<&vpl_eval::Compiled> = compiled.iter().collect();
        let mut all_ok = true;
        for file in case_files(rep, &o.cases) {
            all_ok &= for_each_case(rep, &file, &vocab, LoadOptions::default(), false, |_, case| {
                let as_of = forced.or(case.as_of).unwrap_or(now);
                let reports =
                    refs.iter().map(|c| vpl_eval::check_case_with(c, &case, &as_of, vpl_eval::Options::default())).collect();
                site.cases.push(vpl_doc::CaseDoc::new(&case, &refs, reports));
            });
        }
        if !all_ok || rep.failed() {
            return BAD_INPUT;
        }
    }
    let format = match o.format {
        DocFormat::Html => vpl_doc::Format::Html,
        DocFormat::Md => vpl_doc::Format::Markdown,
    };
    let lang = match o.lang {
        DocLang::En => vpl_doc::Lang::En,
        DocLang::Zh => vpl_doc::Lang::Zh,
    };
    let pages = vpl_doc::render(&site, vpl_doc::Options { format, lang });
    match write_pages(&o.out, &pages) {
        Ok(()) => {
            eprintln!("wrote {} files to {}", pages.len(), o.out.display());
            OK
        }
        Err(e) => {
            rep.tool_error(e);
            BAD_INPUT
        }
    }
}

/// Writes every page under `dir`, each atomically.
pub fn write_pages(dir: &Path, pages: &[vpl_doc::Page]) -> Result<(), ToolError> {
    std::fs::create_dir_all(dir).map_err(|e| ToolError::Write { path: dir.display().to_string(), reason: e.to_string() })?;
    for p in pages {
        write_atomic(&dir.join(&p.path), p.contents.as_bytes())?;
    }
    Ok(())
}
