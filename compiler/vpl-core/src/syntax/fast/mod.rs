//! The fast path: a recursive-descent parser over the bytes of a file that
//! reads the files people write, and gives up on anything else.
//!
//! pest ([`super::parse`]) stays the grammar of record and the only source
//! of syntax diagnostics. This parser returns exactly the tree the pest path
//! would build (every span, doc comment, resolved escape, value and operator
//! grouping), or `None`, and then the pest path parses the file again and
//! reports its errors as always. It returns `None` on any syntax error and
//! any error found while building (an unknown escape, a number out of range,
//! a date that does not exist, a range that ends before it starts, too deep
//! `where` nesting or too long a condition), and also where matching pest's
//! spans would take more care than it is worth (trailing `//` comments or a
//! BOM after a node whose end pest may trim differently, and a few choices
//! pest would retry after a failure). Being conservative costs only speed.
//!
//! How it keeps to pest's grammar: every token is matched as pest matches
//! it (string literals by prefix, atomic rules with their `!ident_char`
//! checks, `ident` with pest's reading of the keyword list), the
//! alternatives of a choice are tried in pest's order, and an alternative
//! is only passed over where pest's would fail at its first token; once
//! this parser takes an alternative, a failure later in it gives `None`
//! rather than a retry, so it never picks a parse pest would not. Spans are
//! made as [`super::parse`]'s `Cx::span` makes them, with `trimmed_len`.
//! The differential tests in `tests.rs` compare the two on the corpus and on
//! many thousands of mutants of it.

use super::ast::*;
use super::expr::{binop, precedence, Fixity};
use super::parse::{
    date_value, doc_text, int_value, lang_of, resolve_escapes, trimmed_len, YearLines, MAX_FILTER_DEPTH, MAX_OPERATORS,
};
use super::{Rule, MAX_NESTING};
use crate::span::{FileId, Span, Spanned};

#[cfg(test)]
mod tests;

/// Parses a file the fast way, or returns `None` (see the module docs).
pub(crate) fn parse(file: FileId, text: &str) -> Option<File> {
    let mut p = Parser { file, text, bytes: text.as_bytes(), pos: 0, slashed_string_end: 0, nest: 0, els: Vec::new() };
    p.file().ok()
}

/// Giving up: the pest path takes over.
struct Bail;
type R<T> = Result<T, Bail>;

/// The byte-order mark, which the grammar counts as a blank.
const BOM: &[u8] = "\u{FEFF}".as_bytes();

/// Whether the grammar's `keyword` rule matches at the start of `word`, a
/// whole word: as in pest, the first listed keyword the word starts with is
/// taken and must end the word. (So `within` is no keyword: `with` is taken
/// first and does not end it.)
/// (The test `keywords_read_as_pest_reads_them` checks this against pest.)
fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "after"
            | "and"
            | "before"
            | "by"
            | "cite"
            | "encouraged"
            | "false"
            | "for"
            | "happened"
            | "immediately"
            | "in"
            | "may"
            | "must"
            | "not"
            | "or"
            | "penalty"
            | "promptly"
            | "timely"
            | "true"
            | "unless"
            | "when"
            | "where"
            | "with"
    )
}

fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Characters of an instrument id after its first.
fn is_id_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// One element of a condition as pest's `expr` rule lists them, before the
/// Pratt parser groups them.
enum El {
    /// `not`, at this offset.
    Prefix(usize),
    Primary(Expr),
    Infix(Rule),
    /// `.name`: the dot's offset, the name, and the offset after it.
    Postfix(usize, String, usize),
}

struct Parser<'a> {
    file: FileId,
    text: &'a str,
    bytes: &'a [u8],
    /// Always at the start of a token or just after one.
    pos: usize,
    /// Where the last string literal read with a `/` in it ends: before
    /// that, no line holds a `//` that `trimmed_len` could take for a
    /// comment (see [`Parser::span`]).
    slashed_string_end: usize,
    /// Brackets open in the condition being read.
    nest: usize,
    /// The elements of the conditions being read, innermost last: one
    /// buffer for them all rather than one per condition.
    els: Vec<El>,
}

impl<'a> Parser<'a> {
    // ------------------------------------------------------------ tokens

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn at(&self, s: &str) -> bool {
        self.bytes.get(self.pos..).is_some_and(|rest| rest.starts_with(s.as_bytes()))
    }

    /// Whether `s` follows and is not followed by a name character: an
    /// atomic rule's `s ~ !ident_char`.
    fn at_word(&self, s: &str) -> bool {
        self.at(s) && !self.bytes.get(self.pos + s.len()).is_some_and(|b| is_ident_char(*b))
    }

    /// A string literal of the grammar, matched as pest matches it: by prefix.
    fn lit(&mut self, s: &str) -> R<()> {
        if self.at(s) {
            self.pos += s.len();
            Ok(())
        } else {
            Err(Bail)
        }
    }

    /// A literal and the trivia after it.
    fn keyword(&mut self, s: &str) -> R<()> {
        self.lit(s)?;
        self.skip();
        Ok(())
    }

    fn slice(&self, start: usize, end: usize) -> R<&'a str> {
        self.text.get(start..end).ok_or(Bail)
    }

    /// The end of the blanks and comments from `from`, and whether they
    /// hold anything but spaces, tabs and line breaks.
    fn trivia_end(&self, from: usize) -> (usize, bool) {
        let mut i = from;
        let mut unusual = false;
        loop {
            match self.bytes.get(i) {
                Some(b' ' | b'\t' | b'\n' | b'\r') => i += 1,
                Some(0xEF) if self.bytes.get(i..).is_some_and(|r| r.starts_with(BOM)) => {
                    i += BOM.len();
                    unusual = true;
                }
                // `//` starts a comment unless it is a doc comment's `///`
                // (`////` is a comment again).
                Some(b'/')
                    if self.bytes.get(i + 1) == Some(&b'/')
                        && (self.bytes.get(i + 2) != Some(&b'/') || self.bytes.get(i + 3) == Some(&b'/')) =>
                {
                    unusual = true;
                    i = self.line_end(i);
                }
                _ => return (i, unusual),
            }
        }
    }

    /// The offset of the line break ending the line `from` is on, or the
    /// end of the text.
    fn line_end(&self, from: usize) -> usize {
        self.bytes.get(from..).and_then(|r| memchr::memchr(b'\n', r)).map_or(self.bytes.len(), |n| from + n)
    }

    /// pest's implicit whitespace between two tokens.
    fn skip(&mut self) {
        self.pos = self.trivia_end(self.pos).0;
    }

    /// Skips the trivia if `s` follows it; otherwise stays put (so that a
    /// node's last token still ends at `pos`).
    fn skip_to(&mut self, s: &str) -> bool {
        let saved = self.pos;
        self.skip();
        if self.at(s) {
            true
        } else {
            self.pos = saved;
            false
        }
    }

    /// The span pest's pair for `start..end` gets from `Cx::span`, where
    /// `end` is the end of the node's last token. pest's pair may also hold
    /// the blanks and comments after it (when the rule ends in an optional
    /// part that was not there); `trimmed_len` takes those off again. Where
    /// the two could give different ends, give up.
    ///
    /// `end` always follows a token, never a blank, and a `//` before it on
    /// its line can only be in a string (a comment would run past `end`):
    /// so unless a string with a `/` was read since `start`, `trimmed_len`
    /// would find nothing to take off, and is not called.
    fn span(&self, start: usize, end: usize) -> R<Span> {
        let len = if self.slashed_string_end <= start { end - start } else { trimmed_len(self.slice(start, end)?) };
        let (trivia_end, unusual) = self.trivia_end(end);
        if unusual && trimmed_len(self.slice(start, trivia_end)?) != len {
            return Err(Bail);
        }
        Ok(Span::new(self.file, start, start + len))
    }

    /// The span of a one-line token without blanks, slashes or quotes,
    /// which `trimmed_len` leaves whole.
    fn tok(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start, end)
    }

    fn word_end(&self, from: usize) -> usize {
        let mut i = from;
        while self.bytes.get(i).is_some_and(|b| is_ident_char(*b)) {
            i += 1;
        }
        i
    }

    /// The name starting here, if the grammar's `ident` matches here: it
    /// does not move.
    fn peek_ident(&self) -> Option<(usize, &'a str)> {
        let first = self.peek()?;
        if !(first.is_ascii_alphabetic() || first == b'_') {
            return None;
        }
        let end = self.word_end(self.pos);
        let word = self.text.get(self.pos..end)?;
        (!is_keyword(word)).then_some((end, word))
    }

    fn ident(&mut self) -> R<Ident> {
        let (end, word) = self.peek_ident().ok_or(Bail)?;
        let span = self.tok(self.pos, end);
        self.pos = end;
        Ok(Spanned::new(word.to_string(), span))
    }

    /// `"{" ~ clause* ~ "}"`, each clause with its span; `clause` reads one
    /// (it is called on any token but `}`).
    fn clauses<T>(&mut self, mut clause: impl FnMut(&mut Self) -> R<T>) -> R<Vec<Spanned<T>>> {
        self.expect("{")?;
        let mut all = Vec::new();
        loop {
            self.skip();
            if self.at("}") {
                self.pos += 1;
                return Ok(all);
            }
            let start = self.pos;
            let c = clause(self)?;
            all.push(Spanned::new(c, self.span(start, self.pos)?));
        }
    }

    /// `x ~ ("," ~ x)*`
    fn list<T>(&mut self, mut x: impl FnMut(&mut Self) -> R<T>) -> R<Vec<T>> {
        let mut all = vec![x(self)?];
        while self.skip_to(",") {
            self.pos += 1;
            self.skip();
            all.push(x(self)?);
        }
        Ok(all)
    }

    fn instrument_id(&mut self) -> R<Ident> {
        let start = self.pos;
        if !self.peek().is_some_and(|b| b.is_ascii_alphabetic()) {
            return Err(Bail);
        }
        let mut i = start + 1;
        while self.bytes.get(i).is_some_and(|b| is_id_char(*b)) {
            i += 1;
        }
        let mut parts = 0;
        while self.bytes.get(i) == Some(&b'/') && self.bytes.get(i + 1).is_some_and(|b| is_id_char(*b)) {
            i += 2;
            while self.bytes.get(i).is_some_and(|b| is_id_char(*b)) {
                i += 1;
            }
            parts += 1;
        }
        if parts == 0 {
            return Err(Bail);
        }
        self.pos = i;
        Ok(Spanned::new(self.slice(start, i)?.to_string(), self.tok(start, i)))
    }

    /// `int`: a digit, then digits and `_`. Returns where it ends.
    fn int_end(&self, from: usize) -> R<usize> {
        if !self.bytes.get(from).is_some_and(u8::is_ascii_digit) {
            return Err(Bail);
        }
        let mut i = from + 1;
        while self.bytes.get(i).is_some_and(|b| b.is_ascii_digit() || *b == b'_') {
            i += 1;
        }
        Ok(i)
    }

    fn int(&mut self) -> R<Spanned<i64>> {
        let start = self.pos;
        let end = self.int_end(start)?;
        let value = int_value(self.slice(start, end)?).ok_or(Bail)?;
        self.pos = end;
        Ok(Spanned::new(value, self.tok(start, end)))
    }

    fn uint(&mut self) -> R<Spanned<u32>> {
        let n = self.int()?;
        Ok(Spanned::new(u32::try_from(n.node).map_err(|_| Bail)?, n.span))
    }

    /// `number`: an `int`, or `-` and an `int`. Returns where it ends.
    fn number_end(&self, from: usize) -> R<usize> {
        if self.bytes.get(from) == Some(&b'-') {
            self.int_end(from + 1)
        } else {
            self.int_end(from)
        }
    }

    /// Whether a `date` (`DDDD-DD-DD`) starts at `from`.
    fn is_date(&self, from: usize) -> bool {
        let digit = |i: usize| self.bytes.get(from + i).is_some_and(u8::is_ascii_digit);
        (0..4).all(digit)
            && self.bytes.get(from + 4) == Some(&b'-')
            && (5..7).all(digit)
            && self.bytes.get(from + 7) == Some(&b'-')
            && (8..10).all(digit)
    }

    fn date(&mut self) -> R<Spanned<Date>> {
        let start = self.pos;
        if !self.is_date(start) {
            return Err(Bail);
        }
        let day = date_value(self.slice(start, start + 10)?).ok_or(Bail)?;
        self.pos = start + 10;
        Ok(Spanned::new(Date(day), self.tok(start, start + 10)))
    }

    /// The rest of a `quantity` after its number, which ends at `num_end`:
    /// spaces or tabs, then a name. Returns the unit, without moving, if
    /// they are there.
    fn unit_after(&self, num_end: usize) -> Option<(usize, &'a str)> {
        let mut i = num_end;
        while matches!(self.bytes.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        if i == num_end {
            return None;
        }
        let first = *self.bytes.get(i)?;
        if !(first.is_ascii_alphabetic() || first == b'_') {
            return None;
        }
        let end = self.word_end(i);
        let word = self.text.get(i..end)?;
        (!is_keyword(word)).then_some((i, word))
    }

    /// A `quantity` whose number ends at `num_end` and whose unit starts at
    /// `unit_start`.
    fn quantity_at(&mut self, num_end: usize, unit_start: usize, unit: &str) -> R<Quantity> {
        let start = self.pos;
        let amount = int_value(self.slice(start, num_end)?).ok_or(Bail)?;
        let unit_end = unit_start + unit.len();
        self.pos = unit_end;
        Ok(Quantity {
            amount: Spanned::new(amount, self.tok(start, num_end)),
            unit: Spanned::new(unit.to_string(), self.tok(unit_start, unit_end)),
            span: self.tok(start, unit_end),
        })
    }

    fn quantity(&mut self) -> R<Quantity> {
        let num_end = self.number_end(self.pos)?;
        let (unit_start, unit) = self.unit_after(num_end).ok_or(Bail)?;
        self.quantity_at(num_end, unit_start, unit)
    }

    /// Appends one string literal's text, escapes resolved, to `out`.
    fn string_into(&mut self, out: &mut String) -> R<()> {
        if self.peek() != Some(b'"') {
            return Err(Bail);
        }
        let body = self.pos + 1;
        let mut i = body;
        let mut escapes = false;
        loop {
            i += self.bytes.get(i..).and_then(|r| memchr::memchr2(b'"', b'\\', r)).ok_or(Bail)?;
            if self.bytes.get(i) == Some(&b'"') {
                break;
            }
            if !matches!(self.bytes.get(i + 1), Some(b'n' | b't' | b'"' | b'\\')) {
                return Err(Bail);
            }
            escapes = true;
            i += 2;
        }
        let raw = self.slice(body, i)?;
        if memchr::memchr(b'/', raw.as_bytes()).is_some() {
            self.slashed_string_end = i + 1;
        }
        if escapes {
            let mut bad = false;
            resolve_escapes(raw, out, |_| bad = true);
            if bad {
                return Err(Bail);
            }
        } else {
            out.push_str(raw);
        }
        self.pos = i + 1;
        Ok(())
    }

    fn string(&mut self) -> R<String> {
        let mut out = String::new();
        self.string_into(&mut out)?;
        Ok(out)
    }

    /// `text`: adjacent string literals, joined.
    fn text(&mut self) -> R<String> {
        let mut out = String::new();
        self.string_into(&mut out)?;
        while self.skip_to("\"") {
            self.string_into(&mut out)?;
        }
        Ok(out)
    }

    fn lang(&mut self) -> R<Lang> {
        for word in ["zh", "en"] {
            if self.at_word(word) {
                self.pos += 2;
                return Ok(lang_of(word));
            }
        }
        Err(Bail)
    }

    fn expect(&mut self, s: &str) -> R<()> {
        self.skip();
        self.lit(s)
    }

    /// `docs`: the `///` lines before a declaration, and the trivia after
    /// them.
    fn docs(&mut self) -> R<Docs> {
        let mut docs = Vec::new();
        while self.at("///") && self.bytes.get(self.pos + 3) != Some(&b'/') {
            let end = self.line_end(self.pos);
            docs.push(doc_text(self.slice(self.pos, end)?));
            self.pos = end;
            self.skip();
        }
        Ok(docs)
    }

    // -------------------------------------------------------------- items

    fn file(&mut self) -> R<File> {
        let mut items = Vec::new();
        self.skip();
        while self.pos < self.bytes.len() {
            items.push(self.item()?);
            self.skip();
        }
        Ok(File { items })
    }

    fn item(&mut self) -> R<Item> {
        let start = self.pos;
        let docs = self.docs()?;
        // The grammar's order; no two kinds start with the same keyword.
        Ok(if self.at("duty") {
            Item::Duty(self.duty(start, docs)?)
        } else if self.at("article") {
            Item::Article(self.article(start, docs)?)
        } else if self.at("penalty") {
            Item::Penalty(self.penalty(start, docs)?)
        } else if self.at("instrument") {
            Item::Instrument(self.instrument(start, docs)?)
        } else if self.at("event") {
            Item::Event(self.event(start, docs)?)
        } else if self.at("fact") {
            self.keyword("fact")?;
            let name = self.ident()?;
            self.expect(":")?;
            self.skip();
            let ty = self.ident()?;
            Item::Fact(Fact { docs, name, ty, span: self.span(start, self.pos)? })
        } else if self.at("unit") {
            Item::Unit(self.unit_decl(start, docs)?)
        } else if self.at("role") {
            self.keyword("role")?;
            let name = self.ident()?;
            let fields = if self.skip_to("{") { self.fields()? } else { Vec::new() };
            Item::Role(Role { docs, name, fields, span: self.span(start, self.pos)? })
        } else if self.at("use") {
            self.keyword("use")?;
            let target = self.instrument_id()?;
            Item::Use(Use { docs, target, span: self.span(start, self.pos)? })
        } else if self.at("enum") {
            Item::Enum(self.enum_decl(start, docs)?)
        } else if self.at("calendar") {
            Item::Calendar(self.calendar(start, docs)?)
        } else {
            return Err(Bail);
        })
    }

    // --------------------------------------------------------- instrument

    fn instrument(&mut self, start: usize, docs: Docs) -> R<Instrument> {
        self.keyword("instrument")?;
        let id = self.instrument_id()?;
        let clauses = self.clauses(Self::instrument_clause)?;
        Ok(Instrument { docs, id, clauses, span: self.span(start, self.pos)? })
    }

    fn instrument_clause(&mut self) -> R<InstrumentClause> {
        Ok(if self.at("title") {
            self.keyword("title")?;
            let lang = self.lang()?;
            self.skip();
            InstrumentClause::Title(lang, self.text()?)
        } else if self.at("issued_by") {
            self.keyword("issued_by")?;
            InstrumentClause::IssuedBy(self.list(Self::text)?)
        } else if self.at("number") {
            self.keyword("number")?;
            InstrumentClause::Number(self.text()?)
        } else if self.at("status") {
            self.keyword("status")?;
            if self.at("draft") {
                self.lit("draft")?;
                self.expect("published")?;
                self.skip();
                let published = self.date()?;
                let comments_until = if self.skip_to("comments_until") {
                    self.keyword("comments_until")?;
                    Some(self.date()?)
                } else {
                    None
                };
                InstrumentClause::Draft { published, comments_until }
            } else {
                self.lit("in_force")?;
                self.expect("issued")?;
                self.skip();
                let issued = self.date()?;
                self.expect("effective")?;
                self.skip();
                InstrumentClause::InForce { issued, effective: self.date()? }
            }
        } else if self.at("calendar") {
            self.keyword("calendar")?;
            InstrumentClause::Calendar(self.ident()?)
        } else if self.at("excerpt") {
            self.keyword("excerpt")?;
            InstrumentClause::Excerpt(self.text()?)
        } else {
            return Err(Bail);
        })
    }

    // ----------------------------------------------------------- articles

    fn at_lang(&self) -> bool {
        self.at_word("zh") || self.at_word("en")
    }

    fn text_clause(&mut self) -> R<Spanned<TextClause>> {
        let start = self.pos;
        let lang = self.lang()?;
        self.skip();
        let clause = if self.at("missing") {
            self.keyword("missing")?;
            TextClause::Missing(lang, self.text()?)
        } else {
            TextClause::Text(lang, self.text()?)
        };
        Ok(Spanned::new(clause, self.span(start, self.pos)?))
    }

    /// `text_clause*`, skipping the trivia before each and after the last.
    fn text_clauses(&mut self) -> R<Vec<Spanned<TextClause>>> {
        let mut texts = Vec::new();
        loop {
            self.skip();
            if !self.at_lang() {
                return Ok(texts);
            }
            texts.push(self.text_clause()?);
        }
    }

    fn article(&mut self, start: usize, docs: Docs) -> R<Article> {
        self.keyword("article")?;
        let number = self.uint()?;
        self.expect("{")?;
        let texts = self.text_clauses()?;
        let no_duty = if self.at("no_duty") {
            let s = self.pos;
            self.keyword("no_duty")?;
            let reason = self.text()?;
            let span = self.span(s, self.pos)?;
            self.skip();
            Some(Spanned::new(reason, span))
        } else {
            None
        };
        let mut paragraphs = Vec::new();
        while !self.at("}") {
            paragraphs.push(self.paragraph()?);
            self.skip();
        }
        self.pos += 1;
        Ok(Article { docs, number, texts, no_duty, paragraphs, span: self.span(start, self.pos)? })
    }

    fn paragraph(&mut self) -> R<Paragraph> {
        let start = self.pos;
        let docs = self.docs()?;
        self.keyword("para")?;
        let number = self.uint()?;
        self.expect("{")?;
        let texts = self.text_clauses()?;
        let mut items = Vec::new();
        while !self.at("}") {
            let item_start = self.pos;
            let docs = self.docs()?;
            self.keyword("item")?;
            let number = self.uint()?;
            self.expect("{")?;
            let texts = self.text_clauses()?;
            self.lit("}")?;
            items.push(ArticleItem { docs, number, texts, span: self.span(item_start, self.pos)? });
            self.skip();
        }
        self.pos += 1;
        Ok(Paragraph { docs, number, texts, items, span: self.span(start, self.pos)? })
    }

    /// `cite_clause`'s citation: `art 7`, `art 7(1)`, `art 7(1)(2)`.
    fn citation(&mut self) -> R<Spanned<Citation>> {
        let start = self.pos;
        self.keyword("art")?;
        let article = self.uint()?.node;
        let mut paragraph = None;
        let mut item = None;
        if self.skip_to("(") {
            self.pos += 1;
            self.skip();
            paragraph = Some(self.uint()?.node);
            self.expect(")")?;
            if self.skip_to("(") {
                self.pos += 1;
                self.skip();
                item = Some(self.uint()?.node);
                self.expect(")")?;
            }
        }
        Ok(Spanned::new(Citation { article, paragraph, item }, self.span(start, self.pos)?))
    }

    // ------------------------------------------------------------- duties

    fn duty(&mut self, start: usize, docs: Docs) -> R<Duty> {
        self.keyword("duty")?;
        let name = self.ident()?;
        let clauses = self.clauses(Self::duty_clause)?;
        Ok(Duty { docs, name, clauses, span: self.span(start, self.pos)? })
    }

    /// The modality after a rule's bearer, if one is here; does not move.
    fn peek_modality(&self) -> Option<(Modality, usize)> {
        if self.at("must") {
            let mut i = self.pos + 4;
            while matches!(self.bytes.get(i), Some(b' ' | b'\t')) {
                i += 1;
            }
            if i > self.pos + 4
                && self.bytes.get(i..).is_some_and(|r| r.starts_with(b"not"))
                && !self.bytes.get(i + 3).is_some_and(|b| is_ident_char(*b))
            {
                return Some((Modality::MustNot, i + 3));
            }
        }
        [("must", Modality::Must), ("may", Modality::May), ("encouraged", Modality::Encouraged)]
            .into_iter()
            .find(|(w, _)| self.at_word(w))
            .map(|(w, m)| (m, self.pos + w.len()))
    }

    fn duty_clause(&mut self) -> R<DutyClause> {
        // The grammar's alternatives in order; see `duty_clause` there.
        Ok(if self.at("penalty ") || self.at("penalty\t") {
            self.keyword("penalty")?;
            DutyClause::Penalty(self.ident()?)
        } else if self.at("cite") {
            self.keyword("cite")?;
            DutyClause::Cite(self.citation()?)
        } else if let Some(clause) = self.rule_clause()? {
            clause
        } else if let Some(clause) = self.deadline_clause()? {
            clause
        } else if self.at("when") {
            self.keyword("when")?;
            DutyClause::When(self.expr(0)?)
        } else if self.at("unless") {
            self.keyword("unless")?;
            DutyClause::Unless(self.expr(0)?)
        } else {
            self.keyword("penalty")?;
            DutyClause::Penalty(self.ident()?)
        })
    }

    /// `ident ~ modality ~ event_ref`; `None` where pest's fails before the
    /// event (at the name or the modality), and it would try the next kind.
    fn rule_clause(&mut self) -> R<Option<DutyClause>> {
        let start = self.pos;
        let Some((end, word)) = self.peek_ident() else { return Ok(None) };
        self.pos = end;
        self.skip();
        let Some((modality, m_end)) = self.peek_modality() else {
            self.pos = start;
            return Ok(None);
        };
        let bearer = Spanned::new(word.to_string(), self.tok(start, end));
        let modality = Spanned::new(modality, self.tok(self.pos, m_end));
        self.pos = m_end;
        self.skip();
        let action = self.event_ref(0)?;
        Ok(Some(DutyClause::Rule { bearer, modality, action }))
    }

    /// `timing ~ trigger? | trigger`; `None` where neither starts here.
    fn deadline_clause(&mut self) -> R<Option<DutyClause>> {
        let Some(timing) = self.timing()? else {
            if !self.at("after") {
                return Ok(None);
            }
            return Ok(Some(DutyClause::Deadline { timing: None, trigger: Some(self.trigger()?) }));
        };
        let trigger = if self.skip_to("after") { Some(self.trigger()?) } else { None };
        Ok(Some(DutyClause::Deadline { timing: Some(timing), trigger }))
    }

    fn trigger(&mut self) -> R<EventRef> {
        self.keyword("after")?;
        self.event_ref(0)
    }

    fn timing(&mut self) -> R<Option<Spanned<Timing>>> {
        let start = self.pos;
        let timing = if self.at("within") {
            self.keyword("within")?;
            Timing::Within(self.quantity()?)
        } else if let Some((word, vague)) =
            [("immediately", Vague::Immediately), ("promptly", Vague::Promptly), ("timely", Vague::Timely)]
                .into_iter()
                .find(|(w, _)| self.at_word(w))
        {
            self.pos += word.len();
            return Ok(Some(Spanned::new(Timing::Vague(vague), self.tok(start, self.pos))));
        } else if self.peek().is_some_and(|b| b == b'-' || b.is_ascii_digit()) {
            let q = self.quantity()?;
            self.expect("before")?;
            self.skip();
            Timing::Prior(q, self.event_ref(0)?)
        } else if self.at("before") {
            self.keyword("before")?;
            Timing::Before(self.event_ref(0)?)
        } else if self.at("with") {
            self.keyword("with")?;
            Timing::With(self.event_ref(0)?)
        } else if self.at("for") {
            self.lit("for")?;
            self.expect("at")?;
            self.expect("least")?;
            self.skip();
            Timing::ForAtLeast(self.quantity()?)
        } else {
            return Ok(None);
        };
        Ok(Some(Spanned::new(timing, self.span(start, self.pos)?)))
    }

    /// `event_ref`; `depth` counts the `where` filters around it.
    fn event_ref(&mut self, depth: usize) -> R<EventRef> {
        if depth > MAX_FILTER_DEPTH {
            return Err(Bail);
        }
        let start = self.pos;
        let event = self.ident()?;
        let by = if self.skip_to("by") {
            self.keyword("by")?;
            Some(self.ident()?)
        } else {
            None
        };
        let filter = if self.skip_to("where") {
            self.keyword("where")?;
            Some(Box::new(self.expr(depth + 1)?))
        } else {
            None
        };
        Ok(EventRef { event, by, filter, span: self.span(start, self.pos)? })
    }

    // ---------------------------------------------------------- penalties

    fn penalty(&mut self, start: usize, docs: Docs) -> R<Penalty> {
        self.keyword("penalty")?;
        let name = self.ident()?;
        let clauses = self.clauses(|p| {
            Ok(if p.at("cite") {
                p.keyword("cite")?;
                PenaltyClause::Cite(p.citation()?)
            } else if p.at("measures") {
                p.keyword("measures")?;
                PenaltyClause::Measures(p.list(Self::ident)?)
            } else if p.at("fine") {
                p.keyword("fine")?;
                let target = p.ident()?;
                p.skip();
                let min = p.quantity()?;
                p.expect("to")?;
                p.skip();
                let max = p.quantity()?;
                let when = if p.skip_to("when") {
                    p.keyword("when")?;
                    Some(p.expr(0)?)
                } else {
                    None
                };
                PenaltyClause::Fine { target, min, max, when }
            } else if p.at("replaces") {
                p.keyword("replaces")?;
                PenaltyClause::Replaces(p.list(Self::ident)?)
            } else {
                return Err(Bail);
            })
        })?;
        Ok(Penalty { docs, name, clauses, span: self.span(start, self.pos)? })
    }

    // --------------------------------------------------------- vocabulary

    /// `fields` from its `{`.
    fn fields(&mut self) -> R<Vec<Field>> {
        self.lit("{")?;
        let mut fields = Vec::new();
        loop {
            self.skip();
            if self.at("}") {
                break;
            }
            let start = self.pos;
            let docs = self.docs()?;
            let name = self.ident()?;
            self.expect(":")?;
            self.skip();
            let ty = self.ident()?;
            fields.push(Field { docs, name, ty, span: self.span(start, self.pos)? });
            if self.skip_to(",") {
                self.pos += 1;
            }
        }
        self.pos += 1;
        Ok(fields)
    }

    fn event(&mut self, start: usize, docs: Docs) -> R<EventDecl> {
        self.keyword("event")?;
        let name = self.ident()?;
        let by = if self.skip_to("by") {
            self.keyword("by")?;
            self.list(Self::ident)?
        } else {
            Vec::new()
        };
        let fields = if self.skip_to("{") { self.fields()? } else { Vec::new() };
        Ok(EventDecl { docs, name, by, fields, span: self.span(start, self.pos)? })
    }

    fn enum_decl(&mut self, start: usize, docs: Docs) -> R<EnumDecl> {
        self.keyword("enum")?;
        let name = self.ident()?;
        self.expect("{")?;
        let mut variants = Vec::new();
        loop {
            self.skip();
            if self.at("}") {
                break;
            }
            let docs = self.docs()?;
            variants.push(Variant { docs, name: self.ident()? });
            if self.skip_to(",") {
                self.pos += 1;
            }
        }
        self.pos += 1;
        Ok(EnumDecl { docs, name, variants, span: self.span(start, self.pos)? })
    }

    fn unit_decl(&mut self, start: usize, docs: Docs) -> R<UnitDecl> {
        self.keyword("unit")?;
        let names = self.list(Self::ident)?;
        self.expect(":")?;
        self.skip();
        let kind_start = self.pos;
        let kind = if self.at("duration") {
            self.keyword("duration")?;
            UnitKind::Duration(self.ident()?)
        } else {
            self.lit("currency")?;
            UnitKind::Currency
        };
        let kind = Spanned::new(kind, self.span(kind_start, self.pos)?);
        Ok(UnitDecl { docs, names, kind, span: self.span(start, self.pos)? })
    }

    // ---------------------------------------------------------- calendars

    fn calendar(&mut self, start: usize, docs: Docs) -> R<Calendar> {
        self.keyword("calendar")?;
        let name = self.ident()?;
        let clauses = self.clauses(|p| {
            Ok(if p.at("zone") {
                p.keyword("zone")?;
                let z = p.pos;
                let zone = p.string()?;
                CalendarClause::Zone(Spanned::new(zone, p.span(z, p.pos)?))
            } else if p.at("rule") {
                p.keyword("rule")?;
                CalendarClause::Rule(p.ident()?)
            } else if p.at("weekend") {
                p.keyword("weekend")?;
                CalendarClause::Weekend(p.list(Self::ident)?)
            } else if p.at("covers") {
                p.keyword("covers")?;
                let first = p.uint()?;
                p.expect("..")?;
                p.skip();
                CalendarClause::Covers(first, p.uint()?)
            } else {
                p.cal_year()?
            })
        })?;
        Ok(Calendar { docs, name, clauses, span: self.span(start, self.pos)? })
    }

    fn cal_year(&mut self) -> R<CalendarClause> {
        let docs = self.docs()?;
        self.keyword("year")?;
        let year = self.uint()?;
        self.expect("{")?;
        let mut lines = YearLines::default();
        loop {
            self.skip();
            let is_rest = if self.at("rest") {
                true
            } else if self.at("work") {
                false
            } else {
                break;
            };
            self.pos += 4;
            self.skip();
            lines.push(is_rest, self.list(Self::date_span)?);
        }
        self.lit("}")?;
        Ok(lines.into_clause(docs, year))
    }

    fn date_span(&mut self) -> R<Spanned<DateSpan>> {
        let start = self.pos;
        let first = self.date()?;
        let last = if self.skip_to("..") {
            self.pos += 2;
            self.skip();
            self.date()?
        } else {
            first.clone()
        };
        if last.node < first.node {
            return Err(Bail);
        }
        Ok(Spanned::new(DateSpan { first: first.node, last: last.node }, self.span(start, self.pos)?))
    }

    // -------------------------------------------------------- expressions

    /// `expr`: its elements as pest's rule lists them, grouped by the same
    /// Pratt algorithm over the same table (`expr::LEVELS`).
    fn expr(&mut self, depth: usize) -> R<Expr> {
        let base = self.els.len();
        let mut operators = 0usize;
        loop {
            while self.at_word("not") {
                self.els.push(El::Prefix(self.pos));
                self.pos += 3;
                self.skip();
                operators += 1;
            }
            let primary = self.primary(depth)?;
            self.els.push(El::Primary(primary));
            while self.skip_to(".") {
                let dot = self.pos;
                self.pos += 1;
                self.skip();
                let name = self.ident()?;
                self.els.push(El::Postfix(dot, name.node, self.pos));
                operators += 1;
            }
            let saved = self.pos;
            self.skip();
            let Some((op, len)) = self.infix() else {
                self.pos = saved;
                break;
            };
            self.els.push(El::Infix(op));
            self.pos += len;
            self.skip();
            operators += 1;
            if operators > MAX_OPERATORS {
                return Err(Bail);
            }
        }
        if operators > MAX_OPERATORS {
            return Err(Bail);
        }
        let mut pratt = Pratt { file: self.file, els: self.els.drain(base..).peekable() };
        let e = pratt.expr(0)?;
        if pratt.els.next().is_some() {
            return Err(Bail);
        }
        Ok(e)
    }

    /// The infix operator here, as the grammar's `infix` tries them.
    fn infix(&self) -> Option<(Rule, usize)> {
        if self.at_word("or") {
            Some((Rule::op_or, 2))
        } else if self.at_word("and") {
            Some((Rule::op_and, 3))
        } else if self.at("==") {
            Some((Rule::op_eq, 2))
        } else if self.at("!=") {
            Some((Rule::op_ne, 2))
        } else if self.at("<=") {
            Some((Rule::op_le, 2))
        } else if self.at(">=") {
            Some((Rule::op_ge, 2))
        } else if self.at("<") {
            Some((Rule::op_lt, 1))
        } else if self.at(">") {
            Some((Rule::op_gt, 1))
        } else if self.at_word("in") {
            Some((Rule::op_in, 2))
        } else {
            None
        }
    }

    /// Steps into a `(` or `{` of a condition. Conditions stand one block
    /// deep (in a `duty` or `penalty`), so this is as deep as
    /// `check_nesting` counts: beyond its limit, give up, and let it report
    /// the file.
    fn open(&mut self) -> R<()> {
        self.nest += 1;
        if 1 + self.nest > MAX_NESTING {
            return Err(Bail);
        }
        self.pos += 1;
        self.skip();
        Ok(())
    }

    fn primary(&mut self, depth: usize) -> R<Expr> {
        let start = self.pos;
        let first = self.peek().ok_or(Bail)?;
        let kind = if first.is_ascii_alphabetic() || first == b'_' {
            let end = self.word_end(start);
            let word = self.slice(start, end)?;
            if !is_keyword(word) {
                self.pos = end;
                return Ok(Spanned::new(ExprKind::Name(word.to_string()), self.tok(start, end)));
            }
            match word {
                "true" | "false" => {
                    self.pos = end;
                    return Ok(Spanned::new(ExprKind::Bool(word == "true"), self.tok(start, end)));
                }
                "happened" => {
                    self.pos = end;
                    self.skip();
                    ExprKind::Happened(self.event_ref(depth)?)
                }
                _ => return Err(Bail),
            }
        } else if first == b'(' {
            self.open()?;
            let inner = self.expr(depth)?;
            self.expect(")")?;
            self.nest -= 1;
            ExprKind::Paren(Box::new(inner))
        } else if first == b'{' {
            self.open()?;
            let mut items = Vec::new();
            if self.at(",") {
                self.pos += 1;
                self.skip();
            } else if !self.at("}") {
                items.push(self.expr(depth)?);
                loop {
                    self.skip();
                    if !self.at(",") {
                        break;
                    }
                    self.pos += 1;
                    self.skip();
                    if self.at("}") {
                        break;
                    }
                    items.push(self.expr(depth)?);
                }
            }
            self.lit("}")?;
            self.nest -= 1;
            ExprKind::Set(items)
        } else if first == b'-' || first.is_ascii_digit() {
            if self.is_date(start) {
                let d = self.date()?;
                return Ok(Spanned::new(ExprKind::Date(d.node), d.span));
            }
            let num_end = self.number_end(start)?;
            if let Some((unit_start, unit)) = self.unit_after(num_end) {
                let q = self.quantity_at(num_end, unit_start, unit)?;
                let span = q.span;
                return Ok(Spanned::new(ExprKind::Quantity(q), span));
            }
            let value = int_value(self.slice(start, num_end)?).ok_or(Bail)?;
            self.pos = num_end;
            return Ok(Spanned::new(ExprKind::Int(value), self.tok(start, num_end)));
        } else if first == b'"' {
            ExprKind::Str(self.string()?)
        } else {
            return Err(Bail);
        };
        Ok(Spanned::new(kind, self.span(start, self.pos)?))
    }
}

/// pest's `PrattParser` algorithm over one condition's elements.
struct Pratt<I: Iterator<Item = El>> {
    file: FileId,
    els: std::iter::Peekable<I>,
}

impl<I: Iterator<Item = El>> Pratt<I> {
    fn expr(&mut self, rbp: u32) -> R<Expr> {
        let mut lhs = self.nud()?;
        while rbp < self.lbp()? {
            lhs = self.led(lhs)?;
        }
        Ok(lhs)
    }

    fn nud(&mut self) -> R<Expr> {
        match self.els.next() {
            Some(El::Primary(e)) => Ok(e),
            Some(El::Prefix(at)) => {
                let (prec, _) = precedence(Rule::op_not).ok_or(Bail)?;
                let rhs = self.expr(prec - 1)?;
                let span = Span::new(self.file, at, rhs.span.end as usize);
                Ok(Spanned::new(ExprKind::Not(Box::new(rhs)), span))
            }
            _ => Err(Bail),
        }
    }

    fn lbp(&mut self) -> R<u32> {
        match self.els.peek() {
            None => Ok(0),
            Some(El::Infix(rule)) => Ok(precedence(*rule).ok_or(Bail)?.0),
            Some(El::Postfix(..)) => Ok(precedence(Rule::op_dot).ok_or(Bail)?.0),
            Some(_) => Err(Bail),
        }
    }

    fn led(&mut self, lhs: Expr) -> R<Expr> {
        match self.els.next() {
            Some(El::Infix(rule)) => {
                let (prec, fixity) = precedence(rule).ok_or(Bail)?;
                if fixity != Fixity::Infix {
                    return Err(Bail);
                }
                let rhs = self.expr(prec)?;
                let span = lhs.span.to(rhs.span);
                Ok(Spanned::new(ExprKind::Binary(binop(rule), Box::new(lhs), Box::new(rhs)), span))
            }
            Some(El::Postfix(dot, name, end)) => {
                let name = Spanned::new(name, Span::new(self.file, dot + 1, end));
                let span = lhs.span.to(Span::new(self.file, dot, end));
                Ok(Spanned::new(ExprKind::Attr(Box::new(lhs), name), span))
            }
            _ => Err(Bail),
        }
    }
}
