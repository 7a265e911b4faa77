/* fuzz-repo-id.c: libFuzzer target for hubd-repo-id's validators and the API's file URLs */
#define G_LOG_DOMAIN "HubdFuzzRepoId"

#include <stdint.h>
#include <string.h>

#include "fuzz-common.h"

#include "hubd-config.h"
#include "hubd-hub-api.h"
#include "hubd-hub-client.h"
#include "hubd-repo-id.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* TRUE if '/'-separated `path` has a segment equal to `segment` */
static gboolean
has_segment(const gchar *path, const gchar *segment)
{
	g_auto(GStrv) parts = g_strsplit(path, "/", -1);

	return g_strv_contains((const gchar *const *)parts, segment);
}

static gboolean
fits_on_disk(const gchar *path)
{
	g_auto(GStrv) parts = g_strsplit(path, "/", -1);

	if (strlen(path) > HUBD_PATH_MAX)
		return FALSE;
	for (guint i = 0; parts[i] != NULL; i++) {
		if (strlen(parts[i]) > HUBD_PATH_SEGMENT_MAX)
			return FALSE;
	}
	return TRUE;
}

static void
check_error(GError *error)
{
	/* errors go over D-Bus: UTF-8, and never the whole of a huge input */
	g_assert_nonnull(error);
	g_assert_true(g_utf8_validate(error->message, -1, NULL));
	g_assert_cmpuint(strlen(error->message), <, 1024);
}

/* the API of a Hub at https://hub.test, made once; it sends nothing here */
static HubdHubApi *
fuzz_api(void)
{
	static HubdHubApi *api = NULL;

	if (api == NULL) {
		g_autoptr(HubdConfig) config = hubd_config_new("/nonexistent/hubd.conf", NULL);
		g_autoptr(HubdHubClient) client = NULL;

		g_unsetenv("HF_ENDPOINT");
		g_assert_true(
			hubd_config_set_override(config, "hub.endpoint=https://hub.test", NULL));
		client = hubd_hub_client_new(config, NULL);
		api = hubd_hub_api_new(client);
	}
	return api;
}

/* the URL holds the revision and filename encoded exactly once */
static void
check_url(HubdRepoType type, const gchar *repo_id, const gchar *filename, const gchar *revision)
{
	g_autofree gchar *url =
		hubd_hub_api_file_url(fuzz_api(), type, repo_id, revision, filename);
	g_autofree gchar *head = g_strconcat("https://hub.test/",
					     hubd_repo_type_to_url_prefix(type),
					     repo_id,
					     "/resolve/",
					     NULL);
	g_autofree gchar *rev = NULL;
	g_autofree gchar *file = NULL;
	const gchar *slash;

	g_assert_true(g_str_has_prefix(url, head));
	slash = strchr(url + strlen(head), '/');
	g_assert_nonnull(slash);
	rev = g_uri_unescape_segment(url + strlen(head), slash, NULL);
	file = g_uri_unescape_string(slash + 1, NULL);
	g_assert_cmpstr(rev, ==, revision[0] != '\0' ? revision : "main");
	g_assert_cmpstr(file, ==, filename);
	for (const gchar *p = url; *p != '\0'; p++)
		g_assert_true(*p > 0x20 && *p < 0x7f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree gchar *s = g_malloc(size + 1);
	g_autofree gchar *normalized = NULL;
	HubdRepoType type = HUBD_REPO_TYPE_MODEL;
	gboolean id_ok;
	gboolean rev_ok;
	gboolean safe_ok;

	hubd_fuzz_abort_on_critical();
	memcpy(s, data, size);
	s[size] = '\0';

	{
		g_autoptr(GError) error = NULL;
		if (!hubd_repo_type_from_string(s, &type, &error))
			check_error(error);
	}
	{
		g_autoptr(GError) error = NULL;
		id_ok = hubd_repo_id_validate(s, FALSE, &error);
		if (id_ok) {
			g_assert_null(strstr(s, "--"));
			g_assert_null(strstr(s, ".."));
			g_assert_false(g_str_has_suffix(s, ".git"));
			g_assert_true(g_utf8_validate(s, -1, NULL));
		} else {
			check_error(error);
			/* requiring a namespace only ever refuses more */
			g_assert_false(hubd_repo_id_validate(s, TRUE, NULL));
		}
	}
	{
		g_autoptr(GError) error = NULL;
		rev_ok = hubd_revision_validate(s, &error);
		if (rev_ok)
			g_assert_false(has_segment(s, ".."));
		else
			check_error(error);
	}
	{
		g_autoptr(GError) error = NULL;
		safe_ok = hubd_path_is_safe_relative(s, &error);
		if (safe_ok) {
			g_assert_false(has_segment(s, ".."));
			g_assert_false(has_segment(s, ""));
			g_assert_true(s[0] != '/');
			g_assert_null(strchr(s, '\\'));
		} else {
			check_error(error);
		}
	}
	{
		g_autoptr(GError) error = NULL;
		normalized = hubd_path_in_repo_normalize(s, &error);
		if (normalized != NULL) {
			g_autofree gchar *again = hubd_path_in_repo_normalize(normalized, NULL);
			g_assert_cmpstr(again, ==, normalized);
			g_assert_false(has_segment(normalized, ".git"));
			g_assert_false(has_segment(normalized, ".cache"));
			/* what we upload can be downloaded again */
			if (fits_on_disk(normalized))
				g_assert_true(hubd_path_is_safe_relative(normalized, NULL));
		} else {
			check_error(error);
		}
	}

	/* hubd_hub_api_file_url does not validate: feed it valid and invalid input alike */
	check_url(type, id_ok ? s : "alice/x", s, rev_ok ? s : "refs/pr/1");
	check_url(HUBD_REPO_TYPE_DATASET, "d", normalized != NULL ? normalized : "f", s);
	return 0;
}
