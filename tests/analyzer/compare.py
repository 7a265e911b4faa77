#!/usr/bin/env python3
# tests/analyzer/compare.py: gcc -fanalyzer findings (JSON in a ninja log) against the baseline
#
#   compare.py NINJA-LOG BUILDDIR SRCDIR BASELINE [NINJA-STATUS]
#
# A finding is keyed by the file compiled, the function and the warning, never
# by line, so edits elsewhere in a file do not disturb the baseline; a key may
# be listed as many times as it is expected. Exits 1 on a finding the baseline does not cover,
# on a compiler error, or on a baseline line without a reason; baseline lines
# nothing matches any more are reported (after a complete build), not fatal.
import collections
import json
import os
import re
import sys


def rel(path, build, src):
    full = os.path.normpath(os.path.join(build, path))
    r = os.path.relpath(full, src)
    return None if r.startswith("..") else r


def where(loc, build, src):
    f = loc.get("file", "?")
    return f"{rel(f, build, src) or f}:{loc.get('line', '?')}"


def finding(diag, unit, build, src):
    """(file, function, option, text, message) of one diagnostic of
    translation unit `unit`"""
    caret = diag["locations"][0]["caret"] if diag.get("locations") else {}
    path = diag.get("path") or []
    function = path[-1].get("function", "?") if path else "?"
    lines = [f"{where(caret, build, src)}:{caret.get('column', '?')}: in {function}(): "
             f"{diag['message']} [{diag.get('option', diag['kind'])}]"]
    for i, event in enumerate(path, 1):
        lines.append(f"      ({i}) {where(event.get('location', {}), build, src)}: "
                     f"{event.get('description', '')}")
    return unit, function, diag.get("option", ""), "\n".join(lines), diag["message"]


def read_log(log, build, src):
    """findings, compiler errors and the files the analyzer gave up on, in
    the output of `ninja -v`"""
    findings, errors, gave_up = [], [], set()
    unit = "?"
    with open(log, encoding="utf-8", errors="replace") as f:
        for line in f:
            # "[3/44] cc ... -c ../daemon/x.c": the file the next JSON is about
            m = re.match(r"\[\d+/\d+\] .* -c (\S+)", line)
            if m:
                unit = rel(m.group(1), build, src) or m.group(1)
                continue
            if not line.startswith("[{"):
                continue
            for diag in json.loads(line):
                option = diag.get("option", "")
                if diag.get("kind") in ("error", "fatal error"):
                    errors.append(finding(diag, unit, build, src)[3])
                elif option == "-Wanalyzer-too-complex":
                    if "bailed out early" in diag["message"]:
                        gave_up.add(unit)
                elif option.startswith("-Wanalyzer-"):
                    findings.append(finding(diag, unit, build, src))
    return findings, errors, sorted(gave_up)


def read_baseline(path):
    expected = collections.Counter()
    bad = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            head, _, reason = line.partition(" -- ")
            fields = head.split()
            if len(fields) != 3 or not reason.strip():
                bad.append(f"{path}:{n}: want “FILE FUNCTION -Wanalyzer-KIND -- REASON”")
                continue
            expected[tuple(fields)] += 1
    return expected, bad


def main():
    log, build, src, baseline = sys.argv[1:5]
    complete = len(sys.argv) < 6 or sys.argv[5] == "0"
    findings, errors, gave_up = read_log(log, build, src)
    # gcc repeats a finding for each way it reaches it (a callee analysed
    # from several callers): one per function, warning and message
    unique = {}
    for f in findings:
        unique.setdefault((f[0], f[1], f[2], f[4]), f)
    findings = list(unique.values())
    expected, bad = read_baseline(baseline)
    found = collections.Counter(f[:3] for f in findings)
    status = 0

    for e in errors:
        print(f"check-analyzer: compiler error: {e}")
        status = 1
    for b in bad:
        print(f"check-analyzer: {b}")
        status = 1
    new_keys = [k for k in found if found[k] > expected[k]]
    for k in new_keys:
        for f in findings:
            if f[:3] == k:
                print(f"check-analyzer: NEW {f[3]}")
        print("  Fix it. Only if it is a false positive, add to "
              f"{os.path.relpath(baseline, src)}:\n"
              f"    {k[0]} {k[1]} {k[2]} -- WHY IT IS HARMLESS")
        status = 1
    for k in expected if complete else []:
        if found[k] < expected[k]:
            print(f"check-analyzer: no longer found (remove from the baseline): "
                  f"{' '.join(k)} (expected {expected[k]}, found {found[k]})")
    if gave_up:
        print(f"check-analyzer: the analyzer gave up part-way on {', '.join(gave_up)} "
              "(too many paths): those files are only partly checked")
    known = sum(min(found[k], expected[k]) for k in found)
    print(f"check-analyzer: {len(findings)} finding(s), {known} in the baseline, "
          f"{len(findings) - known} new")
    return status


if __name__ == "__main__":
    sys.exit(main())
