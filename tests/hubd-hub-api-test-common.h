/* hubd-hub-api-test-common.h: what the parts of hubd-hub-api-test share — the
 * fixture (a local Hub with pages of 2, HubdHubApi as alice and without a
 * token), waiting for a result, the Hub's log, the calls most tests make, and
 * the function each part registers its cases with */
#pragma once

#include <gio/gio.h>

#include "hubd-error.h"
#include "hubd-hub-api.h"
#include "hubd-hub-client.h"
#include "hubd-test-common.h"
#include "hubd-test-hub-admin.h"

#define ALICE_WRITE "hf_alice_write_0000000000000000000000"
#define ALICE_READ  "hf_alice_read_00000000000000000000000"
#define BOB_WRITE   "hf_bob_write_00000000000000000000000"

/* the LFS file of commit_fixture's repo */
#define BIG_CONTENT "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef!"

typedef struct {
	HubdTestHub *hub;
	HubdConfig *config;
	gchar *tmp;
	HubdHubApi *alice; /* write token */
	HubdHubApi *anon;  /* no token at all */
} Fixture;

/* a case on the usual fixture (pages of 2) */
#define ADD(name, fn) \
	g_test_add("/hubd/hub-api/" name, Fixture, NULL, fixture_setup, fn, fixture_teardown)

HubdHubApi *
api_new(Fixture *f, const gchar *token);
void
fixture_setup(Fixture *f, gconstpointer data);
void
fixture_setup_multipart(Fixture *f, gconstpointer data);
void
fixture_teardown(Fixture *f, gconstpointer data);

/* waiting, the Hub's log */
void
result_cb(GObject *source, GAsyncResult *res, gpointer user_data);
GAsyncResult *
wait_result(GAsyncResult **slot);
JsonObject *
last_body(Fixture *f, const gchar *method, const gchar *path_regex);
gchar *
last_query(Fixture *f, const gchar *path_regex);

/* synchronous wrappers of the calls most tests make */
gchar *
create_repo(HubdHubApi *api,
	    HubdRepoType type,
	    const gchar *id,
	    HubdHubVisibility visibility,
	    HubdHubApiFlags flags,
	    gboolean *created,
	    GError **error);
GPtrArray *
list_tree(HubdHubApi *api,
	  const gchar *id,
	  const gchar *revision,
	  const gchar *path,
	  HubdHubApiFlags flags,
	  guint limit,
	  GError **error);
gchar *
revision_commit(HubdHubApi *api, const gchar *id, const gchar *revision, GError **error);
const HubdHubTreeEntry *
lookup_entry(GPtrArray *entries, const gchar *path);
const HubdHubTreeEntry *
find_entry(GPtrArray *entries, const gchar *path);
/* alice's repo `id` with a.txt, b.txt, big.bin (LFS), dir/d.txt and
 * dir/sub/e.txt on main; returns the commit */
gchar *
commit_fixture(Fixture *f, const gchar *id);

/* each part's cases, in the order main() registers them */
void
hubd_hub_api_test_add_urls(void);
void
hubd_hub_api_test_add_repos(void);
void
hubd_hub_api_test_add_tree(void);
void
hubd_hub_api_test_add_refs(void);
void
hubd_hub_api_test_add_uploads(void);
