//! The abstract syntax tree: what the parser produces and the checker reads.
//! Every node that a diagnostic may point at carries a span; equality
//! ignores spans (see [`Spanned`]).

use crate::span::{Span, Spanned};
use serde::Serialize;

pub type Ident = Spanned<String>;

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct File {
    pub items: Vec<Item>,
}

impl File {
    /// Equal as trees, wherever the nodes were written: spans are left out
    /// of the serialised form, so comparing that compares structure only.
    pub fn same_structure(&self, other: &File) -> bool {
        serde_json::to_value(self).ok() == serde_json::to_value(other).ok()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Item {
    Use(Use),
    Instrument(Instrument),
    Article(Article),
    Duty(Duty),
    Penalty(Penalty),
    Role(Role),
    Event(EventDecl),
    Fact(Fact),
    Enum(EnumDecl),
    Unit(UnitDecl),
    Calendar(Calendar),
}

impl Item {
    pub fn span(&self) -> Span {
        match self {
            Item::Use(x) => x.span,
            Item::Instrument(x) => x.span,
            Item::Article(x) => x.span,
            Item::Duty(x) => x.span,
            Item::Penalty(x) => x.span,
            Item::Role(x) => x.span,
            Item::Event(x) => x.span,
            Item::Fact(x) => x.span,
            Item::Enum(x) => x.span,
            Item::Unit(x) => x.span,
            Item::Calendar(x) => x.span,
        }
    }
}

/// `///` lines before a declaration, without the slashes.
pub type Docs = Vec<String>;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Use {
    pub docs: Docs,
    pub target: Spanned<String>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Instrument {
    pub docs: Docs,
    pub id: Spanned<String>,
    pub clauses: Vec<Spanned<InstrumentClause>>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum InstrumentClause {
    Title(Lang, String),
    IssuedBy(Vec<String>),
    Number(String),
    Draft { published: Spanned<Date>, comments_until: Option<Spanned<Date>> },
    InForce { issued: Spanned<Date>, effective: Spanned<Date> },
    Calendar(Ident),
    Excerpt(String),
}

/// A calendar date as written; validity is checked when parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Date(pub chrono::NaiveDate);

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum TextClause {
    Text(Lang, String),
    Missing(Lang, String),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Article {
    pub docs: Docs,
    pub number: Spanned<u32>,
    pub texts: Vec<Spanned<TextClause>>,
    pub no_duty: Option<Spanned<String>>,
    pub paragraphs: Vec<Paragraph>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Paragraph {
    pub docs: Docs,
    pub number: Spanned<u32>,
    pub texts: Vec<Spanned<TextClause>>,
    pub items: Vec<ArticleItem>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleItem {
    pub docs: Docs,
    pub number: Spanned<u32>,
    pub texts: Vec<Spanned<TextClause>>,
    #[serde(skip)]
    pub span: Span,
}

/// `art 7(1)(2)`: article 7, paragraph 1, item 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Citation {
    pub article: u32,
    pub paragraph: Option<u32>,
    pub item: Option<u32>,
}

impl std::fmt::Display for Citation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "art {}", self.article)?;
        if let Some(p) = self.paragraph {
            write!(f, "({p})")?;
        }
        if let Some(i) = self.item {
            write!(f, "({i})")?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Duty {
    pub docs: Docs,
    pub name: Ident,
    pub clauses: Vec<Spanned<DutyClause>>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum DutyClause {
    Cite(Spanned<Citation>),
    Rule { bearer: Ident, modality: Spanned<Modality>, action: EventRef },
    Deadline { timing: Option<Spanned<Timing>>, trigger: Option<EventRef> },
    When(Expr),
    Unless(Expr),
    Penalty(Ident),
}

/// The four modalities; the same type the decision table carries.
pub use crate::table::model::Modality;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Vague {
    Immediately,
    Promptly,
    Timely,
}

impl Vague {
    pub fn as_str(self) -> &'static str {
        match self {
            Vague::Immediately => "immediately",
            Vague::Promptly => "promptly",
            Vague::Timely => "timely",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Timing {
    Within(Quantity),
    Vague(Vague),
    Before(EventRef),
    Prior(Quantity, EventRef),
    With(EventRef),
    ForAtLeast(Quantity),
}

/// `reported by collector where to == miit_platform`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventRef {
    pub event: Ident,
    pub by: Option<Ident>,
    pub filter: Option<Box<Expr>>,
    #[serde(skip)]
    pub span: Span,
}

/// A number with its unit as written: `2 days`, `100_000 CNY`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quantity {
    pub amount: Spanned<i64>,
    pub unit: Ident,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Penalty {
    pub docs: Docs,
    pub name: Ident,
    pub clauses: Vec<Spanned<PenaltyClause>>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[expect(clippy::large_enum_variant, reason = "built once per clause and only read; boxing buys nothing")]
pub enum PenaltyClause {
    Cite(Spanned<Citation>),
    Measures(Vec<Ident>),
    Fine {
        target: Ident,
        min: Quantity,
        max: Quantity,
        when: Option<Expr>,
    },
    /// The earlier versions this penalty supersedes.
    Replaces(Vec<Ident>),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    pub docs: Docs,
    pub name: Ident,
    pub ty: Ident,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Role {
    pub docs: Docs,
    pub name: Ident,
    pub fields: Vec<Field>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventDecl {
    pub docs: Docs,
    pub name: Ident,
    /// Roles that can do this event; empty means any actor.
    pub by: Vec<Ident>,
    pub fields: Vec<Field>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    pub docs: Docs,
    pub name: Ident,
    pub ty: Ident,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnumDecl {
    pub docs: Docs,
    pub name: Ident,
    pub variants: Vec<Variant>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    pub docs: Docs,
    pub name: Ident,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitDecl {
    pub docs: Docs,
    pub names: Vec<Ident>,
    pub kind: Spanned<UnitKind>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum UnitKind {
    /// `duration day`: the base unit the time engine knows.
    Duration(Ident),
    Currency,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calendar {
    pub docs: Docs,
    pub name: Ident,
    pub clauses: Vec<Spanned<CalendarClause>>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum CalendarClause {
    Zone(Spanned<String>),
    Rule(Ident),
    Weekend(Vec<Ident>),
    Covers(Spanned<u32>, Spanned<u32>),
    Year { docs: Docs, year: Spanned<u32>, rest: Vec<Spanned<DateSpan>>, work: Vec<Spanned<DateSpan>>, lines: Vec<YearLine> },
}

/// Which list a line in a `year` block belongs to, in source order, so the
/// formatter can print them back in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum YearLine {
    Rest(usize),
    Work(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DateSpan {
    pub first: Date,
    pub last: Date,
}

// ------------------------------------------------------------- expressions

pub type Expr = Spanned<ExprKind>;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ExprKind {
    Name(String),
    Bool(bool),
    Int(i64),
    Str(String),
    Date(Date),
    Quantity(Quantity),
    Set(Vec<Expr>),
    /// `happened EVENT [by ROLE] [where ...]`
    Happened(EventRef),
    /// `x.attr`
    Attr(Box<Expr>, Ident),
    Not(Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `( ... )`, kept so the formatter can print what the user wrote.
    Paren(Box<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
}

impl BinOp {
    pub fn as_str(self) -> &'static str {
        match self {
            BinOp::Or => "or",
            BinOp::And => "and",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::In => "in",
        }
    }
}
