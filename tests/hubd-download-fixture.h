/* hubd-download-fixture.h: what the download tests share — a local Hub with
 * alice/dl (regular and LFS files), a daemon with its own HF_HUB_CACHE, and
 * helpers to run Download / Snapshot jobs and read the Hub's request log */
#pragma once

#include <glib/gstdio.h>

#include "hubd-test-common.h"
#include "hubd-test-hub-admin.h"
#include "hubd-test-job.h"

#define ALICE_WRITE "hf_alice_write_0000000000000000000000"
#define ERR         "org.hubd.Hub1.Error."
#define REPO        "alice/dl"
#define FOLDER      "models--alice--dl"
#define LFS_MIN     1000
#define JOB_MS      60000

/* fixture data: how the daemon writes blobs ([downloads] in hubd.conf) */
typedef enum {
	FIXTURE_DIRECT_DEFAULT, /* O_DIRECT from 64 MiB: these tests' blobs are buffered */
	FIXTURE_DIRECT_ALL,     /* O_DIRECT for every blob the filesystem allows */
	FIXTURE_DIRECT_OFF,     /* never */
} FixtureDirect;
#define FIXTURE(mode) GINT_TO_POINTER(mode)

typedef struct {
	FixtureDirect direct;
	GStrv daemon_args; /* appended by daemon_start; may be NULL */
	HubdTestHub *hub;
	HubdTestDaemon *daemon;
	GDBusConnection *bus;
	gchar *tmp;
	gchar *cache;
	gchar *commit;
	gchar *weights; /* contents of sub/dir/weights.bin (LFS) */
} Fixture;

void
daemon_start(Fixture *f);
/* The local Hub with alice/dl, the temporary folders; no daemon yet. */
void
fixture_setup_hub(Fixture *f, gconstpointer data);
/* fixture_setup_hub, then daemon_start. */
void
fixture_setup(Fixture *f, gconstpointer data);
void
fixture_teardown(Fixture *f, gconstpointer data);
GVariant *
opts(const gchar *text);
gchar *
start_download(Fixture *f, GDBusConnection *c, const gchar *rev, const gchar *file, const gchar *o);
HubdTestJobResult *
download(Fixture *f, const gchar *rev, const gchar *file, const gchar *o);
HubdTestJobResult *
snapshot(Fixture *f, const gchar *rev, const gchar *o);
void
assert_ok(HubdTestJobResult *r);
void
assert_failed(HubdTestJobResult *r, const gchar *name);
gchar *
result_string(HubdTestJobResult *r, const gchar *key);
gchar *
cache_path(Fixture *f, const gchar *rel);
gchar *
read_file(const gchar *path);
gchar *
snapshot_file(Fixture *f, const gchar *commit, const gchar *file);
gchar *
lfs_sha(const gchar *contents);
GPtrArray *
log_entries(Fixture *f, const gchar *method, const gchar *path_regex);
gchar *
commit_big(Fixture *f, gsize size);
gchar *
lfs_url_regex(const gchar *contents);
/* every rule of the huggingface_hub layout in f->cache, after `r`, a
 * Snapshot of main */
void
assert_layout(Fixture *f, HubdTestJobResult *r);
