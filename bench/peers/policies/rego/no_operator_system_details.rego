# 2021 Provisions art. 9(1)(2): no publication of details of vulnerabilities in systems network operators use.
package vpl.peers

verdicts[concat("@", ["no_operator_system_details", a])] := ban(acts) if {
	some a in bearers("collector")
	acts := {e.t | some e in evs; e.type == "published"; e.actor == a; e.t <= as_of; e.attrs.operator_system_details == true}
}
