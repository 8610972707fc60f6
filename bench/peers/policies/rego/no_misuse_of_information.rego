# 2021 Provisions art. 9(1)(3): no use of vulnerability information for hype, fraud, extortion or crime.
package vpl.peers

verdicts[concat("@", ["no_misuse_of_information", a])] := ban(acts) if {
	some a in bearers("collector")
	acts := {e.t | some e in evs; e.type == "info_misused"; e.actor == a; e.t <= as_of}
}
