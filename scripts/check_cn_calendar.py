#!/usr/bin/env python3
"""Cross-check stdlib/calendars/cn.vpl against the `chinesecalendar` PyPI package.

For every day of the years the calendar covers (2019..2026), compares "is a working day" as
cn.vpl says it (Saturdays and Sundays rest unless listed under `work`; days listed under `rest`
rest) with `chinese_calendar.is_workday(date)`. Prints each difference, then a summary line
"N passed, M failed"; exits 1 on any difference, 2 when the package is missing or cn.vpl can't
be read.

The package is a development tool only, never a runtime dependency:
    python3 -m venv /tmp/cncal && /tmp/cncal/bin/pip install chinesecalendar
    /tmp/cncal/bin/python scripts/check_cn_calendar.py
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CN_VPL = REPO / "stdlib" / "calendars" / "cn.vpl"

DATE = r"\d{4}-\d{2}-\d{2}"
ITEM = re.compile(rf"^({DATE})(?:\.\.({DATE}))?$")


def strip_comment(line: str) -> str:
    """Drop `//` and `///` comments (URLs inside doc comments included)."""
    return line.split("//", 1)[0]


def parse(text: str):
    """Return (covers, weekend, rest set, work set) from the `calendar cn` block.

    A `rest`/`work` line and its continuation lines (lines that start with a date) form one
    comma-separated list of `YYYY-MM-DD` or inclusive `YYYY-MM-DD..YYYY-MM-DD` items.
    """
    covers = None
    weekend = None
    rest: set[dt.date] = set()
    work: set[dt.date] = set()
    current = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = strip_comment(raw).strip()
        if not line:
            continue
        m = re.match(r"^covers\s+(\d{4})\.\.(\d{4})$", line)
        if m:
            covers = (int(m.group(1)), int(m.group(2)))
            continue
        m = re.match(r"^weekend\s+(.*)$", line)
        if m:
            weekend = {w.strip() for w in m.group(1).split(",")}
            continue
        m = re.match(r"^(rest|work)\s+(.*)$", line)
        if m:
            current = rest if m.group(1) == "rest" else work
            body = m.group(2)
        elif current is not None and re.match(DATE, line):
            body = line
        else:
            current = None
            continue
        for item in filter(None, (x.strip() for x in body.split(","))):
            im = ITEM.match(item)
            if not im:
                raise ValueError(f"cn.vpl:{number}: can't read date item {item!r}")
            first = dt.date.fromisoformat(im.group(1))
            last = dt.date.fromisoformat(im.group(2) or im.group(1))
            if last < first:
                raise ValueError(f"cn.vpl:{number}: empty range {item!r}")
            day = first
            while day <= last:
                if day in rest or day in work:
                    raise ValueError(f"cn.vpl:{number}: {day} listed twice")
                current.add(day)
                day += dt.timedelta(days=1)
    if covers is None or weekend is None:
        raise ValueError("cn.vpl: no `covers` or `weekend` line")
    return covers, weekend, rest, work


WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def main() -> int:
    try:
        import chinese_calendar  # type: ignore
    except ImportError:
        print("the `chinesecalendar` package is not installed (pip install chinesecalendar)")
        return 2
    try:
        covers, weekend, rest, work = parse(CN_VPL.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        print(err)
        return 2
    version = getattr(chinese_calendar, "__version__", "?")
    print(f"cn.vpl covers {covers[0]}..{covers[1]}, weekend {', '.join(sorted(weekend))}; "
          f"{len(rest)} rest days, {len(work)} make-up working days listed; "
          f"chinesecalendar {version}")
    passed = failed = 0
    day = dt.date(covers[0], 1, 1)
    end = dt.date(covers[1], 12, 31)
    while day <= end:
        weekend_day = WEEKDAYS[day.weekday()] in weekend
        ours = day in work or (not weekend_day and day not in rest)
        theirs = bool(chinese_calendar.is_workday(day))
        if ours == theirs:
            passed += 1
        else:
            failed += 1
            word = {True: "working day", False: "rest day"}
            print(f"DIFF {day} ({WEEKDAYS[day.weekday()]}): cn.vpl says {word[ours]}, "
                  f"chinesecalendar says {word[theirs]}")
        day += dt.timedelta(days=1)
    listed_outside = sorted(d for d in rest | work if not covers[0] <= d.year <= covers[1])
    for d in listed_outside:
        failed += 1
        print(f"DIFF {d}: listed but outside covers {covers[0]}..{covers[1]}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
