//! From pest pairs to the AST: one small `parse_<rule>` function per grammar
//! rule, each attaching its pair's span. Errors found while building (bad
//! dates, numbers out of range) are collected so that one run reports them
//! all.

use super::ast::*;
use super::errors::{check_nesting, explain_pest};
use super::{Rule, VplParser};
use crate::codes::Code;
use crate::diag::Diagnostic;
use crate::span::{FileId, Span, Spanned};
use pest::iterators::{Pair, Pairs};
use pest::Parser;

pub(super) type PResult<T> = Result<T, Diagnostic>;

/// Parses one file. On failure returns every error found: the first syntax
/// error, and further ones found by restarting at each later top-level item.
///
/// A file the fast path ([`super::fast`]) reads is returned as it built it;
/// anything else (every file with an error among them) goes to pest, the
/// grammar of record, which reports the errors. Both build the same tree.
/// (The fast path gives up on nesting too deep for [`check_nesting`], so
/// that check is only needed before pest.)
pub fn parse_file(file: FileId, text: &str) -> Result<File, Vec<Diagnostic>> {
    match super::fast::parse(file, text) {
        Some(ast) => Ok(ast),
        None => {
            check_nesting(file, text).map_err(|d| vec![d])?;
            parse_with_pest(file, text)
        }
    }
}

/// [`parse_file`] through pest alone, once [`check_nesting`] has passed.
pub(crate) fn parse_with_pest(file: FileId, text: &str) -> Result<File, Vec<Diagnostic>> {
    match VplParser::parse(Rule::file, text) {
        Ok(mut pairs) => {
            let mut cx = Cx { file, errors: Vec::new() };
            let root = pairs.next();
            let file_ast = root.map(|p| cx.file(p)).unwrap_or_default();
            if cx.errors.is_empty() {
                Ok(file_ast)
            } else {
                Err(cx.errors)
            }
        }
        Err(err) => Err(recover(file, text, &err)),
    }
}

/// After a syntax error, look for the next line that starts a top-level item
/// and parse from there, to report later errors too.
fn recover(file: FileId, text: &str, first: &pest::error::Error<Rule>) -> Vec<Diagnostic> {
    let mut errors = vec![explain_pest(file, first, text, 0)];
    let mut pos = error_pos(first);
    for _ in 0..50 {
        let Some(next) = next_item_start(text, pos) else { break };
        let Some(rest) = text.get(next..) else { break };
        match VplParser::parse(Rule::file, rest) {
            Ok(_) => break,
            Err(err) => {
                // An error at 0 is a malformed declaration right at the
                // restart point: report it too; the next restart lies
                // strictly after it, so the loop still advances.
                let at = error_pos(&err);
                errors.push(explain_pest(file, &err, rest, next));
                pos = next + at;
            }
        }
    }
    errors
}

fn error_pos(err: &pest::error::Error<Rule>) -> usize {
    match err.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    }
}

const ITEM_WORDS: &[&str] =
    &["use ", "instrument ", "article ", "duty ", "penalty ", "role ", "event ", "fact ", "enum ", "unit ", "calendar ", "///"];

/// The start of the next line, after `after`, that begins a top-level item:
/// an item keyword in column 0, or `///` lines in column 0 followed by one.
fn next_item_start(text: &str, after: usize) -> Option<usize> {
    let mut offset = 0usize;
    let mut docs_from: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let is_doc = line.starts_with("///");
        let is_item = ITEM_WORDS.iter().filter(|w| **w != "///").any(|w| line.starts_with(w));
        if is_item && (offset > after || docs_from.is_some_and(|d| d > after)) {
            return Some(docs_from.filter(|d| *d > after).unwrap_or(offset));
        }
        docs_from = if is_doc { docs_from.or(Some(offset)) } else { None };
        offset += line.len();
    }
    None
}

/// Deepest `happened … where happened …` chain, and most operators in one
/// condition: both bound the depth of the trees later stages walk.
pub(super) const MAX_FILTER_DEPTH: usize = 32;
pub(super) const MAX_OPERATORS: usize = 512;

pub(super) struct Cx {
    pub file: FileId,
    pub errors: Vec<Diagnostic>,
}

pub(super) fn unexpected(cx: &Cx, pair: &Pair<Rule>) -> Diagnostic {
    Diagnostic::new(Code::Syntax, format!("internal parser error: unexpected {:?}", pair.as_rule()))
        .primary(cx.span(pair), "the parser did not expect this")
        .help("this is a bug in vplc; please report it with the file")
}

fn missing(span: Span, what: &str) -> Diagnostic {
    Diagnostic::new(Code::Syntax, format!("internal parser error: missing {what}")).primary(span, "here")
}

impl Cx {
    /// The pair's span without the whitespace and comments pest's
    /// optional groups leave at its end.
    pub fn span(&self, pair: &Pair<Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.file, s.start(), s.start() + trimmed_len(s.as_str()))
    }

    /// The next inner pair, which the grammar guarantees.
    pub fn next<'i>(&self, pairs: &mut Pairs<'i, Rule>, parent: Span, what: &str) -> PResult<Pair<'i, Rule>> {
        pairs.next().ok_or_else(|| missing(parent, what))
    }

    fn file(&mut self, pair: Pair<Rule>) -> File {
        let mut items = Vec::new();
        for p in pair.into_inner() {
            if p.as_rule() == Rule::EOI {
                continue;
            }
            match self.item(p) {
                Ok(item) => items.push(item),
                Err(d) => self.errors.push(d),
            }
        }
        File { items }
    }

    fn item(&mut self, pair: Pair<Rule>) -> PResult<Item> {
        Ok(match pair.as_rule() {
            Rule::use_decl => Item::Use(self.use_decl(pair)?),
            Rule::instrument => Item::Instrument(self.instrument(pair)?),
            Rule::article => Item::Article(self.article(pair)?),
            Rule::duty => Item::Duty(self.duty(pair)?),
            Rule::penalty => Item::Penalty(self.penalty(pair)?),
            Rule::role => Item::Role(self.role(pair)?),
            Rule::event => Item::Event(self.event(pair)?),
            Rule::fact => Item::Fact(self.fact(pair)?),
            Rule::enum_decl => Item::Enum(self.enum_decl(pair)?),
            Rule::unit_decl => Item::Unit(self.unit_decl(pair)?),
            Rule::calendar => Item::Calendar(self.calendar(pair)?),
            _ => return Err(unexpected(self, &pair)),
        })
    }

    /// Splits off the leading `///` lines every documented rule starts with.
    fn with_docs<'i>(&self, pair: Pair<'i, Rule>) -> (Docs, Span, Pairs<'i, Rule>) {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let mut docs = Vec::new();
        while let Some(p) = inner.peek().filter(|p| p.as_rule() == Rule::doc_line) {
            docs.push(doc_text(p.as_str()));
            inner.next();
        }
        (docs, span, inner)
    }

    pub fn ident(&self, pair: Pair<Rule>) -> Ident {
        Spanned::new(pair.as_str().to_string(), self.span(&pair))
    }

    fn use_decl(&mut self, pair: Pair<Rule>) -> PResult<Use> {
        let (docs, span, mut inner) = self.with_docs(pair);
        let target = self.ident(self.next(&mut inner, span, "import target")?);
        Ok(Use { docs, target, span })
    }

    // ------------------------------------------------------------ literals

    pub fn string(&mut self, pair: Pair<Rule>) -> String {
        let mut out = String::new();
        self.string_into(pair, &mut out);
        out
    }

    /// Appends the string's text, with its escapes resolved, to `out`.
    fn string_into(&mut self, pair: Pair<Rule>, out: &mut String) {
        let raw = pair.clone().into_inner().next().map_or("", |p| p.as_str());
        if !raw.contains('\\') {
            // Most strings (article texts above all) have no escape: copy them whole.
            out.push_str(raw);
            return;
        }
        let span = self.span(&pair);
        resolve_escapes(raw, out, |other| {
            let shown = other.map_or_else(String::new, |c| c.to_string());
            self.errors.push(
                Diagnostic::new(Code::BadLiteral, format!("unknown escape `\\{shown}` in a string"))
                    .primary(span, "in this string")
                    .help("the escapes are \\n, \\t, \\\" and \\\\"),
            );
        });
    }

    /// The adjacent literals of a text, joined.
    fn text(&mut self, pair: Pair<Rule>) -> String {
        let mut out = String::with_capacity(pair.as_str().len());
        for p in pair.into_inner() {
            self.string_into(p, &mut out);
        }
        out
    }

    pub fn int(&mut self, pair: Pair<Rule>) -> Spanned<i64> {
        let span = self.span(&pair);
        let value = int_value(pair.as_str()).unwrap_or_else(|| {
            self.errors.push(
                Diagnostic::new(Code::BadLiteral, "number too large")
                    .primary(span, "this number does not fit in 64 bits")
                    .help("amounts must lie between -9223372036854775808 and 9223372036854775807"),
            );
            0
        });
        Spanned::new(value, span)
    }

    fn uint(&mut self, pair: Pair<Rule>) -> Spanned<u32> {
        let n = self.int(pair);
        let value = u32::try_from(n.node).unwrap_or_else(|_| {
            self.errors.push(
                Diagnostic::new(Code::BadLiteral, "number out of range").primary(n.span, "expected a number up to 4294967295"),
            );
            0
        });
        Spanned::new(value, n.span)
    }

    pub fn date(&mut self, pair: Pair<Rule>) -> Spanned<Date> {
        let span = self.span(&pair);
        let d = date_value(pair.as_str()).unwrap_or_else(|| {
            self.errors.push(
                Diagnostic::new(Code::BadLiteral, format!("`{}` is not a calendar date", pair.as_str()))
                    .primary(span, "no such day")
                    .help("dates are written YYYY-MM-DD and must exist, e.g. 2021-02-28"),
            );
            chrono::NaiveDate::MIN
        });
        Spanned::new(Date(d), span)
    }

    pub fn quantity(&mut self, pair: Pair<Rule>) -> PResult<Quantity> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let amount = self.int(self.next(&mut inner, span, "amount")?);
        let unit = self.ident(self.next(&mut inner, span, "unit")?);
        Ok(Quantity { amount, unit, span })
    }

    fn lang(&self, pair: &Pair<Rule>) -> Lang {
        lang_of(pair.as_str())
    }

    // ---------------------------------------------------------- instrument

    fn instrument(&mut self, pair: Pair<Rule>) -> PResult<Instrument> {
        let (docs, span, mut inner) = self.with_docs(pair);
        let id = self.ident(self.next(&mut inner, span, "instrument id")?);
        let clauses = inner.map(|p| self.instrument_clause(p)).collect::<PResult<_>>()?;
        Ok(Instrument { docs, id, clauses, span })
    }

    fn instrument_clause(&mut self, pair: Pair<Rule>) -> PResult<Spanned<InstrumentClause>> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let mut inner = pair.into_inner();
        let clause = match rule {
            Rule::title => {
                let lang = self.lang(&self.next(&mut inner, span, "language")?);
                InstrumentClause::Title(lang, self.text(self.next(&mut inner, span, "title")?))
            }
            Rule::issued_by => InstrumentClause::IssuedBy(inner.map(|p| self.text(p)).collect()),
            Rule::doc_number => InstrumentClause::Number(self.text(self.next(&mut inner, span, "number")?)),
            Rule::status => {
                let s = self.next(&mut inner, span, "status")?;
                let is_draft = s.as_rule() == Rule::status_draft;
                let mut dates = s.into_inner();
                let first = self.date(self.next(&mut dates, span, "date")?);
                if is_draft {
                    let comments_until = dates.next().map(|p| self.date(p));
                    InstrumentClause::Draft { published: first, comments_until }
                } else {
                    let effective = self.date(self.next(&mut dates, span, "effective date")?);
                    InstrumentClause::InForce { issued: first, effective }
                }
            }
            Rule::calendar_ref => InstrumentClause::Calendar(self.ident(self.next(&mut inner, span, "calendar")?)),
            Rule::excerpt => InstrumentClause::Excerpt(self.text(self.next(&mut inner, span, "reason")?)),
            _ => {
                return Err(
                    Diagnostic::new(Code::Syntax, "internal parser error: unknown instrument clause").primary(span, "here")
                )
            }
        };
        Ok(Spanned::new(clause, span))
    }

    // ------------------------------------------------------------ articles

    fn text_clause(&mut self, pair: Pair<Rule>) -> PResult<Spanned<TextClause>> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let lang = self.lang(&self.next(&mut inner, span, "language")?);
        let body = self.next(&mut inner, span, "text")?;
        let clause = if body.as_rule() == Rule::missing {
            let mut m = body.into_inner();
            TextClause::Missing(lang, self.text(self.next(&mut m, span, "reason")?))
        } else {
            TextClause::Text(lang, self.text(body))
        };
        Ok(Spanned::new(clause, span))
    }

    fn article(&mut self, pair: Pair<Rule>) -> PResult<Article> {
        let (docs, span, mut inner) = self.with_docs(pair);
        let number = self.uint(self.next(&mut inner, span, "article number")?);
        let mut article = Article { docs, number, texts: Vec::new(), no_duty: None, paragraphs: Vec::new(), span };
        for p in inner {
            match p.as_rule() {
                Rule::text_clause => article.texts.push(self.text_clause(p)?),
                Rule::no_duty => {
                    let s = self.span(&p);
                    let mut i = p.into_inner();
                    article.no_duty = Some(Spanned::new(self.text(self.next(&mut i, s, "reason")?), s));
                }
                Rule::paragraph => article.paragraphs.push(self.paragraph(p)?),
                _ => return Err(unexpected(self, &p)),
            }
        }
        Ok(article)
    }

    fn paragraph(&mut self, pair: Pair<Rule>) -> PResult<Paragraph> {
        let (docs, span, mut inner) = self.with_docs(pair);
        let number = self.uint(self.next(&mut inner, span, "paragraph number")?);
        let mut para = Paragraph { docs, number, texts: Vec::new(), items: Vec::new(), span };
        for p in inner {
            match p.as_rule() {
                Rule::text_clause => para.texts.push(self.text_clause(p)?),
                Rule::item_decl => para.items.push(self.article_item(p)?),
                _ => return Err(unexpected(self, &p)),
            }
        }
        Ok(para)
    }

    fn article_item(&mut self, pair: Pair<Rule>) -> PResult<ArticleItem> {
        let (docs, span, mut inner) = self.with_docs(pair);
        let number = self.uint(self.next(&mut inner, span, "item number")?);
        let texts = inner.map(|p| self.text_clause(p)).collect::<PResult<_>>()?;
        Ok(ArticleItem { docs, number, texts, span })
    }

    fn citation(&mut self, pair: Pair<Rule>) -> Spanned<Citation> {
        let span = self.span(&pair);
        let mut nums = pair.into_inner().map(|p| self.uint(p).node).collect::<Vec<_>>().into_iter();
        let article = nums.next().unwrap_or(0);
        Spanned::new(Citation { article, paragraph: nums.next(), item: nums.next() }, span)
    }

    // --------------------------------------------------------------- duties

    fn duty(&mut self, pair: Pair<Rule>) -> PResult<Duty> {
        let (docs, span, mut inner) = self.with_docs(pair);
        let name = self.ident(self.next(&mut inner, span, "duty name")?);
        let clauses = inner.map(|p| self.duty_clause(p)).collect::<PResult<_>>()?;
        Ok(Duty { docs, name, clauses, span })
    }

    fn duty_clause(&mut self, pair: Pair<Rule>) -> PResult<Spanned<DutyClause>> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let mut inner = pair.into_inner();
        let clause = match rule {
            Rule::cite_clause => DutyClause::Cite(self.citation(self.next(&mut inner, span, "citation")?)),
            Rule::rule_clause => {
                let bearer = self.ident(self.next(&mut inner, span, "bearer")?);
                let m = self.next(&mut inner, span, "modality")?;
                let mspan = self.span(&m);
                let word = self.next(&mut m.into_inner(), mspan, "modality")?;
                let modality = match word.as_rule() {
                    Rule::must_not => Modality::MustNot,
                    Rule::must => Modality::Must,
                    Rule::may => Modality::May,
                    _ => Modality::Encouraged,
                };
                let action = self.event_ref(self.next(&mut inner, span, "action")?, 0)?;
                DutyClause::Rule { bearer, modality: Spanned::new(modality, mspan), action }
            }
            Rule::deadline_clause => {
                let mut timing = None;
                let mut trigger = None;
                for p in inner {
                    if p.as_rule() == Rule::trigger {
                        let s = self.span(&p);
                        let mut i = p.into_inner();
                        trigger = Some(self.event_ref(self.next(&mut i, s, "trigger event")?, 0)?);
                    } else {
                        timing = Some(self.timing(p)?);
                    }
                }
                DutyClause::Deadline { timing, trigger }
            }
            Rule::when_clause => DutyClause::When(self.expr(self.next(&mut inner, span, "condition")?, 0)?),
            Rule::unless_clause => DutyClause::Unless(self.expr(self.next(&mut inner, span, "condition")?, 0)?),
            Rule::penalty_ref => DutyClause::Penalty(self.ident(self.next(&mut inner, span, "penalty")?)),
            _ => return Err(Diagnostic::new(Code::Syntax, "internal parser error: unknown duty clause").primary(span, "here")),
        };
        Ok(Spanned::new(clause, span))
    }

    fn timing(&mut self, pair: Pair<Rule>) -> PResult<Spanned<Timing>> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let text = pair.as_str();
        let mut inner = pair.into_inner();
        let timing = match rule {
            Rule::within => Timing::Within(self.quantity(self.next(&mut inner, span, "period")?)?),
            Rule::vague => Timing::Vague(match text {
                "immediately" => Vague::Immediately,
                "promptly" => Vague::Promptly,
                _ => Vague::Timely,
            }),
            Rule::prior => {
                let q = self.quantity(self.next(&mut inner, span, "period")?)?;
                Timing::Prior(q, self.event_ref(self.next(&mut inner, span, "event")?, 0)?)
            }
            Rule::before => Timing::Before(self.event_ref(self.next(&mut inner, span, "event")?, 0)?),
            Rule::with_event => Timing::With(self.event_ref(self.next(&mut inner, span, "event")?, 0)?),
            Rule::retention => Timing::ForAtLeast(self.quantity(self.next(&mut inner, span, "period")?)?),
            _ => return Err(Diagnostic::new(Code::Syntax, "internal parser error: unknown deadline").primary(span, "here")),
        };
        Ok(Spanned::new(timing, span))
    }

    pub fn event_ref(&mut self, pair: Pair<Rule>, depth: usize) -> PResult<EventRef> {
        let span = self.span(&pair);
        if depth > MAX_FILTER_DEPTH {
            return Err(Diagnostic::new(Code::TooDeep, "event filters nested too deeply")
                .primary(span, format!("more than {MAX_FILTER_DEPTH} nested `where` filters"))
                .help("split the condition"));
        }
        let mut inner = pair.into_inner();
        let event = self.ident(self.next(&mut inner, span, "event")?);
        let mut by = None;
        let mut filter = None;
        for p in inner {
            let s = self.span(&p);
            let rule = p.as_rule();
            let mut i = p.into_inner();
            let x = self.next(&mut i, s, "filter")?;
            if rule == Rule::by_role {
                by = Some(self.ident(x));
            } else {
                filter = Some(Box::new(self.expr(x, depth + 1)?));
            }
        }
        Ok(EventRef { event, by, filter, span })
    }

    // ------------------------------------------------------------ penalties

    fn penalty(&mut self, pair: Pair<Rule>) -> PResult<Penalty> {
        let (docs, span, mut inner) = self.with_docs(pair);
        let name = self.ident(self.next(&mut inner, span, "penalty name")?);
        let mut clauses = Vec::new();
        for p in inner {
            let s = self.span(&p);
            let rule = p.as_rule();
            let mut i = p.into_inner();
            let clause = match rule {
                Rule::cite_clause => PenaltyClause::Cite(self.citation(self.next(&mut i, s, "citation")?)),
                Rule::measures => PenaltyClause::Measures(i.map(|x| self.ident(x)).collect()),
                Rule::replaces => PenaltyClause::Replaces(i.map(|x| self.ident(x)).collect()),
                Rule::fine => {
                    let target = self.ident(self.next(&mut i, s, "fine target")?);
                    let min = self.quantity(self.next(&mut i, s, "minimum")?)?;
                    let max = self.quantity(self.next(&mut i, s, "maximum")?)?;
                    let when = match i.next() {
                        Some(e) => Some(self.expr(e, 0)?),
                        None => None,
                    };
                    PenaltyClause::Fine { target, min, max, when }
                }
                _ => {
                    return Err(Diagnostic::new(Code::Syntax, "internal parser error: unknown penalty clause").primary(s, "here"))
                }
            };
            clauses.push(Spanned::new(clause, s));
        }
        Ok(Penalty { docs, name, clauses, span })
    }

    // ----------------------------------------------------------- vocabulary

    fn fields(&mut self, pair: Pair<Rule>) -> PResult<Vec<Field>> {
        pair.into_inner()
            .map(|f| {
                let (docs, span, mut inner) = self.with_docs(f);
                let name = self.ident(self.next(&mut inner, span, "field name")?);
                let ty = self.ident(self.next(&mut inner, span, "field type")?);
                Ok(Field { docs, name, ty, span })
            })
            .collect()
    }

    fn role(&mut self, pair: Pair<Rule>) -> PResult<Role> {
        let (docs, span, mut inner) = self.with_docs(pair);
        let name = self.ident(self.next(&mut inner, span, "role name")?);
        let fields = match inner.next() {
            Some(f) => self.fields(f)?,
            None => Vec::new(),
        };
        Ok(Role { docs, name, fields, span })
    }

    fn event(&mut self, pair: Pair<Rule>) -> PResult<EventDecl> {
        let (docs, span, mut inner) = self.with_docs(pair);
        let name = self.ident(self.next(&mut inner, span, "event name")?);
        let mut by = Vec::new();
        let mut fields = Vec::new();
        for p in inner {
            if p.as_rule() == Rule::fields {
                fields = self.fields(p)?;
            } else {
                by.push(self.ident(p));
            }
        }
        Ok(EventDecl { docs, name, by, fields, span })
    }

    fn fact(&mut self, pair: Pair<Rule>) -> PResult<Fact> {
        let (docs, span, mut inner) = self.with_docs(pair);
        let name = self.ident(self.next(&mut inner, span, "fact name")?);
        let ty = self.ident(self.next(&mut inner, span, "fact type")?);
        Ok(Fact { docs, name, ty, span })
    }

    fn enum_decl(&mut self, pair: Pair<Rule>) -> PResult<EnumDecl> {
        let (docs, span, mut inner) = self.with_docs(pair);
        let name = self.ident(self.next(&mut inner, span, "enum name")?);
        let variants = inner
            .map(|v| {
                let (docs, vspan, mut vi) = self.with_docs(v);
                Ok(Variant { docs, name: self.ident(self.next(&mut vi, vspan, "value")?) })
            })
            .collect::<PResult<_>>()?;
        Ok(EnumDecl { docs, name, variants, span })
    }

    fn unit_decl(&mut self, pair: Pair<Rule>) -> PResult<UnitDecl> {
        let (docs, span, inner) = self.with_docs(pair);
        let mut names = Vec::new();
        let mut kind = None;
        for p in inner {
            if p.as_rule() == Rule::unit_kind {
                let s = self.span(&p);
                kind = Some(Spanned::new(
                    match p.into_inner().next() {
                        Some(base) => UnitKind::Duration(self.ident(base)),
                        None => UnitKind::Currency,
                    },
                    s,
                ));
            } else {
                names.push(self.ident(p));
            }
        }
        let kind = kind.ok_or_else(|| missing(span, "unit kind"))?;
        Ok(UnitDecl { docs, names, kind, span })
    }

    // ------------------------------------------------------------ calendars

    fn calendar(&mut self, pair: Pair<Rule>) -> PResult<Calendar> {
        let (docs, span, mut inner) = self.with_docs(pair);
        let name = self.ident(self.next(&mut inner, span, "calendar name")?);
        let mut clauses = Vec::new();
        for p in inner {
            let s = self.span(&p);
            let rule = p.as_rule();
            let clause = match rule {
                Rule::zone => {
                    let mut i = p.into_inner();
                    let z = self.next(&mut i, s, "zone")?;
                    let zs = self.span(&z);
                    CalendarClause::Zone(Spanned::new(self.string(z), zs))
                }
                Rule::period_rule => CalendarClause::Rule(self.ident(self.next(&mut p.into_inner(), s, "rule")?)),
                Rule::weekend => CalendarClause::Weekend(p.into_inner().map(|d| self.ident(d)).collect()),
                Rule::covers => {
                    let mut i = p.into_inner();
                    let a = self.uint(self.next(&mut i, s, "first year")?);
                    let b = self.uint(self.next(&mut i, s, "last year")?);
                    CalendarClause::Covers(a, b)
                }
                Rule::cal_year => self.cal_year(p)?,
                _ => return Err(unexpected(self, &p)),
            };
            clauses.push(Spanned::new(clause, s));
        }
        Ok(Calendar { docs, name, clauses, span })
    }

    fn cal_year(&mut self, pair: Pair<Rule>) -> PResult<CalendarClause> {
        let (docs, span, mut inner) = self.with_docs(pair);
        let year = self.uint(self.next(&mut inner, span, "year")?);
        let mut lines = YearLines::default();
        for line in inner {
            let is_rest = line.as_rule() == Rule::rest_days;
            lines.push(is_rest, line.into_inner().map(|d| self.date_span(d)).collect::<PResult<Vec<_>>>()?);
        }
        Ok(lines.into_clause(docs, year))
    }

    fn date_span(&mut self, pair: Pair<Rule>) -> PResult<Spanned<DateSpan>> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let first = self.date(self.next(&mut inner, span, "date")?);
        let last = inner.next().map_or(first.clone(), |p| self.date(p));
        if last.node < first.node {
            self.errors.push(
                Diagnostic::new(Code::BadCalendar, "date range ends before it starts")
                    .primary(span, "this range is empty")
                    .help("write the earlier date first: 2021-10-01..2021-10-07"),
            );
        }
        Ok(Spanned::new(DateSpan { first: first.node, last: last.node }, span))
    }
}

/// Length of `s` without trailing whitespace and `//` comments.
pub(crate) fn trimmed_len(s: &str) -> usize {
    let mut end = s.trim_end().len();
    loop {
        let body = s.get(..end).unwrap_or("");
        let line_start = body.rfind('\n').map_or(0, |i| i + 1);
        let line = body.get(line_start..).unwrap_or("");
        match comment_start(line) {
            Some(c) => end = body.get(..line_start + c).unwrap_or("").trim_end().len(),
            None => return end,
        }
    }
}

/// Where a `//` comment starts in one line, outside strings.
pub(crate) fn comment_start(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut in_string = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'/' if !in_string && bytes.get(i + 1) == Some(&b'/') => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// The `rest` and `work` lines of a `year` block, as read.
#[derive(Default)]
pub(super) struct YearLines {
    rest: Vec<Vec<Spanned<DateSpan>>>,
    work: Vec<Vec<Spanned<DateSpan>>>,
    lines: Vec<YearLine>,
}

impl YearLines {
    pub(super) fn push(&mut self, is_rest: bool, spans: Vec<Spanned<DateSpan>>) {
        if is_rest {
            self.lines.push(YearLine::Rest(self.rest.len()));
            self.rest.push(spans);
        } else {
            self.lines.push(YearLine::Work(self.work.len()));
            self.work.push(spans);
        }
    }

    pub(super) fn into_clause(self, docs: Docs, year: Spanned<u32>) -> CalendarClause {
        CalendarClause::Year {
            docs,
            year,
            rest: self.rest.concat(),
            work: self.work.concat(),
            lines: lines_to_counts(self.lines),
        }
    }
}

/// The formatter prints one `rest` and one `work` line per year; remember only
/// which came first.
fn lines_to_counts(lines: Vec<YearLine>) -> Vec<YearLine> {
    let mut out: Vec<YearLine> = Vec::new();
    for l in lines {
        let kind_seen = out.iter().any(|o| std::mem::discriminant(o) == std::mem::discriminant(&l));
        if !kind_seen {
            out.push(match l {
                YearLine::Rest(_) => YearLine::Rest(0),
                YearLine::Work(_) => YearLine::Work(0),
            });
        }
    }
    out
}

// ------------------------------------------- shared with the fast path

/// The text of a `///` line: without the slashes, one space after them,
/// and trailing blanks.
pub(super) fn doc_text(line: &str) -> String {
    let s = line.trim_start_matches("///");
    s.strip_prefix(' ').unwrap_or(s).trim_end().to_string()
}

/// Appends `raw`, the characters between a string's quotes, to `out` with
/// its escapes resolved; calls `bad` with the character after each unknown
/// escape's backslash (if any).
pub(super) fn resolve_escapes(raw: &str, out: &mut String, mut bad: impl FnMut(Option<char>)) {
    out.reserve(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            other => bad(other),
        }
    }
}

/// The value of an `int` or `number` as written (`-1_000`), if it fits in 64 bits.
pub(super) fn int_value(written: &str) -> Option<i64> {
    if !written.contains('_') {
        return written.parse::<i64>().ok();
    }
    let digits: String = written.chars().filter(|c| *c != '_').collect();
    digits.parse::<i64>().ok()
}

/// The day a `date` (`YYYY-MM-DD`) names, if it exists.
pub(super) fn date_value(written: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(written, "%Y-%m-%d").ok()
}

/// The language of a `lang` token (`zh` or `en`).
pub(super) fn lang_of(written: &str) -> Lang {
    if written == "zh" {
        Lang::Zh
    } else {
        Lang::En
    }
}
