//! The formatter: every bundled and example file is already in canonical
//! layout, and formatting is idempotent; then properties over generated
//! policies — formatting is a fixed point, keeps the tree, keeps every
//! comment, and keeps the decision table.
//!
//! The generator draws every choice from a byte string (`Gen`), so proptest
//! shrinks a failing case towards smaller, plainer programs: an exhausted
//! byte string always picks the first, simplest option.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers fail by panicking; the generator indexes fixed tables with `pick`"
)]

use proptest::prelude::*;
use std::path::{Path, PathBuf};
use vpl_core::fmt::format_source;
use vpl_core::syntax::parse_file;
use vpl_core::FileId;

// ------------------------------------------------- bundled and example files

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn vpl_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            vpl_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "vpl") {
            out.push(p);
        }
    }
}

/// Line number and both versions of the first line that differs.
fn first_difference(a: &str, b: &str) -> String {
    let (mut la, mut lb) = (a.lines(), b.lines());
    let mut n = 1;
    loop {
        match (la.next(), lb.next()) {
            (Some(x), Some(y)) if x == y => n += 1,
            (None, None) => return "trailing newline differs".into(),
            (x, y) => return format!("line {n}: {:?} → {:?}", x.unwrap_or("<end>"), y.unwrap_or("<end>")),
        }
    }
}

#[test]
fn every_bundled_and_example_file_is_canonical_and_idempotent() {
    let mut files = Vec::new();
    for dir in ["stdlib", "policies", "examples"] {
        vpl_files(&root().join(dir), &mut files);
    }
    assert!(files.len() >= 8, "expected the stdlib, the bundled policies and the examples, found {files:?}");
    let mut offenders = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let shown = path.strip_prefix(root()).unwrap_or(path).display().to_string();
        match format_source(&text) {
            Err(e) => offenders.push(format!("{shown}: does not parse: {:?}", e.first().map(|d| &d.message))),
            Ok(once) => {
                if once != text {
                    offenders.push(format!("{shown}: not canonical, {}", first_difference(&text, &once)));
                }
                let twice = format_source(&once).unwrap();
                if twice != once {
                    offenders.push(format!("{shown}: formatting is not idempotent, {}", first_difference(&once, &twice)));
                }
            }
        }
    }
    assert!(offenders.is_empty(), "run `vplc fmt` on these:\n{}", offenders.join("\n"));
}

// ---------------------------------------------------------------- generator

/// Where the generator may put `//` comments.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Comments {
    /// Between items and between the clauses of a block.
    Boundaries,
    /// Also at the end of any line, inside conditions, citations, text.
    Trailing,
    /// Also on lines of their own inside a clause or declaration.
    Anywhere,
}

/// Choices drawn from a byte string; past its end every choice is 0.
struct Gen<'b> {
    bytes: &'b [u8],
    at: usize,
    out: String,
    comments: Vec<String>,
    mode: Comments,
}

impl<'b> Gen<'b> {
    fn new(bytes: &'b [u8], mode: Comments) -> Self {
        Gen { bytes, at: 0, out: String::new(), comments: Vec::new(), mode }
    }

    fn pick(&mut self, n: usize) -> usize {
        let b = self.bytes.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        usize::from(b) % n.max(1)
    }

    /// True with probability about `pct`%, false once the bytes run out.
    fn chance(&mut self, pct: usize) -> bool {
        let b = self.bytes.get(self.at).copied();
        self.at += 1;
        b.is_some_and(|b| usize::from(b) * 100 < pct * 256)
    }

    fn one<'s>(&mut self, options: &[&'s str]) -> &'s str {
        options[self.pick(options.len())]
    }

    fn tok(&mut self, t: &str) {
        self.out.push_str(t);
    }

    fn comment(&mut self) -> String {
        const BODIES: &[&str] = &[
            "// c{} note",
            "//c{} no space",
            "//   c{} spaced out",
            "// c{} says \"quoted\" and 'single'",
            "// c{} http://example.com/a//b",
            "// c{} 第七条 中文",
            "//// c{} four slashes",
            "// c{} } { ) ( braces",
        ];
        let n = self.comments.len();
        let c = self.one(BODIES).replace("{}", &n.to_string());
        self.comments.push(c.clone());
        c
    }

    /// Space between two tokens of one clause.
    fn sep(&mut self) {
        let options = match self.mode {
            Comments::Boundaries => 6,
            Comments::Trailing => 7,
            Comments::Anywhere => 8,
        };
        let s = match self.pick(options) {
            0 => " ".to_string(),
            1 => "  ".into(),
            2 => "\t".into(),
            3 => "\n".into(),
            4 => "\n        ".into(),
            5 => "\n\n ".into(),
            6 => format!(" {}\n", self.comment()),
            _ => format!("\n{}\n  ", self.comment()),
        };
        self.out.push_str(&s);
    }

    /// Space that is never a comment.
    fn plain(&mut self) {
        let s = self.one(&[" ", "  ", "\n", "\t "]);
        self.out.push_str(s);
    }

    /// An item's keyword and name. A comment between them would land on a
    /// doc line before the item: see `a_comment_after_an_items_keyword_stays_out_of_its_docs`.
    fn head(&mut self, keyword: &str, name: &str) {
        self.tok(keyword);
        self.plain();
        self.tok(name);
    }

    /// Space between clauses or items.
    fn brk(&mut self) {
        let s = match self.pick(8) {
            0 => "\n".to_string(),
            1 => "\n\n".into(),
            // A condition ending in a number reads a word after it on the
            // same line as a unit (`3 fine` is a quantity): see the ignored
            // test `a_number_ending_a_condition_then_a_clause_on_one_line` in grammar.rs.
            2 if !self.out.ends_with(|c: char| c.is_ascii_digit()) => " ".into(),
            2 | 3 => "\n      ".into(),
            4 => format!(" {}\n", self.comment()),
            5 => format!("\n{}\n", self.comment()),
            6 => format!("\n\n{}\n\n", self.comment()),
            _ => "\n\n\n".into(),
        };
        self.out.push_str(&s);
    }

    /// Tokens separated by `sep`.
    fn toks(&mut self, ts: &[&str]) {
        for (i, t) in ts.iter().enumerate() {
            if i > 0 {
                self.sep();
            }
            self.tok(t);
        }
    }

    fn docs(&mut self) {
        if self.chance(30) {
            let n = 1 + self.pick(3);
            for _ in 0..n {
                let d = self.one(&["/// A doc line.", "///", "///   indented", "/// 立即 \"quoted\" // not a comment"]);
                self.tok("\n");
                self.tok(d);
            }
            self.tok("\n");
        }
    }

    /// An amount, sometimes with `_` separators where canonical layout has none or others.
    fn amount(&mut self, n: u64) -> String {
        let plain = n.to_string();
        match self.pick(3) {
            0 => plain,
            1 if plain.len() > 3 => {
                let (a, b) = plain.split_at(plain.len() - 3);
                format!("{a}_{b}")
            }
            _ => plain.chars().map(|c| c.to_string()).collect::<Vec<_>>().join(if n > 99 { "_" } else { "" }),
        }
    }

    /// `N unit`, written with one or more spaces or tabs (never a newline).
    fn quantity(&mut self, units: &[&str], max: u64) -> String {
        let n = 1 + self.pick(usize::try_from(max).unwrap_or(1)) as u64;
        let amount = self.amount(n);
        let gap = self.one(&[" ", "  ", "\t"]);
        let unit = self.one(units);
        format!("{amount}{gap}{unit}")
    }

    fn string(&mut self) -> String {
        const TEXTS: &[&str] = &[
            "\"plain text\"",
            "\"with \\\"quotes\\\" and \\\\ backslash\"",
            "\"a // slashes inside a string\"",
            "\"line\\nbreak\\ttab\"",
            "\"第七条 网络产品提供者应当履行下列网络产品安全漏洞管理义务，确保其产品安全漏洞得到及时修补和合理发布，并指导支持产品用户采取防范措施\"",
            "\"Article 7 Network product providers shall perform the following duties of vulnerability management, so that the vulnerabilities are patched in time\"",
            "\"\"",
        ];
        self.one(TEXTS).to_string()
    }

    /// One or more adjacent string literals.
    fn text(&mut self) {
        let s = self.string();
        self.tok(&s);
        while self.chance(20) {
            self.sep();
            let s = self.string();
            self.tok(&s);
        }
    }
}

// Vocabulary the generated duties use: the stdlib's plus a few declarations
// every generated policy carries.

const BEARERS: &[&str] = &["product_provider", "collector", "network_operator", "anyone", "auditor"];
const FREE_EVENTS: &[&str] = &[
    "aware",
    "verified",
    "provider_notified",
    "reported",
    "remedied",
    "users_notified",
    "published",
    "logs_kept",
    "intake_opened",
];

/// Conditions that read facts (no bearer, no event fields).
const FACT_ATOMS: &[&str] = &[
    "users_must_act",
    "refused_correction",
    "offering == product",
    "offering != service",
    "product == offering",
    "offering in {product, system}",
    "offering in {service,}",
    "level > 3",
    "level <= 10_000",
    "since >= 2024-03-01",
    "grace < 2~days",
    "budget >= 1000~CNY",
    "note == \"a // b\"",
    "tier_of == high",
    "tier_of in {low, high}",
    "true",
    "false",
];

/// Conditions that may also test events.
const EVENT_ATOMS: &[&str] = &[
    "happened aware",
    "happened aware by collector",
    "happened reported where to == mps",
    "happened reported by product_provider where to in {mps, cac} and includes_details",
    "happened published where channel == media or not includes_remedy",
    "(happened verified)",
    "(happened published where includes_remedy)",
];

fn bearer_atoms(bearer: &str) -> &'static [&'static str] {
    match bearer {
        "product_provider" => &["bearer.overseas", "not bearer.overseas"],
        "collector" => &["bearer.runs_platform", "bearer.organisation"],
        "network_operator" => &["bearer.cii"],
        "auditor" => &["bearer.senior"],
        _ => &[],
    }
}

fn field_atoms(event: &str) -> &'static [&'static str] {
    match event {
        "reported" => &["to == miit_platform", "to in {mps, cac}", "includes_details", "includes_product and to != cac"],
        "published" => &["includes_remedy", "channel == media", "channel in {website, platform} or exploit_tool"],
        "audited" => &["thorough"],
        _ => &[],
    }
}

impl Gen<'_> {
    /// A random condition over `atoms`: nesting, parentheses, `not`, `and`, `or`.
    fn cond(&mut self, atoms: &[&str], depth: usize) {
        let choice = if depth == 0 { 0 } else { self.pick(6) };
        match choice {
            0 | 1 => {
                let a = self.one(atoms);
                self.atom(a);
            }
            2 => {
                self.tok("not");
                self.sep();
                self.cond(atoms, depth - 1);
            }
            3 => {
                self.tok("(");
                self.cond(atoms, depth - 1);
                self.tok(")");
            }
            4 => {
                self.cond(atoms, depth - 1);
                self.sep();
                self.tok("and");
                self.sep();
                self.cond(atoms, depth - 1);
            }
            _ => {
                self.cond(atoms, depth - 1);
                self.sep();
                self.tok("or");
                self.sep();
                self.cond(atoms, depth - 1);
            }
        }
    }

    /// An atom's words, separated by `sep` except inside strings; `~` is a
    /// space that must stay one (between an amount and its unit).
    fn atom(&mut self, a: &str) {
        let mut words: Vec<String> = vec![String::new()];
        let mut in_string = false;
        for c in a.chars() {
            match c {
                '"' => {
                    in_string = !in_string;
                    words.last_mut().unwrap().push(c);
                }
                ' ' if !in_string => words.push(String::new()),
                '~' => words.last_mut().unwrap().push(' '),
                c => words.last_mut().unwrap().push(c),
            }
        }
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        self.toks(&words);
    }

    /// `EVENT [by ROLE] [where COND]`
    fn event_ref(&mut self, event: &str, bearer: &str) {
        self.tok(event);
        if event != "audited" && self.chance(20) {
            self.sep();
            self.tok("by");
            self.sep();
            let r = self.one(&BEARERS[..4]);
            self.tok(r);
        }
        let fields = field_atoms(event);
        if !fields.is_empty() && self.chance(40) {
            self.sep();
            self.tok("where");
            self.sep();
            let mut atoms: Vec<&str> = fields.to_vec();
            atoms.extend_from_slice(bearer_atoms(bearer));
            atoms.push("users_must_act");
            self.cond(&atoms, 2);
        }
    }

    fn any_event(&mut self, bearer: &str) -> &'static str {
        if bearer == "auditor" && self.chance(50) {
            "audited"
        } else {
            FREE_EVENTS[self.pick(FREE_EVENTS.len())]
        }
    }

    fn trigger(&mut self, bearer: &str) {
        self.tok("after");
        self.sep();
        let e = self.any_event(bearer);
        self.event_ref(e, bearer);
    }

    /// A deadline clause that fits the modality.
    fn deadline(&mut self, modality: &str, bearer: &str) {
        const UNITS: &[&str] = &["hours", "days", "working_days", "weeks", "months", "years", "day", "month"];
        let form = match modality {
            "must" => self.pick(8),
            "must not" => [5, 7][self.pick(2)],
            _ => 7,
        };
        match form {
            0 => {
                self.tok("within");
                self.sep();
                let q = self.quantity(UNITS, 90);
                self.tok(&q);
            }
            1..=3 => {
                let w = ["immediately", "promptly", "timely"][form - 1];
                self.tok(w);
            }
            4 => {
                let q = self.quantity(UNITS, 60);
                self.tok(&q);
                self.sep();
                self.tok("before");
                self.sep();
                let e = self.any_event(bearer);
                self.event_ref(e, bearer);
            }
            5 => {
                self.tok("before");
                self.sep();
                let e = self.any_event(bearer);
                self.event_ref(e, bearer);
            }
            6 => {
                if self.chance(50) {
                    self.tok("with");
                    self.sep();
                    let e = self.any_event(bearer);
                    self.event_ref(e, bearer);
                } else {
                    self.toks(&["for", "at", "least"]);
                    self.sep();
                    let q = self.quantity(UNITS, 12);
                    self.tok(&q);
                }
            }
            _ => {
                self.trigger(bearer);
                return;
            }
        }
        // A period (`within`, or an open-textured word) must say what it
        // runs from (E0503); the other forms may.
        if form <= 3 || self.chance(60) {
            self.sep();
            self.trigger(bearer);
        }
    }
}

/// The shape of one generated article: paragraphs, and items in each.
struct ArticleShape {
    number: usize,
    paragraphs: Vec<usize>,
}

impl ArticleShape {
    /// `art N`, `art N(P)` or `art N(P)(I)` naming something declared.
    fn citation(&self, g: &mut Gen<'_>) -> Vec<String> {
        let mut t = vec!["art".to_string(), self.number.to_string()];
        if !self.paragraphs.is_empty() && g.chance(70) {
            let p = g.pick(self.paragraphs.len());
            t.extend(["(".into(), (p + 1).to_string(), ")".into()]);
            let items = self.paragraphs[p];
            if items > 0 && g.chance(60) {
                t.extend(["(".into(), (g.pick(items) + 1).to_string(), ")".into()]);
            }
        }
        t
    }
}

impl Gen<'_> {
    fn texts(&mut self) {
        let n = 1 + self.pick(2);
        for i in 0..n {
            if i > 0 {
                self.brk();
            }
            let lang = self.one(&["zh", "en"]);
            self.tok(lang);
            self.sep();
            if self.chance(15) {
                self.tok("missing");
                self.sep();
            }
            self.text();
        }
    }

    fn article(&mut self, a: &ArticleShape, no_duty: bool) {
        self.docs();
        self.head("article", &a.number.to_string());
        self.sep();
        self.tok("{");
        self.brk();
        if a.paragraphs.is_empty() || self.chance(30) {
            self.texts();
            self.brk();
        }
        if no_duty {
            self.tok("no_duty");
            self.sep();
            self.text();
            self.brk();
        }
        for (p, items) in a.paragraphs.iter().enumerate() {
            self.docs();
            self.head("para", &(p + 1).to_string());
            self.sep();
            self.tok("{");
            self.brk();
            self.texts();
            for i in 0..*items {
                self.brk();
                self.docs();
                self.head("item", &(i + 1).to_string());
                self.sep();
                self.tok("{");
                self.brk();
                self.texts();
                self.brk();
                self.tok("}");
            }
            self.brk();
            self.tok("}");
            self.brk();
        }
        self.tok("}");
    }

    fn duty(&mut self, name: &str, article: &ArticleShape, with_penalty: bool, with_csl: bool) {
        self.docs();
        self.head("duty", name);
        self.sep();
        self.tok("{");
        let bearer = self.one(BEARERS);
        let modality = self.one(&["must", "must", "must not", "may", "encouraged"]);
        // Clauses are built separately so that their order can be shuffled.
        let mut clauses: Vec<String> = Vec::new();
        let mut clause = |g: &mut Gen<'_>, f: &mut dyn FnMut(&mut Gen<'_>)| {
            let start = g.out.len();
            f(g);
            clauses.push(g.out.split_off(start));
        };
        clause(self, &mut |g| {
            g.tok("cite");
            g.sep();
            let c = article.citation(g);
            let c: Vec<&str> = c.iter().map(String::as_str).collect();
            g.toks(&c);
        });
        clause(self, &mut |g| {
            g.tok(bearer);
            g.sep();
            let m = if modality == "must not" { g.one(&["must not", "must  not", "must\tnot"]) } else { modality };
            g.tok(m);
            g.sep();
            let e = g.any_event(bearer);
            g.event_ref(e, bearer);
        });
        if self.chance(70) {
            clause(self, &mut |g| g.deadline(modality, bearer));
        }
        let mut atoms: Vec<&str> = FACT_ATOMS.to_vec();
        atoms.extend_from_slice(EVENT_ATOMS);
        atoms.extend_from_slice(bearer_atoms(bearer));
        if self.chance(60) {
            clause(self, &mut |g| {
                g.tok("when");
                g.sep();
                g.cond(&atoms, 4);
            });
        }
        while self.chance(25) {
            clause(self, &mut |g| {
                g.tok("unless");
                g.sep();
                g.cond(&atoms, 2);
            });
        }
        if with_penalty {
            clause(self, &mut |g| g.toks(&["penalty", "pen"]));
        }
        if with_csl {
            clause(self, &mut |g| g.toks(&["penalty", "csl2016_art60"]));
        }
        while !clauses.is_empty() {
            let c = clauses.remove(self.pick(clauses.len()));
            self.brk();
            self.tok(&c);
        }
        self.brk();
        self.tok("}");
    }

    fn instrument(&mut self) {
        self.docs();
        self.head("instrument", "doc/generated");
        self.sep();
        self.tok("{");
        let mut clauses: Vec<String> = Vec::new();
        let mut clause = |g: &mut Gen<'_>, f: &mut dyn FnMut(&mut Gen<'_>)| {
            let start = g.out.len();
            f(g);
            clauses.push(g.out.split_off(start));
        };
        clause(self, &mut |g| {
            g.toks(&["title", "en"]);
            g.sep();
            g.text();
        });
        if self.chance(50) {
            clause(self, &mut |g| {
                g.toks(&["title", "zh"]);
                g.sep();
                g.text();
            });
        }
        if self.chance(50) {
            clause(self, &mut |g| {
                g.tok("issued_by");
                g.sep();
                g.text();
                while g.chance(40) {
                    g.sep();
                    g.tok(",");
                    g.sep();
                    g.text();
                }
            });
        }
        if self.chance(30) {
            clause(self, &mut |g| {
                g.tok("number");
                g.sep();
                g.text();
            });
        }
        if self.chance(30) {
            clause(self, &mut |g| {
                g.tok("excerpt");
                g.sep();
                g.text();
            });
        }
        clause(self, &mut |g| match g.pick(3) {
            0 => g.toks(&["status", "in_force", "issued", "2024-01-15", "effective", "2024-02-01"]),
            1 => g.toks(&["status", "draft", "published", "2019-06-18"]),
            _ => g.toks(&["status", "draft", "published", "2019-06-18", "comments_until", "2019-07-18"]),
        });
        clause(self, &mut |g| {
            let cal = g.one(&["cn", "utc"]);
            g.toks(&["calendar", cal]);
        });
        while !clauses.is_empty() {
            let c = clauses.remove(self.pick(clauses.len()));
            self.brk();
            self.tok(&c);
        }
        self.brk();
        self.tok("}");
    }

    fn penalty(&mut self) {
        self.docs();
        self.head("penalty", "pen");
        self.sep();
        self.tok("{");
        self.brk();
        self.toks(&["cite", "art", "1"]);
        let has_measures = self.chance(60);
        if has_measures {
            self.brk();
            self.tok("measures");
            self.sep();
            let n = 1 + self.pick(3);
            for i in 0..n {
                if i > 0 {
                    self.sep();
                    self.tok(",");
                    self.sep();
                }
                let m = self.one(&["warning", "order_correction", "close_website"]);
                self.tok(m);
            }
        }
        // A penalty imposes something (E0503): at least one fine when there are no measures.
        let fines = if has_measures { self.pick(4) } else { 1 + self.pick(3) };
        for _ in 0..fines {
            self.brk();
            let target = self.one(&["entity", "person_in_charge"]);
            let lo = 1 + self.pick(20) as u64;
            let (lo, hi) = (lo * 1000, lo * 10_000);
            let (lo, hi) = (self.amount(lo), self.amount(hi));
            self.toks(&["fine", target, &format!("{lo} CNY"), "to", &format!("{hi} CNY")]);
            if self.chance(60) {
                self.sep();
                self.tok("when");
                self.sep();
                self.cond(FACT_ATOMS, 3);
            }
        }
        self.brk();
        self.tok("}");
    }

    /// Declarations the generated duties rely on, plus a few unused ones.
    fn vocabulary(&mut self) -> Vec<String> {
        let mut items = Vec::new();
        let mut item = |g: &mut Gen<'_>, f: &mut dyn FnMut(&mut Gen<'_>)| {
            let start = g.out.len();
            g.docs();
            f(g);
            items.push(g.out.split_off(start));
        };
        item(self, &mut |g| {
            g.head("role", "auditor");
            g.sep();
            g.tok("{");
            g.brk();
            g.docs();
            g.toks(&["senior", ":", "bool"]);
            if g.chance(50) {
                g.tok(",");
            }
            g.brk();
            g.tok("}");
        });
        item(self, &mut |g| {
            g.head("event", "audited");
            g.sep();
            g.toks(&["by", "auditor", "{"]);
            g.brk();
            g.toks(&["thorough", ":", "bool", ","]);
            g.brk();
            g.tok("}");
        });
        item(self, &mut |g| {
            g.head("enum", "tier");
            g.sep();
            g.tok("{");
            g.brk();
            g.docs();
            g.toks(&["low", ","]);
            g.brk();
            g.tok("high");
            if g.chance(50) {
                g.tok(",");
            }
            g.brk();
            g.tok("}");
        });
        for (name, ty) in [
            ("level", "int"),
            ("since", "date"),
            ("grace", "duration"),
            ("budget", "money"),
            ("note", "text"),
            ("tier_of", "tier"),
        ] {
            item(self, &mut |g| {
                g.head("fact", name);
                g.sep();
                g.toks(&[":", ty]);
            });
        }
        // Unused declarations: warnings, but they exercise the layout.
        if self.chance(40) {
            item(self, &mut |g| g.head("role", "observer"));
            item(self, &mut |g| g.head("event", "pinged"));
            item(self, &mut |g| {
                g.head("event", "ponged");
                g.sep();
                g.toks(&["by", "observer"]);
            });
        }
        if self.chance(30) {
            item(self, &mut |g| {
                g.head("unit", "lap");
                g.sep();
                g.toks(&[",", "laps", ":", "duration", "week"]);
            });
        }
        if self.chance(30) {
            item(self, &mut |g| g.calendar());
        }
        items
    }

    /// A calendar with rest days in January and work days in February, so
    /// that the lists are valid and long enough to wrap.
    fn calendar(&mut self) {
        self.head("calendar", "office");
        self.sep();
        self.tok("{");
        self.brk();
        self.toks(&["zone", "\"UTC\""]);
        self.brk();
        self.toks(&["rule", "exact"]);
        self.brk();
        self.toks(&["weekend", "sat", ",", "sun"]);
        self.brk();
        self.toks(&["covers", "2020", "..", "2021"]);
        for year in [2020, 2021] {
            self.brk();
            self.docs();
            self.head("year", &year.to_string());
            self.sep();
            self.tok("{");
            for (word, month) in [("rest", 1), ("work", 2)] {
                let n = self.pick(12);
                if n == 0 {
                    continue;
                }
                self.brk();
                self.tok(word);
                let mut day = 1;
                for i in 0..n {
                    if day > 27 {
                        break;
                    }
                    if i > 0 {
                        self.sep();
                        self.tok(",");
                    }
                    self.sep();
                    let first = format!("{year}-{month:02}-{day:02}");
                    day += self.pick(3);
                    if self.chance(40) && day <= 28 {
                        self.toks(&[&first, "..", &format!("{year}-{month:02}-{day:02}")]);
                    } else {
                        self.tok(&first);
                    }
                    day += 1;
                }
            }
            self.brk();
            self.tok("}");
        }
        self.brk();
        self.tok("}");
    }

    /// A complete policy: header, articles, duties citing them, a penalty and
    /// the vocabulary, in random order and layout.
    fn policy(&mut self) {
        let with_csl = self.chance(20);
        let mut items: Vec<String> = Vec::new();
        let mut take = |g: &mut Gen<'_>| {
            let s = std::mem::take(&mut g.out);
            items.push(s);
        };
        if with_csl {
            self.head("use", "cn/csl-2016");
            take(self);
        }
        self.instrument();
        take(self);
        let articles: Vec<ArticleShape> = (1..=1 + self.pick(4))
            .map(|number| {
                let paragraphs = (0..self.pick(3)).map(|_| self.pick(3)).collect();
                ArticleShape { number, paragraphs }
            })
            .collect();
        let mut duty_count = 0;
        for a in &articles {
            let duties = if a.number == 1 { 1 + self.pick(3) } else { self.pick(3) };
            self.article(a, duties == 0);
            take(self);
            for i in 0..duties {
                let penalty = (a.number == 1 && i == 0) || self.chance(20);
                let csl = with_csl && a.number == 1 && i == 0;
                self.duty(&format!("d{duty_count}"), a, penalty, csl);
                duty_count += 1;
                take(self);
            }
        }
        self.penalty();
        take(self);
        let vocabulary = self.vocabulary();
        items.extend(vocabulary);
        while !items.is_empty() {
            let it = items.remove(self.pick(items.len()));
            self.brk();
            self.tok(&it);
        }
        if self.chance(50) {
            self.brk();
        }
        self.tok("\n");
    }
}

fn generate(bytes: &[u8], mode: Comments) -> (String, Vec<String>) {
    let mut g = Gen::new(bytes, mode);
    g.policy();
    (g.out, g.comments)
}

// --------------------------------------------------------------- properties

/// Every `//` comment of a text (not `///` doc lines), in order, as the
/// formatter sees them: from the first `//` outside a string to the end of
/// the line.
fn comments_of(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_string = false;
    for line in text.lines() {
        let bytes = line.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'\\' if in_string => i += 1,
                b'"' => in_string = !in_string,
                b'/' if !in_string && bytes.get(i + 1) == Some(&b'/') => {
                    let c = line[i..].trim_end();
                    if !c.starts_with("///") || c.starts_with("////") {
                        out.push(c.to_string());
                    }
                    break;
                }
                _ => {}
            }
            i += 1;
        }
    }
    out
}

fn parse(src: &str) -> vpl_core::syntax::ast::File {
    parse_file(FileId(0), src).unwrap_or_else(|e| panic!("generated source does not parse: {e:#?}\n{src}"))
}

fn compile(src: &str) -> vpl_core::Compilation {
    vpl_core::compile("generated.vpl", src, &vpl_core::no_files)
}

fn codes(c: &vpl_core::Compilation) -> Vec<&'static str> {
    let mut v: Vec<&str> = c.diagnostics.iter().map(|d| d.code.as_str()).collect();
    v.sort_unstable();
    v
}

fn format(src: &str) -> String {
    format_source(src).unwrap_or_else(|e| panic!("does not format: {e:#?}\n{src}"))
}

/// Writes a failing case's texts to the temporary directory, where they are
/// easier to read and to feed to `vplc fmt` than in a panic message.
fn keep(property: &str, texts: &[(&str, &str)]) {
    for (suffix, text) in texts {
        let _ = std::fs::write(std::env::temp_dir().join(format!("vpl-{property}-{suffix}.vpl")), text);
    }
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..1500)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// fmt(fmt(x)) == fmt(x), and fmt(x) parses to the same tree as x.
    /// (Own-line comments inside a clause are left out: see
    /// `an_own_line_comment_inside_a_declaration_is_stable`.)
    #[test]
    fn formatting_is_a_fixed_point_and_keeps_the_tree(bytes in bytes()) {
        for mode in [Comments::Boundaries, Comments::Trailing] {
            let (src, _) = generate(&bytes, mode);
            let once = format(&src);
            let twice = format(&once);
            if twice != once {
                keep("fixed-point", &[("source", &src), ("once", &once), ("twice", &twice)]);
            }
            prop_assert_eq!(&twice, &once, "not a fixed point; source:\n{}", src);
            prop_assert!(parse(&src).same_structure(&parse(&once)), "tree changed; source:\n{}\nformatted:\n{}", src, once);
        }
    }

    /// No comment text is lost and the tree is kept, wherever comments are.
    #[test]
    fn no_comment_text_is_lost(bytes in bytes()) {
        let (src, comments) = generate(&bytes, Comments::Anywhere);
        let once = format(&src);
        for c in &comments {
            prop_assert!(once.contains(c.as_str()), "lost {:?}; source:\n{}\nformatted:\n{}", c, src, once);
        }
        prop_assert!(parse(&src).same_structure(&parse(&once)), "tree changed; source:\n{}\nformatted:\n{}", src, once);
    }

    /// Comments between items and between clauses come out as the same
    /// comments, one each, in the same order.
    #[test]
    fn comments_between_clauses_are_kept_in_order(bytes in bytes()) {
        let (src, comments) = generate(&bytes, Comments::Boundaries);
        let mut written = comments_of(&src);
        let mut generated = comments.clone();
        written.sort();
        generated.sort();
        prop_assert_eq!(written, generated, "the generator's comments are not where it thinks");
        let once = format(&src);
        prop_assert_eq!(comments_of(&once), comments_of(&src), "source:\n{}\nformatted:\n{}", src, once);
    }

    /// The decision table compiled from fmt(x) is the one compiled from x,
    /// and so are the diagnostics' codes.
    #[test]
    fn formatting_keeps_the_decision_table(bytes in bytes()) {
        let (src, _) = generate(&bytes, Comments::Anywhere);
        let before = compile(&src);
        let unexpected: Vec<String> = before
            .diagnostics
            .iter()
            .filter(|d| d.severity() == vpl_core::Severity::Error && d.code != vpl_core::Code::TooComplex)
            .map(|d| format!("{}: {} at {:?}", d.code.as_str(), d.message, d.primary_span()))
            .collect();
        prop_assert!(unexpected.is_empty(), "the generator wrote an invalid policy: {:?}\n{}", unexpected, src);
        let once = format(&src);
        let after = compile(&once);
        prop_assert_eq!(codes(&before), codes(&after));
        prop_assert!(before.table == after.table, "tables differ; source:\n{}\nformatted:\n{}", src, once);
    }
}

/// Was a bug: the blank line inside the declaration (after `:`) was taken
/// for a blank line after the comment, and the second run moved it.
#[test]
fn an_own_line_comment_inside_a_declaration_is_stable() {
    let src = "fact budget\n// one\n:\n\nmoney // two\nfact level: int\n";
    let once = format(src);
    assert_eq!(format(&once), once);
}

#[test]
fn a_comment_after_an_items_keyword_stays_out_of_its_docs() {
    let src = "/// doc\nfact // c\nx: bool\n";
    let once = format(src);
    assert!(parse(src).same_structure(&parse(&once)), "{once}");
    assert_eq!(comments_of(&once), ["// c"], "{once}");
}

/// Comments inside a condition that spans lines each stay a comment of
/// their own.
#[test]
fn comments_inside_a_condition_stay_separate() {
    let src = "duty d {\n    when a // one\n        // two\n        or b // three\n}\n";
    let once = format(src);
    assert_eq!(comments_of(&once), ["// one", "// two", "// three"], "{once}");
}

/// Comments between adjacent string literals each stay a comment of their own.
#[test]
fn comments_between_string_literals_stay_separate() {
    let src = "article 1 {\n    en \"a\" // x\n        \"b\" // y\n}\n";
    let once = format(src);
    assert_eq!(comments_of(&once), ["// x", "// y"], "{once}");
}

#[test]
fn the_generator_writes_valid_policies() {
    // A fixed sample, so that a change to the generator that makes it write
    // invalid policies fails here with a readable source.
    for seed in 0u32..64 {
        let bytes: Vec<u8> =
            (0..1500u32).map(|i| (i.wrapping_add(seed * 7919).wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        for mode in [Comments::Boundaries, Comments::Anywhere] {
            let (src, _) = generate(&bytes, mode);
            let c = compile(&src);
            let errors: Vec<String> = c
                .diagnostics
                .iter()
                .filter(|d| d.severity() == vpl_core::Severity::Error && d.code != vpl_core::Code::TooComplex)
                .map(|d| format!("{}: {}", d.code.as_str(), d.message))
                .collect();
            assert!(errors.is_empty(), "{errors:?}\n{src}");
        }
    }
}
