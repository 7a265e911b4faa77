#!/usr/bin/env python3
# libhubd from Python: list a user's models, then download one file with a
# progress line. Usage: download.py REPO_ID FILENAME
#
#   GI_TYPELIB_PATH and LD_LIBRARY_PATH must find Hubd-1.0.typelib and
#   libhubd-1.so when they are not installed (build/libhubd).
import sys

import gi

gi.require_version("Hubd", "1.0")
from gi.repository import GLib, Hubd  # noqa: E402

repo_id, filename = sys.argv[1], sys.argv[2]
client = Hubd.Client.new_sync(None)

for repo in client.list_repos_sync("model", None, repo_id.split("/")[0], 20, None):
    print(f"{repo.props.id}\t{repo.props.downloads} downloads")


def on_progress(job):
    total = job.props.bytes_total
    done = job.props.bytes_done
    percent = f"{done * 100 // total:3d}%" if total else "   "
    print(f"\r{job.props.current_file or filename} {percent} {GLib.format_size(done)}",
          end="", file=sys.stderr, flush=True)


try:
    job = client.download_file_sync("model", repo_id, None, filename, None, None)
    job.connect("progress", on_progress)
    path = job.wait_sync(None)
except GLib.Error as e:
    if e.matches(Hubd.error_quark(), Hubd.Error.REPO_NOT_FOUND):
        sys.exit(f"\nno such repo: {repo_id}")
    sys.exit(f"\n{e.message}")
print(file=sys.stderr)
print(path.get_path())
