//! VPL: the bundled `cn/provisions-2021` compiled once, its decision table
//! cut down to the duties of the sweep, cases checked in process with
//! `vpl_eval::check_case_with` (no explanations, like the peers).

use crate::duties::Duty;
use crate::Verdicts;
use vpl_eval::{check_case_with, load_case, verdicts, Case, CaseReport, Compiled, LoadOptions, Options, Verdict, Vocab};

pub struct Vpl {
    pub compiled: Compiled,
    vocab: Vocab,
}

pub fn compile_full() -> Result<Compiled, String> {
    let b = vpl_core::bundled::policy("cn/provisions-2021").ok_or("cn/provisions-2021 is not bundled")?;
    let out = vpl_core::compile(b.name, b.text, &vpl_core::no_files);
    let table = out.table.ok_or("cn/provisions-2021 does not compile")?;
    Compiled::new(table)
}

impl Vpl {
    pub fn new(duties: &[Duty]) -> Result<Vpl, String> {
        let full = compile_full()?;
        let mut table = full.into_table();
        for d in duties {
            if !table.rows.iter().any(|r| r.duty == d.id) {
                return Err(format!("duty {} is not in cn/provisions-2021", d.id));
            }
        }
        table.rows.retain(|r| duties.iter().any(|d| d.id == r.duty));
        let compiled = Compiled::new(table)?;
        let vocab = Vocab::new([&compiled.table().vocabulary]);
        Ok(Vpl { compiled, vocab })
    }

    /// From JSON text to a loaded case (strict, spanned loading).
    pub fn prepare(&self, text: &str) -> Result<Case, String> {
        load_case(vpl_core::FileId(0), 0, text, &self.vocab, LoadOptions::default()).map_err(|d| format!("{d:?}"))
    }

    /// Evaluation alone.
    pub fn eval(&self, case: &Case) -> Option<CaseReport> {
        let as_of = case.as_of.as_ref()?;
        Some(check_case_with(&self.compiled, case, as_of, Options::default()))
    }

    /// Evaluation alone, the lean path: statuses without text, into a
    /// reused vector — the same decisions the peers give.
    pub fn eval_lean(&self, case: &Case, out: &mut Vec<Verdict>) {
        if let Some(as_of) = case.as_of.as_ref() {
            verdicts(&self.compiled, case, as_of, out);
        }
    }

    /// The lean path's verdicts in the gate's form.
    pub fn lean_verdicts(&self, case: &Case) -> Verdicts {
        let mut out = Vec::new();
        self.eval_lean(case, &mut out);
        out.iter()
            .map(|v| {
                let duty = self.compiled.table().rows.get(v.row as usize).map_or("?", |r| r.duty.as_str());
                let actor = case.actors.get(v.actor as usize).map_or("?", |a| a.id.as_str());
                (format!("{duty}@{actor}"), v.status.as_str().to_string())
            })
            .collect()
    }

    pub fn verdicts(report: &CaseReport) -> Verdicts {
        report.findings.iter().map(|f| (format!("{}@{}", f.duty, f.actor), f.status.as_str().to_string())).collect()
    }
}
