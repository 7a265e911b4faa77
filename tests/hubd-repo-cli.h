/* hubd-repo-cli.h: what the parts of hubd-repo-cli-test share: the fixture
 * (the local Hub with pages of 2, hubd logged in as alice through HF_TOKEN),
 * running hubctl, and talking to the local Hub directly with curl. */
#pragma once

#include "hubd-test-common.h"

#define ALICE_WRITE "hf_alice_write_0000000000000000000000"

typedef struct {
	HubdTestHub *hub;
	HubdTestDaemon *daemon;
	gchar *tmp;
} Fixture;

void
fixture_setup(Fixture *f, gconstpointer data);
void
fixture_teardown(Fixture *f, gconstpointer data);

/* Runs hubctl with the NULL-terminated arguments; out/err may be NULL. */
gint
hubctl(gchar **out, gchar **err, ...) G_GNUC_NULL_TERMINATED;

/* Asserts success with an empty stdout and stderr (the quiet commands). */
#define assert_quiet_ok(...)                                                 \
	G_STMT_START                                                         \
	{                                                                    \
		g_autofree gchar *qo = NULL;                                 \
		g_autofree gchar *qe = NULL;                                 \
		g_assert_cmpint(hubctl(&qo, &qe, __VA_ARGS__, NULL), ==, 0); \
		g_assert_cmpstr(qo, ==, "");                                 \
		g_assert_cmpstr(qe, ==, "");                                 \
	}                                                                    \
	G_STMT_END

/* A failure the daemon reported: exit 1, one "hubctl: …" line naming `needle`. */
void
assert_failed(gint rc, const gchar *err, const gchar *needle);

/* An HTTP request to the local Hub with curl (the token goes through stdin,
 * never argv); returns the status, the body in *body_out. */
guint
hub_http(Fixture *f,
	 const gchar *method,
	 const gchar *path,
	 const gchar *token,
	 const gchar *body_file,
	 const gchar *content_type,
	 gchar **body_out);
/* How many requests the local Hub has handled since the last call (its
 * admin request log, which this clears), not counting hubd's whoami. */
guint
hub_requests_since(Fixture *f);
/* GET /api/{type}s/{id} as alice: the status, the JSON in *json_out (may be NULL) */
guint
hub_repo_get(Fixture *f, const gchar *type, const gchar *repo_id, JsonNode **json_out);
/* A commit of regular files straight to the Hub's NDJSON commit API as alice:
 * path, contents, …, NULL. Returns the commit id. */
gchar *
hub_commit(Fixture *f, const gchar *repo_id, const gchar *summary, ...) G_GNUC_NULL_TERMINATED;
/* `hubctl repo create REPO_ID`, asserting success */
void
create_repo(const gchar *repo_id);
/* The members `member` of every object of a JSON array, as "a,b,c" */
gchar *
json_column(JsonNode *array, const gchar *member);

/* hubd-repo-cli-refs.c */
void
test_files(Fixture *f, gconstpointer data);
void
test_branch_tag(Fixture *f, gconstpointer data);
void
test_commits(Fixture *f, gconstpointer data);
