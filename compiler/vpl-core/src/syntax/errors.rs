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

/// Rejects text nested deeper than [`MAX_NESTING`] before pest sees it, so
/// that 10,000 open parentheses give a diagnostic instead of a stack overflow.
pub fn check_nesting(file: FileId, text: &str) -> Result<(), Diagnostic> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0usize;
    let mut in_string = false;
    while let Some(&b) = bytes.get(i) {
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'/' if bytes.get(i + 1) == Some(&b'/') => {
                    while bytes.get(i).is_some_and(|&c| c != b'\n') {
                        i += 1;
                    }
                }
                b'(' | b'{' => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Err(Diagnostic::new(Code::TooDeep, format!("nesting deeper than {MAX_NESTING} levels"))
                            .primary(Span::new(file, i, i + 1), "this bracket is too deep")
                            .help("flatten the expression; real policies nest a few levels at most"));
                    }
                }
                b')' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        i += 1;
    }
    Ok(())
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
