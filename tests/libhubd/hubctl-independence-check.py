#!/usr/bin/env python3
"""hubctl builds without any file from daemon/ (issue 13).

  hubctl-independence-check.py SRCDIR BUILDDIR

From the build's compile_commands.json: no source of the hubctl target is in
daemon/, and no include directory of its compiles points into daemon/ (in the
source or the build tree). From client/: no #include names a header that
exists only in daemon/, and no file spells out the bus name, object path or
socket path, nor the interfaces libhubd names (they are libhubd's, hubd-names.h). Exits 1 on any finding.
"""
import json
import os
import re
import shlex
import sys

src, build = (os.path.realpath(p) for p in sys.argv[1:3])
problems = []
daemon_dirs = [os.path.join(src, "daemon"), os.path.join(build, "daemon")]

with open(os.path.join(build, "compile_commands.json"), encoding="utf-8") as f:
    commands = [c for c in json.load(f) if "hubctl.p" in c.get("output", "")]
if not commands:
    problems.append("no compile command of hubctl in compile_commands.json")
for c in commands:
    cwd = c["directory"]
    source = os.path.realpath(os.path.join(cwd, c["file"]))
    if any(source.startswith(d + os.sep) for d in daemon_dirs):
        problems.append(f"hubctl compiles {source}")
    args = shlex.split(c["command"])
    for i, a in enumerate(args):
        inc = a[2:] if a.startswith("-I") and len(a) > 2 else (args[i + 1] if a == "-I" else None)
        if inc is None:
            continue
        inc = os.path.realpath(os.path.join(cwd, inc))
        if any(inc == d or inc.startswith(d + os.sep) for d in daemon_dirs):
            problems.append(f"hubctl's {os.path.basename(source)} has -I{inc}")

daemon_headers = {n for _, _, fs in os.walk(os.path.join(src, "daemon")) for n in fs if n.endswith(".h")}
libhubd_headers = set(os.listdir(os.path.join(src, "libhubd")))
client = os.path.join(src, "client")
for name in sorted(os.listdir(client)):
    if not name.endswith((".c", ".h")):
        continue
    with open(os.path.join(client, name), encoding="utf-8") as f:
        body = f.read()
    for inc in re.findall(r'#include "([^"]+)"', body):
        if os.path.basename(inc) in daemon_headers and os.path.basename(inc) not in libhubd_headers:
            problems.append(f"client/{name} includes daemon header {inc}")
    ifaces = tuple(f'"org.hubd.Hub1.{i}"' for i in ("Daemon", "Auth", "Repos", "Transfers", "Job", "Cache"))
    for literal in ('"org.hubd.Hub1"', '"/org/hubd/Hub1"', '"hubd", "bus"') + ifaces:
        if literal in body:
            problems.append(f"client/{name} spells out {literal} (use libhubd's hubd-names.h)")

for p in problems:
    print(p)
print(f"hubctl: {len(commands)} compiles checked, {len(problems)} problems")
sys.exit(1 if problems else 0)
