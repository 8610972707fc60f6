# 2021 Provisions art. 4: no unlawful collection of vulnerability information.
package vpl.peers

verdicts[concat("@", ["no_unlawful_collection", a])] := ban(acts) if {
	some a in bearers("anyone")
	acts := {e.t | some e in evs; e.type == "collected"; e.actor == a; e.t <= as_of; e.attrs.unlawful == true}
}
