# 2021 Provisions art. 9(1)(1): no publication before the product provider provides the fix,
# unless MIIT or MPS cleared it after their assessment (judged at the time of each act).
package vpl.peers

verdicts[concat("@", ["no_publication_before_fix", a])] := s if {
	some a in bearers("collector")
	s := publication_before_fix(times("published", a))
}

publication_before_fix(_) := "not_applicable" if not in_force

publication_before_fix(acts) := s if {
	in_force
	fixes := times_by_role("remedied", "product_provider")
	window := {t | some t in acts; day_of(t) >= eff_day; every f in fixes { t < f }}
	approvals := {e.t | some e in evs; e.type == "approved"; e.t <= as_of; e.attrs.authority in {"miit", "mps"}}
	s := window_status(acts, window, approvals)
}

window_status(_, window, approvals) := excused_or_breached(min(window), approvals) if count(window) > 0

window_status(acts, window, _) := "not_applicable" if {
	count(window) == 0
	some t in acts
	day_of(t) < eff_day
}

window_status(acts, window, _) := "met" if {
	count(window) == 0
	every t in acts { day_of(t) >= eff_day }
}
