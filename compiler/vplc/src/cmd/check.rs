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

pub fn parse_as_of(rep: &mut Reporter, s: &str) -> Option<When> {
    match vpl_eval::load::parse_when(s, None) {
        Ok(w) => Some(w),
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
    let Some((mut reader, bar)) = open_batch(rep, path, progress) else { return false };
    let mut line = String::new();
    let mut lineno = 0usize;
    let mut bad = 0usize;
    // Case ids seen in this batch, as 64-bit hashes: 8 bytes a case keeps
    // memory nearly flat on large batches (a false "duplicate" needs a
    // collision among millions of ids, about one chance in 10^7).
    let mut seen_ids: std::collections::HashSet<u64> = std::collections::HashSet::new();
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
        let result = load_case(vpl_core::FileId(0), 0, text, vocab, opts).and_then(|case| {
            let mut h = std::hash::DefaultHasher::new();
            std::hash::Hash::hash(&case.id, &mut h);
            if seen_ids.insert(std::hash::Hasher::finish(&h)) {
                Ok(case)
            } else {
                Err(vec![Diagnostic::new(
                    vpl_core::Code::CaseDuplicate,
                    format!("another case in this batch has the id `{}`", case.id),
                )
                .primary(vpl_core::Span::new(vpl_core::FileId(0), 0, text.len()), "this case")])
            }
        });
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
fn open_batch(
    rep: &mut Reporter,
    path: &Path,
    progress: bool,
) -> Option<(std::io::BufReader<std::fs::File>, Option<indicatif::ProgressBar>)> {
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
    Some((std::io::BufReader::with_capacity(1 << 20, file), bar))
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
    let forced_as_of = match &o.as_of {
        Some(s) => match parse_as_of(rep, s) {
            Some(w) => Some(w),
            None => return BAD_INPUT,
        },
        None => None,
    };
    let now = now();
    let vocab = Vocab::new(compiled.iter().map(|c| &c.table.vocabulary));
    let color = use_color(rep_color(o), std::io::stdout().is_terminal());
    let width = if std::io::stdout().is_terminal() { Some(160) } else { None };
    let style = vpl_eval::render::Style { color, explain: o.explain, width };
    let paths: Vec<PathBuf> = cases.iter().map(PathBuf::from).collect();
    let files = case_files(rep, &paths);
    let mut summary: BTreeMap<Status, usize> = BTreeMap::new();
    let (mut n_cases, mut violations) = (0usize, 0usize);
    let mut all_ok = true;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let show_progress = match o.progress {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => std::io::stderr().is_terminal(),
    };
    let jobs = o.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from)).max(1);
    for file in &files {
        let big = std::fs::metadata(file).map(|m| m.len() > 4 << 20).unwrap_or(false);
        if file.extension().is_some_and(|x| x == "jsonl") {
            let batch =
                Batch { compiled: &compiled, vocab: &vocab, load: LoadOptions { tz }, forced_as_of, now, o, style: &style };
            let mut tally = Tally { cases: &mut n_cases, violations: &mut violations, summary: &mut summary };
            all_ok &= check_batch(rep, file, &batch, jobs, show_progress && big, &mut out, &mut tally);
            continue;
        }
        let ok = for_each_case(rep, file, &vocab, LoadOptions { tz }, show_progress && big, |_, case| {
            n_cases += 1;
            let as_of = forced_as_of.or(case.as_of).unwrap_or(now);
            let opts = vpl_eval::Options { explain: o.explain };
            let reports: Vec<CaseReport> = compiled.iter().map(|c| vpl_eval::check_case_with(c, &case, &as_of, opts)).collect();
            for r in &reports {
                violations += r.violations();
                for f in &r.findings {
                    *summary.entry(f.status).or_default() += 1;
                }
            }
            let _ = write_reports(&mut out, &case, &as_of, &reports, o.format, &style);
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

fn rep_color(o: &Options) -> ColorWhen {
    // Colour follows the global --color through NO_COLOR / terminal detection.
    let _ = o;
    ColorWhen::Auto
}

fn write_reports(
    out: &mut impl Write,
    case: &Case,
    as_of: &When,
    reports: &[CaseReport],
    format: CheckFormat,
    style: &vpl_eval::render::Style,
) -> std::io::Result<()> {
    match format {
        CheckFormat::Json => {
            for r in reports {
                serde_json::to_writer(&mut *out, r).map_err(std::io::Error::other)?;
                out.write_all(b"\n")?;
            }
        }
        CheckFormat::Human => {
            out.write_all(vpl_eval::render::case_heading(&case.id, case.title.as_deref(), &as_of.to_string()).as_bytes())?;
            for r in reports {
                out.write_all(b"\n")?;
                out.write_all(vpl_eval::render::report(r, style).as_bytes())?;
            }
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}

/// What checking one line of a batch needs, shared by the threads.
struct Batch<'a> {
    compiled: &'a [Compiled],
    vocab: &'a Vocab,
    load: LoadOptions,
    forced_as_of: Option<When>,
    now: When,
    o: &'a Options,
    style: &'a vpl_eval::render::Style,
}

/// The running totals of a `check` run.
struct Tally<'a> {
    cases: &'a mut usize,
    violations: &'a mut usize,
    summary: &'a mut BTreeMap<Status, usize>,
}

/// Lines of a batch read together: their text, and where each line is.
struct Chunk {
    text: String,
    /// (line number, start, end) of each non-blank line in `text`.
    lines: Vec<(usize, usize, usize)>,
}

/// What checking a line gave: its output in [`Checked::out`], or diagnostics.
enum Line {
    Case { id_hash: u64, id: String, out: (usize, usize), statuses: [usize; Status::ALL.len()], violations: usize },
    Bad(Vec<Diagnostic>),
}

struct Checked {
    chunk: Chunk,
    lines: Vec<Line>,
    out: Vec<u8>,
}

/// Roughly how many bytes of input one thread takes at a time.
const CHUNK_BYTES: usize = 128 << 10;

fn check_chunk(b: &Batch<'_>, chunk: Chunk) -> Checked {
    let mut out = Vec::with_capacity(chunk.text.len() * 4);
    let mut lines = Vec::with_capacity(chunk.lines.len());
    let opts = vpl_eval::Options { explain: b.o.explain };
    for &(_, start, end) in &chunk.lines {
        let text = chunk.text.get(start..end).unwrap_or_default();
        match load_case(vpl_core::FileId(0), 0, text, b.vocab, b.load) {
            Ok(case) => {
                let mut h = std::hash::DefaultHasher::new();
                std::hash::Hash::hash(&case.id, &mut h);
                let as_of = b.forced_as_of.or(case.as_of).unwrap_or(b.now);
                let reports: Vec<CaseReport> =
                    b.compiled.iter().map(|c| vpl_eval::check_case_with(c, &case, &as_of, opts)).collect();
                let mut statuses = [0; Status::ALL.len()];
                let mut violations = 0;
                for r in &reports {
                    violations += r.violations();
                    for f in &r.findings {
                        if let Some(n) = Status::ALL.iter().position(|s| *s == f.status).and_then(|i| statuses.get_mut(i)) {
                            *n += 1;
                        }
                    }
                }
                let from = out.len();
                let _ = write_reports(&mut out, &case, &as_of, &reports, b.o.format, b.style);
                lines.push(Line::Case {
                    id_hash: std::hash::Hasher::finish(&h),
                    id: case.id,
                    out: (from, out.len()),
                    statuses,
                    violations,
                });
            }
            Err(d) => lines.push(Line::Bad(d)),
        }
    }
    Checked { chunk, lines, out }
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
    let Some((mut reader, bar)) = open_batch(rep, path, progress) else { return false };
    let mut lineno = 0usize;
    let mut bad = 0usize;
    // Case ids seen in this batch, as 64-bit hashes: 8 bytes a case keeps
    // memory nearly flat on large batches (a false "duplicate" needs a
    // collision among millions of ids, about one chance in 10^7).
    let mut seen_ids = SeenIds::default();
    let mut read_error = false;
    // Reads the next chunk of lines; None at the end of the file.
    let mut next_chunk = |rep: &mut Reporter| -> Option<Chunk> {
        let mut chunk = Chunk { text: String::with_capacity(CHUNK_BYTES + 4096), lines: Vec::new() };
        while chunk.text.len() < CHUNK_BYTES && !read_error {
            let start = chunk.text.len();
            match reader.read_line(&mut chunk.text) {
                Ok(0) => break,
                Ok(n) => {
                    lineno += 1;
                    if let Some(b) = &bar {
                        b.inc(n as u64);
                    }
                    let line = chunk.text.get(start..).unwrap_or_default();
                    let end = start + line.trim_end_matches(['\n', '\r']).len();
                    if !chunk.text.get(start..end).unwrap_or_default().trim().is_empty() {
                        chunk.lines.push((lineno, start, end));
                    }
                }
                Err(e) => {
                    read_error = true;
                    rep.tool_error(ToolError::Read { path: format!("{name}:{}", lineno + 1), reason: e.to_string() });
                }
            }
        }
        (!chunk.text.is_empty()).then_some(chunk)
    };
    let mut take = |rep: &mut Reporter, done: Checked| {
        for (&(lineno, start, end), line) in done.chunk.lines.iter().zip(done.lines) {
            let text = done.chunk.text.get(start..end).unwrap_or_default();
            let diags = match line {
                Line::Case { id_hash, id, out: (from, to), statuses, violations } => {
                    if seen_ids.insert(id_hash) {
                        *tally.cases += 1;
                        *tally.violations += violations;
                        for (s, n) in Status::ALL.iter().zip(statuses) {
                            if n > 0 {
                                *tally.summary.entry(*s).or_default() += n;
                            }
                        }
                        let _ = out.write_all(done.out.get(from..to).unwrap_or_default());
                        continue;
                    }
                    vec![Diagnostic::new(vpl_core::Code::CaseDuplicate, format!("another case in this batch has the id `{id}`"))
                        .primary(vpl_core::Span::new(vpl_core::FileId(0), 0, text.len()), "this case")]
                }
                Line::Bad(diags) => diags,
            };
            bad += 1;
            report_bad_line(rep, &name, lineno, text, diags, bad, bar.as_ref());
        }
    };
    if jobs <= 1 {
        while let Some(chunk) = next_chunk(rep) {
            take(rep, check_chunk(b, chunk));
        }
    } else {
        let (job_tx, job_rx) = std::sync::mpsc::sync_channel::<(Chunk, std::sync::mpsc::SyncSender<Checked>)>(jobs);
        let job_rx = std::sync::Mutex::new(job_rx);
        let job_rx = &job_rx;
        std::thread::scope(|scope| {
            for _ in 0..jobs {
                scope.spawn(move || loop {
                    let job = match job_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok((chunk, reply)) = job else { return };
                    if reply.send(check_chunk(b, chunk)).is_err() {
                        return;
                    }
                });
            }
            let mut in_flight = std::collections::VecDeque::new();
            let mut more = true;
            while more || !in_flight.is_empty() {
                while more && in_flight.len() < 2 * jobs {
                    match next_chunk(rep) {
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
                    Ok(done) => take(rep, done),
                    Err(_) => {
                        rep.tool_error(ToolError::Read { path: name.clone(), reason: "a checking thread failed".into() });
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
    bad == 0 && !read_error
}

/// A set of 64-bit id hashes in about 8 bytes each: a sorted vector, and a
/// small hash set of recent ones merged into it when it fills (a plain hash
/// set takes two to three times as much at a million cases).
#[derive(Default)]
struct SeenIds {
    sorted: Vec<u64>,
    recent: std::collections::HashSet<u64>,
}

impl SeenIds {
    const RECENT: usize = 1 << 16;

    /// Adds `h`; false if it was there already.
    fn insert(&mut self, h: u64) -> bool {
        if self.sorted.binary_search(&h).is_ok() || !self.recent.insert(h) {
            return false;
        }
        if self.recent.len() >= Self::RECENT {
            self.sorted.extend(self.recent.drain());
            self.sorted.sort_unstable();
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::SeenIds;

    #[test]
    fn seen_ids_finds_every_repeat_across_merges() {
        let mut seen = SeenIds::default();
        let n = 3 * SeenIds::RECENT as u64 + 17;
        let h = |i: u64| i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        assert!((0..n).all(|i| seen.insert(h(i))));
        assert!((0..n).step_by(7).all(|i| !seen.insert(h(i))));
        assert!(seen.insert(h(n)));
        assert_eq!(seen.sorted.len() + seen.recent.len(), n as usize + 1);
    }
}
