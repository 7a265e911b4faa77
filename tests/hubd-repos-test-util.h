/* hubd-repos-test-util.h: what the Repos D-Bus tests share — a daemon with
 * alice's token against a local Hub with pages of 2, calls, and reading the
 * Hub back directly (curl, its request log) */
#pragma once

#include "hubd-test-common.h"

#define REPOS_IFACE "org.hubd.Hub1.Repos"
#define ALICE_WRITE "hf_alice_write_0000000000000000000000"
#define BOB_WRITE   "hf_bob_write_00000000000000000000000"
#define ERR         "org.hubd.Hub1.Error."

typedef struct {
	HubdTestHub *hub;
	HubdTestDaemon *daemon;
	GDBusConnection *bus;
} Fixture;

/* data: NULL → the daemon has alice's token in HF_TOKEN; "anonymous" → none */
void
fixture_setup(Fixture *f, gconstpointer data);
void
fixture_teardown(Fixture *f, gconstpointer data);

/* org.hubd.Hub1.Repos.<method> on a connection, or on the fixture's bus */
GVariant *
call_on(GDBusConnection *c,
	const gchar *method,
	GVariant *params,
	const gchar *reply,
	GError **error);
GVariant *
call(Fixture *f, const gchar *method, GVariant *params, const gchar *reply, GError **error);
/* a call that must succeed; returns its only out value (or NULL) */
GVariant *
call_ok(Fixture *f, const gchar *method, GVariant *params, const gchar *reply);
/* a call that must fail with the D-Bus error `name` */
void
assert_call_error(Fixture *f, const gchar *method, GVariant *params, const gchar *name);
/* Create through the daemon (options: GVariant text, NULL for none); the URL */
gchar *
create(Fixture *f, const gchar *type, const gchar *id, const gchar *options);

/* curl against the Hub origin (`path` "/…") or any URL, headers from a file
 * (no token in argv); returns the HTTP status, the body in *out */
guint
hub_http(Fixture *f,
	 const gchar *method,
	 const gchar *path,
	 const gchar *token,
	 const gchar *content_type,
	 const gchar *body,
	 gchar **out);
/* an NDJSON commit on a model repo as alice; files alternate path,
 * contents, …, NULL. Returns the commit oid. */
gchar *
commit_files(Fixture *f, const gchar *id, const gchar *branch, const gchar *summary, ...)
	G_GNUC_NULL_TERMINATED;
/* an LFS file on main of a model repo (batch, CDN PUT, commit); its sha256 */
gchar *
commit_lfs_file(Fixture *f, const gchar *id, const gchar *path, const gchar *content);
void
clear_request_log(Fixture *f);
/* requests since the last clear (whoami excluded) matching method (NULL:
 * any) and the raw path regex (NULL: any) */
guint
count_requests(Fixture *f, const gchar *method, const gchar *path_regex);

/* a string member of an a{sv}; asserts it is there */
gchar *
dict_string(GVariant *dict, const gchar *key);
/* the values of `key` in an aa{sv}, in order, comma-separated */
gchar *
join_key(GVariant *list, const gchar *key);
/* a file's git blob sha1 (the oid of tree entries) */
gchar *
git_blob_sha1(const gchar *content);
