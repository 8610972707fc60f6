#!/usr/bin/env python3
"""Generate the PRC civil calendar for VPL from the State Council holiday notices as data.

Reads  shared/legal/holidays-cn/{FIRST..LAST}.json  (holiday-cn format: `isOffDay: true` is a
holiday rest day, `false` a make-up working day; ordinary weekends are not listed) and writes

  stdlib/calendars/cn.vpl                     the `calendar cn { ... }` declaration
  compiler/vpl-time/tests/data/cn_days.txt    the same days, one `YYYY-MM-DD rest|work` a line,
                                              so the vpl-time tests use the real data without
                                              depending on the VPL parser

A notice's file can hold days of the year before (2023.json lists 2022-12-31); every date is
filed under the year it belongs to. Dates outside FIRST..LAST (2019.json lists 2018-12-29..31)
are left out: the calendar claims completeness only for the years it covers.

Usage: scripts/gen_cn_calendar.py [--legal DIR] [--check]
  --legal DIR  where holidays-cn/ lives (default: ../shared/legal next to the repository, or
               $VPL_LEGAL_DIR)
  --check      do not write; exit 1 if the generated files differ from the committed ones
Python 3 standard library only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

FIRST, LAST = 2019, 2026
REPO = Path(__file__).resolve().parent.parent
VPL_OUT = REPO / "stdlib" / "calendars" / "cn.vpl"
DAYS_OUT = REPO / "compiler" / "vpl-time" / "tests" / "data" / "cn_days.txt"
WIDTH = 100

# Titles of the notices whose title is not the usual "关于{year}年部分节假日安排的通知".
SPECIAL_TITLES = {
    "http://www.gov.cn/zhengce/zhengceku/2019-03/22/content_5375877.htm":
        "国务院办公厅关于调整2019年劳动节假期安排的通知",
    "http://www.gov.cn/zhengce/zhengceku/2020-01/27/content_5472352.htm":
        "国务院办公厅关于延长2020年春节假期的通知",
}


def default_legal_dir() -> Path:
    env = os.environ.get("VPL_LEGAL_DIR")
    if env:
        return Path(env)
    for base in (REPO.parent / "shared" / "legal", REPO / "shared" / "legal"):
        if base.is_dir():
            return base
    return REPO.parent / "shared" / "legal"


def notice_title(url: str, year: int) -> str:
    return SPECIAL_TITLES.get(url, f"国务院办公厅关于{year}年部分节假日安排的通知")


def load(legal: Path):
    """Return ({year: {date: 'rest'|'work'}}, {year: [(title, url)]}, [(date, kind, file)])."""
    days: dict[int, dict[dt.date, str]] = {y: {} for y in range(FIRST, LAST + 1)}
    notices: dict[int, list[tuple[str, str]]] = {y: [] for y in range(FIRST, LAST + 1)}
    dropped: list[tuple[dt.date, str, str]] = []
    for file_year in range(FIRST, LAST + 1):
        path = legal / "holidays-cn" / f"{file_year}.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("year") != file_year:
            sys.exit(f"{path}: says year {data.get('year')}, expected {file_year}")
        papers = list(data.get("papers", []))
        years_touched = set()
        for entry in data["days"]:
            date = dt.date.fromisoformat(entry["date"])
            kind = "rest" if entry["isOffDay"] else "work"
            if not FIRST <= date.year <= LAST:
                dropped.append((date, kind, path.name))
                continue
            previous = days[date.year].get(date)
            if previous is not None and previous != kind:
                sys.exit(f"{path}: {date} is listed as both {previous} and {kind}")
            days[date.year][date] = kind
            years_touched.add(date.year)
        for year in sorted(years_touched | {file_year}):
            for url in papers:
                item = (notice_title(url, file_year), url)
                if item not in notices[year]:
                    notices[year].append(item)
    return days, notices, dropped


def ranges(dates: list[dt.date]) -> list[str]:
    """Compress sorted dates into `a` and inclusive `a..b` items."""
    out: list[str] = []
    start = prev = None
    for d in dates:
        if prev is not None and d == prev + dt.timedelta(days=1):
            prev = d
            continue
        if start is not None:
            out.append(str(start) if start == prev else f"{start}..{prev}")
        start = prev = d
    if start is not None:
        out.append(str(start) if start == prev else f"{start}..{prev}")
    return out


def wrap(keyword: str, items: list[str], indent: str) -> list[str]:
    """`keyword a, b, c` wrapped at WIDTH, continuation lines indented under the first item."""
    lines: list[str] = []
    head = f"{indent}{keyword} "
    cont = " " * len(head)
    line = head
    for i, item in enumerate(items):
        piece = item + ("," if i < len(items) - 1 else "")
        if line not in (head, cont) and len(line) + 1 + len(piece) > WIDTH:
            lines.append(line.rstrip())
            line = cont
        line += piece if line in (head, cont) else " " + piece
    lines.append(line.rstrip())
    return lines


def doc_wrap(text: str, indent: str = "") -> list[str]:
    """A `///` doc comment paragraph wrapped at WIDTH."""
    lines: list[str] = []
    line = f"{indent}///"
    for word in text.split():
        if len(line) + 1 + len(word) > WIDTH and line != f"{indent}///":
            lines.append(line)
            line = f"{indent}///"
        line += " " + word
    lines.append(line)
    return lines


def render_vpl(days, notices, dropped) -> str:
    all_urls = []
    for year in range(FIRST, LAST + 1):
        for _, url in notices[year]:
            if url not in all_urls:
                all_urls.append(url)
    out = [
        "// GENERATED by scripts/gen_cn_calendar.py from shared/legal/holidays-cn/*.json;",
        "// do not edit by hand. scripts/check_cn_calendar.py cross-checks it day by day.",
        "",
        "/// The civil calendar of the People's Republic of China: Beijing time, the Civil Code's",
        "/// rules for computing periods (arts. 200-204), Saturdays and Sundays as weekly rest days,",
        "/// and the public holidays and make-up working days (调休上班) that the General Office of",
        "/// the State Council (国务院办公厅) fixes year by year in its notices on holiday",
        "/// arrangements (部分节假日安排的通知):",
    ]
    out += [f"///   {url}" for url in all_urls]
    out += [
        "/// `rest` lists the holiday rest days (ordinary weekends are not listed); `work` lists the",
        "/// make-up working days, which are working days even when they fall on a weekend.",
        f"/// The data covers {FIRST}..{LAST}; a date outside it is an error, never a guess.",
    ]
    if dropped:
        listed = ", ".join(f"{d} {k}" for d, k, _ in dropped)
        out += doc_wrap(f"Left out because they fall outside the years covered: {listed}.")
    out += [
        "calendar cn {",
        '  zone "Asia/Shanghai"',
        "  rule civil_code_cn",
        "  weekend sat, sun",
        f"  covers {FIRST}..{LAST}",
    ]
    for year in range(FIRST, LAST + 1):
        out.append("")
        for title, url in notices[year]:
            out.append(f"  /// {title} {url}")
        out.append(f"  year {year} {{")
        for kind in ("rest", "work"):
            dates = sorted(d for d, k in days[year].items() if k == kind)
            if dates:
                out += wrap(kind, ranges(dates), "    ")
        out.append("  }")
    out.append("}")
    return "\n".join(out) + "\n"


def render_days(days) -> str:
    out = [
        "# GENERATED by scripts/gen_cn_calendar.py: the days of stdlib/calendars/cn.vpl,",
        f"# covering {FIRST}..{LAST}, Asia/Shanghai, weekend sat sun. `rest` = holiday rest day,",
        "# `work` = make-up working day.",
    ]
    for year in range(FIRST, LAST + 1):
        for d in sorted(days[year]):
            out.append(f"{d} {days[year][d]}")
    return "\n".join(out) + "\n"


def canonical(vpl: str) -> str:
    """The text in `vplc fmt`'s canonical layout, so that `vplc fmt --check`
    over the stdlib stays clean."""
    import subprocess
    import tempfile
    with tempfile.NamedTemporaryFile("w", suffix=".vpl", delete=False, encoding="utf-8") as f:
        f.write(vpl)
        tmp = Path(f.name)
    try:
        subprocess.run(["cargo", "run", "-q", "-p", "vplc", "--", "fmt", str(tmp)],
                       cwd=REPO, check=True, stdout=subprocess.DEVNULL)
        return tmp.read_text(encoding="utf-8")
    finally:
        tmp.unlink()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--legal", type=Path, default=None)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    legal = args.legal or default_legal_dir()
    days, notices, dropped = load(legal)
    outputs = {VPL_OUT: canonical(render_vpl(days, notices, dropped)), DAYS_OUT: render_days(days)}
    if args.check:
        stale = [p for p, text in outputs.items()
                 if not p.exists() or p.read_text(encoding="utf-8") != text]
        for p in stale:
            print(f"stale: {p.relative_to(REPO)} (run scripts/gen_cn_calendar.py)")
        return 1 if stale else 0
    for path, text in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
