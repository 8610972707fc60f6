//! The VPL compiler core. It takes source text and returns values or
//! diagnostics; it never touches files, the terminal or the clock (only the
//! `vplc` crate does).
//!
//! Pipeline: [`syntax`] (pest → AST) → [`check`] (names, types, legal
//! coverage) → [`table`] (the decision table every back end reads). The
//! [`fmt`] module prints an AST back in canonical layout.

pub mod bundled;
pub mod check;
pub mod codes;
pub mod diag;
pub mod diff;
pub mod fmt;
pub mod span;
pub mod syntax;
pub mod table;

pub use codes::Code;
pub use diag::{Diagnostic, Severity};
pub use span::{FileId, SourceMap, Span};
pub use table::model::DecisionTable;

use check::{Origin, Unit};
use diag::Diagnostics;
use std::sync::Arc;
use syntax::ast;

/// What compiling one policy yields: the files read (for rendering
/// diagnostics), the table if there were no errors, and every diagnostic.
#[derive(Debug)]
pub struct Compilation {
    pub sources: SourceMap,
    pub table: Option<DecisionTable>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Compilation {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity() == Severity::Error)
    }
}

/// Finds the source of an instrument a policy imports that is not bundled:
/// given the id and the importing file's name, returns (name, text).
pub type Resolver<'r> = &'r dyn Fn(&str, &str) -> Option<(String, String)>;

/// A resolver that knows only the bundled instruments.
pub fn no_files(_id: &str, _from: &str) -> Option<(String, String)> {
    None
}

/// Compiles one policy file, with the stdlib and its imports.
pub fn compile(name: &str, text: &str, resolve: Resolver<'_>) -> Compilation {
    let mut sources = SourceMap::new();
    let mut diags = Diagnostics::default();
    let mut parsed: Vec<(FileId, Arc<ast::File>, Origin)> = Vec::new();
    for b in bundled::STDLIB {
        let id = sources.add(b.name, b.text);
        match parse_bundled(id, b) {
            Ok(f) => parsed.push((id, f, Origin::Stdlib)),
            Err(es) => diags.0.extend(es),
        }
    }
    let main_id = sources.add(name, text);
    // A bundled instrument given as the policy is parsed once a process, as
    // when another policy imports it.
    let bundled_main = bundled::POLICIES.iter().find(|b| b.name == name && b.text == text);
    let main = match bundled_main {
        Some(b) => parse_bundled(main_id, b),
        None => syntax::parse_file(main_id, text).map(Arc::new),
    };
    match main {
        Ok(f) => parsed.push((main_id, f, Origin::Main)),
        Err(es) => diags.0.extend(es),
    }
    load_imports(&mut sources, &mut parsed, &mut diags, resolve);
    let parsed_ok = !diags.has_errors();
    if let Some((_, f, _)) = parsed.iter().find(|(_, _, o)| *o == Origin::Main) {
        // (A file with articles or duties but no instrument is reported by the checker.)
        let has_legal_items =
            f.items.iter().any(|i| matches!(i, ast::Item::Article(_) | ast::Item::Duty(_) | ast::Item::Penalty(_)));
        if instrument_id(f).is_none() && !has_legal_items {
            let first = f.items.first().map_or(Span::new(main_id, 0, 0), |i| i.span());
            diags.push(
                Diagnostic::new(Code::NoInstrument, format!("`{name}` declares no instrument"))
                    .primary(first, "a policy file declares the instrument it encodes")
                    .help("start the file with `instrument ID { title en \"…\" status … calendar cn }`"),
            );
        }
    }
    let table = if !parsed_ok {
        None
    } else {
        let units: Vec<Unit<'_>> = parsed.iter().map(|(file, ast, origin)| Unit { file: *file, ast, origin: *origin }).collect();
        let (checked, mut d) = check::check(&units);
        let table = checked.map(|c| table::lower(c, &mut d));
        diags.0.extend(d.0);
        table
    };
    let table = if diags.has_errors() { None } else { table };
    Compilation { sources, table, diagnostics: diags.into_sorted() }
}

/// Follows `use` declarations breadth-first, reporting unknown targets and
/// cycles at the `use` that names them.
fn load_imports(
    sources: &mut SourceMap,
    parsed: &mut Vec<(FileId, Arc<ast::File>, Origin)>,
    diags: &mut Diagnostics,
    resolve: Resolver<'_>,
) {
    let mut loaded: Vec<String> =
        parsed.iter().filter(|(_, _, o)| *o == Origin::Main).filter_map(|(_, f, _)| instrument_id(f)).collect();
    let mut next = 0;
    while let Some((file, uses)) = parsed.get(next).map(|(id, f, _)| (*id, uses_of(f))) {
        next += 1;
        for u in uses {
            if loaded.contains(&u.target.node) {
                let own = parsed.iter().find(|(id, _, _)| *id == file).and_then(|(_, f, _)| instrument_id(f));
                if own.as_deref() == Some(u.target.node.as_str())
                    || parsed.first().is_some_and(|_| is_main_id(parsed, &u.target.node))
                {
                    diags.push(
                        Diagnostic::new(Code::UnknownInstrument, format!("import cycle through `{}`", u.target.node))
                            .primary(u.target.span, "this instrument imports itself, directly or through others")
                            .help("instruments may import laws they rely on, never the other way round"),
                    );
                }
                continue;
            }
            let from = sources.get(file).map(|f| f.name.clone()).unwrap_or_default();
            let bundled_src = bundled::policy(&u.target.node);
            let found = bundled_src.map(|b| (b.name.to_string(), b.text.to_string())).or_else(|| resolve(&u.target.node, &from));
            let Some((name, text)) = found else {
                let ids = bundled::POLICIES.iter().map(|b| b.id);
                let mut d = Diagnostic::new(Code::UnknownInstrument, format!("cannot find instrument `{}`", u.target.node))
                    .primary(u.target.span, "not bundled, and no file provides it");
                d = match diag::did_you_mean(&u.target.node, ids) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => d.help("`vplc table --list` shows the bundled instruments"),
                };
                diags.push(d);
                continue;
            };
            loaded.push(u.target.node.clone());
            let id = sources.add(name.clone(), text);
            let parsed_file = match bundled_src {
                Some(b) => parse_bundled(id, b),
                None => syntax::parse_file(id, sources.get(id).map_or("", |f| f.text.as_str())).map(Arc::new),
            };
            match parsed_file {
                Ok(f) => {
                    let declared = instrument_id(&f);
                    if declared.as_deref() != Some(u.target.node.as_str()) {
                        diags.push(
                            Diagnostic::new(Code::UnknownInstrument, format!("`{name}` does not hold `{}`", u.target.node))
                                .primary(u.target.span, "imported here")
                                .help(match declared {
                                    Some(d) => format!("that file declares `{d}`; import it by that id"),
                                    None => "that file declares no instrument".to_string(),
                                }),
                        );
                    }
                    parsed.push((id, f, Origin::Import));
                }
                Err(es) => diags.0.extend(es),
            }
        }
    }
}

/// Parses a bundled file (a stdlib file or an imported bundled instrument)
/// once per process and file id: its text never changes, and its syntax tree
/// depends only on the text and the id its spans carry. Every later compile
/// that loads it at the same id shares that tree. (Compiling every bundled
/// policy used to re-parse the stdlib each time, mostly the CN calendar; a
/// deep copy of the cached trees still cost a tenth of a compile.)
fn parse_bundled(id: FileId, b: &'static bundled::Bundled) -> Result<Arc<ast::File>, Vec<Diagnostic>> {
    type Cache = std::sync::Mutex<std::collections::HashMap<(u32, &'static str), Result<Arc<ast::File>, Vec<Diagnostic>>>>;
    static CACHE: std::sync::OnceLock<Cache> = std::sync::OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(hit) = cache.lock().ok().and_then(|c| c.get(&(id.0, b.name)).cloned()) {
        return hit;
    }
    let result = syntax::parse_file(id, b.text).map(Arc::new);
    if let Ok(mut c) = cache.lock() {
        c.insert((id.0, b.name), result.clone());
    }
    result
}

fn is_main_id(parsed: &[(FileId, Arc<ast::File>, Origin)], id: &str) -> bool {
    parsed.iter().any(|(_, f, o)| *o == Origin::Main && instrument_id(f).as_deref() == Some(id))
}

fn uses_of(f: &ast::File) -> Vec<ast::Use> {
    f.items.iter().filter_map(|i| if let ast::Item::Use(u) = i { Some(u.clone()) } else { None }).collect()
}

fn instrument_id(f: &ast::File) -> Option<String> {
    f.items.iter().find_map(|i| if let ast::Item::Instrument(x) = i { Some(x.id.node.clone()) } else { None })
}
