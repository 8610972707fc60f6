# 2021 Provisions art. 10(1): a vulnerability collection platform is filed with MIIT. A standing duty
# of collectors that run a platform.
package vpl.peers

verdicts[concat("@", ["platform_filing", a])] := standing(times("platform_filed", a)) if {
	some a in bearers("collector")
	attr(a, "runs_platform")
}
