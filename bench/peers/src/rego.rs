//! Rego (regorus): the case file itself is the input; the calendar's rest
//! days are data, loaded once; the policies are compiled once with the
//! entry point `data.vpl.peers.verdicts`.

use crate::duties::Duty;
use crate::Verdicts;
use regorus::{CompiledPolicy, Engine, Value};

pub struct Rego {
    compiled: CompiledPolicy,
}

impl Rego {
    pub fn new(dir: &std::path::Path, duties: &[Duty], rest_days: &[i64]) -> Result<Rego, String> {
        let mut engine = Engine::new();
        let mut files = vec![dir.join("lib.rego")];
        files.extend(duties.iter().map(|d| dir.join(format!("{}.rego", d.id))));
        for p in files {
            let text = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
            engine.add_policy(p.display().to_string(), text).map_err(|e| format!("{e}"))?;
        }
        let mut rest = Value::new_set();
        {
            let set = rest.as_set_mut().map_err(|e| e.to_string())?;
            for d in rest_days {
                set.insert(Value::from(*d));
            }
        }
        let mut calendar = Value::new_object();
        calendar.as_object_mut().map_err(|e| e.to_string())?.insert(Value::from("rest"), rest);
        let mut data = Value::new_object();
        data.as_object_mut().map_err(|e| e.to_string())?.insert(Value::from("calendar"), calendar);
        engine.add_data(data).map_err(|e| e.to_string())?;
        let compiled = engine.compile_with_entrypoint(&"data.vpl.peers.verdicts".into()).map_err(|e| format!("{e}"))?;
        Ok(Rego { compiled })
    }

    /// From JSON text to a regorus value.
    pub fn prepare(&self, text: &str) -> Result<Value, String> {
        Value::from_json_str(text).map_err(|e| e.to_string())
    }

    /// Evaluation alone.
    pub fn eval(&self, input: &Value) -> Result<Value, String> {
        self.compiled.eval_with_input(input.clone()).map_err(|e| format!("{e}"))
    }

    pub fn verdicts(v: &Value) -> Result<Verdicts, String> {
        let mut out = Verdicts::new();
        if *v == Value::Undefined {
            return Ok(out);
        }
        for (k, s) in v.as_object().map_err(|e| format!("{e}: {v}"))?.iter() {
            out.insert(
                k.as_string().map_err(|e| e.to_string())?.to_string(),
                s.as_string().map_err(|e| e.to_string())?.to_string(),
            );
        }
        Ok(out)
    }
}
