//! Resolution and type checking across files (stdlib + imports + the file
//! being compiled), and the legal-coverage rules: every citation names a
//! declared article, every article is encoded or marked as carrying none.
//! Conditions come out typed and resolved, as the decision table's [`Cond`].

pub mod env;
mod expr;
mod items;

use crate::codes::Code;
use crate::diag::{did_you_mean, Diagnostic, Diagnostics};
use crate::span::{FileId, Span};
use crate::syntax::ast::{self, Item};
use crate::table::model::*;
use env::*;

/// One parsed file and its role in the compilation.
pub struct Unit<'a> {
    pub file: FileId,
    pub ast: &'a ast::File,
    pub origin: Origin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Stdlib,
    Import,
    Main,
}

/// What checking the main file yields: everything lowering needs, typed.
#[derive(Debug)]
pub struct Checked {
    pub instrument: InstrumentInfo,
    pub duties: Vec<CheckedDuty>,
    pub penalties: Vec<PenaltyInfo>,
    pub articles: Vec<ArticleInfo>,
    pub vocabulary: Vocabulary,
    pub calendar: CalendarInfo,
}

#[derive(Debug, Clone)]
pub struct CheckedDuty {
    pub name: String,
    pub span: Span,
    pub cite: Cite,
    pub modality: Modality,
    pub bearer: String,
    pub when: Option<(Cond, Span)>,
    pub trigger: Option<EventPattern>,
    pub action: EventPattern,
    pub deadline: Deadline,
    pub exceptions: Vec<Cond>,
    pub penalties: Vec<String>,
    pub doc: Vec<String>,
}

pub(crate) struct Checker<'a> {
    pub env: Env,
    pub diags: Diagnostics,
    units: &'a [Unit<'a>],
    /// Penalties of every file, lowered, by name.
    pub penalties: Vec<PenaltyInfo>,
    pub calendars: Vec<(String, CalendarInfo)>,
    /// Each `replaces` link (new penalty, old penalty), checked once every
    /// file's penalties are known.
    replacements: Vec<(ast::Ident, ast::Ident)>,
}

/// Checks the files; returns the typed model of the main file when there
/// are no errors, and every diagnostic found either way.
pub fn check(units: &[Unit<'_>]) -> (Option<Checked>, Diagnostics) {
    let mut cx = Checker {
        env: Env::default(),
        diags: Diagnostics::default(),
        units,
        penalties: Vec::new(),
        calendars: Vec::new(),
        replacements: Vec::new(),
    };
    for u in units {
        cx.declare_file(u);
    }
    for u in units {
        cx.check_declarations(u);
    }
    cx.check_replacements();
    let mut main = None;
    for u in units {
        if u.origin == Origin::Stdlib {
            continue;
        }
        let checked = cx.check_instrument_file(u);
        if u.origin == Origin::Main {
            main = checked;
        }
    }
    if let Some(u) = units.iter().find(|u| u.origin == Origin::Main) {
        cx.report_unused(u);
    }
    let main = if cx.diags.has_errors() { None } else { main };
    (main, cx.diags)
}

impl<'a> Checker<'a> {
    pub fn error(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    pub fn file_of(&self, span: Span) -> Option<&Unit<'a>> {
        self.units.iter().find(|u| u.file == span.file)
    }

    /// Enters a declaration in the one namespace, reporting clashes with
    /// both places labelled.
    pub fn declare(&mut self, name: &ast::Ident, kind: DeclKind, docs: &[String]) {
        if let Some(prev) = self.env.peek(&name.node) {
            let prev_span = prev.span;
            let prev_noun = prev.kind.noun();
            let in_stdlib = self.file_of(prev_span).is_some_and(|u| u.origin == Origin::Stdlib);
            let origin = |s: Span| self.file_of(s).map(|u| u.origin);
            // Point at the user's own file: the clash is fixed there.
            let (here, there, here_noun, there_noun) =
                if origin(prev_span) == Some(Origin::Main) && origin(name.span) != Some(Origin::Main) {
                    (prev_span, name.span, prev_noun, kind.noun())
                } else {
                    (name.span, prev_span, kind.noun(), prev_noun)
                };
            let mut d = Diagnostic::new(Code::Duplicate, format!("`{}` is defined twice", name.node))
                .primary(here, format!("this {here_noun} clashes"))
                .secondary(there, format!("the {there_noun} `{}` is defined here", name.node));
            d = if in_stdlib {
                d.help(format!("`{}` is part of the stdlib vocabulary; use it, or pick another name", name.node))
            } else {
                d.help("rename one of the two")
            };
            self.error(d);
            return;
        }
        self.env.order.push(name.node.clone());
        self.env.decls.insert(
            name.node.clone(),
            Decl { name: name.node.clone(), kind, span: name.span, docs: docs.to_vec(), used: std::cell::Cell::new(false) },
        );
    }

    /// Looks a name up expecting some kind; reports unknown names with a
    /// suggestion among names of that kind.
    pub fn lookup(&mut self, name: &ast::Ident, what: &str, pred: fn(&DeclKind) -> bool) -> Option<DeclKind> {
        if let Some(d) = self.env.get(&name.node) {
            return Some(d.kind.clone());
        }
        let candidates: Vec<&str> = self.env.names_of(pred).collect();
        let suggestion = did_you_mean(&name.node, candidates.iter().copied());
        let mut d = Diagnostic::new(Code::UnknownName, format!("unknown {what} `{}`", name.node))
            .primary(name.span, format!("no {what} has this name"));
        d = match suggestion {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None if !candidates.is_empty() && candidates.len() <= 12 => {
                d.help(format!("known {what}s: {}", candidates.join(", ")))
            }
            None => d,
        };
        self.error(d);
        None
    }

    pub fn resolve_type(&mut self, ty: &ast::Ident) -> Option<Type> {
        if let Some(t) = Type::builtin(&ty.node) {
            return Some(t);
        }
        match self.env.get(&ty.node).map(|d| d.kind.clone()) {
            Some(DeclKind::Enum { .. }) => Some(Type::Enum(ty.node.clone())),
            _ => {
                let enums: Vec<&str> = self.env.names_of(|k| matches!(k, DeclKind::Enum { .. })).collect();
                let all = BUILTIN_TYPES.iter().copied().chain(enums.iter().copied());
                let mut d =
                    Diagnostic::new(Code::UnknownType, format!("unknown type `{}`", ty.node)).primary(ty.span, "not a type");
                if let Some(s) = did_you_mean(&ty.node, all) {
                    d = d.help(format!("did you mean `{s}`?"));
                } else {
                    d = d.help("types are bool, int, text, date, duration, money, or an enum's name");
                }
                self.error(d);
                None
            }
        }
    }

    /// Resolves a quantity's unit and checks it is of the wanted kind.
    pub fn period(&mut self, q: &ast::Quantity) -> Option<Period> {
        match self.unit_of(q)? {
            UnitMeaning::Duration(unit) => {
                if q.amount.node <= 0 {
                    self.error(
                        Diagnostic::new(Code::BadPeriod, format!("a period of {} {} means nothing", q.amount.node, q.unit.node))
                            .primary(q.amount.span, "must be at least 1")
                            .help("for the same instant use `with EVENT`; for an open-textured deadline use `immediately`, `promptly` or `timely`"),
                    );
                    return None;
                }
                Some(Period { amount: q.amount.node, unit })
            }
            UnitMeaning::Invalid => None,
            UnitMeaning::Currency(c) => {
                self.error(
                    Diagnostic::new(Code::WrongUnitKind, "a money amount where a duration belongs")
                        .primary(q.unit.span, format!("`{c}` is a currency"))
                        .help("durations use hours, days, working_days, weeks, months or years"),
                );
                None
            }
        }
    }

    pub fn money(&mut self, q: &ast::Quantity) -> Option<Money> {
        match self.unit_of(q)? {
            UnitMeaning::Currency(currency) => {
                if q.amount.node < 0 {
                    self.error(
                        Diagnostic::new(Code::BadRange, "a fine cannot be negative").primary(q.amount.span, "negative amount"),
                    );
                    return None;
                }
                Some(Money { amount: q.amount.node, currency })
            }
            UnitMeaning::Invalid => None,
            UnitMeaning::Duration(_) => {
                self.error(
                    Diagnostic::new(Code::WrongUnitKind, "a duration where a money amount belongs")
                        .primary(q.unit.span, format!("`{}` is a unit of time", q.unit.node))
                        .help("fines are written with a currency, e.g. `100_000 CNY`"),
                );
                None
            }
        }
    }

    fn unit_of(&mut self, q: &ast::Quantity) -> Option<UnitMeaning> {
        if self.env.peek(&q.unit.node).is_none() {
            let units: Vec<&str> = self.env.names_of(|k| matches!(k, DeclKind::Unit(_))).collect();
            let mut d = Diagnostic::new(Code::UnknownUnit, format!("unknown unit `{}`", q.unit.node))
                .primary(q.unit.span, "no unit has this name");
            d = match did_you_mean(&q.unit.node, units.iter().copied()) {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None => d.help(format!("units: {}", units.join(", "))),
            };
            self.error(d);
            return None;
        }
        match self.lookup(&q.unit, "unit", |k| matches!(k, DeclKind::Unit(_)))? {
            DeclKind::Unit(m) => Some(m),
            other => {
                self.error(
                    Diagnostic::new(Code::UnknownUnit, format!("`{}` is not a unit", q.unit.node))
                        .primary(q.unit.span, format!("this is a {}", other.noun()))
                        .help("units are declared with `unit`; the stdlib declares days, hours, CNY…"),
                );
                None
            }
        }
    }
}

pub(crate) fn cite_of(c: &ast::Citation) -> Cite {
    Cite::new(c.article, c.paragraph, c.item)
}

pub(crate) fn is_role(k: &DeclKind) -> bool {
    matches!(k, DeclKind::Role { .. })
}
pub(crate) fn is_event(k: &DeclKind) -> bool {
    matches!(k, DeclKind::Event { .. })
}

/// Items of a unit, for iteration.
pub(crate) fn items<'x>(u: &'x Unit<'_>) -> impl Iterator<Item = &'x Item> {
    u.ast.items.iter()
}
