#!/usr/bin/env python3
"""libhubd from Python, through GObject introspection only (gi.repository.Hubd).

Run by with-hub.sh: hubd on the private session bus, alice logged in, the
local Hub behind it. Publishes a small model with upload_folder, reads it
back with repo_info / list_files / list_repos, downloads a file with progress
(sync and async), scans the cache, and checks that a missing repo is a
GLib.Error of the Hubd.Error domain with the REPO_NOT_FOUND code. Calls a
plugin's interface (the test plugin's) through Client.call_sync, with its
errors typed, and follows a job it started with Job.new_sync.
Prints TAP.
"""
import os
import sys
import tempfile

import gi

gi.require_version("Hubd", "1.0")
from gi.repository import Gio, GLib, Hubd  # noqa: E402

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(f"{'ok' if ok else 'not ok'} {len(results)} - {name}" + (f" # {detail}" if detail and not ok else ""))
    sys.stdout.flush()


def expect_error(name, code, func, *args):
    try:
        func(*args)
    except GLib.Error as e:
        check(name, e.matches(Hubd.error_quark(), code), f"{e.domain}:{e.code}: {e.message}")
        return e
    check(name, False, "no error raised")
    return None


repo = "alice/libhubd-gi"
work = tempfile.mkdtemp()
weights = os.urandom(3 * 1024 * 1024 + 17)
with open(os.path.join(work, "README.md"), "w") as f:
    f.write("---\nlicense: apache-2.0\n---\n# libhubd test model\n")
with open(os.path.join(work, "config.json"), "w") as f:
    f.write('{"hidden_size": 8}\n')
with open(os.path.join(work, "weights.bin"), "wb") as f:
    f.write(weights)

client = Hubd.Client.new_sync(None)
check("connected on the session bus", client.get_bus_name() == "org.hubd.Hub1" and client.get_socket_path() is None)

user = client.whoami_sync(None)
check("whoami is a HubdUser with alice's name", isinstance(user, Hubd.User) and user.props.name == "alice",
      repr(user.props.name))

url = client.create_repo_sync("model", repo, False, True, None)
check("create_repo returns the web URL", url.endswith("/" + repo), url)

job = client.upload_folder_sync("model", repo, None, Gio.File.new_for_path(work), None, "Publish from Python", None)
check("upload_folder returns a HubdJob of kind upload", isinstance(job, Hubd.Job) and job.props.kind == "upload",
      repr(job.props.kind))
made = job.wait_sync(None)
result = job.get_result()
check("an upload makes no file, and its result names the commit",
      made is None and result is not None and len(result.unpack().get("commit_oid", "")) == 40, repr(result))

info = client.repo_info_sync("model", repo, None, None)
check("repo_info: HubdRepoInfo with id and commit", info.props.id == repo and len(info.props.sha or "") == 40,
      f"{info.props.id} {info.props.sha}")

files = {f.props.path: f for f in client.list_files_sync("model", repo, None, None, True, None)}
check("list_files lists the three files with their sizes",
      {"README.md", "config.json", "weights.bin"} <= set(files) and files["weights.bin"].props.size == len(weights),
      repr(sorted(files)))

repos = [r.props.id for r in client.list_repos_sync("model", None, "alice", 0, None)]
check("list_repos by author has the repo", repo in repos, repr(repos))

# ---- a download with progress, blocking
job = client.download_file_sync("model", repo, None, "weights.bin", None, None)
seen = []
job.connect("progress", lambda j: seen.append((j.props.bytes_done, j.props.bytes_total, j.props.current_file)))
path = job.wait_sync(None)
check("download_file + wait_sync give the file on disk", isinstance(path, Gio.File) and path.query_exists(None))
with open(path.get_path(), "rb") as f:
    check("the file has the uploaded bytes", f.read() == weights)
check("progress was reported, ending at the file's size",
      len(seen) > 0 and seen[-1][0] == len(weights) and job.props.bytes_done == len(weights), repr(seen[-3:]))
check("the job completed", job.props.state == "completed", repr(job.props.state))

# ---- the same asynchronously, in a main loop (cached now: no byte fetched)
loop = GLib.MainLoop()
outcome = {}


def on_waited(j, res):
    try:
        outcome["file"] = j.wait_finish(res)
    except GLib.Error as e:
        outcome["error"] = e
    loop.quit()


def on_job(c, res):
    try:
        j = c.download_file_finish(res)
    except GLib.Error as e:
        outcome["error"] = e
        loop.quit()
        return
    outcome["job"] = j
    j.wait(None, on_waited)


client.download_file("model", repo, None, "config.json", None, None, on_job)
GLib.timeout_add_seconds(60, loop.quit)
loop.run()
check("async download: the file, and its result says it was cached",
      "file" in outcome and outcome["file"].get_basename() == "config.json"
      and outcome["job"].get_result().unpack().get("cached") is not None, repr(outcome))

# ---- one more file, then a snapshot of the JSON files only
extra = os.path.join(work, "extra.json")
with open(extra, "w") as f:
    f.write('{"extra": true}\n')
job = client.upload_file_sync("model", repo, None, Gio.File.new_for_path(extra), "sub/extra.json", None, None)
job.wait_sync(None)
check("upload_file commits the file at its path in the repo",
      job.get_result().unpack().get("commit_url", "").find(repo) >= 0, repr(job.get_result()))
job = client.snapshot_sync("model", repo, None, ["*.json"], None)
folder = job.wait_sync(None)
got = sorted(os.path.relpath(os.path.join(d, n), folder.get_path())
             for d, _, names in os.walk(folder.get_path()) for n in names)
check("snapshot with allow_patterns: the folder holds just the JSON files",
      job.props.kind == "snapshot" and got == ["config.json", "sub/extra.json"], repr(got))
with open(os.path.join(folder.get_path(), "sub", "extra.json")) as f:
    check("the snapshot's file has the uploaded bytes", f.read() == '{"extra": true}\n')

scan = client.cache_scan_sync(None)
cached = [r for r in scan.get_repos() if r.props.repo_id == repo]
check("cache_scan: a HubdCacheInfo listing the repo as a HubdCacheRepo",
      isinstance(scan, Hubd.CacheInfo) and len(cached) == 1 and cached[0].props.size >= len(weights))

# ---- typed errors
e = expect_error("a missing repo: GLib.Error in the HUBD_ERROR domain, REPO_NOT_FOUND",
                 Hubd.Error.REPO_NOT_FOUND, client.repo_info_sync, "model", "alice/no-such-repo", None, None)
check("the message is hubd's, without the D-Bus prefix", e is not None and "GDBus" not in e.message, e and e.message)


def download_missing():
    client.download_file_sync("model", "alice/no-such-repo", None, "config.json", None, None).wait_sync(None)


expect_error("downloading from a missing repo fails with REPO_NOT_FOUND", Hubd.Error.REPO_NOT_FOUND, download_missing)
expect_error("a bad repo id is INVALID_ARGUMENT", Hubd.Error.INVALID_ARGUMENT,
             client.repo_info_sync, "model", "not a/valid/id", None, None)
check("error codes have D-Bus names", Hubd.error_code_to_name(Hubd.Error.REPO_NOT_FOUND) == "RepoNotFound")

# ---- a plugin's interface, through the generic call (no typed wrapper)
reply = client.call_sync("org.hubd.Hub1.TestPlugin", "Ping", GLib.Variant("(sa{sv})", ("from Python", {})),
                         GLib.VariantType.new("(s)"), -1, None)
check("call_sync on a plugin's interface returns its reply", reply.unpack() == ("pong: from Python",), repr(reply))
e = expect_error("call_sync maps hubd's errors: a missing repo is REPO_NOT_FOUND", Hubd.Error.REPO_NOT_FOUND,
                 client.call_sync, "org.hubd.Hub1.TestPlugin", "ResolveRevision",
                 GLib.Variant("(sssa{sv})", ("model", "alice/no-such-repo", "", {})),
                 GLib.VariantType.new("(s)"), -1, None)
check("… with hubd's message, without the D-Bus prefix", e is not None and "GDBus" not in e.message, e and e.message)
(job_path,) = client.call_sync("org.hubd.Hub1.TestPlugin", "StartJob",
                               GLib.Variant("(uuba{sv})", (3, 30, False, {})),
                               GLib.VariantType.new("(o)"), -1, None).unpack()
plugin_job = Hubd.Job.new_sync(client, job_path, None)
done_seen = []
plugin_job.connect("progress", lambda j: done_seen.append(j.props.bytes_done))
result_file = plugin_job.wait_sync(None)
check("Job.new_sync follows a job a generic call started, to its result",
      result_file.get_path() == "/test/path" and plugin_job.get_result().unpack().get("steps") == 3
      and plugin_job.props.bytes_done == 3000, f"{result_file and result_file.get_path()} {done_seen}")
version = client.get_property_sync(Hubd.INTERFACE_DAEMON, "Version", None)
check("get_property_sync reads hubd's Version", isinstance(version.unpack(), str) and version.unpack() != "",
      repr(version))

check("delete_repo", client.delete_repo_sync("model", repo, False, None))
expect_error("the deleted repo is gone", Hubd.Error.REPO_NOT_FOUND, client.repo_info_sync, "model", repo, None, None)

print(f"1..{len(results)}")
sys.exit(0 if all(results) else 1)
