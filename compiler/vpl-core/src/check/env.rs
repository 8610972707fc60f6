//! The symbol table: every declaration of the stdlib, the imported
//! instruments and the file being compiled, in one namespace.

use crate::span::Span;
use crate::syntax::ast;
use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

/// The type of a fact, field or expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    Bool,
    Int,
    Text,
    Date,
    Duration,
    Money,
    Enum(String),
    /// A set literal's element type.
    Set(Box<Type>),
    /// A role value (`bearer`), whose attributes are read with `.`.
    Role(String),
    /// The type of something whose declaration failed to check (already
    /// reported): uses of it report nothing more.
    Error,
}

impl Type {
    pub fn name(&self) -> String {
        match self {
            Type::Bool => "bool".into(),
            Type::Int => "int".into(),
            Type::Text => "text".into(),
            Type::Date => "date".into(),
            Type::Duration => "duration".into(),
            Type::Money => "money".into(),
            Type::Enum(e) => format!("enum `{e}`"),
            Type::Set(t) => format!("set of {}", t.name()),
            Type::Role(r) => format!("role `{r}`"),
            Type::Error => "an unknown type".into(),
        }
    }

    pub fn builtin(name: &str) -> Option<Type> {
        Some(match name {
            "bool" => Type::Bool,
            "int" => Type::Int,
            "text" => Type::Text,
            "date" => Type::Date,
            "duration" => Type::Duration,
            "money" => Type::Money,
            _ => return None,
        })
    }
}

pub const BUILTIN_TYPES: &[&str] = &["bool", "int", "text", "date", "duration", "money"];

/// The base duration units the time engine knows: the time engine's own
/// unit, so that a table's periods need no translation to be counted.
pub use vpl_time::Unit as BaseUnit;

#[derive(Debug, Clone)]
pub enum UnitMeaning {
    Duration(BaseUnit),
    Currency(String),
    /// A unit whose declaration failed (already reported): uses say nothing.
    Invalid,
}

#[derive(Debug, Clone)]
pub struct FieldInfo {
    pub name: String,
    pub ty: Type,
    pub docs: Vec<String>,
}

/// What a name declares. Lookups hand out clones, so the lists are shared
/// (`Rc`) rather than copied on every use of a name.
#[derive(Debug, Clone)]
pub enum DeclKind {
    Role { fields: Rc<[FieldInfo]> },
    Event { by: Rc<[String]>, fields: Rc<[FieldInfo]> },
    Fact { ty: Type },
    Enum { variants: Rc<[String]> },
    Unit(UnitMeaning),
    Penalty,
    Calendar,
    Duty,
}

impl DeclKind {
    pub fn noun(&self) -> &'static str {
        match self {
            DeclKind::Role { .. } => "role",
            DeclKind::Event { .. } => "event",
            DeclKind::Fact { .. } => "fact",
            DeclKind::Enum { .. } => "enum",
            DeclKind::Unit(_) => "unit",
            DeclKind::Penalty => "penalty",
            DeclKind::Calendar => "calendar",
            DeclKind::Duty => "duty",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Decl {
    pub name: String,
    pub kind: DeclKind,
    pub span: Span,
    pub docs: Vec<String>,
    pub used: Cell<bool>,
}

#[derive(Debug, Default)]
pub struct Env {
    pub decls: HashMap<String, Decl>,
    /// Declaration order, for stable output.
    pub order: Vec<String>,
}

impl Env {
    pub fn get(&self, name: &str) -> Option<&Decl> {
        let d = self.decls.get(name)?;
        d.used.set(true);
        Some(d)
    }

    /// Looks a name up without marking it used.
    pub fn peek(&self, name: &str) -> Option<&Decl> {
        self.decls.get(name)
    }

    pub fn names_of<'a>(&'a self, pred: impl Fn(&DeclKind) -> bool + 'a) -> impl Iterator<Item = &'a str> + 'a {
        self.order.iter().filter(move |n| self.decls.get(n.as_str()).is_some_and(|d| pred(&d.kind))).map(String::as_str)
    }

    pub fn role_fields(&self, role: &str) -> Option<&[FieldInfo]> {
        match &self.decls.get(role)?.kind {
            DeclKind::Role { fields } => Some(&fields[..]),
            _ => None,
        }
    }

    pub fn event_fields(&self, event: &str) -> Option<&[FieldInfo]> {
        match &self.decls.get(event)?.kind {
            DeclKind::Event { fields, .. } => Some(&fields[..]),
            _ => None,
        }
    }

    /// A role's attributes, shared: a handle to hold while reporting errors.
    pub fn shared_role_fields(&self, role: &str) -> Rc<[FieldInfo]> {
        match self.decls.get(role).map(|d| &d.kind) {
            Some(DeclKind::Role { fields }) => Rc::clone(fields),
            _ => Rc::from([]),
        }
    }

    /// An event's fields, shared: a handle to hold while reporting errors.
    pub fn shared_event_fields(&self, event: &str) -> Rc<[FieldInfo]> {
        match self.decls.get(event).map(|d| &d.kind) {
            Some(DeclKind::Event { fields, .. }) => Rc::clone(fields),
            _ => Rc::from([]),
        }
    }

    pub fn enum_variants(&self, e: &str) -> Option<&[String]> {
        match &self.decls.get(e)?.kind {
            DeclKind::Enum { variants } => Some(&variants[..]),
            _ => None,
        }
    }
}

/// The articles an instrument declares, keyed by number, with the
/// paragraphs and items each holds.
#[derive(Debug, Default)]
pub struct ArticleIndex {
    pub articles: BTreeMap<u32, ArticleEntry>,
}

#[derive(Debug)]
pub struct ArticleEntry {
    pub span: Span,
    pub no_duty: bool,
    pub paragraphs: BTreeMap<u32, Vec<u32>>,
    pub cited: Cell<bool>,
}

impl ArticleIndex {
    pub fn has(&self, c: &ast::Citation) -> bool {
        let Some(a) = self.articles.get(&c.article) else { return false };
        match (c.paragraph, c.item) {
            (None, _) => true,
            (Some(p), None) => a.paragraphs.contains_key(&p),
            (Some(p), Some(i)) => a.paragraphs.get(&p).is_some_and(|items| items.contains(&i)),
        }
    }
}
