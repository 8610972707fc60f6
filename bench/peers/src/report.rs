//! The performance page and the summaries printed by `gate` and `time`.

use crate::{Gate, Row, Settings, Stat};
use std::fmt::Write;

fn us(ns: f64) -> String {
    if ns >= 100_000.0 {
        format!("{:.0} µs", ns / 1e3)
    } else if ns >= 1_000.0 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{:.2} µs", ns / 1e3)
    }
}

fn ratio(peer: f64, vpl: f64) -> f64 {
    if vpl > 0.0 {
        peer / vpl
    } else {
        f64::NAN
    }
}

pub fn timing_line(r: &Row) -> String {
    let [v, c, g] = r.eval;
    format!(
        "duties {:>2} events {:>2}: eval median VPL {} Cedar {} Rego {} ({:.1}x, {:.1}x); e2e VPL {} Cedar {} Rego {}",
        r.duties,
        r.events,
        us(v.median_ns),
        us(c.median_ns),
        us(g.median_ns),
        ratio(c.median_ns, v.median_ns),
        ratio(g.median_ns, v.median_ns),
        us(r.e2e[0].median_ns),
        us(r.e2e[1].median_ns),
        us(r.e2e[2].median_ns)
    )
}

fn stat_cells(s: &[Stat; 3]) -> String {
    let [v, c, g] = s;
    format!(
        "{} / {} | {} / {} | {} / {} | **{:.1}×** | **{:.1}×**",
        us(v.median_ns),
        us(v.p99_ns),
        us(c.median_ns),
        us(c.p99_ns),
        us(g.median_ns),
        us(g.p99_ns),
        ratio(c.median_ns, v.median_ns),
        ratio(g.median_ns, v.median_ns)
    )
}

pub fn timing_markdown(rows: &[Row]) -> String {
    let mut s = String::new();
    for (title, pick) in [
        ("Evaluation alone (inputs prepared outside the timed part)", 0usize),
        ("End to end from JSON text (parse + map + evaluate)", 1),
    ] {
        let _ = writeln!(s, "**{title}**: per case, median / p99\n");
        let _ = writeln!(s, "| duties | events | VPL | Cedar | Rego (regorus) | Cedar ÷ VPL | regorus ÷ VPL |");
        let _ = writeln!(s, "|---:|---:|---|---|---|---:|---:|");
        for r in rows {
            let cells = stat_cells(if pick == 0 { &r.eval } else { &r.e2e });
            let _ = writeln!(s, "| {} | {} | {cells} |", r.duties, r.events);
        }
        s.push('\n');
    }
    s
}

/// Whether the bars of issue 7 hold: the smallest ratio over the sweep.
pub fn bars(rows: &[Row]) -> String {
    let min = |i: usize| rows.iter().map(|r| ratio(r.eval[i].median_ns, r.eval[0].median_ns)).fold(f64::INFINITY, f64::min);
    let max = |i: usize| rows.iter().map(|r| ratio(r.eval[i].median_ns, r.eval[0].median_ns)).fold(0.0, f64::max);
    let met = |i: usize, bar: f64| rows.iter().filter(|r| ratio(r.eval[i].median_ns, r.eval[0].median_ns) >= bar).count();
    let status = |i: usize, bar: f64| match met(i, bar) {
        n if n == rows.len() => "met".to_string(),
        0 => "not met".to_string(),
        n => format!("met in {n} of {} configurations", rows.len()),
    };
    let mut s = String::new();
    let _ = writeln!(s, "| bar (issue 7) | measured (median per case, evaluation alone, over the sweep) | status |");
    let _ = writeln!(s, "|---|---|---|");
    let _ = writeln!(s, "| VPL ≥ 10× faster than Cedar | {:.1}× to {:.1}× | {} |", min(1), max(1), status(1, 10.0));
    let _ = writeln!(s, "| VPL ≥ 50× faster than regorus | {:.1}× to {:.1}× | {} |", min(2), max(2), status(2, 50.0));
    s
}

pub fn gate_markdown(g: &Gate, set: &Settings) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} generated cases (seed {}, 5 to 50 events each), {} verdicts (duty × bearer) from each engine: **{}**.\n",
        g.cases,
        set.seed,
        g.verdicts,
        if g.disagreements.is_empty() {
            "all three engines agree on every verdict".to_string()
        } else {
            format!("{} disagreements", g.disagreements.len())
        }
    );
    let _ = writeln!(
        s,
        "The calendar given to Cedar and Rego: {} rest days 2019–2026 (longest run {} days).\n",
        g.rest_days, g.longest_rest_run
    );
    let _ = writeln!(s, "| duty | verdicts (VPL's statuses; `(none)`: the duty does not arise) |");
    let _ = writeln!(s, "|---|---|");
    for (duty, m) in &g.distribution {
        let cells: Vec<String> = m.iter().map(|(k, n)| format!("{k} {n}")).collect();
        let _ = writeln!(s, "| `{duty}` | {} |", cells.join(", "));
    }
    s.push('\n');
    if !g.disagreements.is_empty() {
        let mut cats: std::collections::BTreeMap<(String, String, String, String), (usize, usize)> = Default::default();
        for d in &g.disagreements {
            let duty = d.key.split('@').next().unwrap_or(&d.key).to_string();
            let e = cats.entry((duty, d.vpl.clone(), d.cedar.clone(), d.rego.clone())).or_insert((0, d.case));
            e.0 += 1;
        }
        let _ = writeln!(s, "| duty | VPL | Cedar | Rego | count | first case |");
        let _ = writeln!(s, "|---|---|---|---|---:|---:|");
        for ((duty, v, c, r), (n, first)) in cats {
            let _ = writeln!(s, "| `{duty}` | {v} | {c} | {r} | {n} | c{first} |");
        }
        s.push('\n');
    }
    s
}

/// One line of the pipeline bench: `{name:<44} {value:>16}   {ratio:>7.2}× {baseline:<34} {bar}`.
struct BenchLine {
    name: String,
    figure: String,
    ratio: String,
    baseline: String,
    bar: String,
    notes: Vec<String>,
}

fn parse_bench(text: &str) -> Vec<BenchLine> {
    let mut out: Vec<BenchLine> = Vec::new();
    // The name of the last unindented figure, which indented ones vary.
    let mut top: Option<String> = None;
    for line in text.lines() {
        let indented = line.starts_with("  ");
        if indented && !line.contains('×') {
            if let Some(last) = out.last_mut() {
                last.notes.push(line.trim().trim_start_matches('(').trim_end_matches(')').to_string());
            }
            continue;
        }
        // An indented figure (`the same, verdicts only`) varies the line above.
        let parent = if indented { top.clone() } else { None };
        let Some((left, right)) = line.split_once('×') else { continue };
        // Columns are padded, so fields are separated by two spaces or more.
        let fields =
            |t: &str| -> Vec<String> { t.split("  ").map(str::trim).filter(|x| !x.is_empty()).map(String::from).collect() };
        let mut l = fields(left);
        let Some(ratio) = l.pop() else { continue };
        if ratio.parse::<f64>().is_err() || l.len() < 2 {
            continue;
        }
        let figure = l.pop().unwrap_or_default();
        let name = match &parent {
            Some(p) => format!("{p} — {}", l.join(" ")),
            None => {
                top = Some(l.join(" "));
                l.join(" ")
            }
        };
        let r = fields(right);
        let (baseline, bar) = match r.as_slice() {
            [b, rest @ ..] => (b.clone(), rest.join(" ")),
            [] => (String::new(), String::new()),
        };
        out.push(BenchLine { name, figure, ratio: format!("{ratio}×"), baseline, bar, notes: Vec::new() });
    }
    out
}

fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines().find(|l| l.starts_with("model name")).and_then(|l| l.split_once(':')).map(|(_, m)| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cmd = |prog: &str, args: &[&str]| {
        std::process::Command::new(prog)
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_else(|| "unknown".into())
    };
    let commit = cmd("git", &["rev-parse", "--short=12", "HEAD"]);
    let dirty = !cmd("git", &["status", "--porcelain", "--untracked-files=no", "--", ".", ":!docs/performance.md"]).is_empty();
    let rustc = cmd("rustc", &["--version"]);
    format!(
        "{} UTC · commit `{commit}`{} · {cores} logical cores, {cpu} · {rustc}",
        chrono::Utc::now().format("%Y-%m-%d %H:%M"),
        if dirty { " (with uncommitted changes)" } else { "" }
    )
}

fn duties_table() -> String {
    let mut s = String::new();
    let _ = writeln!(s, "| # | duty | article | bearer |");
    let _ = writeln!(s, "|---:|---|---|---|");
    for (i, d) in crate::duties::DUTIES.iter().enumerate() {
        let _ = writeln!(s, "| {} | `{}` | {} | {} |", i + 1, d.id, d.cite, d.role);
    }
    s
}

pub fn page(g: &Gate, rows: &[Row], bench: Option<&str>, set: &Settings) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Performance\n\n<!-- Generated by scripts/perf.sh (bench/peers/src/report.rs); do not edit by hand: rerun the script. -->\n"
    );
    let _ = writeln!(s, "Run: {}.\n", machine());
    let _ = writeln!(
        s,
        "The machine is shared: other builds may run beside the benches, so every figure is a median \
         (with the 99th percentile where the distribution matters; the pipeline bench takes each median in \
         three windows and keeps the quietest, baselines alike) and every comparison is between figures \
         measured in the same run. Rerun `scripts/perf.sh` for your own machine; `scripts/perf.sh --quick` \
         is a shorter run for trying it out.{}\n",
        if set.time_cases < 1000 || set.gate_cases < 10_000 {
            format!(
                " **This page comes from a shortened run** ({} gate cases, {} cases per timing configuration, {} ms per measurement).",
                set.gate_cases, set.time_cases, set.budget_ms
            )
        } else {
            String::new()
        }
    );
    let _ = writeln!(s, "## The bars of issue 7\n");
    s.push_str(&bars(rows));
    let lines = bench.map(parse_bench).unwrap_or_default();
    // Issue 7: JSON Lines end to end within 2x of serde_json parsing the same file: the real
    // binary on one core when the e2e section ran, else the in-process figure.
    let e2e = lines.iter().find(|l| l.name.starts_with("vplc check --format verdicts --jobs 1"));
    if let Some(l) = e2e.or_else(|| lines.iter().find(|l| l.name.starts_with("JSON Lines"))) {
        let r: f64 = l.ratio.trim_end_matches('×').parse().unwrap_or(f64::NAN);
        let _ = writeln!(
            s,
            "| JSON Lines end to end within 2× of serde_json parsing the same lines (`{}`) | {} ({}) | {} |",
            l.name,
            l.ratio,
            l.figure,
            if r <= 2.0 { "met" } else { "not met" }
        );
    }
    // The bars the e2e section prints with a verdict of its own (two cores, flat memory).
    for l in lines.iter().filter(|l| l.name.contains("2 cores vs 1 core") || l.name.starts_with("peak memory")) {
        let met = if l.bar.contains("NOT met") {
            "not met"
        } else if l.bar.contains("met") {
            "met"
        } else {
            "—"
        };
        let _ = writeln!(s, "| {} | {} ({}) | {met} |", l.name, l.figure, l.bar);
    }
    if let Some(l) =
        lines.iter().find(|l| l.name == "compile stdlib + every bundled policy — the same in a fresh process (+ parse once)")
    {
        let met = if l.bar.contains("NOT met") { "not met" } else { "met" };
        let _ = writeln!(s, "| compiling the stdlib and every bundled policy ≤ 5 ms (a fresh process) | {} | {met} |", l.figure);
    }
    let _ = writeln!(s, "\nBars of the pipeline bench (issues 2, 3 and 7), as it prints them:\n");
    let _ = writeln!(s, "| benchmark | figure | bar |");
    let _ = writeln!(s, "|---|---|---|");
    for l in lines.iter().filter(|l| !l.bar.is_empty()) {
        let _ = writeln!(s, "| {} | {} ({} {}) | {} |", l.name, l.figure, l.ratio, l.baseline, l.bar);
    }
    if e2e.is_none() {
        let _ = writeln!(
            s,
            "\nNot measured in this run: the end-to-end section (`cargo bench -p vplc --bench pipeline -- e2e`), \
             which times the real `vplc` on JSON Lines on one and two cores and reads its peak memory.\n"
        );
    } else {
        s.push('\n');
    }

    let _ = writeln!(s, "## VPL beside Cedar and Rego\n");
    let _ = writeln!(
        s,
        "`bench/peers` is a Cargo workspace of its own (the root's `cargo test --workspace` never builds it). It \
         encodes the duties of `cn/provisions-2021` that Cedar (crate `cedar-policy` 4, with its `datetime` \
         extension) and Rego (crate `regorus`) can express, as Cedar policies in `bench/peers/policies/cedar/` and \
         Rego in `bench/peers/policies/rego/`, each citing its article. All three engines answer the same question \
         for every duty and every actor that holds its role: *what is this duty's status for this bearer in this \
         case as of the case's `as_of`* — `met`, `late`, `missed`, `pending`, `breached`, `exempt`, \
         `undetermined` (standing duties with no act on record) or `not_applicable` (before the Provisions took \
         effect on 1 September 2021), in `vplc check`'s words. The sweep takes the first 1, the first 10 and all \
         of these duties:\n"
    );
    s.push_str(&duties_table());
    let _ = writeln!(
        s,
        "\n**How each engine gets a case.**\n\n\
         - **VPL**: the bundled policy compiled once, its decision table cut to the duties of the sweep, each case \
           loaded with `vpl_eval::load_case` (strict; a serde fast path, the spanned loader on any error) and checked \
           with `vpl_eval::verdicts`, the lean path that gives statuses without text — the same decisions the peers \
           give. The gate checks on every case that it decides exactly as `check_case_with`, which `vplc check` \
           uses and which also builds the text of each finding. VPL keeps a deadline that depends on its \
           starting day alone (the Civil Code's day periods) by that day, per thread, so over a run it counts \
           each starting day's deadline once; the peers count it for every case.\n\
         - **Rego**: the case file itself is the input; the rest days of the `cn` calendar (weekends and public \
           holidays, make-up working days excepted, 2019–2026) are data, a set of day numbers loaded once; the \
           policy searches the events, counts the 2-day period under Civil Code arts. 200–204 and moves a last day \
           that is a rest day to the next working day. Compiled once (`compile_with_entrypoint`), evaluated with \
           `eval_with_input`.\n\
         - **Cedar**: one request per actor (principal), with the same rest-day set as an attribute of a \
           `Calendar` entity. Cedar has no quantifier over a set and no loop, so a policy cannot search a case's \
           events: the harness hands it, per event pattern the duties mention, the time of the bearer's first \
           matching event (and of the first on or after 1 September 2021; for the report, the first qualifying \
           report at or after the first awareness). Everything else — role, attributes, effective date, the \
           period and its rest-day extension (unrolled over up to 12 consecutive rest days, since there is no \
           loop; the harness checks the calendar has no longer run), windows, exceptions, the comparison with \
           `as_of` — is decided by the policies. One policy per verdict, `@id(\"duty:verdict:n\")`; the verdicts \
           are the reasons of the decision. That selection is real work Cedar leaves to its caller: it is inside \
           the end-to-end figures, outside the evaluation-alone ones, which flatters Cedar there.\n\
         - Nobody is handed a precomputed deadline: the peers compute it from the calendar data.\n"
    );
    let _ = writeln!(s, "### Equivalence gate\n");
    s.push_str(&gate_markdown(g, set));
    let _ = writeln!(
        s,
        "The generator (`bench/peers/src/gen.rs`, ChaCha8 seeded) draws awareness on random days 2019–2026, on \
         days two days before a weekend or holiday (so the rest-day extension decides: Spring Festival, National \
         Day, make-up working Saturdays), and around 1 September 2021; the report exactly one second before the \
         deadline (23:59:59 of the last day) and exactly at it (00:00 of the next day), before awareness, \
         incomplete, to the wrong body; `as_of` one second before and at the deadline; one time in five written \
         in UTC; publications at the instant of the fix and approvals at the instant of a publication.\n"
    );
    let _ = writeln!(s, "### Timing\n");
    let _ = writeln!(
        s,
        "{} cases per configuration with exactly 5, 20 or 50 events; each engine timed per case over those \
         cases for {} ms after a warm-up round, in ten slices taken in turn with the other engines (so a spell of \
         load from other work on the machine falls on all three alike, and the ratios hold when the absolute \
         figures move). *Evaluation alone*: VPL `verdicts` on a loaded case; \
         Cedar `is_authorized` for each actor on prepared requests; regorus `eval_with_input` on a parsed value. \
         *End to end*: from the case's JSON text, including parsing (and, for Cedar, the event selection and \
         request building).\n",
        set.time_cases, set.budget_ms
    );
    s.push_str(&timing_markdown(rows));
    let _ = writeln!(
        s,
        "### What the peers cannot say\n\n\
         - **Calendar months**: the 6-month retention of receiving logs (art. 5) needs month arithmetic; Cedar's \
           durations have no months and Cedar has no division or modulo to find a month from a date, so it is left \
           out of the comparison (Rego's `time.add_date` could do it).\n\
         - **Open-textured time** (立即, 及时: arts. 7(1)(1), 7(1)(3), 8): VPL reports them `undetermined` with the \
           elapsed time for a person to judge; encoding them in a peer would mean inventing a number.\n\
         - **Whole-day times and missing facts**: VPL compares a date without a time with an instant on the same day \
           as unclear, and treats a fact the case does not give as unknown (three-valued); the generated cases give \
           every time and fact, since the peers' encodings have neither notion.\n\
         - **Rest days**: neither peer knows them; both get the calendar as data. Without it Cedar could not \
           extend a period at all (it has no weekday function, nor modulo to compute one).\n"
    );
    let _ = writeln!(s, "## In-repo benches\n");
    let _ = writeln!(
        s,
        "`cargo bench -p vplc --bench pipeline` (`compiler/vplc/benches/pipeline.rs`). Each figure is printed \
         beside a baseline measured in the same run on as many bytes (serde_json parsing JSON), so the ratio is \
         meaningful on any machine.\n"
    );
    if lines.is_empty() {
        let _ = writeln!(s, "(The pipeline bench was not run or its output could not be read.)\n");
    } else {
        let _ = writeln!(s, "| benchmark | figure | ratio to baseline | baseline (same run) | bar |");
        let _ = writeln!(s, "|---|---|---|---|---|");
        for l in &lines {
            let notes = if l.notes.is_empty() { String::new() } else { format!(" ({})", l.notes.join("; ")) };
            let _ = writeln!(s, "| {}{notes} | {} | {} | {} | {} |", l.name, l.figure, l.ratio, l.baseline, l.bar);
        }
        s.push('\n');
    }
    if let Some(b) = bench {
        let _ = writeln!(s, "<details><summary>Raw output</summary>\n\n```text\n{}\n```\n\n</details>\n", b.trim_end());
    }
    let _ = writeln!(
        s,
        "## Where the time goes\n\n\
         Measured with `valgrind --tool=callgrind` (instruction counts are steady under load) on the pipeline \
         bench's case (10 events, 2 actors) and on a 5,000-case batch through the real binary; notes from the \
         profiling sessions of 23 November and 7 December 2026, not regenerated by the script:\n\n\
         - **The lean evaluator** (`vpl_eval::verdicts`, behind `--format verdicts`) takes about 13,030 \
           instructions a case at the end of 7 December 2026, 13,420 when every deadline is counted afresh \
           (13,800 earlier that day, 14,950 on 23 November, 18,800 earlier that day, 26,900 before the \
           table was compiled to numbers, 49,700 before kind bits). `Compiled::new` interns every name the rows use \
           (event kinds, roles, facts, attributes, text and enum literals) and compiles conditions and event \
           patterns to that numeric form; each case is turned once into a view (events grouped by kind in time \
           order, roles as bits, attributes by slot), and equal patterns and conditions are decided once a case and \
           bearer. A loaded case now carries its names as numbers, found by the loader as it validates them, so the \
           view reads them through a per-vocabulary translation (about 1,350) instead of some 22 hash lookups and \
           the case's maps (about 2,300 of the 4,000 the view took before); loading a case got cheaper too (one \
           Fx-hashed map for enum values). Building the view and walking the 37 rows without checking any \
           (an experiment) costs about 5,700; the 14 first-event searches about 1,900; conditions about 1,500; \
           the one `within 2 days` deadline about 660 when it was counted in full with every case (Civil Code \
           counting with the rest-day table, then judging the act against it); now about 240 where its starting \
           day's deadline is kept from an earlier case (a day period under the Civil Code depends on nothing of \
           its start but the day: `vpl_time::quiet_by_day`, and a property test), about 600 where it is counted \
           (its end and last day alone, `vpl_time::day_period_end`, then kept); the rest is spread over the 27 (row, bearer) pairs (23 give a verdict, 4 stop at a false condition) in many small steps, among \
           them some 40 instructions a row of values the inlined row check keeps at hand. Wall time follows \
           the instruction count, and depends on the machine: on the 2-core Intel Xeon of 7 December, about \
           957,000 cases a second at 13,800 and 1,040,000–1,076,000 at 13,030–13,150 (on the AMD EPYC of 23 November, 730,000 at \
           14,950). Moving the row check's rarer parts out of line (exceptions, prohibitions), \
           checking rows through a separate function, listing (row, bearer) pairs first, one flat loop over the \
           pairs (+1,470) and compact row heads all cost more, not less; what is left would take a different evaluation order or code made per table.\n\
         - **The full evaluator** (`--format json`, human output) takes about 128,900 instructions a case (131,500 on 23 November): \
           the same decisions, then words: the allocator, copying the duty's words into each finding, penalty \
           exposure (choosing the version of an amended law), notes and durations in words.\n\
         - **A JSON Lines batch with `--format verdicts`** takes about 69,500 instructions a case through the \
           real binary: loading 40,500 (serde_json into borrowed structures, 27,700, then building the case and \
           checking it against the vocabulary), the lean evaluator about 15,000, writing verdicts 6,600, and reading, \
           splitting and checking lines as text the rest. A faster JSON parser did not help: sonic-rs in place of serde_json gave no gain here; \
           mimalloc as the allocator saved 5% of CPU time (13% with `--format json`). With two jobs the main \
           thread (reading chunks, repeated-id filter, writing in order) does about 2.5% of the work, so two \
           cores can give at most about 1.95× one; the figure above moves with the load other work puts on the \
           machine's two cores.\n\
         - **Compiling**: pest is the grammar of record and reports every syntax error, but files it would \
           accept are read by a fast-path recursive-descent parser that builds exactly pest's tree or gives up \
           (differential tests on every `.vpl` file in the repository and 78,560 mutants of them): parsing the \
           bundled files went from about 112 million instructions to 11.6 million. The 10,000-duty compile is \
           now checking about 40% (names, types and the coverage of every article), parsing a third and lowering a \
           sixth; bundled files are parsed once a process.\n"
    );
    s
}
