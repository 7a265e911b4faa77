/* hubctl-address-test.c: the hf:// address parser of hubctl, every form it
 * takes and the malformed ones it refuses (docs/hub-repos.md §1.7) */
#define G_LOG_DOMAIN "HubctlAddressTest"

#include <string.h>

#include "hubctl-address.h"

#include "hubd-error.h"

typedef struct {
	const gchar *input;
	const gchar *type;
	const gchar *repo_id;
	const gchar *revision; /* NULL: none */
	const gchar *path;     /* NULL: none */
	gboolean is_folder;
} Valid;

static void
test_valid(void)
{
	static const Valid cases[] = {
		/* no prefix: a model, as hf */
		{"hf://gpt2", "model", "gpt2", NULL, NULL, FALSE},
		{"hf://alice/x", "model", "alice/x", NULL, NULL, FALSE},
		{"hf://models/alice/x", "model", "alice/x", NULL, NULL, FALSE},
		{"hf://datasets/alice/x", "dataset", "alice/x", NULL, NULL, FALSE},
		{"hf://spaces/alice/x", "space", "alice/x", NULL, NULL, FALSE},
		{"hf://datasets/squad", "dataset", "squad", NULL, NULL, FALSE},
		/* a path after the first two segments */
		{"hf://alice/x/config.json", "model", "alice/x", NULL, "config.json", FALSE},
		{"hf://datasets/alice/x/a/b/c.bin", "dataset", "alice/x", NULL, "a/b/c.bin", FALSE},
		/* a trailing "/" after a path: the folder */
		{"hf://datasets/alice/x/data/", "dataset", "alice/x", NULL, "data", TRUE},
		{"hf://alice/x@v1/data/", "model", "alice/x", "v1", "data", TRUE},
		/* a trailing "/" without a path: the repo, as hf strips it */
		{"hf://alice/x/", "model", "alice/x", NULL, NULL, FALSE},
		{"hf://alice/x@v1/", "model", "alice/x", "v1", NULL, FALSE},
		/* revisions */
		{"hf://datasets/alice/x@v1/file", "dataset", "alice/x", "v1", "file", FALSE},
		{"hf://gpt2@main", "model", "gpt2", "main", NULL, FALSE},
		{"hf://alice/x@refs/pr/1", "model", "alice/x", "refs/pr/1", NULL, FALSE},
		{"hf://alice/x@refs/pr/12/a.txt", "model", "alice/x", "refs/pr/12", "a.txt", FALSE},
		{"hf://datasets/alice/x@refs/convert/parquet/d/t.parquet",
		 "dataset",
		 "alice/x",
		 "refs/convert/parquet",
		 "d/t.parquet",
		 FALSE},
		/* percent-encoded: "/" in a branch name, or a special ref written so */
		{"hf://alice/x@refs%2Fpr%2F1/f", "model", "alice/x", "refs/pr/1", "f", FALSE},
		{"hf://alice/x@feature%2Fnew", "model", "alice/x", "feature/new", NULL, FALSE},
		/* not refs/pr/N: "refs" is the branch, the rest a path */
		{"hf://alice/x@refs/prx/1", "model", "alice/x", "refs", "prx/1", FALSE},
		/* an unknown first segment is a namespace, as hf reads it */
		{"hf://foo/a/b", "model", "foo/a", NULL, "b", FALSE},
		{"hf://model-s/a/b/", "model", "model-s/a", NULL, "b", TRUE},
		{"hf://alice/x/d%20e.txt", "model", "alice/x", NULL, "d%20e.txt", FALSE},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		const Valid *c = &cases[i];
		g_autoptr(GError) error = NULL;
		g_autoptr(HubctlAddress) a = NULL;

		g_autofree gchar *shown = g_strescape(c->input, NULL);

		/* escaped: the TAP reader wants UTF-8, and some inputs are not */
		g_test_message("%s", shown);
		g_assert_true(hubctl_address_is_address(c->input));
		a = hubctl_address_parse(c->input, &error);
		g_assert_no_error(error);
		g_assert_nonnull(a);
		g_assert_cmpstr(a->type, ==, c->type);
		g_assert_cmpstr(a->repo_id, ==, c->repo_id);
		g_assert_cmpstr(a->revision, ==, c->revision);
		g_assert_cmpstr(a->path, ==, c->path);
		g_assert_cmpint(a->is_folder, ==, c->is_folder);
	}
}

typedef struct {
	const gchar *input;
	const gchar *reason; /* a part of the message */
} Invalid;

static void
test_invalid(void)
{
	static const Invalid cases[] = {
		{"hf://", "nothing follows"},
		{"hf:///x", "empty segments"},
		{"hf://alice//x", "empty segments"},
		{"hf://alice/x/a//b", "empty segments"},
		{"hf://alice/x/d//", "empty segments"},
		{"hf://models/", "must follow “models/”"},
		{"hf://datasets", "must follow “datasets/”"},
		{"hf://a/b/../c", "“.” and “..” segments"},
		{"hf://a/b/./c", "“.” and “..” segments"},
		{"hf://a/b/.git/config", "“.git”"},
		{"hf://a/b@", "revision after “@” is empty"},
		{"hf://a/b@/x", "revision after “@” is empty"},
		{"hf://@v1", "repo id before “@” is missing"},
		{"hf://a/b@v%zz", "percent-encoding"},
		{"hf://a/b@v%2", "percent-encoding"},
		{"hf://a/b@v%00", "percent-encoding"},
		{"hf://a/b@%2E%2E", "Invalid revision"},
		{"hf://a/b@v%FF", "Invalid revision"},
		{"hf://a/b/c@v1", "NAME or NAMESPACE/NAME"},
		/* the type prefix is plural, as in hf */
		{"hf://dataset/a/b", "“datasets/” for “dataset/”"},
		{"hf://model/gpt2", "“models/” for “model/”"},
		{"hf://space", "“spaces/” for “space/”"},
		/* types the Hub has and hubd does not handle */
		{"hf://kernels/a/b", "does not handle “kernels/”"},
		{"hf://buckets/a/b", "does not handle “buckets/”"},
		/* the repo id by the daemon's rules */
		{"hf://a/b--c", "Invalid repo id"},
		{"hf://a/b.git", "Invalid repo id"},
		{"hf://-a/b", "Invalid repo id"},
		/* volumes to mount are for Spaces and Jobs */
		{"hf://a/b:/mnt", "mount path"},
		{"hf://a/b:/mnt:ro", "mount path"},
		{"hf://a/b:rw", "mount path"},
		{"hf://a/b/\x01", "control characters"},
		{"hf://a/b/\xff", "valid UTF-8"},
		{"HF://a/b", "must start with “hf://”"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		const Invalid *c = &cases[i];
		g_autoptr(GError) error = NULL;
		g_autoptr(HubctlAddress) a = NULL;

		g_autofree gchar *shown = g_strescape(c->input, NULL);

		/* escaped: the TAP reader wants UTF-8, and some inputs are not */
		g_test_message("%s", shown);
		a = hubctl_address_parse(c->input, &error);
		g_assert_null(a);
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
		g_assert_true(g_utf8_validate(error->message, -1, NULL));
		if (strstr(error->message, c->reason) == NULL)
			g_error("“%s”: unexpected error “%s” (want “%s”)",
				c->input,
				error->message,
				c->reason);
		/* the message names the address (a printable form of it) */
		g_assert_nonnull(strstr(error->message, "Invalid address “HF://a/b”") != NULL
					 ? error->message
					 : strstr(error->message, "“hf://"));
	}
}

static void
test_is_address(void)
{
	g_assert_false(hubctl_address_is_address("alice/x"));
	g_assert_false(hubctl_address_is_address("hf:/alice/x"));
	g_assert_false(hubctl_address_is_address(NULL));
	g_assert_true(hubctl_address_is_address("hf://"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/address/valid", test_valid);
	g_test_add_func("/address/invalid", test_invalid);
	g_test_add_func("/address/is-address", test_is_address);
	return g_test_run();
}
