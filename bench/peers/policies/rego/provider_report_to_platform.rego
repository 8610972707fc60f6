# 2021 Provisions art. 7(1)(2): a (domestic, art. 2) product provider reports the vulnerability
# to MIIT's sharing platform within 2 days after awareness, naming the product and the details.
# Civil Code arts. 200-204: the day of awareness is not counted, the period ends at 24:00 of its
# last day, and a last day on a rest day moves to the next working day (`next_working`).
package vpl.peers

verdicts[concat("@", ["provider_report_to_platform", a])] := s if {
	some a in bearers("product_provider")
	not attr(a, "overseas")
	aware_times := times("aware", a)
	count(aware_times) > 0
	s := report_status(a, min(aware_times))
}

report_status(_, aware) := "not_applicable" if day_of(aware) < eff_day

report_status(a, aware) := s if {
	day_of(aware) >= eff_day
	last := next_working(day_of(aware) + 2)
	reports := {e.t |
		some e in evs
		e.type == "reported"
		e.actor == a
		e.t >= aware
		e.t <= as_of
		e.attrs.to == "miit_platform"
		e.attrs.includes_product == true
		e.attrs.includes_details == true
	}
	s := report_timing(reports, last)
}

report_timing(reports, last) := "met" if {
	count(reports) > 0
	day_of(min(reports)) <= last
}

report_timing(reports, last) := "late" if {
	count(reports) > 0
	day_of(min(reports)) > last
}

report_timing(reports, last) := "missed" if {
	count(reports) == 0
	as_of_day > last
}

report_timing(reports, last) := "pending" if {
	count(reports) == 0
	as_of_day <= last
}
