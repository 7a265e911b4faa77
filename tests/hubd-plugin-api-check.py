#!/usr/bin/env python3
"""The plugin API is what libhubd-private exports: check that it stays so.

  hubd-plugin-api-check.py SRCDIR LIBRARY

1. the library's dynamic symbols are exactly the version script's list
   (daemon/plugin/hubd-plugin.map) — nothing leaks, nothing listed is missing;
2. every listed function is declared in a header the umbrella
   daemon/plugin/hubd-plugin.h includes (directly or through another);
3. every listed function has a gtk-doc comment with a `Since:` line.
Prints what is wrong, one line each; exits 1 if anything is.
"""
import os
import re
import subprocess
import sys

src, lib = sys.argv[1], sys.argv[2]
daemon = os.path.join(src, "daemon")
# the error domain, the names and the repo-id checks are libhubd's, built
# into the daemon and included as "libhubd/…"
libhubd = os.path.join(src, "libhubd")
problems = []

# ---- the version script
with open(os.path.join(daemon, "plugin", "hubd-plugin.map"), encoding="utf-8") as f:
    text = re.sub(r"/\*.*?\*/", "", f.read(), flags=re.S)
glob_part = text.split("global:", 1)[1].split("local:", 1)[0]
listed = {s.strip() for s in glob_part.split(";") if s.strip()}
listed_api = listed - {"hubd_main"}  # the executable's entry, not plugin API

# ---- 1. what the library exports
out = subprocess.run(["nm", "-D", "--defined-only", lib], check=True,
                     capture_output=True, text=True).stdout
exported = set()
for line in out.splitlines():
    parts = line.split()
    if len(parts) == 3 and parts[1] in "TDBRV" and not parts[2].startswith("HUBD_PLUGIN"):
        exported.add(parts[2].split("@")[0])
for s in sorted(exported - listed):
    problems.append(f"exported but not in hubd-plugin.map: {s}")
for s in sorted(listed - exported):
    problems.append(f"in hubd-plugin.map but not exported (misspelt or gone?): {s}")

# ---- 2. declared in the headers the umbrella reaches
headers = {}
for root, _, files in os.walk(daemon):
    for name in files:
        if name.endswith(".h"):
            headers[name] = os.path.join(root, name)
for name in os.listdir(libhubd):
    if name.endswith(".h"):
        headers["libhubd/" + name] = os.path.join(libhubd, name)
seen, todo, declared = set(), ["hubd-plugin.h"], set()
while todo:
    h = todo.pop()
    if h in seen or h not in headers:
        continue
    seen.add(h)
    with open(headers[h], encoding="utf-8") as f:
        body = f.read()
    includes = re.findall(r'#include "([^"]+)"', body)
    if headers[h].startswith(libhubd + os.sep):
        # a libhubd header includes its neighbours by their plain names
        includes = ["libhubd/" + i for i in includes]
    todo += includes
    declared |= set(re.findall(r"\b(hubd_\w+)\s*\(", body))
    # G_DECLARE_* make NAME_get_type
    for m in re.finditer(r"G_DECLARE_\w+\(\s*\w+,\s*(\w+),", body):
        declared.add(m.group(1) + "_get_type")
for s in sorted(listed_api - declared):
    problems.append(f"{s}: not declared in any header hubd-plugin.h includes")

# ---- 3. documented with Since:
documented = set()
for root, _, files in [w for d in (daemon, libhubd) for w in os.walk(d)]:
    for name in files:
        if not name.endswith((".c", ".h")):
            continue
        with open(os.path.join(root, name), encoding="utf-8") as f:
            body = f.read()
        for block in re.findall(r"/\*\*\n(.*?)\*/", body, flags=re.S):
            m = re.match(r"\s*\*\s*([\w:]+):?\s*\n", block)
            if m and "Since:" in block:
                documented.add(m.group(1).rstrip(":"))
for s in sorted(listed_api):
    if s in documented:
        continue
    # a type's _get_type is documented by the type's own block
    if s.endswith("_get_type"):
        continue
    problems.append(f"{s}: no gtk-doc comment with Since:")

for p in problems:
    print(p)
print(f"plugin API: {len(listed_api)} symbols, {len(problems)} problems")
sys.exit(1 if problems else 0)
