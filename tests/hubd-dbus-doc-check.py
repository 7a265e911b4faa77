#!/usr/bin/env python3
# hubd-dbus-doc-check.py: every member of the D-Bus API is documented, as
# gdbus-codegen reads the XML (what the RST reference shows)
#
# Usage: hubd-dbus-doc-check.py GDBUS_CODEGEN PROJECT_VERSION XML|DIR...
#
# Checks, for every interface, method, argument, property and signal: a
# description and an explicit "@since: X.Y" no later than the project's
# version; every options argument lists its keys under "Options" (or says
# "No option yet"); every a{sv} handed back, and every aa{sv} taken, has its
# keys listed ("Keys of @arg ..."); every listed key is snake_case with a
# valid D-Bus type. The C files under each DIR are searched for the keys the
# code puts in or reads from an a{sv} (builder adds, lookups, option tables):
# each must be listed somewhere. Prints one line per problem; exits 1 if
# there is any.

import glob
import os
import re
import sys

BULLET = re.compile(r"^- ``([^`]+)`` \(([^)]*(?:\([^)]*\))?[^)]*)\): \S")
SINCE = re.compile(r"^\d+\.\d+$")
KEY = re.compile(r"^[a-z][a-z0-9_]*$")
NO_OPTIONS = "No option yet; any key is refused."


def load_parser(codegen):
    """gdbus-codegen's own parser, found as the gdbus-codegen script finds it"""
    here = os.path.dirname(os.path.realpath(codegen))
    for path in (os.path.join(here, "..", "share", "glib-2.0"), "/usr/share/glib-2.0"):
        if os.path.isfile(os.path.join(path, "codegen", "parser.py")):
            sys.path.insert(0, os.path.abspath(path))
            break
    from codegen import parser

    return parser


def parse(parser, data):
    try:
        return parser.parse_dbus_xml(data, h_type_implies_unix_fd=True)
    except TypeError:  # GLib before 2.64 took one argument
        return parser.parse_dbus_xml(data)


def valid_type(sig):
    """Whether sig is exactly one complete D-Bus type."""

    def one(i):
        if i >= len(sig):
            return -1
        c = sig[i]
        if c in "ybnqiuxtdhsogv":
            return i + 1
        if c == "a":
            if i + 1 < len(sig) and sig[i + 1] == "{":
                j = one(i + 2)
                if j < 0 or sig[i + 2] not in "ybnqiuxtdhsog":
                    return -1
                j = one(j)
                return j + 1 if j >= 0 and j < len(sig) and sig[j] == "}" else -1
            return one(i + 1)
        if c == "(":
            j = i + 1
            while j < len(sig) and sig[j] != ")":
                j = one(j)
                if j < 0:
                    return -1
            return j + 1 if j < len(sig) and j > i + 1 else -1
        return -1

    return one(0) == len(sig)


# Where C code names an a{sv} key: g_variant_builder_add (b, "{sv}", KEY,
# ...), the repos JSON helpers add_str*(b, KEY, ...), lookups in options or
# dictionaries, and {KEY, TYPE} rows of HubdServiceOption tables.
CODE_KEYS = [
    re.compile(r'g_variant_builder_add\(\s*&?\w+,\s*"\{sv\}",\s*"([^"]+)"'),
    re.compile(r'\badd_(?:str|str_member|bool_member|uint_member)\(\s*&?\w+,\s*"([^"]+)"'),
    re.compile(r'g_variant_(?:dict_)?lookup(?:_value)?\(\s*&?(?:options|dict|op)\w*,\s*"([^"]+)"'),
]
OPTION_ROW = re.compile(r'\{"([^"]+)",\s*"([^"]+)"\}')


def code_keys(root):
    """key -> the first file:line that names it"""
    keys = {}
    for path in sorted(glob.glob(os.path.join(root, "**", "*.c"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        found = [(m.start(), m.group(1)) for p in CODE_KEYS for m in p.finditer(text)]
        found += [(m.start(), m.group(1)) for m in OPTION_ROW.finditer(text) if valid_type(m.group(2))]
        for pos, key in found:
            keys.setdefault(key, f"{os.path.relpath(path)}:{text.count(chr(10), 0, pos) + 1}")
    return keys


def version_tuple(v):
    return tuple(int(x) for x in v.split(".")[:2])


class Checker:
    def __init__(self, version):
        self.version = version_tuple(version)
        self.problems = []

    def problem(self, where, what):
        self.problems.append(f"{where}: {what}")

    def documented(self, where, obj, since=True):
        if not (obj.doc_string or "").strip():
            self.problem(where, "no description")
        if not since:
            return
        if not SINCE.match(obj.since or ""):
            self.problem(where, 'no "@since: X.Y"')
        elif version_tuple(obj.since) > self.version:
            self.problem(where, f"@since {obj.since} is later than the project")

    def bullets(self, where, body):
        for line in body:
            if not line.startswith("- ``"):
                continue
            m = BULLET.match(line)
            if m is None:
                self.problem(where, f'key line not "- ``key`` (type): meaning": {line}')
                continue
            key, sig = m.group(1), m.group(2)
            if not KEY.match(key):
                self.problem(where, f"key {key} is not snake_case")
            if not valid_type(sig):
                self.problem(where, f"key {key}: {sig} is not a D-Bus type")

    def keys_listed(self, where, body, arg):
        heads = (f"Keys of @{arg}", f"Keys of each entry of @{arg}")
        if not any(line.startswith(heads) for line in body):
            self.problem(where, f'the keys of {arg} are not listed ("Keys of @{arg}")')

    def method(self, iface, m):
        where = f"{iface.name}.{m.name}"
        body = [line.strip() for line in (m.doc_string or "").splitlines()]
        self.documented(where, m)
        self.bullets(where, body)
        for a in m.in_args + m.out_args:
            if not (a.doc_string or "").strip():
                self.problem(f"{where}({a.name})", "no description")
        for a in m.in_args:
            if a.name == "options" and a.signature == "a{sv}":
                if a.doc_string.strip() != NO_OPTIONS and not any(
                    line.startswith("Options") for line in body
                ):
                    self.problem(where, f'options: neither "{NO_OPTIONS}" nor an Options list')
            elif "a{sv}" in a.signature:
                self.keys_listed(where, body, a.name)
        for a in m.out_args:
            if "a{sv}" in a.signature:
                self.keys_listed(where, body, a.name)

    def signal(self, iface, s):
        where = f"{iface.name}::{s.name}"
        body = [line.strip() for line in (s.doc_string or "").splitlines()]
        self.documented(where, s)
        self.bullets(where, body)
        for a in s.args:
            if not (a.doc_string or "").strip():
                self.problem(f"{where}({a.name})", "no description")
            if "a{sv}" in a.signature:
                self.keys_listed(where, body, a.name)

    def listed_keys(self, iface):
        docs = [iface.doc_string]
        docs += [m.doc_string for m in iface.methods]
        docs += [x.doc_string for x in iface.signals + iface.properties]
        keys = set()
        for doc in docs:
            for line in (doc or "").splitlines():
                m = BULLET.match(line.strip())
                if m is not None:
                    keys.add(m.group(1))
        return keys

    def interface(self, iface):
        self.documented(iface.name, iface)
        if not (iface.doc_string_brief or "").strip():
            self.problem(iface.name, "no @short_description")
        for p in iface.properties:
            self.documented(f"{iface.name}:{p.name}", p)
        for m in iface.methods:
            self.method(iface, m)
        for s in iface.signals:
            self.signal(iface, s)


def main(argv):
    if len(argv) < 4:
        print(__doc__ or "usage: hubd-dbus-doc-check.py GDBUS_CODEGEN VERSION XML...")
        return 2
    parser = load_parser(argv[1])
    checker = Checker(argv[2])
    n = 0
    listed = set()
    in_code = {}
    for path in argv[3:]:
        if os.path.isdir(path):
            for key, where in code_keys(path).items():
                in_code.setdefault(key, where)
            continue
        with open(path, "rb") as f:
            for iface in parse(parser, f.read()):
                checker.interface(iface)
                listed |= checker.listed_keys(iface)
                n += 1
    for key, where in sorted(in_code.items()):
        if key not in listed:
            checker.problem(where, f"the key {key} is not listed in any interface's documentation")
    for p in checker.problems:
        print(p)
    print(f"{n} interfaces, {len(in_code)} keys in the code, {len(checker.problems)} problems")
    return 1 if checker.problems or n == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
