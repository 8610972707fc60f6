# 2021 Provisions art. 5: a (domestic) product provider keeps a channel for receiving
# vulnerability information open. A standing duty.
package vpl.peers

verdicts[concat("@", ["provider_intake_channel", a])] := standing(times("intake_opened", a)) if {
	some a in bearers("product_provider")
	not attr(a, "overseas")
}
