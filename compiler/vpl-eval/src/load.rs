//! Reading case files. JSON is parsed into a tree that keeps byte ranges
//! (jsonc-parser, in strict JSON mode), then every field is checked against
//! the case format and the policies' vocabulary. Every problem becomes a
//! diagnostic at the exact place in the file; all problems of a case are
//! reported together.

use crate::case::*;
use crate::finding::Status;
use crate::program::to_u32;
use jsonc_parser::ast::{Object, ObjectProp, Value};
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions};
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use vpl_core::diag::{did_you_mean, Diagnostic};
use vpl_core::table::model::Vocabulary;
use vpl_core::{Code, FileId, Span};
use vpl_time::When;

/// The vocabulary a case is validated against, indexed.
#[derive(Debug, Default, Clone)]
pub struct Vocab {
    roles: BTreeMap<String, BTreeMap<String, String>>,
    events: BTreeMap<String, BTreeMap<String, String>>,
    /// Roles that can do each event (empty: anyone).
    event_by: BTreeMap<String, Vec<String>>,
    facts: BTreeMap<String, String>,
    enums: HashMap<String, Vec<String>>,
    /// The same declarations hashed, for the fast path, which looks up every
    /// event's type and every attribute (the sorted maps above list names in
    /// order for help texts), each with its number.
    hashed: Hashed,
    /// The names as numbers, which loaded cases carry (`Case::numbers`).
    numbering: Arc<Numbering>,
}

/// A declared name's type and number.
type Typed = (String, u32);

/// Declarations by name (the fields of an event type, the attributes of a role).
type Decls = FxHashMap<String, Typed>;

#[derive(Debug, Default, Clone)]
struct Hashed {
    /// Each role's number and attributes.
    roles: FxHashMap<String, (u32, Decls)>,
    /// Each event type's number, fields, and the roles that can do it (empty: anyone).
    events: FxHashMap<String, (u32, Decls, Vec<String>)>,
    facts: FxHashMap<String, Typed>,
    /// Each enum's first value's number, and its values.
    enums: FxHashMap<String, (u32, Vec<String>)>,
}

/// Distinct ids of vocabularies (0 is none).
static NEXT_VOCAB: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl Vocab {
    /// The union of several policies' vocabularies (all share the stdlib).
    pub fn new<'a>(vocabularies: impl IntoIterator<Item = &'a Vocabulary>) -> Vocab {
        let mut v = Vocab::default();
        for voc in vocabularies {
            for r in &voc.roles {
                let e = v.roles.entry(r.name.clone()).or_default();
                e.extend(r.attrs.iter().map(|a| (a.name.clone(), a.r#type.clone())));
            }
            for ev in &voc.events {
                let e = v.events.entry(ev.name.clone()).or_default();
                e.extend(ev.fields.iter().map(|a| (a.name.clone(), a.r#type.clone())));
                v.event_by.insert(ev.name.clone(), ev.by.clone());
            }
            v.facts.extend(voc.facts.iter().map(|f| (f.name.clone(), f.r#type.clone())));
            v.enums.extend(voc.enums.iter().map(|e| (e.name.clone(), e.variants.clone())));
        }
        // Numbers: each list sorted, a name's number its place in it.
        let attrs: std::collections::BTreeSet<&String> =
            v.roles.values().chain(v.events.values()).flat_map(|m| m.keys()).collect();
        let mut enums: Vec<(&String, &Vec<String>)> = v.enums.iter().collect();
        enums.sort();
        let numbering = Numbering {
            id: NEXT_VOCAB.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            kinds: v.events.keys().cloned().collect(),
            roles: v.roles.keys().cloned().collect(),
            attrs: attrs.iter().map(|a| (*a).clone()).collect(),
            facts: v.facts.keys().cloned().collect(),
            enum_values: enums.iter().flat_map(|(_, values)| values.iter().cloned()).collect(),
        };
        let number = |list: &[String], name: &str| list.binary_search_by(|x| x.as_str().cmp(name)).map_or(u32::MAX, to_u32);
        let hash = |m: &BTreeMap<String, String>, list: &[String]| {
            m.iter().map(|(k, t)| (k.clone(), (t.clone(), number(list, k)))).collect()
        };
        let mut hashed_enums = FxHashMap::default();
        let mut base = 0;
        for (name, values) in &enums {
            hashed_enums.insert((*name).clone(), (base, (*values).clone()));
            base += to_u32(values.len());
        }
        v.hashed = Hashed {
            roles: v
                .roles
                .iter()
                .map(|(r, attrs)| (r.clone(), (number(&numbering.roles, r), hash(attrs, &numbering.attrs))))
                .collect(),
            events: v
                .events
                .iter()
                .map(|(e, fields)| {
                    let by = v.event_by.get(e).cloned().unwrap_or_default();
                    (e.clone(), (number(&numbering.kinds, e), hash(fields, &numbering.attrs), by))
                })
                .collect(),
            facts: hash(&v.facts, &numbering.facts),
            enums: hashed_enums,
        };
        v.numbering = Arc::new(numbering);
        Numbering::register(&v.numbering);
        v
    }

    /// The numbers of a case this vocabulary validated (the spanned loader's
    /// way; the fast loader finds them as it reads).
    fn numbers(&self, case: &Case) -> Numbers {
        let h = &self.hashed;
        let mut n = Numbers { vocab: self.numbering.id, ..Numbers::default() };
        self.run(&mut n, &case.facts, |k| h.facts.get(k));
        for a in &case.actors {
            let decl = |k: &str| a.roles.iter().rev().find_map(|r| h.roles.get(r).and_then(|(_, m)| m.get(k)));
            self.run(&mut n, &a.attrs, decl);
            self.run(&mut n, &a.facts, |k| h.facts.get(k));
            n.ids.extend(a.roles.iter().filter_map(|r| h.roles.get(r).map(|(no, _)| *no)));
            n.ends.push(to_u32(n.ids.len()));
        }
        for e in &case.events {
            let (kind, fields) = h.events.get(&e.kind).map_or((u32::MAX, None), |(no, f, _)| (*no, Some(f)));
            n.ids.push(kind);
            self.run(&mut n, &e.attrs, |k| fields.and_then(|f| f.get(k)));
        }
        n
    }

    /// One run of `(name number, value)` pairs onto `n`, sorted by number
    /// (the maps are sorted by name, and so are the lists that number them:
    /// this only makes sure of it).
    fn run<'a>(&'a self, n: &mut Numbers, m: &BTreeMap<String, Val>, decl: impl Fn(&str) -> Option<&'a Typed>) {
        let from = n.vals.len();
        for (k, v) in m {
            if let Some((ty, no)) = decl(k) {
                n.vals.push((*no, self.num_val(ty, v)));
            }
        }
        if let Some(r) = n.vals.get_mut(from..) {
            r.sort_by_key(|&(k, _)| k);
        }
        n.ends.push(to_u32(n.vals.len()));
    }

    /// A value of type `ty` as numbers.
    fn num_val(&self, ty: &str, v: &Val) -> NumVal {
        match v {
            Val::Bool(b) => NumVal::Bool(*b),
            Val::Int(i) => NumVal::Int(*i),
            Val::Date(d) => NumVal::Date(*d),
            Val::Text(_) => NumVal::Text,
            Val::Enum(e) => NumVal::Enum(self.enum_number(ty, e)),
        }
    }

    /// The number of value `value` of enum `ty` (`u32::MAX`: none).
    fn enum_number(&self, ty: &str, value: &str) -> u32 {
        match self.hashed.enums.get(ty) {
            Some((base, values)) => values.iter().position(|x| x == value).map_or(u32::MAX, |i| base + to_u32(i)),
            None => u32::MAX,
        }
    }
}

/// How to read times that have no offset.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// `--tz ZONE`: local times without an offset are in this zone.
    pub tz: Option<chrono_tz::Tz>,
}

struct Loader<'a> {
    file: FileId,
    base: usize,
    vocab: &'a Vocab,
    opts: LoadOptions,
    errors: Vec<Diagnostic>,
}

/// Parses and validates one case. `base` is the byte offset of `text` in
/// the file (for a line of a JSON Lines file), so spans point into the file.
pub fn load_case(file: FileId, base: usize, text: &str, vocab: &Vocab, opts: LoadOptions) -> Result<Case, Vec<Diagnostic>> {
    // Well-formed cases take the fast path; a case it does not accept is
    // read again by the spanned loader below, which says exactly what is wrong.
    if let Some(case) = fast::load(text, vocab, opts) {
        return Ok(case);
    }
    load_case_spanned(file, base, text, vocab, opts)
}

/// [`load_case`] without its fast path: every case goes through the tree
/// with byte ranges. The result is the same, only slower; tests compare them.
pub fn load_case_spanned(
    file: FileId,
    base: usize,
    text: &str,
    vocab: &Vocab,
    opts: LoadOptions,
) -> Result<Case, Vec<Diagnostic>> {
    let parse_opts = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        ..ParseOptions::default()
    };
    let collect = CollectOptions { comments: CommentCollectionStrategy::Off, tokens: false };
    // A byte order mark is not JSON, but editors write it; skip it.
    let (text, base) = match text.strip_prefix('\u{FEFF}') {
        Some(rest) => (rest, base + '\u{FEFF}'.len_utf8()),
        None => (text, base),
    };
    let mut l = Loader { file, base, vocab, opts, errors: Vec::new() };
    let parsed = match jsonc_parser::parse_to_ast(text, &collect, &parse_opts) {
        Ok(p) => p,
        Err(e) => {
            // At least one character wide, but never past the end: an error at
            // the very end (a file cut off) is marked there, with no width.
            let r = e.range();
            let end = r.end.max(r.start + 1).min(text.len());
            let d = Diagnostic::new(Code::CaseSyntax, format!("invalid JSON: {}", e.kind()))
                .primary(l.span(r.start.min(end), end), "here")
                .help("case files are strict JSON: no comments, no trailing commas, keys in double quotes");
            return Err(vec![d]);
        }
    };
    let Some(root) = parsed.value else {
        let d = Diagnostic::new(Code::CaseSyntax, "empty case file")
            .primary(l.span(0, 0), "no JSON value")
            .help("a case is a JSON object with `id`, `actors` and `events`");
        return Err(vec![d]);
    };
    let case = l.case(&root);
    match case {
        Some(mut c) if l.errors.is_empty() => {
            c.numbers = vocab.numbers(&c);
            Ok(c)
        }
        _ => Err(l.errors),
    }
}

const CASE_FIELDS: &[&str] = &["id", "title", "description", "sources", "as_of", "facts", "actors", "events", "expect"];
const ACTOR_FIELDS: &[&str] = &["id", "name", "roles", "attrs", "facts"];
const EVENT_FIELDS: &[&str] = &["type", "actor", "at", "attrs", "note"];

fn range(v: &Value) -> (usize, usize) {
    let r = jsonc_parser::common::Ranged::range(v);
    (r.start, r.end)
}

fn prop_name_range(p: &ObjectProp) -> (usize, usize) {
    let r = jsonc_parser::common::Ranged::range(&p.name);
    (r.start, r.end)
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::StringLit(_) => "a string",
        Value::NumberLit(_) => "a number",
        Value::BooleanLit(_) => "a boolean (true or false)",
        Value::Object(_) => "an object",
        Value::Array(_) => "a list",
        Value::NullKeyword(_) => "null",
    }
}

impl<'a> Loader<'a> {
    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, self.base + start, self.base + end)
    }

    fn at(&self, v: &Value) -> Span {
        let (s, e) = range(v);
        self.span(s, e)
    }

    fn err(&mut self, d: Diagnostic) {
        self.errors.push(d);
    }

    fn wrong_type(&mut self, v: &Value, what: &str, expected: &str) {
        let d = Diagnostic::new(Code::CaseType, format!("{what} must be {expected}"))
            .primary(self.at(v), format!("this is {}", kind_of(v)));
        self.err(d);
    }

    /// The object's properties, after reporting unknown and repeated fields.
    fn fields<'v>(&mut self, obj: &'v Object<'v>, allowed: &[&str], what: &str) -> BTreeMap<String, &'v Value<'v>> {
        let mut out = BTreeMap::new();
        for p in &obj.properties {
            let name = p.name.as_str().to_string();
            let (s, e) = prop_name_range(p);
            if !allowed.contains(&name.as_str()) {
                let mut d = Diagnostic::new(Code::CaseUnknownField, format!("unknown field `{name}` in {what}"))
                    .primary(self.span(s, e), "not a field of the case format");
                d = match did_you_mean(&name, allowed.iter().copied()) {
                    Some(x) => d.help(format!("did you mean `{x}`?")),
                    None => d.help(format!("the fields of {what} are: {}", allowed.join(", "))),
                };
                self.err(d);
                continue;
            }
            if out.insert(name.clone(), &p.value).is_some() {
                let d = Diagnostic::new(Code::CaseDuplicate, format!("field `{name}` given twice"))
                    .primary(self.span(s, e), "repeated here");
                self.err(d);
            }
        }
        out
    }

    fn required<'v>(
        &mut self,
        fields: &BTreeMap<String, &'v Value<'v>>,
        name: &str,
        obj: &Value,
        what: &str,
    ) -> Option<&'v Value<'v>> {
        let v = fields.get(name).copied();
        if v.is_none() {
            let (s, _) = range(obj);
            let d = Diagnostic::new(Code::CaseMissingField, format!("{what} has no `{name}`"))
                .primary(self.span(s, s + 1), format!("`{name}` is required here"));
            self.err(d);
        }
        v
    }

    fn string(&mut self, v: &Value, what: &str) -> Option<String> {
        match v {
            Value::StringLit(s) => Some(s.value.to_string()),
            _ => {
                self.wrong_type(v, what, "a string");
                None
            }
        }
    }

    fn case(&mut self, root: &Value) -> Option<Case> {
        let Value::Object(obj) = root else {
            self.wrong_type(root, "a case", "a JSON object");
            return None;
        };
        let f = self.fields(obj, CASE_FIELDS, "a case");
        let id = self.required(&f, "id", root, "the case").and_then(|v| self.string(v, "`id`"));
        let title = f.get("title").and_then(|v| self.string(v, "`title`"));
        if let Some(v) = f.get("description") {
            self.string(v, "`description`");
        }
        if let Some(v) = f.get("sources") {
            match v {
                Value::Array(a) => {
                    for s in &a.elements {
                        self.string(s, "each source");
                    }
                }
                other => self.wrong_type(other, "`sources`", "a list of strings"),
            }
        }
        let as_of = f.get("as_of").and_then(|v| self.when(v));
        let facts = match f.get("facts") {
            Some(v) => self.facts(v),
            None => BTreeMap::new(),
        };
        let actors = self.required(&f, "actors", root, "the case").map(|v| self.actors(v)).unwrap_or_default();
        let events = self.required(&f, "events", root, "the case").map(|v| self.events(v, &actors)).unwrap_or_default();
        let expect = f.get("expect").map(|v| self.expect(v)).unwrap_or_default();
        Some(Case { id: id?, title, as_of, facts, actors, events, expect, numbers: Numbers::default() })
    }

    fn facts(&mut self, v: &Value) -> BTreeMap<String, Val> {
        let mut out = BTreeMap::new();
        let Value::Object(obj) = v else {
            self.wrong_type(v, "`facts`", "an object");
            return out;
        };
        for p in &obj.properties {
            let name = p.name.as_str().to_string();
            let (s, e) = prop_name_range(p);
            if out.contains_key(&name) {
                let d = Diagnostic::new(Code::CaseDuplicate, format!("fact `{name}` given twice"))
                    .primary(self.span(s, e), "repeated here")
                    .help("give each fact once");
                self.err(d);
                continue;
            }
            match self.vocab.facts.get(&name).cloned() {
                Some(ty) => {
                    if let Some(val) = self.typed(&p.value, &ty, &format!("fact `{name}`")) {
                        out.insert(name, val);
                    }
                }
                None => {
                    let mut d = Diagnostic::new(Code::CaseBadAttr, format!("unknown fact `{name}`"))
                        .primary(self.span(s, e), "no policy declares this fact");
                    d = match did_you_mean(&name, self.vocab.facts.keys().map(String::as_str)) {
                        Some(x) => d.help(format!("did you mean `{x}`?")),
                        None => d.help(format!("facts: {}", self.vocab.facts.keys().cloned().collect::<Vec<_>>().join(", "))),
                    };
                    self.err(d);
                }
            }
        }
        out
    }

    /// A value of a vocabulary type (`bool`, `int`, `text`, `date`, or an enum).
    fn typed(&mut self, v: &Value, ty: &str, what: &str) -> Option<Val> {
        match (ty, v) {
            ("bool", Value::BooleanLit(b)) => Some(Val::Bool(b.value)),
            ("int", Value::NumberLit(n)) => match n.value.parse::<i64>() {
                Ok(i) => Some(Val::Int(i)),
                Err(_) => {
                    self.wrong_type(v, what, "a whole number");
                    None
                }
            },
            ("text", Value::StringLit(s)) => Some(Val::Text(s.value.to_string())),
            ("date", Value::StringLit(s)) => match s.value.parse::<chrono::NaiveDate>() {
                Ok(d) => Some(Val::Date(d)),
                Err(_) => {
                    let d = Diagnostic::new(Code::CaseBadTime, format!("{what} is not a date"))
                        .primary(self.at(v), "expected YYYY-MM-DD");
                    self.err(d);
                    None
                }
            },
            (enum_name, Value::StringLit(s)) if self.vocab.enums.contains_key(enum_name) => {
                let variants = self.vocab.enums.get(enum_name).cloned().unwrap_or_default();
                if variants.iter().any(|x| x == s.value.as_ref()) {
                    Some(Val::Enum(s.value.to_string()))
                } else {
                    let mut d = Diagnostic::new(Code::CaseBadAttr, format!("`{}` is not a value of `{enum_name}`", s.value))
                        .primary(self.at(v), format!("{what} takes one of the values of `{enum_name}`"));
                    d = match did_you_mean(&s.value, variants.iter().map(String::as_str)) {
                        Some(x) => d.help(format!("did you mean `{x}`?")),
                        None => d.help(format!("`{enum_name}` values: {}", variants.join(", "))),
                    };
                    self.err(d);
                    None
                }
            }
            _ => {
                let expected = match ty {
                    "bool" => "true or false".to_string(),
                    "int" => "a whole number".to_string(),
                    "text" | "date" => "a string".to_string(),
                    other => format!("a string naming a value of `{other}`"),
                };
                let d = Diagnostic::new(Code::CaseBadAttr, format!("{what} must be {expected}"))
                    .primary(self.at(v), format!("this is {}", kind_of(v)));
                self.err(d);
                None
            }
        }
    }

    fn attrs(&mut self, v: &Value, decl: &BTreeMap<String, String>, owner: &str) -> BTreeMap<String, Val> {
        let mut out = BTreeMap::new();
        let Value::Object(obj) = v else {
            self.wrong_type(v, "`attrs`", "an object");
            return out;
        };
        for p in &obj.properties {
            let name = p.name.as_str().to_string();
            let (s, e) = prop_name_range(p);
            if out.contains_key(&name) {
                let d = Diagnostic::new(Code::CaseDuplicate, format!("attribute `{name}` given twice"))
                    .primary(self.span(s, e), "repeated here")
                    .help("give each attribute once");
                self.err(d);
                continue;
            }
            match decl.get(&name) {
                Some(ty) => {
                    if let Some(val) = self.typed(&p.value, ty, &format!("`{name}`")) {
                        out.insert(name, val);
                    }
                }
                None => {
                    let mut d = Diagnostic::new(Code::CaseBadAttr, format!("{owner} has no attribute `{name}`"))
                        .primary(self.span(s, e), "unknown attribute");
                    d = match did_you_mean(&name, decl.keys().map(String::as_str)) {
                        Some(x) => d.help(format!("did you mean `{x}`?")),
                        None if decl.is_empty() => d.help(format!("{owner} has no attributes")),
                        None => d.help(format!("{owner} has: {}", decl.keys().cloned().collect::<Vec<_>>().join(", "))),
                    };
                    self.err(d);
                }
            }
        }
        out
    }

    fn actors(&mut self, v: &Value) -> Vec<Actor> {
        let Value::Array(arr) = v else {
            self.wrong_type(v, "`actors`", "a list");
            return Vec::new();
        };
        let mut out: Vec<Actor> = Vec::new();
        let mut seen: HashMap<String, Span> = HashMap::new();
        for a in &arr.elements {
            let Value::Object(obj) = a else {
                self.wrong_type(a, "each actor", "an object");
                continue;
            };
            let f = self.fields(obj, ACTOR_FIELDS, "an actor");
            let id = self.required(&f, "id", a, "the actor").and_then(|v| self.string(v, "`id`"));
            if let Some(n) = f.get("name") {
                self.string(n, "`name`");
            }
            let mut roles = Vec::new();
            if let Some(rv) = self.required(&f, "roles", a, "the actor") {
                match rv {
                    Value::Array(ra) => {
                        for r in &ra.elements {
                            let Some(name) = self.string(r, "each role") else { continue };
                            if self.vocab.roles.contains_key(&name) {
                                roles.push(name);
                            } else {
                                let mut d = Diagnostic::new(Code::CaseUnknownRole, format!("unknown role `{name}`"))
                                    .primary(self.at(r), "no policy declares this role");
                                d = match did_you_mean(&name, self.vocab.roles.keys().map(String::as_str)) {
                                    Some(x) => d.help(format!("did you mean `{x}`?")),
                                    None => d.help(format!(
                                        "roles: {}",
                                        self.vocab.roles.keys().cloned().collect::<Vec<_>>().join(", ")
                                    )),
                                };
                                self.err(d);
                            }
                        }
                    }
                    other => self.wrong_type(other, "`roles`", "a list of role names"),
                }
            }
            // An actor's attributes are those of any of its roles.
            let mut decl: BTreeMap<String, String> = BTreeMap::new();
            for r in &roles {
                if let Some(a) = self.vocab.roles.get(r) {
                    decl.extend(a.clone());
                }
            }
            let owner = format!("an actor with roles {}", if roles.is_empty() { "(none)".into() } else { roles.join(", ") });
            let attrs = f.get("attrs").map(|v| self.attrs(v, &decl, &owner)).unwrap_or_default();
            let facts = f.get("facts").map(|v| self.facts(v)).unwrap_or_default();
            let Some(id) = id else { continue };
            let here = self.at(a);
            if let Some(prev) = seen.insert(id.clone(), here) {
                let d = Diagnostic::new(Code::CaseDuplicate, format!("two actors have the id `{id}`"))
                    .primary(here, "second one")
                    .secondary(prev, "first one");
                self.err(d);
                continue;
            }
            out.push(Actor { id, roles, attrs, facts });
        }
        out
    }

    fn events(&mut self, v: &Value, actors: &[Actor]) -> Vec<Event> {
        let Value::Array(arr) = v else {
            self.wrong_type(v, "`events`", "a list");
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, ev) in arr.elements.iter().enumerate() {
            let Value::Object(obj) = ev else {
                self.wrong_type(ev, "each event", "an object");
                continue;
            };
            let f = self.fields(obj, EVENT_FIELDS, "an event");
            if let Some(n) = f.get("note") {
                self.string(n, "`note`");
            }
            let kind = self.required(&f, "type", ev, "the event").and_then(|t| {
                let name = self.string(t, "`type`")?;
                if self.vocab.events.contains_key(&name) {
                    Some(name)
                } else {
                    let mut d = Diagnostic::new(Code::CaseUnknownEvent, format!("unknown event type `{name}`"))
                        .primary(self.at(t), "no policy declares this event");
                    d = match did_you_mean(&name, self.vocab.events.keys().map(String::as_str)) {
                        Some(x) => d.help(format!("did you mean `{x}`?")),
                        None => d.help(format!("events: {}", self.vocab.events.keys().cloned().collect::<Vec<_>>().join(", "))),
                    };
                    self.err(d);
                    None
                }
            });
            let actor = self.required(&f, "actor", ev, "the event").and_then(|a| {
                let name = self.string(a, "`actor`")?;
                match actors.iter().position(|x| x.id == name) {
                    Some(i) => Some(i),
                    None => {
                        let mut d = Diagnostic::new(Code::CaseUnknownActor, format!("no actor has the id `{name}`"))
                            .primary(self.at(a), "not one of the case's actors");
                        d = match did_you_mean(&name, actors.iter().map(|x| x.id.as_str())) {
                            Some(x) => d.help(format!("did you mean `{x}`?")),
                            None => {
                                d.help(format!("actors: {}", actors.iter().map(|x| x.id.as_str()).collect::<Vec<_>>().join(", ")))
                            }
                        };
                        self.err(d);
                        None
                    }
                }
            });
            let at = self.required(&f, "at", ev, "the event").and_then(|t| self.when(t));
            // Attributes are checked only against a known event type.
            let attrs = match (kind.as_ref().and_then(|k| self.vocab.events.get(k)).cloned(), f.get("attrs")) {
                (Some(decl), Some(v)) => self.attrs(v, &decl, &format!("event `{}`", kind.as_deref().unwrap_or(""))),
                _ => BTreeMap::new(),
            };
            if let (Some(k), Some(a)) = (&kind, actor) {
                let allowed = self.vocab.event_by.get(k).cloned().unwrap_or_default();
                let holder = actors.get(a);
                if !allowed.is_empty() && holder.is_some_and(|h| !h.roles.iter().any(|r| allowed.contains(r))) {
                    let who = holder.map_or("", |h| h.id.as_str());
                    let span = f.get("actor").map_or_else(|| self.at(ev), |v| self.at(v));
                    let d = Diagnostic::new(Code::CaseEventRole, format!("`{who}` cannot do `{k}`"))
                        .primary(span, format!("`{k}` is done by {}", allowed.join(", ")))
                        .help(format!("add one of these roles to `{who}`, or attribute the event to another actor"));
                    self.err(d);
                }
            }
            if let (Some(kind), Some(actor), Some(at)) = (kind, actor, at) {
                out.push(Event { kind, actor, at, attrs, index: i + 1 });
            }
        }
        out
    }

    fn when(&mut self, v: &Value) -> Option<When> {
        let s = self.string(v, "a time")?;
        match parse_when(&s, self.opts.tz) {
            Ok(w) => Some(w),
            Err(why) => {
                let d = Diagnostic::new(Code::CaseBadTime, format!("`{s}` is not a usable time"))
                    .primary(self.at(v), why)
                    .help("write 2021-11-24T10:00:00+08:00 (with an offset) or 2021-11-24 (a whole day); `--tz ZONE` reads times without offset");
                self.err(d);
                None
            }
        }
    }

    fn expect(&mut self, v: &Value) -> Vec<Expectation> {
        let mut out = Vec::new();
        let Value::Object(obj) = v else {
            self.wrong_type(v, "`expect`", "an object mapping instrument ids to expectations");
            return out;
        };
        for p in &obj.properties {
            let instrument = p.name.as_str().to_string();
            let Value::Object(inner) = &p.value else {
                self.wrong_type(&p.value, "each instrument's expectations", "an object mapping duties to statuses");
                continue;
            };
            for q in &inner.properties {
                let raw = q.name.as_str().to_string();
                let (key, actor) = match raw.split_once('@') {
                    Some((k, a)) => (k.trim().to_string(), Some(a.trim().to_string())),
                    None => (raw.clone(), None),
                };
                let (s, e) = prop_name_range(q);
                let Some(word) = self.string(&q.value, "a status") else { continue };
                match Status::parse(&word) {
                    Some(status) => out.push(Expectation {
                        instrument: instrument.clone(),
                        key,
                        actor,
                        status,
                        span: (self.base + s, self.base + e),
                    }),
                    None => {
                        let mut d = Diagnostic::new(Code::CaseBadExpect, format!("`{word}` is not a status"))
                            .primary(self.at(&q.value), "unknown status");
                        d = match did_you_mean(&word, Status::ALL.iter().map(|s| s.as_str())) {
                            Some(x) => d.help(format!("did you mean `{x}`?")),
                            None => d.help(format!(
                                "statuses: {}",
                                Status::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                            )),
                        };
                        self.err(d);
                    }
                }
            }
        }
        out
    }
}

/// `YYYY-MM-DD` with exactly those digits, when it is a real date: what
/// `NaiveDate`'s parser reads from such a string, without its generic machinery.
fn plain_date(s: &str) -> Option<chrono::NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        b.get(r)?.iter().try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    chrono::NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)
}

/// Reads a time: RFC 3339 with offset, a date alone (a whole day), or —
/// with `tz` — a local date-time without offset.
pub fn parse_when(s: &str, tz: Option<chrono_tz::Tz>) -> Result<When, String> {
    // A whole day, the commonest form after RFC 3339: no other form is this short.
    if let Some(d) = plain_date(s) {
        return Ok(When::Day(d));
    }
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(When::At(t));
    }
    // RFC 3339 wants seconds; accept `2024-03-04T10:00+08:00` too.
    if let Ok(t) = chrono::DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M%:z") {
        return Ok(When::At(t));
    }
    if s.len() == 10 {
        return s.parse::<chrono::NaiveDate>().map(When::Day).map_err(|_| "no such date".to_string());
    }
    // Say which part is wrong: the date or the time of day.
    if let Some(date) = s.get(..10).filter(|_| s.get(10..11).is_some_and(|c| c == "T" || c == " ")) {
        if date.parse::<chrono::NaiveDate>().is_err() && date.chars().filter(|c| *c == '-').count() == 2 {
            return Err(format!("{date} is not a date that exists"));
        }
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(local) = chrono::NaiveDateTime::parse_from_str(s, fmt) {
            return match tz {
                Some(zone) => vpl_time::resolve_local(zone, local).map(|t| When::At(t.fixed_offset())).map_err(|e| e.to_string()),
                None => Err("a time without an offset: which zone is it in?".to_string()),
            };
        }
    }
    if s.len() > 10 && s.get(..10).is_some_and(|d| d.parse::<chrono::NaiveDate>().is_ok()) {
        return Err(
            "the time of day or the offset is not valid: write HH:MM:SS (hours 00–23) then an offset such as +08:00 or Z"
                .to_string(),
        );
    }
    Err("not a date (YYYY-MM-DD) or a date-time with offset (RFC 3339)".to_string())
}

/// The fast path of [`load_case`]: serde_json straight into borrowed
/// structures, then the same checks as the spanned loader. It accepts only
/// what the spanned loader accepts, and builds the same [`Case`]; anything
/// else (any error, or an `expect` block, whose spans it cannot give) makes
/// it answer `None`, and the spanned loader reads the case again to report.
mod fast {
    use super::{parse_when, Typed, Vocab};
    use crate::case::{Actor, Case, Event, NumVal, Numbers, Val};
    use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
    use serde::Deserialize;
    use std::borrow::Cow;
    use std::collections::BTreeMap;

    /// A JSON string, borrowed from the input when it has no escapes.
    struct Str<'a>(Cow<'a, str>);

    impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Str<'de>;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a string")
                }
                fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Str<'de>, E> {
                    Ok(Str(Cow::Borrowed(v)))
                }
                fn visit_str<E: de::Error>(self, v: &str) -> Result<Str<'de>, E> {
                    Ok(Str(Cow::Owned(v.to_owned())))
                }
                fn visit_string<E: de::Error>(self, v: String) -> Result<Str<'de>, E> {
                    Ok(Str(Cow::Owned(v)))
                }
            }
            d.deserialize_str(V)
        }
    }

    /// A scalar attribute value as JSON gives it.
    enum Raw<'a> {
        Bool(bool),
        Int(i64),
        Str(Cow<'a, str>),
    }

    impl<'de: 'a, 'a> Deserialize<'de> for Raw<'a> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Raw<'de>;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("true, false, a whole number or a string")
                }
                fn visit_bool<E: de::Error>(self, v: bool) -> Result<Raw<'de>, E> {
                    Ok(Raw::Bool(v))
                }
                fn visit_i64<E: de::Error>(self, v: i64) -> Result<Raw<'de>, E> {
                    Ok(Raw::Int(v))
                }
                fn visit_u64<E: de::Error>(self, v: u64) -> Result<Raw<'de>, E> {
                    i64::try_from(v).map(Raw::Int).map_err(|_| E::custom("out of range"))
                }
                fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Raw<'de>, E> {
                    Ok(Raw::Str(Cow::Borrowed(v)))
                }
                fn visit_str<E: de::Error>(self, v: &str) -> Result<Raw<'de>, E> {
                    Ok(Raw::Str(Cow::Owned(v.to_owned())))
                }
                fn visit_string<E: de::Error>(self, v: String) -> Result<Raw<'de>, E> {
                    Ok(Raw::Str(Cow::Owned(v)))
                }
            }
            Ok(match d.deserialize_any(V)? {
                Raw::Bool(b) => Raw::Bool(b),
                Raw::Int(i) => Raw::Int(i),
                Raw::Str(s) => Raw::Str(s),
            })
        }
    }

    /// An object's members in order, repeats kept (to be refused).
    struct Pairs<'a>(Vec<(Str<'a>, Raw<'a>)>);

    impl<'de: 'a, 'a> Deserialize<'de> for Pairs<'a> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Pairs<'de>;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("an object")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Pairs<'de>, A::Error> {
                    let mut out = Vec::with_capacity(m.size_hint().unwrap_or(4));
                    while let Some(kv) = m.next_entry()? {
                        out.push(kv);
                    }
                    Ok(Pairs(out))
                }
            }
            d.deserialize_map(V).map(|Pairs(p)| Pairs(p.into_iter().collect()))
        }
    }

    /// An optional field: absent is fine, `null` is not (unlike `Option`).
    enum Field<T> {
        Absent,
        Present(T),
    }

    #[allow(clippy::derivable_impls, reason = "a derive would ask `T: Default`")]
    impl<T> Default for Field<T> {
        fn default() -> Self {
            Field::Absent
        }
    }

    impl<'de, T: Deserialize<'de>> Deserialize<'de> for Field<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            T::deserialize(d).map(Field::Present)
        }
    }

    impl<T> Field<T> {
        fn get(self) -> Option<T> {
            match self {
                Field::Absent => None,
                Field::Present(t) => Some(t),
            }
        }
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct RawCase<'a> {
        #[serde(borrow)]
        id: Str<'a>,
        #[serde(default, borrow)]
        title: Field<Str<'a>>,
        #[serde(default, borrow)]
        description: Field<Str<'a>>,
        #[serde(default, borrow)]
        sources: Field<Vec<Str<'a>>>,
        #[serde(default, borrow)]
        as_of: Field<Str<'a>>,
        #[serde(default, borrow)]
        facts: Field<Pairs<'a>>,
        #[serde(borrow)]
        actors: Vec<RawActor<'a>>,
        #[serde(borrow)]
        events: Vec<RawEvent<'a>>,
        #[serde(default)]
        expect: Field<IgnoredAny>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct RawActor<'a> {
        #[serde(borrow)]
        id: Str<'a>,
        #[serde(default, borrow)]
        name: Field<Str<'a>>,
        #[serde(borrow)]
        roles: Vec<Str<'a>>,
        #[serde(default, borrow)]
        attrs: Field<Pairs<'a>>,
        #[serde(default, borrow)]
        facts: Field<Pairs<'a>>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct RawEvent<'a> {
        #[serde(rename = "type", borrow)]
        kind: Str<'a>,
        #[serde(borrow)]
        actor: Str<'a>,
        #[serde(borrow)]
        at: Str<'a>,
        #[serde(default, borrow)]
        attrs: Field<Pairs<'a>>,
        #[serde(default, borrow)]
        note: Field<Str<'a>>,
    }

    /// What the spanned loader's `typed` accepts, and nothing else; with the
    /// value as numbers.
    fn typed(vocab: &Vocab, v: Raw<'_>, ty: &str) -> Option<(Val, NumVal)> {
        match (ty, v) {
            ("bool", Raw::Bool(b)) => Some((Val::Bool(b), NumVal::Bool(b))),
            ("int", Raw::Int(i)) => Some((Val::Int(i), NumVal::Int(i))),
            ("text", Raw::Str(s)) => Some((Val::Text(s.into_owned()), NumVal::Text)),
            ("date", Raw::Str(s)) => {
                super::plain_date(&s).or_else(|| s.parse::<chrono::NaiveDate>().ok()).map(|d| (Val::Date(d), NumVal::Date(d)))
            }
            (enum_name, Raw::Str(s)) => {
                let (base, variants) = vocab.hashed.enums.get(enum_name)?;
                let at = variants.iter().position(|x| *x == *s)?;
                Some((Val::Enum(s.into_owned()), NumVal::Enum(base + super::to_u32(at))))
            }
            _ => None,
        }
    }

    /// Attributes against their declarations: each known, well typed, given
    /// once; their numbers pushed as a run onto `nums`.
    fn attrs<'v>(
        vocab: &'v Vocab,
        pairs: Field<Pairs<'_>>,
        decl: impl Fn(&str) -> Option<&'v Typed>,
        nums: &mut Numbers,
    ) -> Option<BTreeMap<String, Val>> {
        let mut out = BTreeMap::new();
        let from = nums.vals.len();
        if let Some(Pairs(pairs)) = pairs.get() {
            for (name, v) in pairs {
                let (ty, no) = decl(&name.0)?;
                let (val, num) = typed(vocab, v, ty)?;
                nums.vals.push((*no, num));
                if out.insert(name.0.into_owned(), val).is_some() {
                    return None;
                }
            }
        }
        // Sorted by number, as the spanned loader's maps give them (most runs
        // hold one value or none).
        if let Some(run) = nums.vals.get_mut(from..).filter(|r| r.len() > 1) {
            run.sort_unstable_by_key(|&(k, _)| k);
        }
        nums.ends.push(super::to_u32(nums.vals.len()));
        Some(out)
    }

    pub(super) fn load(text: &str, vocab: &Vocab, opts: super::LoadOptions) -> Option<Case> {
        let raw: RawCase<'_> = serde_json::from_str(text).ok()?;
        if matches!(raw.expect, Field::Present(_)) {
            return None;
        }
        let _ = (raw.description, raw.sources);
        let as_of = match raw.as_of.get() {
            Some(s) => Some(parse_when(&s.0, opts.tz).ok()?),
            None => None,
        };
        let hashed = &vocab.hashed;
        // The names' numbers, found with their declarations (see `Numbers` for the layout).
        let mut nums = Numbers {
            vocab: vocab.numbering.id,
            ids: Vec::with_capacity(raw.actors.len() + raw.events.len()),
            vals: Vec::new(),
            ends: Vec::with_capacity(1 + 3 * raw.actors.len() + raw.events.len()),
        };
        let facts = attrs(vocab, raw.facts, |name| hashed.facts.get(name), &mut nums)?;
        let mut actors: Vec<Actor> = Vec::with_capacity(raw.actors.len());
        let mut role_ids = Vec::new();
        for a in raw.actors {
            let _ = a.name;
            let mut roles = Vec::with_capacity(a.roles.len());
            role_ids.clear();
            for r in a.roles {
                let (no, _) = hashed.roles.get(&*r.0)?;
                role_ids.push(*no);
                roles.push(r.0.into_owned());
            }
            let decl = |name: &str| roles.iter().rev().find_map(|r| hashed.roles.get(r).and_then(|(_, m)| m.get(name)));
            let own_attrs = attrs(vocab, a.attrs, decl, &mut nums)?;
            let facts = attrs(vocab, a.facts, |name| hashed.facts.get(name), &mut nums)?;
            nums.ids.extend_from_slice(&role_ids);
            nums.ends.push(super::to_u32(nums.ids.len()));
            if actors.iter().any(|x| x.id == *a.id.0) {
                return None;
            }
            actors.push(Actor { id: a.id.0.into_owned(), roles, attrs: own_attrs, facts });
        }
        let mut events = Vec::with_capacity(raw.events.len());
        for (i, e) in raw.events.into_iter().enumerate() {
            let _ = e.note;
            let (kind, (no, decl, allowed)) = hashed.events.get_key_value(&*e.kind.0)?;
            let actor = actors.iter().position(|x| x.id == *e.actor.0)?;
            let at = parse_when(&e.at.0, opts.tz).ok()?;
            nums.ids.push(*no);
            let attrs = attrs(vocab, e.attrs, |name| decl.get(name), &mut nums)?;
            if !allowed.is_empty() && !actors.get(actor).is_some_and(|h| h.roles.iter().any(|r| allowed.contains(r))) {
                return None;
            }
            events.push(Event { kind: kind.clone(), actor, at, attrs, index: i + 1 });
        }
        Some(Case {
            id: raw.id.0.into_owned(),
            title: raw.title.get().map(|t| t.0.into_owned()),
            as_of,
            facts,
            actors,
            events,
            expect: Vec::new(),
            numbers: nums,
        })
    }
}
