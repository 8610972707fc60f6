//! Turning pest's errors into our own diagnostics, with rule names rewritten
//! into words a user knows, and the guard that keeps pathological nesting
//! away from the recursive-descent parser.

use super::Rule;
use crate::codes::Code;
use crate::diag::Diagnostic;
use crate::span::{FileId, Span};
use pest::error::{ErrorVariant, InputLocation};

/// Deepest nesting of `(`, `{` the parser accepts.
pub const MAX_NESTING: usize = 256;

/// Calls `each(position, byte)` for every bracket outside strings and `//`
/// comments, before `until`. Every file the fast parser gives up on is
/// scanned before pest parses it (and a file with a syntax error again, up
/// to the error, to explain it), so this jumps from one byte that matters to the next
/// rather than stepping through each.
fn scan_brackets(text: &str, until: usize, mut each: impl FnMut(usize, u8) -> bool) {
    let bytes = text.as_bytes();
    let next =
        |from: usize, wanted: fn(&u8) -> bool| bytes.get(from..).and_then(|rest| rest.iter().position(wanted)).map(|k| from + k);
    let mut i = 0usize;
    while i < until {
        let Some(at) = next(i, |b| matches!(b, b'"' | b'/' | b'(' | b'{' | b')' | b'}')) else { break };
        if at >= until {
            break;
        }
        i = at + 1;
        match bytes.get(at) {
            Some(b'"') => {
                // To the closing quote, stepping over escapes.
                loop {
                    let Some(q) = next(i, |b| matches!(b, b'"' | b'\\')) else { return };
                    if bytes.get(q) == Some(&b'"') {
                        i = q + 1;
                        break;
                    }
                    i = q + 2;
                }
            }
            Some(b'/') if bytes.get(at + 1) == Some(&b'/') => i = next(at, |b| *b == b'\n').map_or(bytes.len(), |n| n + 1),
            Some(&b) if matches!(b, b'(' | b'{' | b')' | b'}') && !each(at, b) => return,
            _ => {}
        }
    }
}

/// Rejects text nested deeper than [`MAX_NESTING`] before pest sees it, so
/// that 10,000 open parentheses give a diagnostic instead of a stack overflow.
pub fn check_nesting(file: FileId, text: &str) -> Result<(), Diagnostic> {
    let mut depth = 0usize;
    let mut too_deep = None;
    scan_brackets(text, text.len(), |i, b| {
        if b == b'(' || b == b'{' {
            depth += 1;
            if depth > MAX_NESTING {
                too_deep = Some(i);
                return false;
            }
        } else {
            depth = depth.saturating_sub(1);
        }
        true
    });
    match too_deep {
        Some(i) => Err(Diagnostic::new(Code::TooDeep, format!("nesting deeper than {MAX_NESTING} levels"))
            .primary(Span::new(file, i, i + 1), "this bracket is too deep")
            .help("flatten the expression; real policies nest a few levels at most")),
        None => Ok(()),
    }
}

/// What a user would call the thing a rule matches.
fn describe(rule: Rule) -> Option<&'static str> {
    use Rule::*;
    Some(match rule {
        EOI => "end of file",
        ident => "a name",
        instrument_id => "an instrument id such as `cn/provisions-2021`",
        string | string_body | text => "a quoted string",
        int => "a whole number",
        number => "a number",
        date => "a date (YYYY-MM-DD)",
        quantity => "an amount with a unit, such as `2 days`",
        use_decl => "`use`",
        instrument => "`instrument`",
        article => "`article`",
        duty => "`duty`",
        penalty => "`penalty`",
        role => "`role`",
        event => "`event`",
        fact => "`fact`",
        enum_decl => "`enum`",
        unit_decl => "`unit`",
        calendar => "`calendar`",
        doc_line | docs => "a `///` doc comment",
        title => "`title`",
        issued_by => "`issued_by`",
        doc_number => "`number`",
        status => "`status`",
        status_draft => "`draft`",
        status_in_force => "`in_force`",
        calendar_ref => "`calendar`",
        excerpt => "`excerpt`",
        lang => "`zh` or `en`",
        text_clause => "article text (`zh \"…\"` or `en \"…\"`)",
        missing => "`missing`",
        no_duty => "`no_duty`",
        paragraph => "`para`",
        item_decl => "`item`",
        citation => "a citation such as `art 7(1)(2)`",
        cite_clause => "`cite`",
        rule_clause => "a rule line (`BEARER must EVENT`)",
        modality => "`must`, `must not`, `may` or `encouraged`",
        must_not => "`must not`",
        must => "`must`",
        may => "`may`",
        encouraged => "`encouraged`",
        deadline_clause => "a deadline (`within 2 days after EVENT`, `immediately`, `before EVENT`…)",
        within => "`within`",
        vague => "`immediately`, `promptly` or `timely`",
        prior => "`N unit before EVENT`",
        before => "`before`",
        with_event => "`with`",
        retention => "`for at least`",
        trigger => "`after EVENT`",
        when_clause => "`when`",
        unless_clause => "`unless`",
        penalty_ref => "`penalty`",
        event_ref => "an event",
        by_role => "`by ROLE`",
        where_filter => "`where`",
        measures => "`measures`",
        fine => "`fine`",
        fields => "`{` and fields",
        field => "a field (`name: type`)",
        variant => "an enum value",
        unit_kind => "`duration UNIT` or `currency`",
        zone => "`zone`",
        period_rule => "`rule`",
        weekend => "`weekend`",
        covers => "`covers`",
        cal_year => "`year`",
        rest_days => "`rest`",
        work_days => "`work`",
        date_span => "a date or date range",
        expr => "a condition",
        op_or | op_and | op_eq | op_ne | op_le | op_ge | op_lt | op_gt | op_in => "an operator",
        op_not => "`not`",
        op_dot => "`.` and an attribute",
        paren => "`(`",
        set => "a set `{a, b}`",
        bool => "`true` or `false`",
        occurred => "`happened EVENT`",
        keyword => return None,
        _ => return None,
    })
}

const ITEM_KEYWORDS: &[&str] =
    &["use", "instrument", "article", "duty", "penalty", "role", "event", "fact", "enum", "unit", "calendar"];
/// The words of the grammar's `keyword` rule, in its order.
pub(super) const RESERVED: &[&str] = &[
    "after",
    "and",
    "before",
    "by",
    "cite",
    "encouraged",
    "false",
    "for",
    "happened",
    "immediately",
    "in",
    "may",
    "must",
    "not",
    "or",
    "penalty",
    "promptly",
    "timely",
    "true",
    "unless",
    "when",
    "where",
    "with",
    "within",
];

/// The word (letters, digits, `_`) starting at `at`.
fn word_at(text: &str, at: usize) -> &str {
    let rest = text.get(at..).unwrap_or("");
    let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
    rest.get(..end).unwrap_or("")
}

/// Brackets opened before `at` and not closed, innermost last.
fn open_brackets(text: &str, at: usize) -> Vec<(usize, u8)> {
    let mut stack = Vec::new();
    scan_brackets(text, at, |i, b| {
        if b == b'(' || b == b'{' {
            stack.push((i, b));
        } else {
            stack.pop();
        }
        true
    });
    stack
}

/// Makes a pest error say what a user would: a misspelled keyword, a
/// bracket left open, a string never closed, a reserved word used as a name.
pub(crate) fn explain_pest(file: FileId, err: &pest::error::Error<Rule>, text: &str, base: usize) -> Diagnostic {
    let mut d = from_pest(file, err, base);
    let at = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let positives: Vec<Rule> = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => positives.clone(),
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    let word = word_at(text, at);
    // The word at the error, or one character; at the very end of the file
    // (a file cut off), no width rather than a character past the end.
    let here = Span::new(file, base + at, base + (at + word.len().max(1)).min(text.len()).max(at));
    let open = open_brackets(text, at);
    if text.get(at..).is_some_and(|r| r.starts_with('"')) && text.get(at + 1..).is_some_and(|r| !r.contains('"')) {
        return Diagnostic::new(Code::Syntax, "unterminated string")
            .primary(Span::new(file, base + at, base + at + 1), "this string is never closed")
            .help("add the closing `\"`");
    }
    // The last line before the error, passing over plain comments (`//`, not
    // `///`): doc lines followed only by comments still document nothing.
    let mut before = text.get(..at).unwrap_or("").trim_end();
    let mut last_line_start = before.rfind('\n').map_or(0, |i| i + 1);
    while last_line_start > 0
        && before.get(last_line_start..).is_some_and(|l| {
            let l = l.trim_start();
            l.starts_with("//") && !l.starts_with("///")
        })
    {
        before = before.get(..last_line_start).unwrap_or("").trim_end();
        last_line_start = before.rfind('\n').map_or(0, |i| i + 1);
    }
    let after_doc = before.get(last_line_start..).is_some_and(|l| l.trim_start().starts_with("///"));
    if open.is_empty() && after_doc && !ITEM_KEYWORDS.contains(&word) {
        return Diagnostic::new(Code::Syntax, "doc comment documents nothing")
            .primary(Span::new(file, base + last_line_start, base + before.len()), "no declaration follows this")
            .help("put `///` lines right before a declaration, or use `//` for a comment");
    }
    let top_level =
        positives.is_empty() || positives.iter().all(|r| matches!(r, Rule::docs | Rule::doc_line | Rule::EOI | Rule::file));
    if open.is_empty() && top_level && !ITEM_KEYWORDS.contains(&word) {
        let mut x = Diagnostic::new(Code::Syntax, "expected a declaration").primary(here, "not a declaration");
        x = match crate::diag::did_you_mean(word, ITEM_KEYWORDS.iter().copied()) {
            Some(s) if !word.is_empty() => x.help(format!("did you mean `{s}`?")),
            _ => x.help(format!(
                "a file holds declarations: {}",
                ITEM_KEYWORDS.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
            )),
        };
        return x;
    }
    // A declaration keyword where the declaration as a whole did not parse:
    // pest backs off to its start; show the form it should have.
    if open.is_empty() && top_level && word == "fact" {
        if let Some(d) = fact_without_colon(file, text, at, base) {
            return d;
        }
    }
    if open.is_empty() && top_level && ITEM_KEYWORDS.contains(&word) {
        let form = match word {
            "use" => "use ID                      (e.g. `use cn/csl-2016`)",
            "instrument" => "instrument ID { title en \"…\"  status …  calendar NAME }",
            "article" => "article N { zh \"…\"  en \"…\"  [no_duty \"why\"]  [para N { … }] }",
            "duty" => "duty NAME { cite art N  BEARER must EVENT  [within N unit after EVENT] … }",
            "penalty" => "penalty NAME { cite art N  [measures A, B]  [fine entity N CNY to N CNY] }",
            "role" => "role NAME [{ attr: type, … }]",
            "event" => "event NAME [by ROLE, …] [{ field: type, … }]",
            "fact" => "fact NAME: TYPE",
            "enum" => "enum NAME { value, value, … }",
            "unit" => "unit NAME[, NAME]: duration BASE   or   unit NAME: currency",
            _ => "calendar NAME { zone \"…\"  rule RULE  weekend sat, sun  covers Y..Y  year Y { rest …  work … } }",
        };
        return Diagnostic::new(Code::Syntax, format!("this `{word}` declaration is malformed"))
            .primary(here, format!("`{word}` starts here"))
            .help(format!("the form is: {form}"));
    }
    // `zh`/`en` text after `no_duty`: the article's texts come first.
    if matches!(word, "zh" | "en") && previous_clause_is(text, at, "no_duty") {
        return Diagnostic::new(Code::Syntax, "an article's text comes before its `no_duty` line")
            .primary(here, "text after `no_duty`")
            .help(format!("move the `{word} \"…\"` lines above `no_duty \"…\"`"));
    }
    // A `(` at the error whose `)` never comes on its line.
    if text.get(at..).is_some_and(|r| r.starts_with('(')) {
        let line = text.get(at..).unwrap_or("").split('\n').next().unwrap_or("");
        let mut depth = 0i32;
        for c in line.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
        }
        if depth > 0 {
            let end = base + at + line.trim_end().len();
            return Diagnostic::new(Code::Syntax, "expected `)`: this `(` is never closed")
                .primary(Span::new(file, end, end), "`)` expected by here")
                .secondary(Span::new(file, base + at, base + at + 1), "opened here")
                .help("add the missing `)`");
        }
    }
    // `within 2 after…`: a number where a period or an amount begins, with
    // no unit after it (on the same line).
    let line_before = text.get(..at).unwrap_or("").rsplit('\n').next().unwrap_or("").trim_end();
    let after_number = line_before.ends_with(|c: char| c.is_ascii_digit()) && {
        let without_number = line_before.trim_end_matches(|c: char| c.is_ascii_digit() || c == '_');
        let word = without_number.trim_end().rsplit(' ').next().unwrap_or("");
        without_number.ends_with(' ')
            && matches!(
                word,
                "" | "within" | "least" | "to" | "entity" | "person_in_charge" | "other_responsible_person" | "individual"
            )
    };
    if after_number && (positives.contains(&Rule::ident) || positives.contains(&Rule::quantity)) {
        return Diagnostic::new(Code::Syntax, "expected a unit after the number")
            .primary(here, "a unit is needed before this")
            .help("write the unit: `2 days`, `24 hours`, `5 working_days`, `100_000 CNY`");
    }
    // `when level > 3 product_provider must aware`: a number then a name on
    // one line is an amount with its unit, so the next clause was swallowed.
    if let Some((q_start, q_text)) = number_then_name_before(text, at) {
        let in_condition = positives.iter().any(|r| matches!(r, Rule::op_or | Rule::op_and | Rule::op_dot | Rule::ident));
        if in_condition {
            return Diagnostic::new(Code::Syntax, format!("`{q_text}` is read as an amount with its unit"))
                .primary(here, "so the condition was expected to go on here")
                .secondary(Span::new(file, base + q_start, base + q_start + q_text.len()), "read as a quantity")
                .help("a condition that ends in a bare number must end its line: put the next clause on a line of its own");
        }
    }
    if positives.contains(&Rule::ident) && RESERVED.contains(&word) {
        return Diagnostic::new(Code::Syntax, format!("`{word}` is a reserved word"))
            .primary(here, "a name is expected here")
            .help("reserved words cannot be used as names; pick another name");
    }
    if let Some(&(pos, b)) = open.last() {
        let (opener, closer) = if b == b'(' { ("(", ")") } else { ("{", "}") };
        let at_end = text.get(at..).is_some_and(|r| r.trim().is_empty());
        if b == b'(' || at_end {
            d.message = format!("{}; or a missing `{closer}`", d.message);
            d = d
                .secondary(Span::new(file, base + pos, base + pos + 1), format!("this `{opener}` is not closed"))
                .help(format!("add the missing `{closer}`"));
        }
    }
    d
}

/// `NUMBER NAME` ending right before `at` on the same line, after a
/// comparison: where it starts and its text.
fn number_then_name_before(text: &str, at: usize) -> Option<(usize, &str)> {
    let line_start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let line = text.get(line_start..at)?;
    let trimmed = line.trim_end();
    let name_start = trimmed.rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))? + 1;
    let name = trimmed.get(name_start..)?;
    let before_name = trimmed.get(..name_start)?;
    let num_end = before_name.trim_end().len();
    if num_end == before_name.len() || name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let num_start = before_name.get(..num_end)?.rfind(|c: char| !(c.is_ascii_digit() || c == '_')).map_or(0, |i| i + 1);
    let number = before_name.get(num_start..num_end)?;
    let before_number = before_name.get(..num_start)?.trim_end();
    let after_comparison = ["<", ">", "=", "!"].iter().any(|op| before_number.ends_with(op));
    if number.is_empty() || !number.starts_with(|c: char| c.is_ascii_digit()) || !after_comparison {
        return None;
    }
    Some((line_start + num_start, trimmed.get(num_start..)?))
}

/// `fact NAME TYPE` with the `:` left out: the error belongs between the
/// name and the type.
fn fact_without_colon(file: FileId, text: &str, at: usize, base: usize) -> Option<Diagnostic> {
    let line = text.get(at..)?.split('\n').next()?;
    let code = line.split("//").next().unwrap_or(line);
    if code.contains(':') {
        return None;
    }
    let mut words = code.split_whitespace();
    let (_, name, ty) = (words.next()?, words.next()?, words.next()?);
    if words.next().is_some() {
        return None;
    }
    let name_end = at + code.find(name)? + name.len();
    let ty_start = name_end + code.get(name_end - at..)?.find(ty)?;
    Some(
        Diagnostic::new(Code::Syntax, format!("expected `:` between the fact `{name}` and its type"))
            .primary(Span::new(file, base + name_end, base + ty_start), "`:` expected here")
            .help(format!("write `fact {name}: {ty}`")),
    )
}

/// Whether the clause before `at` (skipping continued string lines) starts
/// with `keyword`.
fn previous_clause_is(text: &str, at: usize, keyword: &str) -> bool {
    let before = text.get(..at).unwrap_or("");
    before
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('"') && !l.starts_with("//"))
        .is_some_and(|l| l.starts_with(keyword))
}

pub(crate) fn from_pest(file: FileId, err: &pest::error::Error<Rule>, base: usize) -> Diagnostic {
    let (start, end) = match err.location {
        InputLocation::Pos(p) => (p, p),
        InputLocation::Span((s, e)) => (s, e),
    };
    let span = Span::new(file, base + start, base + end);
    let (message, label) = match &err.variant {
        ErrorVariant::ParsingError { positives, negatives } => {
            let mut words: Vec<&str> = positives.iter().filter_map(|r| describe(*r)).collect();
            words.sort_unstable();
            words.dedup();
            let unexpected: Vec<&str> = negatives.iter().filter_map(|r| describe(*r)).collect();
            let expected = join_or(&words);
            let msg = if !unexpected.is_empty() {
                format!("unexpected {}", join_or(&unexpected))
            } else if expected.is_empty() {
                "unexpected text".to_string()
            } else {
                format!("expected {expected}")
            };
            let label = if expected.is_empty() { "not expected here".to_string() } else { format!("expected {expected} here") };
            (msg, label)
        }
        ErrorVariant::CustomError { message } => (message.clone(), message.clone()),
    };
    Diagnostic::new(Code::Syntax, message).primary(span, label)
}

fn join_or(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{}, or {}", init.join(", "), last),
    }
}
