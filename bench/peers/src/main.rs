//! `vpl-peers`: VPL side by side with Cedar (`cedar-policy`) and Rego
//! (`regorus`) on the duties of `cn/provisions-2021` that both can express.
//! First an equivalence gate over generated cases, then timing; `report`
//! writes `docs/performance.md` (see `scripts/perf.sh`).

mod cedar;
mod duties;
mod gen;
mod rego;
mod report;
mod vpl;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// `duty@actor` -> status, as `vplc check` names statuses.
pub type Verdicts = BTreeMap<String, String>;

/// The day the Provisions took effect (art. 16).
pub const EFFECTIVE: NaiveDate = match NaiveDate::from_ymd_opt(2021, 9, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

#[derive(Parser)]
#[command(about = "VPL vs Cedar vs Rego on the 2021 Provisions")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
    /// Seed of the case generator.
    #[arg(long, default_value_t = 2021)]
    seed: u64,
    /// Cases in the equivalence gate.
    #[arg(long, default_value_t = 10_000)]
    gate_cases: usize,
    /// Cases per timing configuration.
    #[arg(long, default_value_t = 1_000)]
    time_cases: usize,
    /// Time budget per engine and configuration, in milliseconds.
    #[arg(long, default_value_t = 1_000)]
    budget_ms: u64,
}

#[derive(Subcommand)]
enum Cmd {
    /// Run the equivalence gate and print its summary.
    Gate,
    /// Run the timing sweep and print the table.
    Time,
    /// Gate + timing, then write the performance page.
    Report {
        /// Output of `cargo bench -p vplc --bench pipeline`, to include.
        #[arg(long)]
        pipeline: Option<PathBuf>,
        /// Where to write the page.
        #[arg(long)]
        out: PathBuf,
    },
}

pub struct Engines {
    pub vpl: vpl::Vpl,
    pub cedar: cedar::Cedar,
    pub rego: rego::Rego,
}

fn policies_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("policies")
}

impl Engines {
    fn new(duties: &[duties::Duty], rest: &[i64]) -> Result<Engines, String> {
        Ok(Engines {
            vpl: vpl::Vpl::new(duties)?,
            cedar: cedar::Cedar::new(&policies_dir().join("cedar"), duties, rest)?,
            rego: rego::Rego::new(&policies_dir().join("rego"), duties, rest)?,
        })
    }
}

// ------------------------------------------------------------------ gate

/// One disagreement: a case, a duty and bearer, and each engine's verdict.
pub struct Disagreement {
    pub case: usize,
    pub key: String,
    pub vpl: String,
    pub cedar: String,
    pub rego: String,
}

pub struct Gate {
    pub cases: usize,
    pub verdicts: usize,
    /// duty -> status -> count (VPL's verdicts).
    pub distribution: BTreeMap<String, BTreeMap<String, usize>>,
    pub disagreements: Vec<Disagreement>,
    pub texts_sample: Vec<String>,
    pub longest_rest_run: usize,
    pub rest_days: usize,
}

fn gate(cli: &Cli) -> Result<Gate, String> {
    let full = vpl::compile_full()?;
    let (rest, longest) = gen::rest_day_numbers(&full);
    if longest > 12 {
        return Err(format!("the calendar has a run of {longest} rest days; the Cedar policies unroll only 12"));
    }
    let e = Engines::new(duties::DUTIES, &rest)?;
    let mut g = gen::Generator::new(cli.seed, &full);
    let mut out = Gate {
        cases: cli.gate_cases,
        verdicts: 0,
        distribution: BTreeMap::new(),
        disagreements: Vec::new(),
        texts_sample: Vec::new(),
        longest_rest_run: longest,
        rest_days: rest.len(),
    };
    let mut rng_events = 5usize;
    for i in 0..cli.gate_cases {
        // 5..=50 events, cycling deterministically.
        rng_events = 5 + (rng_events * 37 + i) % 46;
        let text = g.case(i, rng_events);
        let case = e.vpl.prepare(&text)?;
        let report = e.vpl.eval(&case).ok_or("case without as_of")?;
        let v = vpl::Vpl::verdicts(&report);
        // The lean path timed below must decide exactly as the full one.
        let lean = e.vpl.lean_verdicts(&case);
        if lean != v {
            return Err(format!("case {i}: vpl_eval::verdicts disagrees with check_case_with: {lean:?} vs {v:?}"));
        }
        let cp = e.cedar.prepare(&text)?;
        let cr = e.cedar.eval(&cp);
        let c = e.cedar.verdicts(&cp, &cr)?;
        let ri = e.rego.prepare(&text)?;
        let r = rego::Rego::verdicts(&e.rego.eval(&ri)?)?;
        let keys: std::collections::BTreeSet<&String> = v.keys().chain(c.keys()).chain(r.keys()).collect();
        for k in keys {
            let get = |m: &Verdicts| m.get(k).cloned().unwrap_or_else(|| "(none)".into());
            let (a, b, d) = (get(&v), get(&c), get(&r));
            out.verdicts += 1;
            let duty = k.split('@').next().unwrap_or(k).to_string();
            *out.distribution.entry(duty).or_default().entry(a.clone()).or_default() += 1;
            if a != b || a != d {
                if out.disagreements.len() < 5 {
                    out.texts_sample.push(text.clone());
                }
                out.disagreements.push(Disagreement { case: i, key: k.clone(), vpl: a, cedar: b, rego: d });
            }
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------- timing

#[derive(Clone, Copy, Default)]
pub struct Stat {
    pub median_ns: f64,
    pub p99_ns: f64,
}

/// One engine's part in [`interleaved`]: how many items it has, and a
/// closure that runs item `i`.
type Engine<'a> = (usize, Box<dyn FnMut(usize) + 'a>);

/// Per-item times of several engines: median and 99th percentile each.
///
/// Each engine runs an untimed warm-up round over its items first. Then the
/// engines take turns: each one's `budget` is cut into slices, and the
/// engines run their slices one after the other, each carrying on through
/// its items where its last slice stopped. A spell of load from other work
/// on the machine then falls on every engine alike, so the ratios between
/// them hold even when the absolute figures move. Every item is timed at
/// least once.
fn interleaved<const N: usize>(mut engines: [Engine<'_>; N], budget: Duration) -> [Stat; N] {
    const SLICES: u32 = 10;
    for (len, run) in &mut engines {
        for i in 0..*len {
            run(i);
        }
    }
    let mut samples: [Vec<u64>; N] = std::array::from_fn(|_| Vec::new());
    let mut next = [0usize; N];
    let slice = budget / SLICES;
    let mut round = 0;
    // The slices, then as many more turns as an engine needs to time each of its items once.
    while round < SLICES || engines.iter().zip(&next).any(|((len, _), n)| n < len) {
        for (((len, run), s), n) in engines.iter_mut().zip(&mut samples).zip(&mut next) {
            if *len == 0 || (round >= SLICES && *n >= *len) {
                continue;
            }
            let start = Instant::now();
            loop {
                let t = Instant::now();
                run(*n % *len);
                s.push(u64::try_from(t.elapsed().as_nanos()).unwrap_or(u64::MAX));
                *n += 1;
                if start.elapsed() >= slice || (round >= SLICES && *n >= *len) {
                    break;
                }
            }
        }
        round += 1;
    }
    samples.map(|mut s| {
        s.sort_unstable();
        let at = |q: f64| s.get(((s.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or(0) as f64;
        Stat { median_ns: at(0.5), p99_ns: at(0.99) }
    })
}

pub struct Row {
    pub duties: usize,
    pub events: usize,
    /// [vpl, cedar, rego] evaluation alone and end to end from JSON.
    pub eval: [Stat; 3],
    pub e2e: [Stat; 3],
}

fn timing(cli: &Cli) -> Result<Vec<Row>, String> {
    let full = vpl::compile_full()?;
    let (rest, _) = gen::rest_day_numbers(&full);
    let budget = Duration::from_millis(cli.budget_ms);
    let mut rows = Vec::new();
    for n_duties in [1, 10, duties::DUTIES.len()] {
        let ds = duties::first(n_duties);
        let e = Engines::new(ds, &rest)?;
        for n_events in [5, 20, 50] {
            let mut g = gen::Generator::new(cli.seed ^ (n_events as u64 * 7919), &full);
            let texts: Vec<String> = (0..cli.time_cases).map(|i| g.case(i, n_events)).collect();
            let vc = texts.iter().map(|t| e.vpl.prepare(t)).collect::<Result<Vec<_>, _>>()?;
            let cc = texts.iter().map(|t| e.cedar.prepare(t)).collect::<Result<Vec<_>, _>>()?;
            let rc = texts.iter().map(|t| e.rego.prepare(t)).collect::<Result<Vec<_>, _>>()?;
            let lean = std::cell::RefCell::new(Vec::new());
            let eval = interleaved(
                [
                    (
                        vc.len(),
                        Box::new(|i| {
                            let mut out = lean.borrow_mut();
                            if let Some(c) = vc.get(i) {
                                e.vpl.eval_lean(c, &mut out);
                            }
                            black_box(out.len());
                        }),
                    ),
                    (
                        cc.len(),
                        Box::new(|i| {
                            black_box(cc.get(i).map(|c| e.cedar.eval(c)));
                        }),
                    ),
                    (
                        rc.len(),
                        Box::new(|i| {
                            black_box(rc.get(i).map(|c| e.rego.eval(c).ok()));
                        }),
                    ),
                ],
                budget,
            );
            let e2e = interleaved(
                [
                    (
                        texts.len(),
                        Box::new(|i| {
                            let mut out = lean.borrow_mut();
                            if let Some(c) = texts.get(i).and_then(|t| e.vpl.prepare(t).ok()) {
                                e.vpl.eval_lean(&c, &mut out);
                            }
                            black_box(out.len());
                        }),
                    ),
                    (
                        texts.len(),
                        Box::new(|i| {
                            black_box(texts.get(i).and_then(|t| e.cedar.prepare(t).ok()).map(|c| e.cedar.eval(&c)));
                        }),
                    ),
                    (
                        texts.len(),
                        Box::new(|i| {
                            black_box(texts.get(i).and_then(|t| e.rego.prepare(t).ok()).map(|c| e.rego.eval(&c).ok()));
                        }),
                    ),
                ],
                budget,
            );
            let row = Row { duties: ds.len(), events: n_events, eval, e2e };
            eprintln!("{}", report::timing_line(&row));
            rows.push(row);
        }
    }
    Ok(rows)
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let run = || -> Result<(), String> {
        match &cli.cmd {
            Cmd::Gate => {
                let g = gate(&cli)?;
                print!("{}", report::gate_markdown(&g, &cli_seed(&cli)));
            }
            Cmd::Time => {
                let rows = timing(&cli)?;
                print!("{}", report::timing_markdown(&rows));
            }
            Cmd::Report { pipeline, out } => {
                let g = gate(&cli)?;
                eprintln!("gate: {} cases, {} disagreements", g.cases, g.disagreements.len());
                let rows = timing(&cli)?;
                let bench = match pipeline {
                    Some(p) => Some(std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?),
                    None => None,
                };
                let page = report::page(&g, &rows, bench.as_deref(), &cli_seed(&cli));
                std::fs::write(out, page).map_err(|e| format!("{}: {e}", out.display()))?;
                eprintln!("wrote {}", out.display());
            }
        }
        Ok(())
    };
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::from(2)
        }
    }
}

pub struct Settings {
    pub seed: u64,
    pub gate_cases: usize,
    pub time_cases: usize,
    pub budget_ms: u64,
}

fn cli_seed(cli: &Cli) -> Settings {
    Settings { seed: cli.seed, gate_cases: cli.gate_cases, time_cases: cli.time_cases, budget_ms: cli.budget_ms }
}
