//! `vplc check POLICY... CASE...`: checks case timelines against policies.
//! A `.jsonl` file is streamed line by line with flat memory; a bad line is
//! reported with its line number and the batch goes on.

use super::table::compile_policy;
use super::{BAD_INPUT, FINDINGS, OK};
use crate::cli::{CheckFormat, ColorWhen};
use crate::report::{use_color, Reporter, ToolError};
use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use vpl_core::{Diagnostic, SourceMap};
use vpl_eval::{load_case, Case, CaseReport, Compiled, LoadOptions, Status, Vocab};
use vpl_time::When;

/// Most bad lines of one batch shown in full; the rest are counted.
const MAX_SHOWN_BAD_LINES: usize = 50;

pub struct Options {
    pub as_of: Option<String>,
    pub format: CheckFormat,
    pub explain: bool,
    pub tz: Option<String>,
    pub progress: ColorWhen,
    /// Threads for `.jsonl` batches (`None`: the available cores).
    pub jobs: Option<usize>,
}

/// Splits arguments into policies and case paths.
fn is_case_path(a: &str) -> bool {
    let p = Path::new(a);
    a.ends_with(".json") || a.ends_with(".jsonl") || p.is_dir()
}

pub fn compile_all(rep: &mut Reporter, policies: &[String]) -> Option<Vec<Compiled>> {
    let mut out = Vec::new();
    for p in policies {
        let table = compile_policy(rep, p)?;
        match Compiled::new(table) {
            Ok(c) => out.push(c),
            Err(e) => {
                rep.tool_error(ToolError::UnknownPolicy { given: p.clone(), help: Some(e) });
                return None;
            }
        }
    }
    Some(out)
}

/// `--as-of TIME`: `Some(None)` when absent; `None` (already reported) when invalid.
pub fn parse_as_of(rep: &mut Reporter, s: Option<&str>) -> Option<Option<When>> {
    let Some(s) = s else { return Some(None) };
    match vpl_eval::load::parse_when(s, None) {
        Ok(w) => Some(Some(w)),
        Err(why) => {
            rep.tool_error(ToolError::BadArgument { what: format!("--as-of {s}"), why });
            None
        }
    }
}

/// `--tz ZONE`: `Some(None)` when absent; `None` (already reported) when invalid.
pub fn parse_tz(rep: &mut Reporter, s: &Option<String>) -> Option<Option<chrono_tz::Tz>> {
    match s {
        None => Some(None),
        Some(z) => match z.parse::<chrono_tz::Tz>() {
            Ok(tz) => Some(Some(tz)),
            Err(_) => {
                rep.tool_error(ToolError::BadArgument {
                    what: format!("--tz {z}"),
                    why: "not an IANA time zone such as Asia/Shanghai".into(),
                });
                None
            }
        },
    }
}

/// Every case file under the paths given, in a stable order.
pub fn case_files(rep: &mut Reporter, paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut stack = vec![p.clone()];
            let mut found = Vec::new();
            while let Some(dir) = stack.pop() {
                let Ok(entries) = std::fs::read_dir(&dir) else {
                    rep.tool_error(ToolError::Read { path: dir.display().to_string(), reason: "cannot list directory".into() });
                    continue;
                };
                for e in entries.flatten() {
                    let path = e.path();
                    if path.is_dir() {
                        stack.push(path);
                    } else if path.extension().is_some_and(|x| x == "json" || x == "jsonl") {
                        found.push(path);
                    }
                }
            }
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    out
}

/// Calls `each` for every case in a file, in order: a `.json` file holds
/// one case, a `.jsonl` file one per line. Problems are reported; returns
/// false if any case could not be read.
pub fn for_each_case(
    rep: &mut Reporter,
    path: &Path,
    vocab: &Vocab,
    opts: LoadOptions,
    progress: bool,
    mut each: impl FnMut(&mut Reporter, Case),
) -> bool {
    let name = path.display().to_string();
    let jsonl = path.extension().is_some_and(|x| x == "jsonl");
    if !jsonl {
        let text = match crate::input::read_text(path) {
            Ok(Ok(t)) => t,
            Ok(Err((bytes, at))) => {
                let mut sources = SourceMap::new();
                let file = sources.add(name, String::from_utf8_lossy(&bytes).into_owned());
                let d = Diagnostic::new(vpl_core::Code::NotText, "the case file is not UTF-8 text")
                    .primary(vpl_core::Span::new(file, at, at + 1), "invalid or NUL byte here");
                rep.emit(&sources, &[d]);
                return false;
            }
            Err(e) => {
                rep.tool_error(e);
                return false;
            }
        };
        let mut sources = SourceMap::new();
        let file = sources.add(name, text.clone());
        return match load_case(file, 0, &text, vocab, opts) {
            Ok(case) => {
                each(rep, case);
                true
            }
            Err(diags) => {
                rep.emit(&sources, &diags);
                false
            }
        };
    }
    let Some((file, bar)) = open_batch(rep, path, progress) else { return false };
    let mut reader = std::io::BufReader::with_capacity(1 << 20, file);
    let mut line = String::new();
    let mut lineno = 0usize;
    let mut bad = 0usize;
    // Case ids seen in this batch, in memory that does not grow (see `SeenIds`).
    let mut seen_ids = SeenIds::new();
    loop {
        line.clear();
        let n = match reader.read_line(&mut line) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => {
                bad += 1;
                rep.tool_error(ToolError::Read { path: format!("{name}:{}", lineno + 1), reason: e.to_string() });
                break;
            }
        };
        lineno += 1;
        if let Some(b) = &bar {
            b.inc(n as u64);
        }
        let text = line.trim_end_matches(['\n', '\r']);
        if text.trim().is_empty() {
            continue;
        }
        let result = match load_case(vpl_core::FileId(0), 0, text, vocab, opts) {
            Ok(case) => match seen_ids.insert(id_hash(&case.id), &case.id) {
                Ok(true) => Ok(case),
                Ok(false) => Err(vec![duplicate_id(&case.id, text)]),
                Err(e) => {
                    bad += 1;
                    rep.tool_error(ids_error(&name, e));
                    break;
                }
            },
            Err(diags) => Err(diags),
        };
        match result {
            Ok(case) => each(rep, case),
            Err(diags) => {
                bad += 1;
                report_bad_line(rep, &name, lineno, text, diags, bad, bar.as_ref());
            }
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if bad > MAX_SHOWN_BAD_LINES {
        eprintln!("{name}: {} more bad lines not shown", bad - MAX_SHOWN_BAD_LINES);
    }
    bad == 0
}

/// Opens a JSON Lines batch for streaming, with a progress bar over its
/// bytes when asked; reports a file that cannot be opened.
fn open_batch(rep: &mut Reporter, path: &Path, progress: bool) -> Option<(std::fs::File, Option<indicatif::ProgressBar>)> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            rep.tool_error(ToolError::Read { path: path.display().to_string(), reason: e.to_string() });
            return None;
        }
    };
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = progress.then(|| {
        let b = indicatif::ProgressBar::new(size);
        b.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {bytes_per_sec} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    });
    Some((file, bar))
}

/// A bad line of a batch: the first `MAX_SHOWN_BAD_LINES` are shown at
/// their real line number (the line padded down to it), the rest counted.
fn report_bad_line(
    rep: &mut Reporter,
    name: &str,
    lineno: usize,
    text: &str,
    diags: Vec<Diagnostic>,
    bad: usize,
    bar: Option<&indicatif::ProgressBar>,
) {
    if bad > MAX_SHOWN_BAD_LINES {
        rep.errors += 1;
        return;
    }
    let mut sources = SourceMap::new();
    let padding = "\n".repeat(lineno.saturating_sub(1));
    let file = sources.add(name.to_string(), format!("{padding}{text}"));
    let shifted: Vec<Diagnostic> = diags.into_iter().map(|d| shift(d, file, padding.len())).collect();
    match bar {
        Some(b) => b.suspend(|| rep.emit(&sources, &shifted)),
        None => rep.emit(&sources, &shifted),
    }
}

fn shift(mut d: Diagnostic, file: vpl_core::FileId, by: usize) -> Diagnostic {
    for l in &mut d.labels {
        l.span = vpl_core::Span::new(file, l.span.start as usize + by, l.span.end as usize + by);
    }
    d
}

/// "now", read from the clock: the only place besides `--as-of`.
pub fn now() -> When {
    When::At(chrono::Utc::now().fixed_offset())
}

pub fn check(rep: &mut Reporter, args: &[String], o: &Options) -> u8 {
    let (cases, policies): (Vec<&String>, Vec<&String>) = args.iter().partition(|a| is_case_path(a));
    if policies.is_empty() || cases.is_empty() {
        rep.tool_error(ToolError::BadArgument {
            what: "vplc check".into(),
            why: "give at least one policy (a .vpl path or bundled id) and one case file (.json, .jsonl or a directory)".into(),
        });
        return BAD_INPUT;
    }
    let policies: Vec<String> = policies.into_iter().cloned().collect();
    let Some(compiled) = compile_all(rep, &policies) else { return BAD_INPUT };
    let Some(tz) = parse_tz(rep, &o.tz) else { return BAD_INPUT };
    let Some(forced_as_of) = parse_as_of(rep, o.as_of.as_deref()) else { return BAD_INPUT };
    let now = now();
    let vocab = Vocab::new(compiled.iter().map(|c| &c.table().vocabulary));
    let color = use_color(rep_color(o), std::io::stdout().is_terminal());
    let width = if std::io::stdout().is_terminal() { Some(160) } else { None };
    let style = vpl_eval::render::Style { color, explain: o.explain, width };
    let verdicts = VerdictsFormat::new(&compiled);
    let paths: Vec<PathBuf> = cases.iter().map(PathBuf::from).collect();
    let files = case_files(rep, &paths);
    let mut summary: BTreeMap<Status, usize> = BTreeMap::new();
    let (mut n_cases, mut violations) = (0usize, 0usize);
    let mut all_ok = true;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(OUT_BUFFER, stdout.lock());
    let show_progress = match o.progress {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => std::io::stderr().is_terminal(),
    };
    let jobs = o.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from)).max(1);
    let batch = Batch {
        compiled: &compiled,
        vocab: &vocab,
        load: LoadOptions { tz },
        forced_as_of,
        now,
        o,
        style: &style,
        verdicts: &verdicts,
    };
    for file in &files {
        let big = std::fs::metadata(file).map(|m| m.len() > 4 << 20).unwrap_or(false);
        let mut tally = Tally { cases: &mut n_cases, violations: &mut violations, summary: &mut summary };
        if file.extension().is_some_and(|x| x == "jsonl") {
            all_ok &= check_batch(rep, file, &batch, jobs, show_progress && big, &mut out, &mut tally);
            continue;
        }
        let mut scratch = Scratch::default();
        let mut buf = Vec::new();
        let ok = for_each_case(rep, file, &vocab, LoadOptions { tz }, show_progress && big, |_, case| {
            buf.clear();
            let counts = check_one(&batch, &case, &mut buf, &mut scratch);
            tally.add(&counts);
            let _ = out.write_all(&buf);
        });
        all_ok &= ok;
    }
    let _ = out.flush();
    drop(out);
    if n_cases > 1 || !all_ok {
        let by_status: Vec<String> = summary.iter().map(|(s, n)| format!("{} {n}", s.as_str())).collect();
        eprintln!(
            "checked {n_cases} case{} against {} polic{}: {}{}",
            if n_cases == 1 { "" } else { "s" },
            compiled.len(),
            if compiled.len() == 1 { "y" } else { "ies" },
            if by_status.is_empty() { "no findings".to_string() } else { by_status.join(", ") },
            if rep.errors > 0 {
                format!("; {} error{}", rep.errors, if rep.errors == 1 { "" } else { "s" })
            } else {
                String::new()
            }
        );
    }
    if !all_ok || rep.failed() {
        BAD_INPUT
    } else if violations > 0 {
        FINDINGS
    } else {
        OK
    }
}

/// Standard output is written through a buffer this large: a batch's
/// results leave in few, large writes.
const OUT_BUFFER: usize = 256 << 10;

fn rep_color(o: &Options) -> ColorWhen {
    // Colour follows the global --color through NO_COLOR / terminal detection.
    let _ = o;
    ColorWhen::Auto
}

/// What checking one case gave, for the summary.
struct Counts {
    statuses: [usize; Status::ALL.len()],
    violations: usize,
}

impl Counts {
    fn new() -> Counts {
        Counts { statuses: [0; Status::ALL.len()], violations: 0 }
    }

    fn count(&mut self, s: Status) {
        if let Some(n) = Status::ALL.iter().position(|x| *x == s).and_then(|i| self.statuses.get_mut(i)) {
            *n += 1;
        }
        if s.is_violation() {
            self.violations += 1;
        }
    }
}

/// What one thread reuses from case to case.
#[derive(Default)]
struct Scratch {
    verdicts: Vec<vpl_eval::Verdict>,
    /// The case's actor ids as JSON strings, one after another, and where each ends.
    actors: Vec<u8>,
    actor_ends: Vec<usize>,
    /// The last as-of instant written and its text: cases of a batch mostly
    /// share one (`--as-of`, or the same `as_of` line after line), and
    /// formatting it costs more than the rest of a verdict line's header.
    as_of: Option<(When, String)>,
}

impl Scratch {
    /// The text of `as_of`, as `When` writes it, made again only when it changes.
    fn as_of_text(&mut self, as_of: &When) -> &str {
        if self.as_of.as_ref().is_none_or(|(w, _)| !w.same_as_written(as_of)) {
            self.as_of = Some((*as_of, as_of.to_string()));
        }
        self.as_of.as_ref().map_or("", |(_, s)| s.as_str())
    }
}

/// Checks one case against every policy and writes its output in the
/// chosen format to `out`; returns what it found, for the summary.
fn check_one(b: &Batch<'_>, case: &Case, out: &mut Vec<u8>, scratch: &mut Scratch) -> Counts {
    let as_of = b.forced_as_of.or(case.as_of).unwrap_or(b.now);
    let mut counts = Counts::new();
    if b.o.format == CheckFormat::Verdicts {
        // The lean path: the same decisions as the findings, no text made.
        scratch.actors.clear();
        scratch.actor_ends.clear();
        for a in &case.actors {
            push_json_str(&mut scratch.actors, &a.id);
            scratch.actor_ends.push(scratch.actors.len());
        }
        scratch.as_of_text(&as_of);
        for (c, pieces) in b.compiled.iter().zip(&b.verdicts.policies) {
            vpl_eval::verdicts(c, case, &as_of, &mut scratch.verdicts);
            for v in &scratch.verdicts {
                counts.count(v.status);
            }
            pieces.write(out, case, scratch);
        }
        return counts;
    }
    let opts = vpl_eval::Options { explain: b.o.explain };
    let reports: Vec<CaseReport> = b.compiled.iter().map(|c| vpl_eval::check_case_with(c, case, &as_of, opts)).collect();
    for f in reports.iter().flat_map(|r| &r.findings) {
        counts.count(f.status);
    }
    let _ = write_reports(out, case, &as_of, &reports, b.o.format, b.style);
    counts
}

fn write_reports(
    out: &mut Vec<u8>,
    case: &Case,
    as_of: &When,
    reports: &[CaseReport],
    format: CheckFormat,
    style: &vpl_eval::render::Style,
) -> std::io::Result<()> {
    match format {
        CheckFormat::Json | CheckFormat::Verdicts => {
            for r in reports {
                serde_json::to_writer(&mut *out, r).map_err(std::io::Error::other)?;
                out.push(b'\n');
            }
        }
        CheckFormat::Human => {
            out.extend_from_slice(vpl_eval::render::case_heading(&case.id, case.title.as_deref(), &as_of.to_string()).as_bytes());
            for r in reports {
                out.push(b'\n');
                out.extend_from_slice(vpl_eval::render::report(r, style).as_bytes());
            }
            out.push(b'\n');
        }
    }
    Ok(())
}

// ------------------------------------------------------------ --format verdicts

/// One line of `vplc check --format verdicts`: what one instrument decides
/// about one case, verdicts only. `vplc schema verdicts` is derived from it;
/// the lines themselves are written by [`VerdictsFormat`], and tests read
/// them back into this type.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VerdictsLine {
    /// The case's `id`.
    pub case: String,
    /// The instrument's id (e.g. `cn/provisions-2021`).
    pub instrument: String,
    /// A draft never binds; it is checked as if in force.
    pub draft: bool,
    /// The instant the case is judged at, as in `--format json`.
    pub as_of: String,
    /// In the order of the findings of `--format json`.
    pub verdicts: Vec<VerdictItem>,
}

/// One verdict: a decision-table row applied to one actor.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VerdictItem {
    /// The duty's id in the policy.
    pub duty: String,
    /// The decision-table row (a duty whose condition has alternatives has several).
    pub row: String,
    /// The citation as text (`art 7(1)(2)`).
    pub cite: String,
    /// The case actor the duty binds.
    pub actor: String,
    pub status: Status,
    /// The deadline (exclusive), RFC 3339 in the calendar's zone; the same
    /// instant as `due` of `--format json`, which writes a whole day as a date.
    pub due: Option<String>,
    pub late_by_seconds: Option<i64>,
}

/// The JSON pieces of `--format verdicts` that do not depend on the case,
/// made once per policy, so that writing a verdict is mostly copying.
struct VerdictsFormat {
    policies: Vec<VerdictPieces>,
}

struct VerdictPieces {
    /// `,"instrument":"…","draft":…,"as_of":"`
    head: Vec<u8>,
    /// Per row: `{"duty":"…","row":"…","cite":"…","actor":`
    rows: Vec<Vec<u8>>,
    zone: chrono_tz::Tz,
}

fn push_json_str(out: &mut Vec<u8>, s: &str) {
    // Writing a string into a vector cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

impl VerdictsFormat {
    fn new(compiled: &[Compiled]) -> VerdictsFormat {
        let policies = compiled
            .iter()
            .map(|c| {
                let mut head = b",\"instrument\":".to_vec();
                push_json_str(&mut head, &c.table().instrument.id);
                head.extend_from_slice(if c.draft() {
                    b",\"draft\":true,\"as_of\":\""
                } else {
                    b",\"draft\":false,\"as_of\":\""
                });
                let rows = c
                    .table()
                    .rows
                    .iter()
                    .map(|r| {
                        let mut p = b"{\"duty\":".to_vec();
                        push_json_str(&mut p, &r.duty);
                        p.extend_from_slice(b",\"row\":");
                        push_json_str(&mut p, &r.id);
                        p.extend_from_slice(b",\"cite\":");
                        push_json_str(&mut p, &r.cite.display);
                        p.extend_from_slice(b",\"actor\":");
                        p
                    })
                    .collect();
                VerdictPieces { head, rows, zone: c.calendar().zone }
            })
            .collect();
        VerdictsFormat { policies }
    }
}

impl VerdictPieces {
    /// One line: the case under this policy.
    /// (`scratch` holds the case's actor ids and as-of text, see [`check_one`].)
    fn write(&self, out: &mut Vec<u8>, case: &Case, scratch: &Scratch) {
        out.extend_from_slice(b"{\"case\":");
        push_json_str(out, &case.id);
        out.extend_from_slice(&self.head);
        // `When` writes digits, dashes, colons, `T` and an offset: nothing to escape.
        out.extend_from_slice(scratch.as_of.as_ref().map_or("", |(_, s)| s.as_str()).as_bytes());
        out.extend_from_slice(b"\",\"verdicts\":[");
        for (i, v) in scratch.verdicts.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(self.rows.get(v.row as usize).map_or(&b"{\"duty\":null,\"actor\":"[..], Vec::as_slice));
            let a = v.actor as usize;
            let from = if a == 0 { Some(0) } else { scratch.actor_ends.get(a - 1).copied() };
            match (from, scratch.actor_ends.get(a)) {
                (Some(from), Some(&to)) => out.extend_from_slice(scratch.actors.get(from..to).unwrap_or_default()),
                _ => out.extend_from_slice(b"null"),
            }
            out.extend_from_slice(b",\"status\":\"");
            out.extend_from_slice(v.status.as_str().as_bytes());
            out.extend_from_slice(b"\",\"due\":");
            match v.due.and_then(|secs| chrono::DateTime::from_timestamp(secs, 0)) {
                Some(t) => {
                    out.push(b'"');
                    push_instant(out, &t.with_timezone(&self.zone).fixed_offset());
                    out.push(b'"');
                }
                None => out.extend_from_slice(b"null"),
            }
            out.extend_from_slice(b",\"late_by_seconds\":");
            match v.late_by_secs {
                Some(n) => {
                    let _ = write!(out, "{n}");
                }
                None => out.extend_from_slice(b"null"),
            }
            out.push(b'}');
        }
        out.extend_from_slice(b"]}\n");
    }
}

/// RFC 3339 with seconds, as `--format json` writes an instant.
fn push_instant(out: &mut Vec<u8>, t: &chrono::DateTime<chrono::FixedOffset>) {
    use chrono::{Datelike, Timelike};
    let off = t.offset().local_minus_utc();
    let y = t.year();
    if !(0..=9999).contains(&y) || off % 60 != 0 {
        out.extend_from_slice(t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false).as_bytes());
        return;
    }
    let two = |out: &mut Vec<u8>, n: u32| out.extend_from_slice(&[b'0' + (n / 10 % 10) as u8, b'0' + (n % 10) as u8]);
    let y = y.unsigned_abs();
    two(out, y / 100);
    two(out, y % 100);
    out.push(b'-');
    two(out, t.month());
    out.push(b'-');
    two(out, t.day());
    out.push(b'T');
    two(out, t.hour());
    out.push(b':');
    two(out, t.minute());
    out.push(b':');
    two(out, t.second());
    out.push(if off < 0 { b'-' } else { b'+' });
    let m = off.unsigned_abs() / 60;
    two(out, m / 60);
    out.push(b':');
    two(out, m % 60);
}

// ------------------------------------------------------------ batches

/// What checking one line of a batch needs, shared by the threads.
struct Batch<'a> {
    compiled: &'a [Compiled],
    vocab: &'a Vocab,
    load: LoadOptions,
    forced_as_of: Option<When>,
    now: When,
    o: &'a Options,
    style: &'a vpl_eval::render::Style,
    verdicts: &'a VerdictsFormat,
}

/// The running totals of a `check` run.
struct Tally<'a> {
    cases: &'a mut usize,
    violations: &'a mut usize,
    summary: &'a mut BTreeMap<Status, usize>,
}

impl Tally<'_> {
    fn add(&mut self, c: &Counts) {
        *self.cases += 1;
        *self.violations += c.violations;
        for (s, &n) in Status::ALL.iter().zip(&c.statuses) {
            if n > 0 {
                *self.summary.entry(*s).or_default() += n;
            }
        }
    }
}

/// Whole lines of a batch read together: their bytes, and where each line is.
struct Chunk {
    text: Vec<u8>,
    /// An empty buffer for the chunk's output (reused from an earlier chunk).
    out: Vec<u8>,
    /// (line number, start, end) of each non-blank line in `text`, without its line end.
    lines: Vec<(usize, usize, usize)>,
}

/// What checking a line gave: its output in [`Checked::out`], or diagnostics.
enum Line {
    Case { id_hash: u64, id: String, out: (usize, usize), counts: Counts },
    Bad(Vec<Diagnostic>),
}

struct Checked {
    chunk: Chunk,
    lines: Vec<Line>,
    out: Vec<u8>,
}

/// Roughly how many bytes of input one thread takes at a time.
const CHUNK_BYTES: usize = 128 << 10;

fn check_chunk(b: &Batch<'_>, mut chunk: Chunk, scratch: &mut Scratch) -> Checked {
    let mut out = std::mem::take(&mut chunk.out);
    out.clear();
    out.reserve(chunk.text.len() * if b.o.format == CheckFormat::Verdicts { 2 } else { 4 });
    let mut lines = Vec::with_capacity(chunk.lines.len());
    for &(_, start, end) in &chunk.lines {
        let bytes = chunk.text.get(start..end).unwrap_or_default();
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let at = e.valid_up_to();
                lines.push(Line::Bad(vec![Diagnostic::new(vpl_core::Code::NotText, "this line is not UTF-8 text")
                    .primary(vpl_core::Span::new(vpl_core::FileId(0), at, at + 1), "invalid byte here")
                    .help("a JSON Lines batch is UTF-8 text, one case a line")]));
                continue;
            }
        };
        match load_case(vpl_core::FileId(0), 0, text, b.vocab, b.load) {
            Ok(case) => {
                let from = out.len();
                let counts = check_one(b, &case, &mut out, scratch);
                lines.push(Line::Case { id_hash: id_hash(&case.id), id: case.id, out: (from, out.len()), counts });
            }
            Err(d) => lines.push(Line::Bad(d)),
        }
    }
    Checked { chunk, lines, out }
}

/// Reads a batch in chunks of whole lines, straight from the file into
/// each chunk's buffer (no line-by-line copy, no per-line allocation).
struct ChunkReader<R> {
    inner: R,
    /// The start of a line the last chunk did not end with.
    carry: Vec<u8>,
    lineno: usize,
    eof: bool,
}

impl<R: std::io::Read> ChunkReader<R> {
    fn new(inner: R) -> Self {
        ChunkReader { inner, carry: Vec::new(), lineno: 0, eof: false }
    }

    /// The next chunk of whole lines (the last may lack its newline), and
    /// how many bytes it holds; None at the end of the input. `spare`
    /// holds the buffers of a chunk done with, to be used again.
    fn next_chunk(&mut self, spare: Option<(Vec<u8>, Vec<u8>)>) -> std::io::Result<Option<(Chunk, usize)>> {
        if self.eof && self.carry.is_empty() {
            return Ok(None);
        }
        let (mut text, out) = spare.unwrap_or_default();
        text.clear();
        text.reserve(CHUNK_BYTES + (64 << 10));
        text.append(&mut self.carry);
        // Where to look for the last newline from: the bytes before hold none.
        let mut searched = 0;
        let end = loop {
            if text.len() >= CHUNK_BYTES || self.eof {
                if let Some(nl) = text.get(searched..).and_then(|t| memchr::memrchr(b'\n', t)) {
                    break searched + nl + 1;
                }
                if self.eof {
                    break text.len();
                }
            }
            searched = text.len();
            let want = CHUNK_BYTES.max(text.len() / 2);
            text.reserve(want);
            let old = text.len();
            text.resize(old + want, 0);
            let n = loop {
                match self.inner.read(text.get_mut(old..).unwrap_or_default()) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        text.truncate(old);
                        return Err(e);
                    }
                }
            };
            text.truncate(old + n);
            if n == 0 {
                self.eof = true;
                // Look at everything once more: the input may end without a newline.
                searched = 0;
            }
        };
        self.carry = text.get(end..).unwrap_or_default().to_vec();
        text.truncate(end);
        if text.is_empty() {
            return Ok(None);
        }
        let mut lines = Vec::with_capacity(text.len() / 512);
        let mut start = 0;
        while start < text.len() {
            let Some(rest) = text.get(start..) else { break };
            let len = memchr::memchr(b'\n', rest).map_or(rest.len(), |i| i + 1);
            self.lineno += 1;
            let piece = rest.get(..len).unwrap_or_default();
            let mut body = piece.strip_suffix(b"\n").unwrap_or(piece);
            while let Some(b) = body.strip_suffix(b"\r") {
                body = b;
            }
            if !is_blank(body) {
                lines.push((self.lineno, start, start + body.len()));
            }
            start += len;
        }
        let n = text.len();
        Ok(Some((Chunk { text, out, lines }, n)))
    }
}

/// A line with nothing but white space (as `str::trim` sees it) — looked at
/// no further than its first byte that is not ASCII white space.
fn is_blank(line: &[u8]) -> bool {
    match line.iter().find(|c| !c.is_ascii_whitespace()) {
        None => true,
        Some(c) if c.is_ascii() => false,
        Some(_) => std::str::from_utf8(line).is_ok_and(|t| t.trim().is_empty()),
    }
}

/// Checks a `.jsonl` batch on `jobs` threads: the main thread reads chunks
/// of lines and hands them out, the threads load and check them, and the
/// main thread takes the results back in file order, so the output is the
/// same as on one thread. At most `2 × jobs` chunks are in flight, so memory
/// does not grow with the file. Returns false if a line could not be read.
fn check_batch(
    rep: &mut Reporter,
    path: &Path,
    b: &Batch<'_>,
    jobs: usize,
    progress: bool,
    out: &mut impl Write,
    tally: &mut Tally<'_>,
) -> bool {
    let name = path.display().to_string();
    let Some((file, bar)) = open_batch(rep, path, progress) else { return false };
    let mut reader = ChunkReader::new(file);
    let mut bad = 0usize;
    // Case ids seen in this batch, in memory that does not grow (see `SeenIds`).
    let mut seen_ids = SeenIds::new();
    let mut failed = false;
    // Reads the next chunk of lines; None at the end of the file.
    // The buffers of chunks done with, used again for the next chunks.
    let mut spare: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    let mut next_chunk = |rep: &mut Reporter, failed: &mut bool, spare: &mut Vec<(Vec<u8>, Vec<u8>)>| -> Option<Chunk> {
        if *failed {
            return None;
        }
        match reader.next_chunk(spare.pop()) {
            Ok(Some((chunk, n))) => {
                if let Some(b) = &bar {
                    b.inc(n as u64);
                }
                Some(chunk)
            }
            Ok(None) => None,
            Err(e) => {
                *failed = true;
                rep.tool_error(ToolError::Read { path: format!("{name}:{}", reader.lineno + 1), reason: e.to_string() });
                None
            }
        }
    };
    let mut take = |rep: &mut Reporter, done: Checked, failed: &mut bool, spare: &mut Vec<(Vec<u8>, Vec<u8>)>| {
        // The output of consecutive good lines is written in one piece.
        let mut run = (0, 0);
        for (&(lineno, start, end), line) in done.chunk.lines.iter().zip(done.lines) {
            let diags = match line {
                Line::Case { id_hash, id, out: (from, to), counts } => match seen_ids.insert(id_hash, &id) {
                    Ok(true) => {
                        tally.add(&counts);
                        if run.1 != from {
                            let _ = out.write_all(done.out.get(run.0..run.1).unwrap_or_default());
                            run.0 = from;
                        }
                        run.1 = to;
                        continue;
                    }
                    Ok(false) => {
                        let text = String::from_utf8_lossy(done.chunk.text.get(start..end).unwrap_or_default());
                        vec![duplicate_id(&id, &text)]
                    }
                    Err(e) => {
                        *failed = true;
                        rep.tool_error(ids_error(&name, e));
                        break;
                    }
                },
                Line::Bad(diags) => diags,
            };
            bad += 1;
            let text = String::from_utf8_lossy(done.chunk.text.get(start..end).unwrap_or_default());
            report_bad_line(rep, &name, lineno, &text, diags, bad, bar.as_ref());
        }
        let _ = out.write_all(done.out.get(run.0..run.1).unwrap_or_default());
        spare.push((done.chunk.text, done.out));
    };
    if jobs <= 1 {
        let mut scratch = Scratch::default();
        while let Some(chunk) = next_chunk(rep, &mut failed, &mut spare) {
            take(rep, check_chunk(b, chunk, &mut scratch), &mut failed, &mut spare);
        }
    } else {
        let (job_tx, job_rx) = std::sync::mpsc::sync_channel::<(Chunk, std::sync::mpsc::SyncSender<Checked>)>(jobs);
        let job_rx = std::sync::Mutex::new(job_rx);
        let job_rx = &job_rx;
        std::thread::scope(|scope| {
            for _ in 0..jobs {
                scope.spawn(move || {
                    let mut scratch = Scratch::default();
                    loop {
                        let job = match job_rx.lock() {
                            Ok(rx) => rx.recv(),
                            Err(_) => return,
                        };
                        let Ok((chunk, reply)) = job else { return };
                        if reply.send(check_chunk(b, chunk, &mut scratch)).is_err() {
                            return;
                        }
                    }
                });
            }
            let mut in_flight = std::collections::VecDeque::new();
            let mut more = true;
            while more || !in_flight.is_empty() {
                while more && in_flight.len() < 2 * jobs {
                    match next_chunk(rep, &mut failed, &mut spare) {
                        Some(chunk) => {
                            let (tx, rx) = std::sync::mpsc::sync_channel(1);
                            if job_tx.send((chunk, tx)).is_err() {
                                more = false;
                                break;
                            }
                            in_flight.push_back(rx);
                        }
                        None => more = false,
                    }
                }
                let Some(rx) = in_flight.pop_front() else { break };
                match rx.recv() {
                    Ok(done) => take(rep, done, &mut failed, &mut spare),
                    Err(_) => {
                        rep.tool_error(ToolError::Read { path: name.clone(), reason: "a checking thread failed".into() });
                        failed = true;
                        break;
                    }
                }
            }
            drop(job_tx);
        });
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if bad > MAX_SHOWN_BAD_LINES {
        eprintln!("{name}: {} more bad lines not shown", bad - MAX_SHOWN_BAD_LINES);
    }
    bad == 0 && !failed
}

// ------------------------------------------------------------ duplicate ids

/// The hash [`SeenIds`] files an id under.
fn id_hash(id: &str) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    std::hash::Hash::hash(id, &mut h);
    std::hash::Hasher::finish(&h)
}

fn duplicate_id(id: &str, text: &str) -> Diagnostic {
    Diagnostic::new(vpl_core::Code::CaseDuplicate, format!("another case in this batch has the id `{id}`"))
        .primary(vpl_core::Span::new(vpl_core::FileId(0), 0, text.len()), "this case")
}

fn ids_error(name: &str, e: std::io::Error) -> ToolError {
    ToolError::Read { path: name.to_string(), reason: format!("cannot keep the case ids of the batch in a temporary file: {e}") }
}

/// The case ids of a batch, for E0710 (an id given twice), exactly — no
/// false reports — in memory that does not grow with the batch.
///
/// Exact answers from a single pass need memory that grows with the number
/// of ids (after n distinct ids the state must tell every possible set of
/// them apart, else some next id is answered wrongly); so the ids go to an
/// anonymous temporary file, and memory holds only a fixed-size filter:
///
/// - a blocked Bloom filter of [`SeenIds::FILTER_BYTES`]: each id sets 7
///   bits in one 64-byte block. An id none of whose bits are set is new —
///   the answer for nearly every id, with one cache miss and no IO;
/// - an id the filter may have seen is looked up exactly in the file of
///   ids (a sequential read of what is mostly in the page cache). This
///   happens for each real duplicate and for each false alarm of the filter:
///   about 2 in 10^5 ids at a million ids (a 1 GB batch), a handful of reads
///   of the file over the whole batch; the filter fills up beyond about two
///   million ids (6 in 1,000 at three million);
/// - should the lookups read more than [`SeenIds::SCAN_BUDGET`] times the
///   file's size and 256 MiB (a batch with many thousands of duplicate ids,
///   or of several million ids), the ids are loaded into an exact in-memory
///   set, which then grows with the batch — only for such input;
/// - if no temporary file can be made, the in-memory set is used from the start.
///
/// Standard input or a pipe works the same way: the file holds the ids
/// themselves, so the batch is never read twice.
struct SeenIds {
    filter: Vec<u64>,
    store: Store,
    /// Bytes written to the file, and bytes read back by lookups.
    written: u64,
    scanned: u64,
    /// Bytes lookups may read besides the budget (256 MiB).
    allowance: u64,
}

enum Store {
    File(std::io::BufWriter<std::fs::File>),
    Memory(std::collections::HashSet<Box<str>>),
}

impl SeenIds {
    /// 4 MiB: 65,536 blocks of 512 bits.
    const FILTER_BYTES: usize = 4 << 20;
    const BLOCKS: u64 = (Self::FILTER_BYTES / 64) as u64;
    /// Bits set per id, within its block.
    const K: u32 = 7;
    /// Lookups may read the file this many times over before the ids move to memory.
    const SCAN_BUDGET: u64 = 32;

    fn new() -> SeenIds {
        let store = match tempfile::tempfile() {
            Ok(f) => Store::File(std::io::BufWriter::with_capacity(64 << 10, f)),
            Err(_) => Store::Memory(std::collections::HashSet::new()),
        };
        SeenIds { filter: vec![0; Self::FILTER_BYTES / 8], store, written: 0, scanned: 0, allowance: 256 << 20 }
    }

    /// The block's first word and the bits of `h` in it.
    fn bits(h: u64) -> (usize, [(usize, u64); Self::K as usize]) {
        let block = (h >> 32) % Self::BLOCKS;
        // A second, independent-looking word for the bit positions (splitmix64's finaliser).
        let mut z = h.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        let mut bits = [(0, 0); Self::K as usize];
        for (i, b) in bits.iter_mut().enumerate() {
            let p = (z >> (9 * i)) & 511;
            *b = ((p >> 6) as usize, 1u64 << (p & 63));
        }
        ((block * 8) as usize, bits)
    }

    /// Adds the id; false if the batch had it already. `h` is [`id_hash`] of `id`.
    fn insert(&mut self, h: u64, id: &str) -> std::io::Result<bool> {
        let (base, bits) = Self::bits(h);
        let mut maybe_seen = true;
        for (word, bit) in bits {
            if let Some(w) = self.filter.get_mut(base + word) {
                maybe_seen &= *w & bit != 0;
                *w |= bit;
            }
        }
        if let Store::Memory(set) = &mut self.store {
            return Ok(set.insert(id.into()));
        }
        if maybe_seen && self.lookup(h, id)? {
            return Ok(false);
        }
        if let Store::File(w) = &mut self.store {
            let len = u32::try_from(id.len()).map_err(std::io::Error::other)?;
            w.write_all(&h.to_le_bytes())?;
            w.write_all(&len.to_le_bytes())?;
            w.write_all(id.as_bytes())?;
            self.written += 12 + u64::from(len);
        } else if let Store::Memory(set) = &mut self.store {
            set.insert(id.into());
        }
        Ok(true)
    }

    /// Whether the file of ids holds `id`; moves the ids to memory when
    /// lookups have read too much.
    fn lookup(&mut self, h: u64, id: &str) -> std::io::Result<bool> {
        use std::io::{Read, Seek, SeekFrom};
        let Store::File(w) = &mut self.store else { return Ok(false) };
        w.flush()?;
        let to_memory = self.scanned > Self::SCAN_BUDGET * self.written + self.allowance;
        let file = w.get_mut();
        file.seek(SeekFrom::Start(0))?;
        let mut r = std::io::BufReader::with_capacity(256 << 10, &*file);
        let mut found = false;
        let mut set = std::collections::HashSet::new();
        let mut head = [0u8; 12];
        let mut name = Vec::new();
        let mut read = 0u64;
        while read < self.written {
            r.read_exact(&mut head)?;
            let (hh, len) = head.split_at(8);
            let hh = u64::from_le_bytes(hh.try_into().map_err(std::io::Error::other)?);
            let len = u32::from_le_bytes(len.try_into().map_err(std::io::Error::other)?);
            read += 12 + u64::from(len);
            if hh == h || to_memory {
                name.resize(len as usize, 0);
                r.read_exact(&mut name)?;
                found |= name == id.as_bytes();
                if found && !to_memory {
                    break;
                }
                if to_memory {
                    set.insert(String::from_utf8_lossy(&name).into());
                }
            } else {
                r.seek_relative(i64::from(len))?;
            }
        }
        self.scanned += read;
        drop(r);
        if to_memory {
            self.store = Store::Memory(set);
        } else {
            file.seek(SeekFrom::End(0))?;
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::{id_hash, is_blank, ChunkReader, Scratch, SeenIds, Store, CHUNK_BYTES};

    #[test]
    fn chunks_hold_whole_lines_numbered_as_in_the_file() {
        let mut text = String::new();
        for i in 0..4000 {
            match i % 9 {
                0 => text.push('\n'),
                1 => text.push_str("  \t\r\n"),
                2 => text.push_str("\u{3000}\n"),
                3 => text.push_str(&format!("{{\"id\":\"crlf-{i}\"}}\r\n")),
                4 => text.push_str(&format!("{{\"id\":\"{i}\",\"pad\":\"{}\"}}\n", "x".repeat(i * 37 % 5000))),
                _ => text.push_str(&format!("{{\"id\":\"{i}\"}}\n")),
            }
        }
        // One line longer than a chunk, and no newline at the very end.
        text.push_str(&format!("{{\"id\":\"long\",\"pad\":\"{}\"}}\n", "y".repeat(3 * CHUNK_BYTES)));
        text.push_str("{\"id\":\"last\"}");
        let expected: Vec<(usize, &str)> = text
            .split('\n')
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
            .filter(|(_, l)| !l.trim().is_empty())
            .collect();
        let mut reader = ChunkReader::new(std::io::Cursor::new(text.as_bytes()));
        let (mut got, mut chunks, mut bytes) = (Vec::new(), 0, 0);
        let mut spare = None;
        while let Some((chunk, n)) = reader.next_chunk(spare.take()).unwrap() {
            chunks += 1;
            bytes += n;
            assert!(chunk.text.ends_with(b"\n") || chunk.text.ends_with(b"}"), "a chunk ends with a whole line");
            for &(lineno, start, end) in &chunk.lines {
                got.push((lineno, String::from_utf8(chunk.text[start..end].to_vec()).unwrap()));
            }
            spare = Some((chunk.text, chunk.out));
        }
        assert!(chunks > 3, "{chunks} chunks");
        assert_eq!(bytes, text.len());
        assert_eq!(got.len(), expected.len());
        for ((n, l), (m, e)) in got.iter().zip(&expected) {
            assert_eq!((n, l.as_str()), (m, *e));
        }
    }

    #[test]
    fn the_as_of_text_follows_each_change_of_as_of() {
        let mut scratch = Scratch::default();
        // The fourth and fifth are one instant written with two offsets.
        let texts = [
            "2024-12-31T00:00:00+08:00",
            "2024-12-31T00:00:00+08:00",
            "2025-01-01",
            "2024-12-31T00:00:00+00:00",
            "2024-12-31T08:00:00+08:00",
            "2025-01-01",
        ];
        for t in texts {
            let when: vpl_time::When = t.parse().unwrap();
            assert_eq!(scratch.as_of_text(&when), when.to_string());
            assert_eq!(scratch.as_of_text(&when), t);
        }
    }

    #[test]
    fn blank_lines_are_white_space_as_trim_sees_it() {
        for s in ["", " ", "\t \r", "\u{3000}", " \u{a0} "] {
            assert!(is_blank(s.as_bytes()), "{s:?}");
        }
        for s in ["{}", "  x", "\u{3000}x", "é"] {
            assert!(!is_blank(s.as_bytes()), "{s:?}");
        }
        assert!(!is_blank(&[b' ', 0xff]), "not UTF-8: not blank, reported");
    }

    fn insert(seen: &mut SeenIds, id: &str) -> bool {
        seen.insert(id_hash(id), id).unwrap()
    }

    #[test]
    fn seen_ids_finds_every_repeat_and_nothing_else() {
        let mut seen = SeenIds::new();
        assert!(matches!(seen.store, Store::File(_)));
        let n = 200_000;
        assert!((0..n).all(|i| insert(&mut seen, &format!("case-{i}"))));
        assert!((0..n).step_by(4999).all(|i| !insert(&mut seen, &format!("case-{i}"))));
        assert!(insert(&mut seen, "case-new"));
        assert!(!insert(&mut seen, "case-new"));
        assert!(matches!(seen.store, Store::File(_)), "a few repeats keep the ids on disk");
    }

    #[test]
    fn a_filter_hit_that_is_no_repeat_is_not_reported() {
        // Ids whose hashes collide entirely: the filter says "maybe", the file says no.
        let mut seen = SeenIds::new();
        assert!(seen.insert(42, "a").unwrap());
        assert!(seen.insert(42, "b").unwrap());
        assert!(!seen.insert(42, "a").unwrap());
        assert!(!seen.insert(42, "b").unwrap());
        assert!(seen.insert(42, "c").unwrap());
    }

    #[test]
    fn many_repeats_move_the_ids_to_memory_and_stay_exact() {
        let mut seen = SeenIds::new();
        seen.allowance = 0;
        let n = 20_000;
        assert!((0..n).all(|i| insert(&mut seen, &format!("{i:08}"))));
        // Every id again, in an order no cursor would guess: each is a lookup.
        let mut moved = false;
        for i in (0..n).map(|i| (i * 7919) % n) {
            assert!(!insert(&mut seen, &format!("{i:08}")), "{i} is a repeat");
            moved |= matches!(seen.store, Store::Memory(_));
        }
        assert!(moved, "lookups past the budget move the ids to memory");
        assert!(insert(&mut seen, "new"));
        assert!(!insert(&mut seen, "new"));
    }
}
