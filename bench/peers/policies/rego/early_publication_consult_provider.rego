# 2021 Provisions art. 9(1)(1), early-publication route: assess and discuss with the provider, before the bearer's own first
# publication, unless the product provider's fix came first.
package vpl.peers

verdicts[concat("@", ["early_publication_consult_provider", a])] := before_publication(a, acts) if {
	some a in bearers("collector")
	acts := {e.t | some e in evs; e.type == "provider_notified"; e.actor == a; e.t <= as_of}
}
