//! The formatter: prints an AST in the one canonical layout, putting back
//! the `//` comments the grammar skips. Comments are found in the source
//! text and re-attached by position: a comment on its own line goes before
//! the next thing printed; one at the end of a line stays at the end of
//! that line. Nothing is dropped, and formatting is a fixed point.

use crate::diag::Diagnostic;
use crate::span::{FileId, Span};
use crate::syntax::ast::*;
use crate::syntax::{self};

const INDENT: &str = "    ";
/// Widest string literal content before it is split into adjacent literals.
const TEXT_WIDTH: usize = 90;

/// Formats a whole file; returns the diagnostics if it does not parse (the
/// caller must then leave the file untouched).
pub fn format_source(text: &str) -> Result<String, Vec<Diagnostic>> {
    let file = FileId(0);
    let ast = syntax::parse_file(file, text)?;
    Ok(format_file(&ast, text))
}

/// Prints a parsed file; `text` is the source it came from (for comments).
pub fn format_file(ast: &File, text: &str) -> String {
    let mut p = Printer { out: String::new(), comments: comments(text), next_comment: 0, text, depth: 0, blank: false };
    let mut prev: Option<&Item> = None;
    for item in &ast.items {
        if let Some(prev) = prev {
            let keep_tight = same_small_kind(prev, item) && !p.blank_between(prev.span().end, item.span().start);
            if !keep_tight {
                p.blank = true;
            }
        }
        p.item(item);
        prev = Some(item);
    }
    p.flush_comments(u32::MAX);
    let mut out = p.out.trim_end().to_string();
    out.push('\n');
    if out.trim().is_empty() {
        return String::new();
    }
    out
}

/// One-line declarations of one kind stay grouped as the author grouped them.
fn same_small_kind(a: &Item, b: &Item) -> bool {
    match (a, b) {
        (Item::Use(_), Item::Use(_)) | (Item::Fact(_), Item::Fact(_)) | (Item::Unit(_), Item::Unit(_)) => true,
        (Item::Event(x), Item::Event(y)) => x.fields.is_empty() && y.fields.is_empty(),
        (Item::Role(x), Item::Role(y)) => x.fields.is_empty() && y.fields.is_empty(),
        _ => false,
    }
}

struct Comment {
    start: u32,
    text: String,
    /// Only whitespace before it on its line.
    own_line: bool,
}

/// Every `//` comment that is not a `///` doc line, outside strings.
fn comments(text: &str) -> Vec<Comment> {
    let mut out = Vec::new();
    let mut offset = 0usize;
    let mut in_string = false;
    for line in text.split_inclusive('\n') {
        let bytes = line.as_bytes();
        let mut i = 0;
        let mut found = None;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'\\' if in_string => i += 1,
                b'"' => in_string = !in_string,
                b'/' if !in_string && bytes.get(i + 1) == Some(&b'/') => {
                    found = Some(i);
                    break;
                }
                _ => {}
            }
            i += 1;
        }
        if let Some(c) = found {
            let body = line.get(c..).unwrap_or("").trim_end();
            let is_doc = body.starts_with("///") && !body.starts_with("////");
            if !is_doc {
                let own_line = line.get(..c).is_some_and(|before| before.trim().is_empty());
                let start = offset + c;
                out.push(Comment { start: to_u32(start), text: body.to_string(), own_line });
            }
        }
        offset += line.len();
    }
    out
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

struct Printer<'t> {
    out: String,
    comments: Vec<Comment>,
    next_comment: usize,
    text: &'t str,
    depth: usize,
    /// A blank line is wanted before the next line printed.
    blank: bool,
}

impl<'t> Printer<'t> {
    fn blank_between(&self, from: u32, to: u32) -> bool {
        let s = self.text.get(from as usize..to as usize).unwrap_or("");
        // A blank line is two newlines with only spaces between them.
        let mut newlines = 0;
        for c in s.chars() {
            match c {
                '\n' => {
                    newlines += 1;
                    if newlines >= 2 {
                        return true;
                    }
                }
                ' ' | '\t' | '\r' => {}
                _ => newlines = 0,
            }
        }
        false
    }

    /// Starts a new line at the current indentation.
    fn line(&mut self, s: &str) {
        if self.blank && !self.out.is_empty() && !self.out.ends_with("{\n") {
            self.out.push('\n');
        }
        self.blank = false;
        for _ in 0..self.depth {
            self.out.push_str(INDENT);
        }
        self.out.push_str(s);
        self.out.push('\n');
    }

    /// Prints own-line comments that start before `pos`, and end-of-line
    /// comments that belong to lines already printed.
    fn flush_comments(&mut self, pos: u32) {
        while let Some(c) = self.comments.get(self.next_comment) {
            if c.start >= pos {
                break;
            }
            let (text, own_line, start) = (c.text.clone(), c.own_line, c.start);
            self.next_comment += 1;
            if own_line || !self.out.ends_with('\n') || self.out.is_empty() {
                let prev_end = self.prev_token_end(start);
                if prev_end > 0 && self.blank_between(prev_end, start) {
                    self.blank = true;
                }
                self.line(&text);
                // Keep a blank line after the comment if one follows it
                // directly (not one further on, inside the code after it).
                let end = start + to_u32(text.len());
                let rest = self.text.get(end as usize..).unwrap_or("");
                let next = end + to_u32(rest.len() - rest.trim_start().len());
                if pos != u32::MAX && self.blank_between(end, next.min(pos)) {
                    self.blank = true;
                }
            } else {
                self.trailing(&text);
            }
        }
    }

    /// End of the last non-space text before `pos`.
    fn prev_token_end(&self, pos: u32) -> u32 {
        let before = self.text.get(..pos as usize).unwrap_or("");
        to_u32(before.trim_end().len())
    }

    /// Appends a comment to the last printed line — unless that line is a
    /// comment or doc comment itself, where it would be glued into it (and
    /// into documentation): then it gets a line of its own.
    fn trailing(&mut self, text: &str) {
        let body = self.out.strip_suffix('\n').unwrap_or(&self.out);
        let last_line = body.rsplit('\n').next().unwrap_or("").trim_start();
        if last_line.starts_with("//") || syntax::comment_start(last_line).is_some() {
            self.line(text);
            return;
        }
        if self.out.ends_with('\n') {
            self.out.pop();
        }
        self.out.push(' ');
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// After printing something that ended at `end`, keep a comment that
    /// followed it on the same source line at the end of the printed line.
    fn trailing_after(&mut self, end: u32) {
        let Some(c) = self.comments.get(self.next_comment) else { return };
        if c.own_line || c.start < end {
            return;
        }
        let between = self.text.get(end as usize..c.start as usize).unwrap_or("\n");
        if between.contains('\n') {
            return;
        }
        let text = c.text.clone();
        self.next_comment += 1;
        self.trailing(&text);
    }

    /// A one-line construct at `span`, with its comments.
    fn node_line(&mut self, span: Span, s: &str) {
        self.flush_comments(span.start);
        self.line(s);
        self.trailing_after(span.end);
    }

    fn open(&mut self, span: Span, s: &str) {
        self.flush_comments(span.start);
        self.line(&format!("{s} {{"));
        self.trailing_after_open(span);
        self.depth += 1;
    }

    /// A comment right after the `{` of a block stays there.
    fn trailing_after_open(&mut self, span: Span) {
        let body = self.text.get(span.range()).unwrap_or("");
        if let Some(brace) = body.find('{') {
            self.trailing_after(span.start + to_u32(brace) + 1);
        }
    }

    fn close(&mut self, span: Span) {
        self.flush_comments(span.end.saturating_sub(1));
        self.depth = self.depth.saturating_sub(1);
        self.blank = false;
        self.line("}");
        self.trailing_after(span.end);
    }

    fn docs(&mut self, span: Span, docs: &[String]) {
        self.flush_comments(span.start);
        for d in docs {
            if d.is_empty() {
                self.line("///");
            } else {
                self.line(&format!("/// {d}"));
            }
        }
    }

    // ---------------------------------------------------------------- items

    fn item(&mut self, item: &Item) {
        match item {
            Item::Use(u) => {
                self.docs(u.span, &u.docs);
                self.node_line(u.target.span, &format!("use {}", u.target.node));
            }
            Item::Instrument(i) => self.instrument(i),
            Item::Article(a) => self.article(a),
            Item::Duty(d) => self.duty(d),
            Item::Penalty(p) => self.penalty(p),
            Item::Role(r) => {
                self.docs(r.span, &r.docs);
                self.fields_block(r.name.span, r.span, &format!("role {}", r.name.node), &r.fields);
            }
            Item::Event(e) => {
                self.docs(e.span, &e.docs);
                let mut head = format!("event {}", e.name.node);
                if !e.by.is_empty() {
                    head.push_str(&format!(" by {}", e.by.iter().map(|b| b.node.as_str()).collect::<Vec<_>>().join(", ")));
                }
                self.fields_block(e.name.span, e.span, &head, &e.fields);
            }
            Item::Fact(f) => {
                self.docs(f.span, &f.docs);
                self.node_line(f.name.span.to(f.ty.span), &format!("fact {}: {}", f.name.node, f.ty.node));
            }
            Item::Enum(e) => {
                self.docs(e.span, &e.docs);
                self.open(e.name.span, &format!("enum {}", e.name.node));
                for v in &e.variants {
                    self.docs(v.name.span, &v.docs);
                    self.node_line(v.name.span, &format!("{},", v.name.node));
                }
                self.close(e.span);
            }
            Item::Unit(u) => {
                self.docs(u.span, &u.docs);
                let names = u.names.iter().map(|n| n.node.as_str()).collect::<Vec<_>>().join(", ");
                let kind = match &u.kind.node {
                    UnitKind::Duration(b) => format!("duration {}", b.node),
                    UnitKind::Currency => "currency".to_string(),
                };
                self.node_line(u.span, &format!("unit {names}: {kind}"));
            }
            Item::Calendar(c) => self.calendar(c),
        }
    }

    fn fields_block(&mut self, head_span: Span, span: Span, head: &str, fields: &[Field]) {
        if fields.is_empty() {
            self.node_line(head_span.to(span), head);
            return;
        }
        self.open(head_span, head);
        for f in fields {
            self.docs(f.span, &f.docs);
            self.node_line(f.name.span.to(f.ty.span), &format!("{}: {},", f.name.node, f.ty.node));
        }
        self.close(span);
    }

    fn instrument(&mut self, i: &Instrument) {
        self.docs(i.span, &i.docs);
        self.open(i.id.span, &format!("instrument {}", i.id.node));
        for c in &i.clauses {
            let s = match &c.node {
                InstrumentClause::Title(l, t) => {
                    self.text_clause_line(c.span, &format!("title {}", l.as_str()), t);
                    continue;
                }
                InstrumentClause::IssuedBy(v) => {
                    format!("issued_by {}", v.iter().map(|s| quote(s)).collect::<Vec<_>>().join(", "))
                }
                InstrumentClause::Number(n) => format!("number {}", quote(n)),
                InstrumentClause::Draft { published, comments_until } => match comments_until {
                    Some(c) => format!("status draft published {} comments_until {}", published.node.0, c.node.0),
                    None => format!("status draft published {}", published.node.0),
                },
                InstrumentClause::InForce { issued, effective } => {
                    format!("status in_force issued {} effective {}", issued.node.0, effective.node.0)
                }
                InstrumentClause::Calendar(c) => format!("calendar {}", c.node),
                InstrumentClause::Excerpt(e) => {
                    self.text_clause_line(c.span, "excerpt", e);
                    continue;
                }
            };
            self.node_line(c.span, &s);
        }
        self.close(i.span);
    }

    /// `head "text"`, split into adjacent literals when long.
    fn text_clause_line(&mut self, span: Span, head: &str, text: &str) {
        self.flush_comments(span.start);
        let chunks = split_text(text);
        let mut first = true;
        for chunk in &chunks {
            if first {
                self.line(&format!("{head} {}", quote(chunk)));
                first = false;
            } else {
                self.depth += 1;
                self.line(&quote(chunk));
                self.depth -= 1;
            }
        }
        self.trailing_after(span.end);
    }

    fn texts(&mut self, texts: &[crate::span::Spanned<TextClause>]) {
        for t in texts {
            match &t.node {
                TextClause::Text(l, s) => self.text_clause_line(t.span, l.as_str(), s),
                TextClause::Missing(l, s) => self.text_clause_line(t.span, &format!("{} missing", l.as_str()), s),
            }
        }
    }

    fn article(&mut self, a: &Article) {
        self.docs(a.span, &a.docs);
        self.open(a.number.span, &format!("article {}", a.number.node));
        self.texts(&a.texts);
        if let Some(n) = &a.no_duty {
            self.text_clause_line(n.span, "no_duty", &n.node);
        }
        for p in &a.paragraphs {
            self.docs(p.span, &p.docs);
            self.open(p.number.span, &format!("para {}", p.number.node));
            self.texts(&p.texts);
            for i in &p.items {
                self.docs(i.span, &i.docs);
                self.open(i.number.span, &format!("item {}", i.number.node));
                self.texts(&i.texts);
                self.close(i.span);
            }
            self.close(p.span);
        }
        self.close(a.span);
    }

    fn duty(&mut self, d: &Duty) {
        self.docs(d.span, &d.docs);
        self.open(d.name.span, &format!("duty {}", d.name.node));
        for c in &d.clauses {
            let s = match &c.node {
                DutyClause::Cite(x) => format!("cite {}", x.node),
                DutyClause::Rule { bearer, modality, action } => {
                    format!("{} {} {}", bearer.node, modality.node.as_str(), event_ref(action))
                }
                DutyClause::Deadline { timing, trigger } => {
                    let mut parts = Vec::new();
                    if let Some(t) = timing {
                        parts.push(timing_text(&t.node));
                    }
                    if let Some(t) = trigger {
                        parts.push(format!("after {}", event_ref(t)));
                    }
                    parts.join(" ")
                }
                DutyClause::When(e) => format!("when {}", expr(e)),
                DutyClause::Unless(e) => format!("unless {}", expr(e)),
                DutyClause::Penalty(p) => format!("penalty {}", p.node),
            };
            self.node_line(c.span, &s);
        }
        self.close(d.span);
    }

    fn penalty(&mut self, p: &Penalty) {
        self.docs(p.span, &p.docs);
        self.open(p.name.span, &format!("penalty {}", p.name.node));
        for c in &p.clauses {
            let s = match &c.node {
                PenaltyClause::Cite(x) => format!("cite {}", x.node),
                PenaltyClause::Measures(m) => {
                    format!("measures {}", m.iter().map(|i| i.node.as_str()).collect::<Vec<_>>().join(", "))
                }
                PenaltyClause::Replaces(r) => {
                    format!("replaces {}", r.iter().map(|i| i.node.as_str()).collect::<Vec<_>>().join(", "))
                }
                PenaltyClause::Fine { target, min, max, when } => {
                    let mut s = format!("fine {} {} to {}", target.node, quantity(min), quantity(max));
                    if let Some(w) = when {
                        s.push_str(&format!(" when {}", expr(w)));
                    }
                    s
                }
            };
            self.node_line(c.span, &s);
        }
        self.close(p.span);
    }

    fn calendar(&mut self, c: &Calendar) {
        self.docs(c.span, &c.docs);
        self.open(c.name.span, &format!("calendar {}", c.name.node));
        for cl in &c.clauses {
            match &cl.node {
                CalendarClause::Zone(z) => self.node_line(cl.span, &format!("zone {}", quote(&z.node))),
                CalendarClause::Rule(r) => self.node_line(cl.span, &format!("rule {}", r.node)),
                CalendarClause::Weekend(d) => self
                    .node_line(cl.span, &format!("weekend {}", d.iter().map(|x| x.node.as_str()).collect::<Vec<_>>().join(", "))),
                CalendarClause::Covers(a, b) => self.node_line(cl.span, &format!("covers {}..{}", a.node, b.node)),
                CalendarClause::Year { docs, year, rest, work, lines } => {
                    self.blank = true;
                    self.docs(cl.span, docs);
                    self.open(year.span, &format!("year {}", year.node));
                    for l in lines {
                        let (word, spans) = match l {
                            YearLine::Rest(_) => ("rest", rest),
                            YearLine::Work(_) => ("work", work),
                        };
                        self.date_list(word, spans);
                    }
                    self.close(cl.span);
                }
            }
        }
        self.close(c.span);
    }

    /// `rest a, b..c, …` wrapped at about 100 columns.
    fn date_list(&mut self, word: &str, spans: &[crate::span::Spanned<DateSpan>]) {
        if let Some(first) = spans.first() {
            self.flush_comments(first.span.start);
        }
        let items: Vec<String> = spans
            .iter()
            .map(|s| {
                if s.node.first == s.node.last {
                    s.node.first.0.to_string()
                } else {
                    format!("{}..{}", s.node.first.0, s.node.last.0)
                }
            })
            .collect();
        let mut line = word.to_string();
        let mut first = true;
        let count = items.len();
        for (i, it) in items.iter().enumerate() {
            let piece = if i + 1 < count { format!("{it},") } else { it.clone() };
            if !first && line.len() + 1 + piece.len() > 88 {
                self.line(&line);
                line = format!("{INDENT}{piece}");
            } else {
                line.push(' ');
                line.push_str(&piece);
            }
            first = false;
        }
        self.line(&line);
    }
}

/// Splits a long text into chunks of at most [`TEXT_WIDTH`] columns
/// (CJK characters count two), preferring to break after a space.
fn split_text(text: &str) -> Vec<String> {
    let width = |c: char| if (c as u32) >= 0x1100 { 2 } else { 1 };
    let total: usize = text.chars().map(width).sum();
    if total <= TEXT_WIDTH || text.contains('\n') {
        return vec![text.to_string()];
    }
    let mut chunks = Vec::new();
    let mut current = String::new();
    let mut cols = 0;
    let mut last_space: Option<usize> = None;
    for c in text.chars() {
        current.push(c);
        cols += width(c);
        if c == ' ' {
            last_space = Some(current.len());
        }
        if cols >= TEXT_WIDTH {
            let cut = match last_space {
                Some(at) if at > current.len() / 2 => at,
                _ => current.len(),
            };
            let rest = current.split_off(cut);
            chunks.push(std::mem::take(&mut current));
            current = rest;
            cols = current.chars().map(width).sum();
            last_space = None;
        }
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    chunks
}

pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn amount(n: i64) -> String {
    if n.unsigned_abs() < 10_000 {
        return n.to_string();
    }
    crate::table::render::group_digits(n, '_')
}

fn quantity(q: &Quantity) -> String {
    format!("{} {}", amount(q.amount.node), q.unit.node)
}

fn timing_text(t: &Timing) -> String {
    match t {
        Timing::Within(q) => format!("within {}", quantity(q)),
        Timing::Vague(v) => v.as_str().to_string(),
        Timing::Before(e) => format!("before {}", event_ref(e)),
        Timing::Prior(q, e) => format!("{} before {}", quantity(q), event_ref(e)),
        Timing::With(e) => format!("with {}", event_ref(e)),
        Timing::ForAtLeast(q) => format!("for at least {}", quantity(q)),
    }
}

fn event_ref(r: &EventRef) -> String {
    let mut s = r.event.node.clone();
    if let Some(b) = &r.by {
        s.push_str(&format!(" by {}", b.node));
    }
    if let Some(f) = &r.filter {
        s.push_str(&format!(" where {}", expr(f)));
    }
    s
}

/// Prints a condition as written: the tree keeps the user's parentheses,
/// so printing it back parses to the same tree.
pub fn expr(e: &Expr) -> String {
    match &e.node {
        ExprKind::Name(n) => n.clone(),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::Int(i) => i.to_string(),
        ExprKind::Str(s) => quote(s),
        ExprKind::Date(d) => d.0.to_string(),
        ExprKind::Quantity(q) => quantity(q),
        ExprKind::Set(v) => format!("{{{}}}", v.iter().map(expr).collect::<Vec<_>>().join(", ")),
        ExprKind::Happened(r) => format!("happened {}", event_ref(r)),
        ExprKind::Attr(b, a) => format!("{}.{}", expr(b), a.node),
        ExprKind::Not(x) => format!("not {}", expr(x)),
        ExprKind::Binary(op, l, r) => format!("{} {} {}", expr(l), op.as_str(), expr(r)),
        ExprKind::Paren(x) => format!("({})", expr(x)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(s: &str) -> String {
        format_source(s).unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn keeps_comments_and_is_idempotent() {
        let src = "// head\n\nrole  a   // trailing\n// before b\nevent b by a { x: bool }\n// end\n";
        let once = fmt(src);
        assert_eq!(once, "// head\n\nrole a // trailing\n\n// before b\nevent b by a {\n    x: bool,\n}\n// end\n");
        assert_eq!(fmt(&once), once);
    }

    #[test]
    fn long_text_splits_into_literals_that_join_back() {
        let long = "第七条 ".repeat(30);
        let src = format!("article 7 {{ zh \"{long}\" no_duty \"x\" }}");
        let once = fmt(&src);
        assert!(once.lines().all(|l| l.chars().count() < 100), "{once}");
        assert_eq!(fmt(&once), once);
        let a = syntax::parse_file(FileId(0), &src).unwrap();
        let b = syntax::parse_file(FileId(0), &once).unwrap();
        assert!(a.same_structure(&b));
    }
}
