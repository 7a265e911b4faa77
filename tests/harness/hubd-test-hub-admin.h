/* hubd-test-hub-admin.h: the local Hub's admin surface (/_testhub/..., with
 * X-Testhub-Admin) from tests: request log, fault rules, direct HTTP */
#pragma once

#include <json-glib/json-glib.h>

#include "hubd-test-common.h"

G_BEGIN_DECLS

/* One HTTP request to the Hub origin (path starts with '/'), optional
 * bearer token and JSON body; returns the status, body in *body_out. */
guint
hubd_test_hub_http(HubdTestHub *h,
		   const gchar *method,
		   const gchar *path,
		   const gchar *token,
		   const gchar *json_body,
		   gchar **body_out);

/* GET `path` on the Hub origin with `token` (NULL: none), parsed; fails
 * the test, with the Hub's answer, unless it is 200 with JSON. */
JsonNode *
hubd_test_hub_get_json(HubdTestHub *h, const gchar *token, const gchar *path);

/* POST `form` (name -> value) form-encoded to `path`, as OAuth clients do;
 * fails the test, with the Hub's answer, unless it is 200 with JSON. */
JsonNode *
hubd_test_hub_post_form(HubdTestHub *h, const gchar *path, GHashTable *form);

/* POST /api/repos/create with `json_body` (`{"name":…,"type":…}` and the
 * like) as the owner of `token` would; fails the test, with the Hub's
 * answer, unless it is 200. */
void
hubd_test_hub_create_repo(HubdTestHub *h, const gchar *token, const gchar *json_body);

/* Admin calls; assert a 2xx answer. */
JsonNode *
hubd_test_hub_admin(HubdTestHub *h, const gchar *method, const gchar *path, const gchar *json_body);
void
hubd_test_hub_add_fault(HubdTestHub *h, const gchar *rule_json);
void
hubd_test_hub_clear_faults(HubdTestHub *h);
void
hubd_test_hub_clear_requests(HubdTestHub *h);
/* Requests in the log with this method (NULL: any) whose path matches the
 * regex (NULL: any), on origin "hub", "cdn" or NULL for both. */
guint
hubd_test_hub_count_requests(HubdTestHub *h,
			     const gchar *method,
			     const gchar *path_regex,
			     const gchar *origin);
/* The JSON body (an object) of the last logged request with `method` on a
 * path matching `path_regex`; there must be one. */
JsonObject *
hubd_test_hub_last_body(HubdTestHub *h, const gchar *method, const gchar *path_regex);
/* The account whose token the last logged request with `method` on a path
 * matching `path_regex` carried (NULL: none); there must be one. */
gchar *
hubd_test_hub_last_user(HubdTestHub *h, const gchar *method, const gchar *path_regex);

/* A commit on the local Hub with the JSON commit API as alice (write token)
 * would do it, for test fixtures: `files` alternates path, contents, ...,
 * NULL. Contents over `lfs_threshold` bytes (0: never) go as LFS.
 * Returns the commit oid. */
gchar *
hubd_test_hub_commit_files(HubdTestHub *h,
			   const gchar *token,
			   const gchar *repo_type,
			   const gchar *repo_id,
			   const gchar *branch,
			   gsize lfs_threshold,
			   ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
