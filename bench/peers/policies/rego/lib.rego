# Shared helpers for the Rego encoding of the 2021 Provisions (cn/provisions-2021).
# Input: a VPL case file as it is (JSON). Data: `data.calendar.rest`, the set of rest days
# (weekends and public holidays, make-up working days excepted) of the `cn` calendar, as day
# numbers since 1970-01-01, loaded once.
# Output: `verdicts["duty@actor"]`, one status per duty and bearer, as `vplc check` names them.
package vpl.peers

ns_per_day := 86400000000000

# China Standard Time is UTC+8 all year (no daylight saving since 1991).
cst := 28800000000000

# 2021-09-01, the day the Provisions took effect (art. 16).
eff_day := 18871

day_of(t) := floor((t + cst) / ns_per_day)

as_of := time.parse_rfc3339_ns(input.as_of)

as_of_day := day_of(as_of)

in_force if as_of_day >= eff_day

evs := [ev |
	some e in input.events
	t := time.parse_rfc3339_ns(e.at)
	ev := {"type": e.type, "actor": e.actor, "t": t, "attrs": object.get(e, "attrs", {})}
]

bearers(role) := {x.id | some x in input.actors; role in x.roles}

attr(a, k) if {
	some x in input.actors
	x.id == a
	x.attrs[k] == true
}

# Times of the events of one type by one actor, up to as_of.
times(kind, a) := {e.t | some e in evs; e.type == kind; e.actor == a; e.t <= as_of}

# Times of the events of one type, by anyone holding a role, up to as_of.
times_by_role(kind, role) := {e.t |
	some e in evs
	e.type == kind
	e.t <= as_of
	e.actor in bearers(role)
}

# Civil Code art. 203: a last day on a rest day moves to the next working day.
next_working(n) := min({d | some d in numbers.range(n, n + 30); not data.calendar.rest[d]})

# A prohibition without a window: `acts` are the times of the bearer's acts (up to as_of).
ban(_) := "not_applicable" if not in_force

ban(acts) := "breached" if {
	in_force
	some t in acts
	day_of(t) >= eff_day
}

ban(acts) := "not_applicable" if {
	in_force
	every t in acts { day_of(t) < eff_day }
	some t in acts
}

ban(acts) := "met" if {
	in_force
	count(acts) == 0
}

# A prohibition judged act by act, with an exception that holds from `excused_from` on
# (`excused` is the set of times the exception's event happened). The first act not
# excused breaks it.
ban_except(_, _) := "not_applicable" if not in_force

ban_except(acts, excused) := s if {
	in_force
	live := {t | some t in acts; day_of(t) >= eff_day}
	count(live) > 0
	first := min(live)
	s := excused_or_breached(first, excused)
}

ban_except(acts, _) := "not_applicable" if {
	in_force
	every t in acts { day_of(t) < eff_day }
	some t in acts
}

ban_except(acts, _) := "met" if {
	in_force
	count(acts) == 0
}

excused_or_breached(t, excused) := "exempt" if {
	some x in excused
	x <= t
}

excused_or_breached(t, excused) := "breached" if {
	every x in excused { x > t }
}

# A standing duty: met once done; otherwise a person must check.
standing(_) := "not_applicable" if not in_force

standing(done) := "met" if {
	in_force
	count(done) > 0
}

standing(done) := "undetermined" if {
	in_force
	count(done) == 0
}

# An act owed before the bearer's own first publication, unless the provider's fix came
# first; the duty arises only once the act or the publication happened.
before_publication(_, _) := "not_applicable" if not in_force

before_publication(a, acts) := s if {
	in_force
	pubs := times("published", a)
	count(pubs) + count(acts) > 0
	s := before_publication_status(pubs, acts)
}

before_publication_status(pubs, _) := "exempt" if fix_before(pubs)

before_publication_status(pubs, acts) := s if {
	not fix_before(pubs)
	s := ordering(pubs, acts)
}

fix_before(pubs) if {
	count(pubs) > 0
	some f in times_by_role("remedied", "product_provider")
	f <= min(pubs)
}

fix_before(pubs) if {
	count(pubs) == 0
	count(times_by_role("remedied", "product_provider")) > 0
}

ordering(pubs, acts) := "met" if {
	count(acts) > 0
	count(pubs) == 0
}

ordering(pubs, acts) := "met" if {
	count(acts) > 0
	count(pubs) > 0
	min(acts) < min(pubs)
}

ordering(pubs, acts) := "late" if {
	count(acts) > 0
	count(pubs) > 0
	min(acts) >= min(pubs)
}

ordering(pubs, acts) := "missed" if {
	count(acts) == 0
	count(pubs) > 0
}
