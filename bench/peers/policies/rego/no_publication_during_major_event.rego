# 2021 Provisions art. 9(1)(6): while the State holds a major event, no publication without MPS's
# consent (judged at the time of each act).
package vpl.peers

verdicts[concat("@", ["no_publication_during_major_event", a])] := ban_except(acts, consents) if {
	some a in bearers("collector")
	acts := {e.t | some e in evs; e.type == "published"; e.actor == a; e.t <= as_of; e.attrs.during_major_event == true}
	consents := {e.t | some e in evs; e.type == "approved"; e.t <= as_of; e.attrs.authority == "mps"}
}
