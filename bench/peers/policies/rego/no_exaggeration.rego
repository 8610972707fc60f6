# 2021 Provisions art. 9(1)(3): no deliberate exaggeration of the harm and risk of vulnerabilities.
package vpl.peers

verdicts[concat("@", ["no_exaggeration", a])] := ban(acts) if {
	some a in bearers("collector")
	acts := {e.t | some e in evs; e.type == "published"; e.actor == a; e.t <= as_of; e.attrs.exaggerated == true}
}
