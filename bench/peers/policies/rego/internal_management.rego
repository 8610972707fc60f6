# 2021 Provisions art. 11: organisations that discover or collect vulnerabilities take measures
# against leaks. A standing duty of organisations.
package vpl.peers

verdicts[concat("@", ["internal_management", a])] := standing(times("leak_controls_established", a)) if {
	some a in bearers("collector")
	attr(a, "organisation")
}
