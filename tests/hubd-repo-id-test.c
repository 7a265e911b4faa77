/* hubd-repo-id-test.c: repo id, type, revision and path validation, and resolve URLs */
#define G_LOG_DOMAIN "HubdRepoIdTest"

#include <string.h>

#include "hubd-error.h"
#include "hubd-repo-id.h"

/* asserts an INVALID_ARGUMENT naming `rule` and quoting `quoted` */
static void
assert_refused(GError *error, const gchar *input, const gchar *quoted, const gchar *rule)
{
	g_assert_nonnull(error);
	if (!g_error_matches(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT) ||
	    strstr(error->message, rule) == NULL || strstr(error->message, quoted) == NULL)
		g_error("“%s”: unexpected error “%s” (want “%s”)", input, error->message, rule);
}

static void
test_repo_type(void)
{
	HubdRepoType type = HUBD_REPO_TYPE_SPACE;
	g_autoptr(GError) error = NULL;

	g_assert_true(hubd_repo_type_from_string(NULL, &type, &error));
	g_assert_cmpint(type, ==, HUBD_REPO_TYPE_MODEL);
	g_assert_true(hubd_repo_type_from_string("dataset", &type, &error));
	g_assert_cmpint(type, ==, HUBD_REPO_TYPE_DATASET);
	g_assert_true(hubd_repo_type_from_string("space", &type, &error));
	g_assert_cmpint(type, ==, HUBD_REPO_TYPE_SPACE);
	g_assert_true(hubd_repo_type_from_string("", &type, &error));
	g_assert_cmpint(type, ==, HUBD_REPO_TYPE_MODEL);
	g_assert_true(hubd_repo_type_from_string("model", &type, &error));
	g_assert_no_error(error);

	g_assert_false(hubd_repo_type_from_string("datasets", &type, &error));
	assert_refused(error, "datasets", "datasets", "use “dataset”");
	g_clear_error(&error);
	g_assert_false(hubd_repo_type_from_string("Model", &type, &error));
	assert_refused(error, "Model", "Model", "“model”, “dataset” or “space”");
	g_clear_error(&error);

	g_assert_cmpstr(hubd_repo_type_to_string(HUBD_REPO_TYPE_DATASET), ==, "dataset");
	g_assert_cmpstr(hubd_repo_type_to_api_plural(HUBD_REPO_TYPE_MODEL), ==, "models");
	g_assert_cmpstr(hubd_repo_type_to_api_plural(HUBD_REPO_TYPE_SPACE), ==, "spaces");
	g_assert_cmpstr(hubd_repo_type_to_url_prefix(HUBD_REPO_TYPE_MODEL), ==, "");
	g_assert_cmpstr(hubd_repo_type_to_url_prefix(HUBD_REPO_TYPE_DATASET), ==, "datasets/");
	g_assert_cmpstr(hubd_repo_type_to_url_prefix(HUBD_REPO_TYPE_SPACE), ==, "spaces/");
}

static void
test_repo_id_valid(void)
{
	g_autofree gchar *name96 = g_strnfill(HUBD_REPO_ID_NAME_MAX, 'a');
	g_autofree gchar *ns96 = g_strconcat(name96, "/x", NULL);
	const gchar *valid[] = {"gpt2",
				"bert-base-uncased",
				"google/flan-t5-xl",
				"a/b",
				"x",
				"_",
				"a.b_c-d/e.f_g-h",
				"user/model.v2",
				"Org_Name/Model-Name_2.0",
				"a/b.gitx",
				name96,
				ns96};

	for (guint i = 0; i < G_N_ELEMENTS(valid); i++) {
		g_autoptr(GError) error = NULL;
		if (!hubd_repo_id_validate(valid[i], FALSE, &error))
			g_error("“%s” refused: %s", valid[i], error->message);
	}
	/* creation needs a namespace */
	g_assert_true(hubd_repo_id_validate("alice/new", TRUE, NULL));
}

static void
test_repo_id_invalid(void)
{
	g_autofree gchar *name97 = g_strnfill(HUBD_REPO_ID_NAME_MAX + 1, 'a');
	g_autofree gchar *ns97 = g_strconcat(name97, "/x", NULL);
	const struct {
		const gchar *id;
		gboolean require_namespace;
		const gchar *rule;
	} cases[] = {
		{"", FALSE, "must not be empty"},
		{"a/b/c", FALSE, "at most one “/”"},
		{"/", FALSE, "namespace must not be empty"},
		{"/gpt2", FALSE, "namespace must not be empty"},
		{"alice/", FALSE, "name must not be empty"},
		{"gpt2", TRUE, "a namespace is required"},
		{"my model", FALSE, "only letters, digits"},
		{"alice/mod\u00e9l", FALSE, "only letters, digits"},
		{"al:ice/x", FALSE, "only letters, digits"},
		{"a\tb", FALSE, "only letters, digits"},
		{"-abc", FALSE, "name must start and end"},
		{"abc-", FALSE, "name must start and end"},
		{".abc", FALSE, "name must start and end"},
		{"alice/abc.", FALSE, "name must start and end"},
		{"-alice/abc", FALSE, "namespace must start and end"},
		{"alice./abc", FALSE, "namespace must start and end"},
		{"a--b", FALSE, "“--” and “..” are not allowed"},
		{"al--ice/b", FALSE, "“--” and “..” are not allowed"},
		{"a..b", FALSE, "“--” and “..” are not allowed"},
		{"alice/a..b", FALSE, "“--” and “..” are not allowed"},
		{"alice/model.git", FALSE, "must not end with “.git”"},
		{"x.git", FALSE, "must not end with “.git”"},
		{name97, FALSE, "name is longer than 96 characters"},
		{ns97, FALSE, "namespace is longer than 96 characters"},
		{"datasets/squad", FALSE, "use --type dataset instead"},
		{"dataset/squad", FALSE, "use --type dataset instead"},
		{"spaces/alice/app", FALSE, "use --type space instead"},
		{"space/app", FALSE, "use --type space instead"},
		{"models/gpt2", FALSE, "use --type model instead"},
		{"model/gpt2", FALSE, "use --type model instead"},
		{"Datasets/squad", FALSE, "type prefix"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		const gchar *quoted = strchr(cases[i].id, '\t') != NULL ? "a\\x09b" : cases[i].id;
		g_assert_false(
			hubd_repo_id_validate(cases[i].id, cases[i].require_namespace, &error));
		assert_refused(error, cases[i].id, quoted, cases[i].rule);
		g_assert_nonnull(strstr(error->message, "Invalid repo id"));
	}
}

static void
test_revision(void)
{
	g_autofree gchar *long_rev = g_strnfill(HUBD_REVISION_MAX + 1, 'a');
	g_autofree gchar *max_rev = g_strnfill(HUBD_REVISION_MAX, 'a');
	const gchar *valid[] = {"main",
				"v1.0",
				"refs/pr/1",
				"refs/convert/parquet",
				"feature/my-branch",
				"0123456789abcdef0123456789abcdef01234567",
				"brünch",
				"with space",
				max_rev};
	const struct {
		const gchar *rev;
		const gchar *quoted;
		const gchar *rule;
	} invalid[] = {
		{"", "", "must not be empty"},
		{"/main", "/main", "not start with “/”"},
		{"refs/../main", "refs/../main", "“.” and “..” segments"},
		{"..", "..", "“.” and “..” segments"},
		{"a/./b", "a/./b", "“.” and “..” segments"},
		{"refs//pr", "refs//pr", "empty segments"},
		{"main/", "main/", "empty segments"},
		{"ma\nin", "ma\\x0Ain", "control characters"},
		{"ma\x7fin", "ma\\x7Fin", "control characters"},
		{"a\xc2\x85z", "a\\u0085z", "control characters"},
		{"bad\xff", "bad\\xFF", "valid UTF-8"},
		{"a\\b", "a\\b", "backslashes"},
		{long_rev, "aaaa", "longer than 255 bytes"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(valid); i++) {
		g_autoptr(GError) error = NULL;
		if (!hubd_revision_validate(valid[i], &error))
			g_error("“%s” refused: %s", valid[i], error->message);
	}
	for (guint i = 0; i < G_N_ELEMENTS(invalid); i++) {
		g_autoptr(GError) error = NULL;
		g_assert_false(hubd_revision_validate(invalid[i].rev, &error));
		assert_refused(error, invalid[i].rev, invalid[i].quoted, invalid[i].rule);
		g_assert_nonnull(strstr(error->message, "Invalid revision"));
		g_assert_true(g_utf8_validate(error->message, -1, NULL));
	}
}

static void
test_path_in_repo(void)
{
	const struct {
		const gchar *in;
		const gchar *out;
	} valid[] = {
		{"README.md", "README.md"},
		{"/README.md", "README.md"},
		{"./data/train.csv", "data/train.csv"},
		{"/./a/b", "a/b"},
		{"//a", "a"},
		{"dir/my file é.txt", "dir/my file é.txt"},
		{".gitattributes", ".gitattributes"},
		{"a/.github/x", "a/.github/x"},
		{"..a/b..", "..a/b.."},
	};
	const struct {
		const gchar *in;
		const gchar *rule;
	} invalid[] = {
		{"", "must not be empty"},
		{"/", "must not be empty"},
		{"./", "must not be empty"},
		{".", "“.” and “..” segments"},
		{"..", "“.” and “..” segments"},
		{"../x", "“.” and “..” segments"},
		{"a/../b", "“.” and “..” segments"},
		{"a/./b", "“.” and “..” segments"},
		{"a//b", "empty segments"},
		{"a/", "empty segments"},
		{"a\\b", "backslashes"},
		{"a\tb", "control characters"},
		{"a\xc3", "valid UTF-8"},
		{".git/config", "“.git” or “.cache” segment"},
		{"sub/.git", "“.git” or “.cache” segment"},
		{"/.cache/huggingface/x", "“.git” or “.cache” segment"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(valid); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *out = hubd_path_in_repo_normalize(valid[i].in, &error);
		g_autofree gchar *again = NULL;
		g_assert_no_error(error);
		g_assert_cmpstr(out, ==, valid[i].out);
		again = hubd_path_in_repo_normalize(out, &error);
		g_assert_no_error(error);
		g_assert_cmpstr(again, ==, out);
	}
	for (guint i = 0; i < G_N_ELEMENTS(invalid); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *out = hubd_path_in_repo_normalize(invalid[i].in, &error);
		g_assert_null(out);
		assert_refused(error, invalid[i].in, "Invalid path in repo", invalid[i].rule);
	}
}

static void
test_safe_relative(void)
{
	g_autofree gchar *seg255 = g_strnfill(HUBD_PATH_SEGMENT_MAX, 'x');
	g_autofree gchar *seg256 = g_strnfill(HUBD_PATH_SEGMENT_MAX + 1, 'x');
	g_autofree gchar *deep_ok = NULL;
	g_autofree gchar *deep_too_long = NULL;
	GString *deep = g_string_new(NULL);
	const gchar *valid[] = {"README.md",
				"a/b/c.bin",
				".gitattributes",
				"dir/my file é.txt",
				"..a"};
	const struct {
		const gchar *in;
		const gchar *quoted;
		const gchar *rule;
	} invalid[] = {
		{"", "", "must not be empty"},
		{"../x", "../x", "“.” and “..” segments"},
		{"a/../../x", "a/../../x", "“.” and “..” segments"},
		{"a/..", "a/..", "“.” and “..” segments"},
		{".", ".", "“.” and “..” segments"},
		{"/etc/passwd", "/etc/passwd", "not start with “/”"},
		{"a\\b", "a\\b", "backslashes"},
		{"..\\x", "..\\x", "backslashes"},
		{"a//b", "a//b", "empty segments"},
		{"a/", "a/", "empty segments"},
		{"a\x01z", "a\\x01z", "control characters"},
		{"a\rb", "a\\x0Db", "control characters"},
		{"\xfe\xff", "\\xFE\\xFF", "valid UTF-8"},
		{seg256, "xxxx", "segment is longer than 255 bytes"},
	};

	while (deep->len + 2 < HUBD_PATH_MAX)
		g_string_append(deep, "d/");
	g_string_append(deep, "ff");
	g_assert_cmpuint(deep->len, ==, HUBD_PATH_MAX);
	deep_ok = g_strdup(deep->str);
	g_string_append(deep, "f");
	deep_too_long = g_string_free(deep, FALSE);

	for (guint i = 0; i < G_N_ELEMENTS(valid); i++) {
		g_autoptr(GError) error = NULL;
		if (!hubd_path_is_safe_relative(valid[i], &error))
			g_error("“%s” refused: %s", valid[i], error->message);
	}
	g_assert_true(hubd_path_is_safe_relative(seg255, NULL));
	g_assert_true(hubd_path_is_safe_relative(deep_ok, NULL));
	for (guint i = 0; i < G_N_ELEMENTS(invalid); i++) {
		g_autoptr(GError) error = NULL;
		g_assert_false(hubd_path_is_safe_relative(invalid[i].in, &error));
		assert_refused(error, invalid[i].in, invalid[i].quoted, invalid[i].rule);
		g_assert_nonnull(strstr(error->message, "Unsafe path"));
	}
	{
		g_autoptr(GError) error = NULL;
		g_assert_false(hubd_path_is_safe_relative(deep_too_long, &error));
		assert_refused(error, "(4097 bytes)", "d/d/d/", "longer than 4096 bytes");
		/* the message quotes a prefix, not 4 KiB */
		g_assert_cmpuint(strlen(error->message), <, 400);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/hubd/repo-id/type", test_repo_type);
	g_test_add_func("/hubd/repo-id/valid", test_repo_id_valid);
	g_test_add_func("/hubd/repo-id/invalid", test_repo_id_invalid);
	g_test_add_func("/hubd/repo-id/revision", test_revision);
	g_test_add_func("/hubd/repo-id/path-in-repo", test_path_in_repo);
	g_test_add_func("/hubd/repo-id/safe-relative", test_safe_relative);
	return g_test_run();
}
