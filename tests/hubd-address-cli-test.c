/* hubd-address-cli-test.c: hf:// addresses in hubctl end to end — the real
 * daemon, the local Hub, a private HF_HUB_CACHE: a file at a tag lands at the
 * right cache path with the right bytes, a folder address downloads only that
 * folder, repo info / files / url read addresses, and malformed or
 * contradicting ones exit 64 with the reason on stderr, asking the Hub
 * nothing and writing nothing. */
#define G_LOG_DOMAIN "HubdAddressCliTest"

#include "hubd-test-common.h"
#include "hubd-test-hub-admin.h"

#define ALICE_WRITE   "hf_alice_write_0000000000000000000000"
#define REPO          "alice/x"
#define REPO_DIR      "datasets--alice--x"
#define LFS_THRESHOLD 1024

typedef struct {
	HubdTestHub *hub;
	HubdTestDaemon *daemon;
	gchar *tmp;
	gchar *cache;      /* HF_HUB_CACHE of the daemon */
	gchar *v1_commit;  /* tagged v1: data/train.txt "one" */
	gchar *new_commit; /* main after it: data/train.txt "two" */
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *cache_env = NULL;
	g_autofree gchar *body = NULL;

	f->tmp = g_dir_make_tmp("hubd-address-cli-XXXXXX", &error);
	g_assert_no_error(error);
	f->cache = g_build_filename(f->tmp, "hf-cache", NULL);
	cache_env = g_strconcat("HF_HUB_CACHE=", f->cache, NULL);
	f->hub = hubd_test_hub_start(NULL);
	{
		const gchar *args[] = {"--endpoint", f->hub->url, NULL};
		const gchar *env[] = {cache_env, NULL};
		f->daemon = hubd_test_daemon_start(args, env);
	}
	hubd_test_hub_create_repo(f->hub,
				  ALICE_WRITE,
				  "{\"name\": \"x\", \"organization\": null, "
				  "\"type\": \"dataset\"}");
	f->v1_commit = hubd_test_hub_commit_files(f->hub,
						  ALICE_WRITE,
						  "dataset",
						  REPO,
						  "main",
						  LFS_THRESHOLD,
						  "data/train.txt",
						  "one\n",
						  "data/sub/c.txt",
						  "gamma\n",
						  "README.md",
						  "# x\n",
						  NULL);
	g_clear_pointer(&body, g_free);
	g_assert_cmpuint(hubd_test_hub_http(f->hub,
					    "POST",
					    "/api/datasets/" REPO "/tag/main",
					    ALICE_WRITE,
					    "{\"tag\": \"v1\"}",
					    &body),
			 ==,
			 200);
	f->new_commit = hubd_test_hub_commit_files(f->hub,
						   ALICE_WRITE,
						   "dataset",
						   REPO,
						   "main",
						   LFS_THRESHOLD,
						   "data/train.txt",
						   "two\n",
						   NULL);
	g_assert_cmpstr(f->new_commit, !=, f->v1_commit);
	hubd_test_hub_clear_requests(f->hub);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	hubd_test_daemon_stop(f->daemon);
	hubd_test_hub_stop(f->hub);
	hubd_test_rm_rf(f->tmp);
	g_free(f->cache);
	g_free(f->tmp);
	g_free(f->v1_commit);
	g_free(f->new_commit);
}

static gchar *
snapshot(Fixture *f, const gchar *commit, const gchar *file)
{
	return g_build_filename(f->cache, REPO_DIR, "snapshots", commit, file, NULL);
}

static void
test_file_at_tag(Fixture *f, gconstpointer data)
{
	g_autofree gchar *expected = snapshot(f, f->v1_commit, "data/train.txt");
	/* the same values given twice are fine */
	const gchar *same[] = {"--revision", "v1", "--type", "dataset", NULL};

	for (guint flags = 0; flags < 2; flags++) {
		g_autofree gchar *out = NULL;
		g_autofree gchar *err = NULL;
		g_autofree gchar *path = NULL;
		g_autoptr(GStrvBuilder) b = g_strv_builder_new();
		g_auto(GStrv) argv = NULL;

		g_strv_builder_add(b, "download");
		g_strv_builder_add(b, "hf://datasets/" REPO "@v1/data/train.txt");
		if (flags)
			g_strv_builder_addv(b, same);
		argv = g_strv_builder_end(b);
		g_assert_cmpint(hubd_test_run_hubctl((const gchar *const *)argv, NULL, &out, &err),
				==,
				0);
		path = hubd_test_one_line(out);
		g_assert_cmpstr(path, ==, expected);
		hubd_test_assert_file_equals(path, "one\n");
	}
	/* the revision percent-encoded, as hf writes a "/" in it */
	{
		g_autofree gchar *out = NULL;
		g_autofree gchar *path = NULL;
		g_autofree gchar *latest = snapshot(f, f->new_commit, "data/train.txt");
		const gchar *argv[] = {"download",
				       "hf://datasets/" REPO "@ma%69n/data/train.txt",
				       NULL};

		g_assert_cmpint(hubd_test_run_hubctl(argv, NULL, &out, NULL), ==, 0);
		path = hubd_test_one_line(out);
		g_assert_cmpstr(path, ==, latest);
		hubd_test_assert_file_equals(path, "two\n");
	}
	/* only the file was fetched: a resolve of data/train.txt on the Hub */
	g_assert_cmpuint(
		hubd_test_hub_count_requests(f->hub, "GET", "/resolve/.*/README\\.md$", NULL),
		==,
		0);
}

static void
test_folder(Fixture *f, gconstpointer data)
{
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *path = NULL;
	g_autofree gchar *expected = snapshot(f, f->v1_commit, NULL);
	g_autofree gchar *train = snapshot(f, f->v1_commit, "data/train.txt");
	g_autofree gchar *c = snapshot(f, f->v1_commit, "data/sub/c.txt");
	g_autofree gchar *readme = snapshot(f, f->v1_commit, "README.md");
	const gchar *argv[] = {"download", "hf://datasets/" REPO "@v1/data/", NULL};
	const gchar *with_include[] = {"download",
				       "hf://datasets/" REPO "/data/",
				       "--include",
				       "*.txt",
				       NULL};

	g_assert_cmpint(hubd_test_run_hubctl(argv, NULL, &out, &err), ==, 0);
	path = hubd_test_one_line(out);
	g_assert_cmpstr(path, ==, expected);
	hubd_test_assert_file_equals(train, "one\n");
	hubd_test_assert_file_equals(c, "gamma\n");
	g_assert_false(g_file_test(readme, G_FILE_TEST_EXISTS));

	/* as hf download: a folder is a pattern of its own */
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(hubd_test_run_hubctl(with_include, NULL, &out, &err), ==, 64);
	g_assert_cmpstr(out, ==, "");
	g_assert_nonnull(strstr(err, "--include 'data/*'"));
}

static void
test_repo_commands(Fixture *f, gconstpointer data)
{
	g_autofree gchar *out = NULL;
	g_autofree gchar *url = NULL;
	g_autoptr(JsonNode) info = NULL;
	JsonObject *o;
	const gchar *info_argv[] = {"repo", "info", "hf://datasets/" REPO "@v1", "--json", NULL};
	const gchar *url_argv[] = {"url", "hf://datasets/" REPO "@v1/data/train.txt", NULL};
	const gchar *files_argv[] = {"repo", "files", "hf://datasets/" REPO "/data", NULL};

	g_assert_cmpint(hubd_test_run_hubctl(info_argv, NULL, &out, NULL), ==, 0);
	info = hubd_test_parse_json(out);
	o = json_node_get_object(info);
	g_assert_cmpstr(json_object_get_string_member(o, "id"), ==, REPO);
	g_assert_cmpstr(json_object_get_string_member(o, "type"), ==, "dataset");
	g_assert_cmpstr(json_object_get_string_member(o, "sha"), ==, f->v1_commit);

	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubd_test_run_hubctl(url_argv, NULL, &out, NULL), ==, 0);
	url = g_strconcat(f->hub->url, "/datasets/" REPO "/resolve/v1/data/train.txt\n", NULL);
	g_assert_cmpstr(out, ==, url);

	/* the address's PATH is the folder to list */
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubd_test_run_hubctl(files_argv, NULL, &out, NULL), ==, 0);
	g_assert_nonnull(strstr(out, "data/train.txt"));
	g_assert_nonnull(strstr(out, "data/sub/"));
	g_assert_null(strstr(out, "README.md"));
}

typedef struct {
	const gchar *argv[6];
	const gchar *needles[3]; /* parts of the message on stderr */
} Refused;

static void
test_refused(Fixture *f, gconstpointer data)
{
	static const Refused cases[] = {
		{{"download", "hf://", NULL}, {"Invalid address “hf://”", "nothing follows"}},
		{{"download", "hf:///x", NULL}, {"“hf:///x”", "empty segments"}},
		{{"download", "hf://models/", NULL}, {"“hf://models/”", "“models/”"}},
		{{"download", "hf://a/b/../c", NULL}, {"“hf://a/b/../c”", "“..”"}},
		{{"download", "hf://a/b@", NULL}, {"“hf://a/b@”", "revision"}},
		{{"download", "hf://a/b@v%zz/f", NULL}, {"percent-encoding"}},
		{{"download", "hf://dataset/a/b", NULL}, {"“datasets/”"}},
		{{"download", "hf://a/b--c/f", NULL}, {"Invalid repo id “a/b--c”"}},
		/* contradicting flags: both values named */
		{{"download", "hf://datasets/" REPO "@v1/f", "--revision", "v2", NULL},
		 {"“v1”", "“v2”", "--revision"}},
		{{"download", "hf://datasets/" REPO "/f", "--type", "model", NULL},
		 {"dataset", "model", "--type"}},
		{{"download", "hf://datasets/" REPO "/f", "other.txt", NULL}, {"not both"}},
		/* a path where the command takes none */
		{{"repo", "info", "hf://datasets/" REPO "/data", NULL}, {"no path", "“data”"}},
		{{"repo", "branch", "delete", "hf://datasets/" REPO "@v1", "b", NULL},
		 {"no revision", "“v1”"}},
		{{"upload", "hf://datasets/" REPO "@v1/x", "/nonexistent", "y", NULL},
		 {"not both"}},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *out = NULL;
		g_autofree gchar *err = NULL;

		g_test_message("%s %s", cases[i].argv[0], cases[i].argv[1]);
		g_assert_cmpint(hubd_test_run_hubctl(cases[i].argv, NULL, &out, &err), ==, 64);
		g_assert_cmpstr(out, ==, "");
		g_assert_true(g_str_has_prefix(err, "hubctl "));
		for (guint n = 0; n < G_N_ELEMENTS(cases[i].needles); n++) {
			if (cases[i].needles[n] != NULL && strstr(err, cases[i].needles[n]) == NULL)
				g_error("%s: “%s” not in “%s”",
					cases[i].argv[1],
					cases[i].needles[n],
					err);
		}
	}
	/* refused before anything was asked or written */
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, NULL, NULL, NULL), ==, 0);
	g_assert_false(g_file_test(f->cache, G_FILE_TEST_EXISTS));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD("/hubd/address/cli/file-at-tag", test_file_at_tag);
	ADD("/hubd/address/cli/folder", test_folder);
	ADD("/hubd/address/cli/repo-commands", test_repo_commands);
	ADD("/hubd/address/cli/refused", test_refused);
#undef ADD
	return g_test_run();
}
