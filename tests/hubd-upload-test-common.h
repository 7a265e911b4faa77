/* hubd-upload-test-common.h: the fixture and helpers of the upload tests
 * (D-Bus: hubd-upload-test.c, CLI: hubd-upload-cli-test.c) */
#pragma once

#include "hubd-test-common.h"
#include "hubd-test-hub-admin.h"
#include "hubd-test-job.h"

G_BEGIN_DECLS

#define ALICE_WRITE    "hf_alice_write_0000000000000000000000"
#define BOB_READ       "hf_bob_read_000000000000000000000000"
#define JOB_TIMEOUT_MS (HUBD_TEST_TIMEOUT_S * 1000)

typedef struct {
	HubdTestHub *hub;
	HubdTestDaemon *daemon;
	GDBusConnection *bus;
	gchar *tmp;
	GPtrArray *strings; /* freed at teardown */
} Fixture;

/* A test with a local Hub (multipart above 64 KiB), a daemon logged in as
 * alice, and alice/up holding a README.md with a licence. */
void
fixture_add(const gchar *path, void (*func)(Fixture *, gconstpointer));

/* Files under the fixture's temporary folder; the absolute path is owned by
 * the fixture. */
const gchar *
fixture_write(Fixture *f, const gchar *rel, const gchar *contents);
const gchar *
fixture_random_file(Fixture *f, const gchar *rel, gsize size, guint32 seed);

HubdTestJobResult *
upload_files(Fixture *f,
	     const gchar *repo,
	     const gchar *local,
	     const gchar *path,
	     const gchar *options);
HubdTestJobResult *
upload_pairs(Fixture *f, const gchar *repo, GVariant *pairs, const gchar *options);
HubdTestJobResult *
upload_folder(Fixture *f,
	      const gchar *repo,
	      const gchar *dir,
	      const gchar *path_in_repo,
	      const gchar *options);
/* `ops` (aa{sv}, floating ok) */
HubdTestJobResult *
commit_ops(Fixture *f, const gchar *repo, GVariant *ops);

void
assert_job_ok(HubdTestJobResult *r);
void
assert_job_error(HubdTestJobResult *r, const gchar *error_name);
void
assert_dbus_error(GError *error, const gchar *name);

void
create_repo(Fixture *f, const gchar *repo);
/* a file's bytes through the Hub's resolve URL (as alice); `status` may be NULL */
gchar *
fetch(Fixture *f, const gchar *repo, const gchar *rev, const gchar *path, guint *status);
/* downloads through resolve (following the CDN redirect) and compares */
void
assert_same_bytes(Fixture *f,
		  const gchar *repo,
		  const gchar *rev,
		  const gchar *path,
		  const gchar *local);
/* requests in the Hub's log; auth: -1 any, 0 without, 1 with Authorization */
guint
log_count(Fixture *f, const gchar *method, const gchar *path_regex, const gchar *origin, gint auth);
gint64
first_fault_fired(JsonNode *faults);
/* the main branch head (owned by the fixture) */
const gchar *
head_of(Fixture *f, const gchar *repo);
/* title + "\n" + message of the newest commit on main (owned by the fixture) */
const gchar *
last_commit_message(Fixture *f, const gchar *repo);
/* "|path|path|...|" of every file on main */
gchar *
tree_paths(Fixture *f, const gchar *repo);

G_END_DECLS
