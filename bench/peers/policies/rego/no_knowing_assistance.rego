# 2021 Provisions art. 4: no help, knowingly given, to those who exploit vulnerabilities.
package vpl.peers

verdicts[concat("@", ["no_knowing_assistance", a])] := ban(acts) if {
	some a in bearers("anyone")
	acts := {e.t | some e in evs; e.type == "assisted_exploitation"; e.actor == a; e.t <= as_of; e.attrs.knowing == true}
}
