#!/usr/bin/env python3
"""hubctl is built as any app: on libhubd's public API only (issue 13).

  hubctl-independence-check.py SRCDIR BUILDDIR

From the build's compile_commands.json: no source of the hubctl target is in
daemon/, and no include directory of its compiles points into daemon/ or
at the generated D-Bus code (data/dbus, in the source or the build tree).
From client/: no #include names a header that exists only in daemon/, a
generated D-Bus header (*-generated.h) or a libhubd header that is not
installed (libhubd's private ones), and no file spells out the bus name,
object path or socket path, nor the interfaces libhubd names (they are
libhubd's, hubd-names.h). From the link: hubctl's link line (build.ninja)
names no archive (libhubd's internal ones, or the daemon's) but the shared
libhubd-1, the binary needs libhubd-1.so.0, and defines no libhubd symbol
itself (no hubd_* / hubd_dbus_* code linked in). Exits 1 on any finding.
"""
import json
import os
import re
import shlex
import subprocess
import sys

src, build = (os.path.realpath(p) for p in sys.argv[1:3])
problems = []
daemon_dirs = [os.path.join(src, "daemon"), os.path.join(build, "daemon")]
generated_dirs = [os.path.join(src, "data", "dbus"), os.path.join(build, "data", "dbus")]

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
        if any(inc == d or inc.startswith(d + os.sep) for d in daemon_dirs + generated_dirs):
            problems.append(f"hubctl's {os.path.basename(source)} has -I{inc}")

daemon_headers = {n for _, _, fs in os.walk(os.path.join(src, "daemon")) for n in fs if n.endswith(".h")}
libhubd_headers = set(os.listdir(os.path.join(src, "libhubd")))
with open(os.path.join(src, "libhubd", "meson.build"), encoding="utf-8") as f:
    libhubd_build = f.read()
public_headers = set(re.findall(r"'(hubd[\w-]*\.h)'",
                                libhubd_build.split("libhubd_public_headers = files(", 1)[1].split(")", 1)[0]))
public_headers |= {"hubd-enums.h", "hubd-version.h"}  # generated, installed
private_headers = {n for n in libhubd_headers if n.endswith(".h")} - public_headers
with open(os.path.join(src, "libhubd", "hubd-names.h"), encoding="utf-8") as f:
    libhubd_ifaces = re.findall(r'#define HUBD_INTERFACE_\w+ "([^"]+)"', f.read())
if len(libhubd_ifaces) < 6:
    problems.append("libhubd/hubd-names.h: fewer HUBD_INTERFACE_* names than the core's six")
if "hubd.h" not in public_headers:
    problems.append("libhubd/meson.build: no libhubd_public_headers with hubd.h found")
client = os.path.join(src, "client")
for name in sorted(os.listdir(client)):
    if not name.endswith((".c", ".h")):
        continue
    with open(os.path.join(client, name), encoding="utf-8") as f:
        body = f.read()
    for inc in re.findall(r'#include "([^"]+)"', body):
        base = os.path.basename(inc)
        if base in daemon_headers and base not in libhubd_headers:
            problems.append(f"client/{name} includes daemon header {inc}")
        if base.endswith("-generated.h"):
            problems.append(f"client/{name} includes generated D-Bus code {inc}")
        if base in private_headers:
            problems.append(f"client/{name} includes libhubd's private header {inc}")
    ifaces = tuple(f'"{i}"' for i in libhubd_ifaces)
    for literal in ('"org.hubd.Hub1"', '"/org/hubd/Hub1"', '"hubd", "bus"') + ifaces:
        if literal in body:
            problems.append(f"client/{name} spells out {literal} (use libhubd's hubd-names.h)")

# ---- the link: the shared libhubd-1 only
with open(os.path.join(build, "build.ninja"), encoding="utf-8") as f:
    ninja = f.read()
m = re.search(r"^build client/hubctl: (.*?)\n(?=\S|\Z)", ninja, flags=re.M | re.S)
if m is None:
    problems.append("no link rule of client/hubctl in build.ninja")
else:
    rule = m.group(1)
    for archive in sorted(set(re.findall(r"(\S+\.a)\b", rule))):
        problems.append(f"hubctl links the archive {archive}")
    if not re.search(r"libhubd/libhubd-1\.so", rule):
        problems.append("hubctl does not link libhubd/libhubd-1.so")
binary = os.path.join(build, "client", "hubctl")
dynamic = subprocess.run(["readelf", "-d", binary], capture_output=True, text=True).stdout
if "[libhubd-1.so.0]" not in dynamic:
    problems.append("client/hubctl does not need libhubd-1.so.0")
symbols = subprocess.run(["nm", "--defined-only", binary], capture_output=True, text=True).stdout
own = sorted({p[2] for p in (l.split() for l in symbols.splitlines())
              if len(p) == 3 and p[1] in "TtDdBbRr" and p[2].startswith("hubd_")})
for sym in own[:10]:
    problems.append(f"client/hubctl defines libhubd's {sym} (linked in, not from libhubd-1.so)")
if len(own) > 10:
    problems.append(f"… and {len(own) - 10} more hubd_* symbols in client/hubctl")

for p in problems:
    print(p)
print(f"hubctl: {len(commands)} compiles checked, {len(problems)} problems")
sys.exit(1 if problems else 0)
