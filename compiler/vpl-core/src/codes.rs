//! The stable list of diagnostic codes. Codes are a public contract: never
//! renumber; retire a code by leaving it in place. `vplc explain CODE` prints
//! the long form, and `docs/diagnostics.md` is generated from this table
//! (a test keeps them in step).

use crate::diag::Severity;

macro_rules! codes {
    ($( $variant:ident = $code:literal, $title:literal, $long:literal; )*) => {
        /// A diagnostic code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $( $variant, )* }

        impl Code {
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// `E0101`, `W0001`…
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $code, )* }
            }

            /// One line: what went wrong.
            pub fn title(self) -> &'static str {
                match self { $( Code::$variant => $title, )* }
            }

            /// Several paragraphs: why it is a problem and how to fix it.
            pub fn explanation(self) -> &'static str {
                match self { $( Code::$variant => $long, )* }
            }
        }
    };
}

impl Code {
    pub fn severity(self) -> Severity {
        if self.as_str().starts_with('W') {
            Severity::Warning
        } else {
            Severity::Error
        }
    }

    /// Looks a code up by its text, case-insensitively (`e0101` works).
    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

codes! {
    Syntax = "E0001", "syntax error",
"The text does not follow VPL's grammar at the marked place. The message says what was
expected there, in the words of the language reference (\"a duty clause\", \"a date\").

Example:

    duty report {
      cite art 7(1)(2
    }

The citation is missing its closing parenthesis. Fix the text at the marked place; the
rest of the file is checked again once it parses.";

    TooDeep = "E0002", "nesting too deep",
"Parentheses, braces or sets are nested more deeply than the compiler accepts (256
levels). Real policies never come near this; the limit protects the compiler from
running out of stack on generated or corrupted input. Flatten the expression.";

    NotText = "E0003", "file is not UTF-8 text",
"A `.vpl` file or case file must be UTF-8 text. The marked byte is not valid UTF-8, or
the file holds NUL bytes, which suggests a binary file was given by mistake.";

    BadLiteral = "E0004", "invalid literal",
"A date that does not exist (`2021-02-30`), a number too large to represent, or a
string with an unknown escape. Dates are written `YYYY-MM-DD` and must be real
calendar dates; numbers may use `_` as a separator (`100_000`).";

    UnknownName = "E0101", "unknown name",
"A name is used that no declaration in this file, an imported instrument or the stdlib
defines. The help line suggests the closest known name when there is one.

    duty verify {
      product_provder must verified immediately after aware
    }

Here `product_provder` is a misspelling of the role `product_provider`.";

    Duplicate = "E0102", "duplicate definition",
"Two declarations share a name in one namespace (roles, events, facts, enums, units,
penalties, calendars and duties share one namespace per compilation, stdlib
included). Both places are shown, even when one is in the stdlib. Rename one of them.";

    UnknownType = "E0103", "unknown type",
"A field or fact names a type that does not exist. The built-in types are `bool`,
`int`, `text`, `date`, `duration` and `money`; any `enum` declared in scope is a type too.";

    UnknownUnit = "E0104", "unknown unit",
"A quantity uses a unit that no `unit` declaration defines. Durations use the stdlib's
units (`hours`, `days`, `working_days`, `weeks`, `months`, `years`, and their
singulars); money uses a currency unit such as `CNY`.";

    UnknownInstrument = "E0105", "unknown instrument or import",
"A `use` names an instrument that is neither bundled with vplc nor a file next to
this one, or imports form a cycle. `vplc table --list` shows the bundled ids.";

    UnknownField = "E0106", "unknown attribute",
"An attribute is read that the role or event does not declare, for example
`reported where channel == media` when `reported` has no `channel` field. The help
line lists the fields that exist.";

    NotARole = "E0107", "not a role",
"A duty's bearer, an event's `by` list or a `by ROLE` filter must name a role. The
name was found, but it is an event, fact or other kind of declaration.";

    NotAnEvent = "E0108", "not an event",
"A duty's action and trigger, `before`/`with` windows and `happened` tests must name
an event. The name was found, but it is a role, fact or other declaration.";

    NotAPenalty = "E0109", "not a penalty",
"A duty's `penalty` clause must name a `penalty` declaration (usually in an imported
instrument, such as the Cybersecurity Law's liability articles).";

    TypeMismatch = "E0201", "type mismatch",
"The two sides of a comparison have different types, or a value of the wrong type is
given, e.g. `offering == true` where `offering` is an enum. Compare like with like.";

    NotBool = "E0202", "condition is not true or false",
"A `when`, `unless` or `where` condition, or an operand of `and`/`or`/`not`, must be
a yes/no value: a `bool` fact or attribute, a comparison, a `happened` test.";

    NotOrdered = "E0203", "values cannot be ordered",
"`<`, `<=`, `>` and `>=` apply to numbers, dates, durations and money only. Enum
values and booleans have no order; use `==`, `!=` or `in`.";

    NotAVariant = "E0204", "not a value of this enum",
"A name compared with an enum-typed value is not one of that enum's variants. The
help line suggests the closest variant.";

    BadPeriod = "E0301", "period must be positive",
"A deadline or retention period of zero or a negative amount means nothing in law.
Write at least `1`. (To require action at the same time as an event, use `with EVENT`;
for an open-textured deadline use `immediately`, `promptly` or `timely`.)";

    WrongUnitKind = "E0302", "wrong kind of unit",
"A money amount is used where a duration belongs (`within 5 CNY`), or a duration where
money belongs (`fine entity 5 days to 10 days`).";

    BadRange = "E0303", "fine range is inverted or mixes currencies",
"The lower end of a fine range is above the upper end, or the two ends use different
currencies.";

    UnknownArticle = "E0401", "citation names an article the instrument does not declare",
"A duty or penalty cites an article, paragraph or item that has no `article` /
`para` / `item` declaration in this instrument. Declare the article with its text,
or fix the citation.";

    ArticleNotCovered = "E0402", "article is neither encoded nor marked as carrying no duty",
"Every article of an instrument must either be cited by at least one duty or penalty,
or say `no_duty \"why\"` (purpose, scope, entry into force…). This keeps the question
\"which articles are covered\" answerable by the compiler. Instruments that encode
only some articles of a long law declare `excerpt \"why\"` and list only those.";

    NoDutyButCited = "E0403", "article marked as carrying no duty is cited",
"An article says `no_duty` but a duty or penalty cites it. Remove the `no_duty` line
or fix the citation.";

    DuplicateArticle = "E0404", "article, paragraph or item declared twice",
"Article, paragraph and item numbers must be unique within their parent.";

    EventNotByBearer = "E0501", "event cannot be done by the bearer",
"The event's declaration lists the roles that can do it (`event platform_filed by
collector`), and the duty's bearer is not among them. Either the duty names the wrong
bearer, or the event declaration is too narrow.";

    DeadlineModality = "E0502", "deadline form does not fit the modality",
"`must` takes any deadline form; `must not` takes a window (`before EVENT`) or none;
`may` and `encouraged` take a trigger at most. For example `must not published within
2 days` has no meaning: a prohibition is broken by doing, not by being late.";

    MissingClause = "E0503", "duty is missing a required clause",
"A duty needs a `cite` clause and a rule line (`BEARER must|must not|may|encouraged
EVENT`); a period (`within N unit`, `immediately`…) needs the event it runs from
(`after EVENT`). A penalty needs a `cite` clause and at least one `measures` or `fine`.";

    RepeatedClause = "E0504", "clause given twice",
"A duty has at most one `cite`, one rule line, one deadline clause and one `when`
condition (join conditions with `and`); `unless` and `penalty` may repeat. An
instrument header has one `status`, `calendar`, `number`, `excerpt` and one title per
language; a calendar one `zone`, `rule`, `weekend` and `covers`; a penalty one `cite`.
A second one would silently replace the first, so it is an error.";

    NoInstrument = "E0505", "articles or duties without an instrument",
"A file that declares articles, duties or penalties must declare exactly one
`instrument` they belong to.";

    TwoInstruments = "E0506", "more than one instrument in a file",
"One `.vpl` file holds one version of one legal text. Put each instrument in its own
file and `use` one from the other.";

    TooComplex = "E0507", "condition too complex",
"A condition expands to more than 256 alternatives in the decision table (one row per
alternative). Split the duty or simplify the condition.";

    BadReplacement = "E0508", "penalty replaces one it cannot",
"`replaces OLD` says a penalty is the later version of `OLD`, as when a law is amended
and its liability articles renumbered. `OLD` must belong to another instrument, both
instruments must be in force (a draft has no date from which it would replace
anything), and the replacing one must take effect later. A breach is then fined under
the version in force on the day it happened.";

    BadCalendar = "E0601", "invalid calendar",
"A calendar has an unknown time zone or period rule, a weekday that is not `mon`…`sun`,
a day listed both as rest and as work, a day outside its `year` block, or a year
outside `covers`.";

    UnknownCalendar = "E0602", "unknown or missing calendar",
"An instrument must name the calendar its periods are computed with (`calendar cn`),
and that calendar must be declared in the stdlib or the file.";

    BadInstrument = "E0603", "invalid instrument header",
"An instrument needs a Chinese or English title and a status (`status draft published
DATE` or `status in_force issued DATE effective DATE`), and the dates must be in order.";

    CaseSyntax = "E0701", "case file is not valid JSON",
"A case file must be JSON (a `.json` file holds one case; a `.jsonl` file holds one case
per line). The marked place is where the JSON parser gave up. Comments and trailing
commas are not JSON.";

    CaseUnknownField = "E0702", "unknown field in a case file",
"A case, actor, event or expectation has a field the case format does not define. The
fields are listed in `vplc schema case`. A misspelled field is never ignored, because an
ignored `at` or `actor` would silently change a verdict.";

    CaseMissingField = "E0703", "required field missing in a case file",
"Every case needs `id`, `actors` and `events`; every actor an `id` and `roles`; every
event a `type`, an `actor` and an `at` time.";

    CaseType = "E0704", "wrong type of value in a case file",
"A field holds a value of the wrong JSON type: a number where a string belongs, a string
where `true`/`false` belongs, an object where a list belongs…";

    CaseUnknownRole = "E0705", "unknown role in a case file",
"An actor lists a role that the policies' vocabulary does not declare. The help line
suggests the closest role; `vplc schema case` and docs/vocabulary.md list them.";

    CaseUnknownEvent = "E0706", "unknown event type in a case file",
"An event's `type` is not an event of the policies' vocabulary (`aware`, `verified`,
`reported`, `remedied`, `published`…).";

    CaseUnknownActor = "E0707", "event by an unknown actor",
"An event's `actor` must be the `id` of one of the case's `actors`.";

    CaseBadTime = "E0708", "invalid time in a case file",
"Times are RFC 3339 with an offset (`2021-11-24T10:00:00+08:00`) or a date alone
(`2021-11-24`, a whole day). A time without an offset is refused unless `--tz ZONE`
says which zone it is in; a date that does not exist (`2021-02-29`) is refused.";

    CaseBadAttr = "E0709", "unknown or ill-typed attribute in a case file",
"An actor's `attrs`, an event's `attrs` or the case's `facts` name something the
vocabulary does not declare for it, or give it a value of the wrong type (an enum value
that does not exist, a string for a `bool`).";

    CaseDuplicate = "E0710", "duplicate id in a case file",
"Two actors share an `id`, or two cases in one batch share an `id`.";

    CaseBadExpect = "E0711", "invalid expectation in a case file",
"`expect` maps an instrument id to an object that maps a duty id or citation (`art 7(1)(2)`,
optionally `@actor`) to a status: met, late, missed, pending, breached, undetermined,
exempt, permitted, encouraged, not_applicable.";

    CaseEventRole = "E0712", "event done by an actor who cannot do it",
"The vocabulary says which roles can do some events (`event upstream_notified by
product_provider`), and the event's actor holds none of them. Either the actor's `roles`
are incomplete, or the event is attributed to the wrong actor.";

    Unused = "W0001", "unused declaration",
"A role, event, fact, enum, unit, calendar or import declared in this file is never used,
or an instrument is imported twice. Remove it or use it. Stdlib declarations are never
reported, and neither are penalties: an instrument declares its penalties for the
instruments that import it.";

    NeverHolds = "W0002", "condition can never hold",
"Every alternative of this condition contradicts itself (`offering == product and
offering == service`, `x and not x`), so the duty can never apply.";

    ConflictingRows = "W0003", "overlapping rows with conflicting deadlines",
"Two duties bind the same bearer to the same action after the same trigger, their
conditions can hold together, and their deadlines differ. A case where both apply
gets two verdicts. Make the conditions exclusive, or merge the duties.";

    NoText = "W0004", "article has no text",
"An article has neither Chinese nor English text, nor a `missing` note saying why.
Lawyers read the text beside the duties: add it, or say `zh missing \"why\"`.";

    FilterRunsOn = "W0005", "part of a `where` filter reads nothing of its event",
"A `where` filter has no closing bracket: it runs to the end of the condition (or, on a
duty's rule line, to the next clause), `and` and `or` included. Here one side of a
top-level `and`/`or` of the filter reads no field of the filtered event (a fact, an
attribute of the bearer, another `happened`), so it was probably meant outside the filter:
`happened published where includes_remedy or users_must_act` tests
`includes_remedy or users_must_act` on each publication. To end the filter, put the
`happened` test in parentheses, or on the rule line move the test to `when`; if it does
belong to the filter, put the filter in parentheses: `where (…)`. A filter that reads
no field of its event at all (`after aware where users_must_act`) tests the same thing on
every event: it is reported once, with or without parentheses; such a test belongs in
`when`, or beside the `happened` test (`happened aware and users_must_act`).";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.as_str()), "duplicate {}", c.as_str());
            let s = c.as_str();
            assert_eq!(s.len(), 5);
            assert!(s.starts_with('E') || s.starts_with('W'));
            assert!(!c.explanation().is_empty());
        }
        assert_eq!(Code::parse("e0101"), Some(Code::UnknownName));
    }
}
