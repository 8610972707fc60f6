# 2021 Provisions art. 9(1)(7): no unpublished vulnerability information to anyone abroad but the provider.
package vpl.peers

verdicts[concat("@", ["no_overseas_disclosure", a])] := ban(acts) if {
	some a in bearers("collector")
	acts := {e.t | some e in evs; e.type == "disclosed_overseas"; e.actor == a; e.t <= as_of}
}
