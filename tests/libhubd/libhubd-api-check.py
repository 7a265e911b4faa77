#!/usr/bin/env python3
"""libhubd's ABI is what libhubd-1.so exports: check that it stays so.

  libhubd-api-check.py SRCDIR LIBRARY

1. the library's dynamic symbols are exactly libhubd/libhubd.map's list;
2. every listed function is declared in a header the umbrella hubd.h
   includes (the generated hubd-enums.h aside);
3. every listed function has a gtk-doc comment with a `Since:` line, and
   every public header is installed (listed in libhubd/meson.build).
Prints what is wrong, one line each; exits 1 if anything is.
"""
import os
import re
import subprocess
import sys

src, lib = sys.argv[1], sys.argv[2]
libdir = os.path.join(src, "libhubd")
problems = []

with open(os.path.join(libdir, "libhubd.map"), encoding="utf-8") as f:
    text = re.sub(r"/\*.*?\*/", "", f.read(), flags=re.S)
listed = {s.strip() for s in text.split("global:", 1)[1].split("local:", 1)[0].split(";") if s.strip()}

out = subprocess.run(["nm", "-D", "--defined-only", lib], check=True, capture_output=True, text=True).stdout
exported = {p[2].split("@")[0] for p in (l.split() for l in out.splitlines())
            if len(p) == 3 and p[1] in "TDBRV" and not p[2].startswith("HUBD_")}
problems += [f"exported but not in libhubd.map: {s}" for s in sorted(exported - listed)]
problems += [f"in libhubd.map but not exported: {s}" for s in sorted(listed - exported)]

seen, todo, declared = set(), ["hubd.h"], {"hubd_error_get_type"}  # hubd-enums.h is generated
while todo:
    h = todo.pop()
    path = os.path.join(libdir, h)
    if h in seen or not os.path.exists(path):
        continue
    seen.add(h)
    with open(path, encoding="utf-8") as f:
        body = f.read()
    todo += re.findall(r'#include "([^"]+)"', body)
    declared |= set(re.findall(r"^(hubd_\w+)\(", body, flags=re.M))
    for m in re.finditer(r"G_DECLARE_\w+\(\s*\w+,\s*(\w+),", body):
        declared.add(m.group(1) + "_get_type")
problems += [f"{s}: not declared in any header hubd.h includes" for s in sorted(listed - declared)]

documented = set()
for name in os.listdir(libdir):
    if name.endswith((".c", ".h")):
        with open(os.path.join(libdir, name), encoding="utf-8") as f:
            for block in re.findall(r"/\*\*\n(.*?)\*/", f.read(), flags=re.S):
                m = re.match(r"\s*\*\s*([\w:]+):?\s*\n", block)
                if m and "Since:" in block:
                    documented.add(m.group(1).rstrip(":"))
problems += [f"{s}: no gtk-doc comment with Since:" for s in sorted(listed)
             if s not in documented and not s.endswith("_get_type")]

with open(os.path.join(libdir, "meson.build"), encoding="utf-8") as f:
    build = f.read()
installed = set(re.findall(r"'(hubd[\w-]*\.h)'", build.split("libhubd_public_headers = files(", 1)[1].split(")", 1)[0]))
problems += [f"{h}: included by hubd.h but not installed" for h in sorted(seen - installed)]

for p in problems:
    print(p)
print(f"libhubd API: {len(listed)} symbols, {len(problems)} problems")
sys.exit(1 if problems else 0)
