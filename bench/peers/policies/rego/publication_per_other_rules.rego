# 2021 Provisions art. 9(1)(8): publication per the other rules of law (a ban on unlawful publication).
package vpl.peers

verdicts[concat("@", ["publication_per_other_rules", a])] := ban(acts) if {
	some a in bearers("collector")
	acts := {e.t | some e in evs; e.type == "published"; e.actor == a; e.t <= as_of; e.attrs.unlawful == true}
}
