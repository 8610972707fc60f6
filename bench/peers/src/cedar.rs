//! Cedar: the case mapped to one request per actor. Cedar has no quantifier
//! over a set and no loop, so a policy cannot search a case's events: the
//! mapping hands it, per event pattern the duties mention, the time of the
//! bearer's first matching event (and of the first on or after the day the
//! Provisions took effect). Everything else — the bearer's role and
//! attributes, the instrument's effective date, the 2-day period with its
//! rest-day extension over the calendar given as data, the windows and
//! exceptions, the comparison with `as_of` — is decided by the policies.

use crate::duties::Duty;
use crate::{Verdicts, EFFECTIVE};
use cedar_policy::{Authorizer, Context, Entities, EntityUid, PolicyId, PolicySet, Request, Response, RestrictedExpression};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::str::FromStr;

#[derive(Deserialize)]
pub struct RawCase {
    pub as_of: String,
    pub actors: Vec<RawActor>,
    pub events: Vec<RawEvent>,
}

#[derive(Deserialize)]
pub struct RawActor {
    pub id: String,
    pub roles: Vec<String>,
    #[serde(default)]
    pub attrs: BTreeMap<String, serde_json::Value>,
}

#[derive(Deserialize)]
pub struct RawEvent {
    #[serde(rename = "type")]
    pub kind: String,
    pub actor: String,
    pub at: String,
    #[serde(default)]
    pub attrs: serde_json::Map<String, serde_json::Value>,
}

impl RawEvent {
    fn flag(&self, k: &str) -> bool {
        self.attrs.get(k).and_then(serde_json::Value::as_bool).unwrap_or(false)
    }
    fn text(&self, k: &str) -> Option<&str> {
        self.attrs.get(k).and_then(serde_json::Value::as_str)
    }
}

pub struct Cedar {
    policies: PolicySet,
    entities: Entities,
    authorizer: Authorizer,
    action: EntityUid,
    resource: EntityUid,
    keys: HashSet<&'static str>,
    /// Policy id -> (duty, verdict), from each policy's `@id("duty:verdict:n")`.
    ids: HashMap<PolicyId, (String, String)>,
}

/// One prepared request per actor of a case.
pub struct Prepared {
    requests: Vec<(String, Request)>,
}

fn cedar_time(at: &str) -> String {
    // Cedar writes offsets without a colon: +08:00 -> +0800.
    let b = at.as_bytes();
    let n = b.len();
    if n > 6 && (b.get(n - 6) == Some(&b'+') || b.get(n - 6) == Some(&b'-')) && b.get(n - 3) == Some(&b':') {
        format!("{}{}", at.get(..n - 3).unwrap_or(at), at.get(n - 2..).unwrap_or(""))
    } else {
        at.to_string()
    }
}

fn local_day(t: &DateTime<FixedOffset>) -> NaiveDate {
    let cst = FixedOffset::east_opt(8 * 3600).unwrap_or(*t.offset());
    t.with_timezone(&cst).date_naive()
}

impl Cedar {
    pub fn new(dir: &std::path::Path, duties: &[Duty], rest_days: &[i64]) -> Result<Cedar, String> {
        let mut text = String::new();
        for d in duties {
            let p = dir.join(format!("{}.cedar", d.id));
            text.push_str(&std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?);
            text.push('\n');
        }
        let policies = PolicySet::from_str(&text).map_err(|e| format!("Cedar policies: {e}"))?;
        let cal = serde_json::json!([{
            "uid": {"type": "Calendar", "id": "cn"},
            "attrs": {"rest": rest_days},
            "parents": []
        }]);
        let entities = Entities::from_json_value(cal, None).map_err(|e| format!("Cedar calendar entity: {e}"))?;
        let mut ids = HashMap::new();
        for p in policies.policies() {
            let ann = p.annotation("id").ok_or_else(|| format!("Cedar policy without @id: {p}"))?;
            let mut parts = ann.split(':');
            let (Some(duty), Some(verdict)) = (parts.next(), parts.next()) else {
                return Err(format!("Cedar @id not of the form duty:verdict:n: {ann}"));
            };
            ids.insert(p.id().clone(), (duty.to_string(), verdict.to_string()));
        }
        let uid = |s: &str| EntityUid::from_str(s).map_err(|e| format!("{s}: {e}"));
        Ok(Cedar {
            policies,
            entities,
            authorizer: Authorizer::new(),
            action: uid(r#"Action::"check""#)?,
            resource: uid(r#"Case::"case""#)?,
            ids,
            keys: duties.iter().flat_map(|d| d.cedar_keys.iter().copied()).collect(),
        })
    }

    /// From JSON text to requests (the mapping described above).
    pub fn prepare(&self, text: &str) -> Result<Prepared, String> {
        let case: RawCase = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let times: Vec<DateTime<FixedOffset>> = case
            .events
            .iter()
            .map(|e| DateTime::parse_from_rfc3339(&e.at).map_err(|x| format!("{}: {x}", e.at)))
            .collect::<Result<_, _>>()?;
        let roles_of = |id: &str| case.actors.iter().find(|a| a.id == id).map(|a| a.roles.as_slice()).unwrap_or(&[]);
        let mut requests = Vec::with_capacity(case.actors.len());
        for actor in &case.actors {
            let mut pairs: Vec<(String, RestrictedExpression)> = Vec::with_capacity(16);
            pairs.push(("as_of".into(), RestrictedExpression::new_datetime(cedar_time(&case.as_of))));
            pairs.push((
                "roles".into(),
                RestrictedExpression::new_set(actor.roles.iter().map(|r| RestrictedExpression::new_string(r.clone()))),
            ));
            for k in ["overseas", "runs_platform", "organisation"] {
                let v = actor.attrs.get(k).and_then(serde_json::Value::as_bool).unwrap_or(false);
                pairs.push((k.into(), RestrictedExpression::new_bool(v)));
            }
            let mine = |e: &RawEvent| e.actor == actor.id;
            // The first event (by time) matching `p`, optionally on or after `from`.
            let first = |p: &dyn Fn(&RawEvent) -> bool, from: Option<&DateTime<FixedOffset>>, eff: bool| {
                case.events
                    .iter()
                    .zip(&times)
                    .filter(|(e, t)| p(e) && from.is_none_or(|f| *t >= f) && (!eff || local_day(t) >= EFFECTIVE))
                    .min_by_key(|(_, t)| **t)
                    .map(|(e, t)| (e.at.as_str(), *t))
            };
            let mut put = |key: &str, v: Option<(&str, DateTime<FixedOffset>)>| {
                if let Some((at, _)) = v {
                    pairs.push((key.to_string(), RestrictedExpression::new_datetime(cedar_time(at))));
                }
            };
            let kind = |k: &'static str| move |e: &RawEvent| e.kind == k;
            type Pat<'p> = (&'static str, Box<dyn Fn(&RawEvent) -> bool + 'p>);
            let bans: Vec<Pat<'_>> = vec![
                ("pub_any", Box::new(|e: &RawEvent| mine(e) && e.kind == "published")),
                ("pub_details", Box::new(|e: &RawEvent| mine(e) && e.kind == "published" && e.flag("operator_system_details"))),
                ("pub_exag", Box::new(|e: &RawEvent| mine(e) && e.kind == "published" && e.flag("exaggerated"))),
                ("pub_tool", Box::new(|e: &RawEvent| mine(e) && e.kind == "published" && e.flag("exploit_tool"))),
                ("pub_noremedy", Box::new(|e: &RawEvent| mine(e) && e.kind == "published" && !e.flag("includes_remedy"))),
                ("pub_major", Box::new(|e: &RawEvent| mine(e) && e.kind == "published" && e.flag("during_major_event"))),
                ("pub_unlawful", Box::new(|e: &RawEvent| mine(e) && e.kind == "published" && e.flag("unlawful"))),
                ("misuse", Box::new(|e: &RawEvent| mine(e) && e.kind == "info_misused")),
                ("tool_prov", Box::new(|e: &RawEvent| mine(e) && e.kind == "exploit_tool_provided")),
                ("overseas_disc", Box::new(|e: &RawEvent| mine(e) && e.kind == "disclosed_overseas")),
                ("exploited", Box::new(|e: &RawEvent| mine(e) && e.kind == "exploited")),
                ("collected_unl", Box::new(|e: &RawEvent| mine(e) && e.kind == "collected" && e.flag("unlawful"))),
                ("sold_unl", Box::new(|e: &RawEvent| mine(e) && e.kind == "sold" && e.flag("unlawful"))),
                ("assist_knowing", Box::new(|e: &RawEvent| mine(e) && e.kind == "assisted_exploitation" && e.flag("knowing"))),
            ];
            for (key, p) in &bans {
                if self.keys.contains(key) {
                    put(key, first(p.as_ref(), None, false));
                }
                let eff_key = format!("{key}_eff");
                if self.keys.contains(eff_key.as_str()) {
                    put(&eff_key, first(p.as_ref(), None, true));
                }
            }
            let plain: Vec<Pat<'_>> = vec![
                ("intake", Box::new(|e: &RawEvent| mine(e) && e.kind == "intake_opened")),
                ("filed", Box::new(|e: &RawEvent| mine(e) && e.kind == "platform_filed")),
                ("leakctl", Box::new(|e: &RawEvent| mine(e) && e.kind == "leak_controls_established")),
                ("notified", Box::new(|e: &RawEvent| mine(e) && e.kind == "provider_notified")),
                ("rep_miit", Box::new(|e: &RawEvent| mine(e) && e.kind == "reported" && e.text("to") == Some("miit"))),
                ("rep_mps", Box::new(|e: &RawEvent| mine(e) && e.kind == "reported" && e.text("to") == Some("mps"))),
                (
                    "fix",
                    Box::new(|e: &RawEvent| e.kind == "remedied" && roles_of(&e.actor).iter().any(|r| r == "product_provider")),
                ),
                (
                    "approved",
                    Box::new(|e: &RawEvent| e.kind == "approved" && matches!(e.text("authority"), Some("miit" | "mps"))),
                ),
                ("approved_mps", Box::new(|e: &RawEvent| e.kind == "approved" && e.text("authority") == Some("mps"))),
            ];
            for (key, p) in &plain {
                if self.keys.contains(key) {
                    put(key, first(p.as_ref(), None, false));
                }
            }
            if self.keys.contains("aware") {
                let aware = first(&|e: &RawEvent| mine(e) && kind("aware")(e), None, false);
                put("aware", aware);
                if let Some((_, t)) = aware {
                    let report = first(
                        &|e: &RawEvent| {
                            mine(e)
                                && e.kind == "reported"
                                && e.text("to") == Some("miit_platform")
                                && e.flag("includes_product")
                                && e.flag("includes_details")
                        },
                        Some(&t),
                        false,
                    );
                    put("report", report);
                }
            }
            let context = Context::from_pairs(pairs).map_err(|e| format!("Cedar context: {e}"))?;
            let principal = EntityUid::from_type_name_and_id(
                cedar_policy::EntityTypeName::from_str("Actor").map_err(|e| e.to_string())?,
                cedar_policy::EntityId::new(&actor.id),
            );
            let req = Request::new(principal, self.action.clone(), self.resource.clone(), context, None)
                .map_err(|e| format!("Cedar request: {e}"))?;
            requests.push((actor.id.clone(), req));
        }
        Ok(Prepared { requests })
    }

    /// Evaluation alone: one authorization per actor.
    pub fn eval(&self, p: &Prepared) -> Vec<Response> {
        p.requests.iter().map(|(_, r)| self.authorizer.is_authorized(r, &self.policies, &self.entities)).collect()
    }

    /// The verdicts: the @id of each satisfied policy is `duty:verdict:n`.
    pub fn verdicts(&self, p: &Prepared, responses: &[Response]) -> Result<Verdicts, String> {
        let mut out = Verdicts::new();
        for ((actor, _), r) in p.requests.iter().zip(responses) {
            if let Some(e) = r.diagnostics().errors().next() {
                return Err(format!("Cedar error for {actor}: {e}"));
            }
            for id in r.diagnostics().reason() {
                let Some((duty, verdict)) = self.ids.get(id) else {
                    return Err(format!("unknown policy id {id}"));
                };
                let key = format!("{duty}@{actor}");
                if let Some(old) = out.insert(key.clone(), verdict.clone()) {
                    return Err(format!("two Cedar verdicts for {key}: {old} and {verdict}"));
                }
            }
        }
        Ok(out)
    }
}
