/* hubd-git-test.c: `hubctl lfs-enable-largefiles`, the credential helper
 * (`hubctl auth git-credential`, `auth login|switch --add-to-git-credential`)
 * with real git, `hubctl lfs-multipart-upload` driven by hand, and
 * Git.LfsUpload's input checks. Pushes are in hubd-git-push-test.c. */
#define G_LOG_DOMAIN "HubdGitTest"

#include <string.h>

#include "hubd-git-test-common.h"

/* ---- lfs-enable-largefiles ---- */

static void
test_enable_largefiles(Fixture *f, gconstpointer data)
{
	g_autofree gchar *repo = g_build_filename(f->tmp, "repo", NULL);
	g_autofree gchar *plain = g_build_filename(f->tmp, "plain", NULL);
	const gchar *not_repo[] = {"lfs-enable-largefiles", plain, NULL};
	const gchar *enable[] = {"lfs-enable-largefiles", repo, NULL};
	const gchar *init[] = {"git", "init", "-q", repo, NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *expected = NULL;

	g_assert_cmpint(g_mkdir_with_parents(plain, 0700), ==, 0);
	g_assert_cmpint(hubctl(f, not_repo, NULL, &out, &err), ==, 1);
	g_assert_cmpstr(out, ==, "");
	expected = g_strdup_printf("hubctl: %s is not a git repository\n", plain);
	g_assert_cmpstr(err, ==, expected);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);

	g_assert_cmpint(run(f, init, NULL, NULL, NULL), ==, 0);
	/* twice: the same one value each time */
	for (guint i = 0; i < 2; i++) {
		g_autofree gchar *path = NULL;
		g_autofree gchar *args = NULL;

		g_assert_cmpint(hubctl(f, enable, NULL, &out, &err), ==, 0);
		g_assert_cmpstr(out, ==, "");
		g_assert_cmpstr(err, ==, "");
		g_clear_pointer(&out, g_free);
		g_clear_pointer(&err, g_free);
		path = git_config_all(f, repo, "lfs.customtransfer.multipart.path");
		args = git_config_all(f, repo, "lfs.customtransfer.multipart.args");
		/* the hubctl that configured it, by absolute path */
		g_assert_true(g_path_is_absolute(path));
		g_assert_true(g_str_has_suffix(path, "/hubctl\n"));
		g_assert_cmpstr(args, ==, "lfs-multipart-upload\n");
	}
}

/* ---- the credential helper ---- */

static void
test_credential(Fixture *f, gconstpointer data)
{
	const gchar *store_argv[] =
		{"git", "config", "--global", "credential.helper", "store", NULL};
	const gchar *approve[] = {"git", "credential", "approve", NULL};
	const gchar *erase[] = {"auth", "git-credential", "erase", NULL};
	g_autofree gchar *key = g_strdup_printf("credential.%s.helper", f->hub->url);
	g_autofree gchar *helpers = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *stored = g_build_filename(g_get_home_dir(), ".git-credentials", NULL);
	g_autofree gchar *approval = NULL;

	/* a "store" helper the user had: it must never see the token */
	g_assert_cmpint(run(f, store_argv, NULL, NULL, NULL), ==, 0);
	login(f);
	helpers = git_config_all(f, f->tmp, key);
	/* the empty helper resets the list, then only hubctl answers */
	g_assert_true(g_str_has_prefix(helpers, "\n/"));
	g_assert_true(g_str_has_suffix(helpers, "/hubctl auth git-credential\n"));

	g_assert_cmpint(credential_fill(f, f->host, &out, &err), ==, 0);
	approval = g_strdup_printf("protocol=http\nhost=%s\nusername=alice\npassword=%s\n",
				   f->host,
				   ALICE_WRITE);
	g_assert_cmpstr(out, ==, approval);
	/* what git does after a success: store on every helper; none writes */
	g_assert_cmpint(run(f, approve, approval, NULL, NULL), ==, 0);
	g_assert_false(g_file_test(stored, G_FILE_TEST_EXISTS));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);

	/* another host: hubd's helper is not asked (config), and hubctl itself
	 * says nothing for it either */
	g_assert_cmpint(credential_fill(f, "example.com", &out, &err), !=, 0);
	g_assert_null(strstr(out, ALICE_WRITE));
	g_assert_null(strstr(err, ALICE_WRITE));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	{
		const gchar *get[] = {"auth", "git-credential", "get", NULL};
		g_autofree gchar *other = g_strdup_printf("protocol=https\nhost=%s\n\n", f->host);

		g_assert_cmpint(hubctl(f, get, "protocol=http\nhost=example.com\n\n", &out, &err),
				==,
				0);
		g_assert_cmpstr(out, ==, "");
		g_clear_pointer(&out, g_free);
		g_clear_pointer(&err, g_free);
		/* the Hub's host over another scheme is another origin */
		g_assert_cmpint(hubctl(f, get, other, &out, &err), ==, 0);
		g_assert_cmpstr(out, ==, "");
		g_clear_pointer(&out, g_free);
		g_clear_pointer(&err, g_free);
	}

	/* erase: a note, and the token stays */
	g_assert_cmpint(hubctl(f, erase, "protocol=http\n\n", &out, &err), ==, 0);
	g_assert_cmpstr(out, ==, "");
	g_assert_nonnull(strstr(err, "hubctl auth logout"));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(credential_fill(f, f->host, &out, &err), ==, 0);
	g_assert_nonnull(strstr(out, "password=" ALICE_WRITE "\n"));
	{
		/* hubd runs with --verbose: its log names requests, never the token */
		g_autofree gchar *log = hubd_test_daemon_read_log(f->daemon);

		g_assert_nonnull(strstr(log, "git credential for"));
		g_assert_null(strstr(log, ALICE_WRITE));
	}
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	{
		/* auth switch --add-to-git-credential writes the same, and only once */
		const gchar *unset[] = {"git", "config", "--global", "--unset-all", key, NULL};
		const gchar *sw[] = {"auth",
				     "switch",
				     "alice-write",
				     "--add-to-git-credential",
				     NULL};
		g_autofree gchar *again = NULL;

		g_assert_cmpint(run(f, unset, NULL, NULL, NULL), ==, 0);
		g_assert_cmpint(credential_fill(f, f->host, &out, &err), !=, 0);
		g_assert_cmpint(hubctl(f, sw, NULL, NULL, NULL), ==, 0);
		g_assert_cmpint(hubctl(f, sw, NULL, NULL, NULL), ==, 0);
		again = git_config_all(f, f->tmp, key);
		g_assert_cmpstr(again, ==, helpers);
	}
}

static void
test_credential_not_logged_in(Fixture *f, gconstpointer data)
{
	g_autofree gchar *key = g_strdup_printf("credential.%s.helper", f->hub->url);
	g_autofree gchar *helper =
		g_strdup_printf("%s auth git-credential", g_getenv("HUBD_TEST_HUBCTL"));
	const gchar *config[] = {"git", "config", "--global", key, helper, NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;

	g_assert_cmpint(run(f, config, NULL, NULL, NULL), ==, 0);
	/* git asks the helper, which says why, and git fails without prompting */
	g_assert_cmpint(credential_fill(f, f->host, &out, &err), ==, 128);
	g_assert_cmpstr(out, ==, "");
	g_assert_nonnull(strstr(err, "hubctl: Not logged in to "));
	g_assert_nonnull(strstr(err, "terminal prompts disabled"));
}

/* ---- the agent's protocol, driven by hand ---- */

/* the upload action of a batch answer for `r`'s object, as one JSON text */
static gchar *
batch_upload_action(Fixture *f, Repo *r)
{
	g_autoptr(JsonNode) root = lfs_batch(f, r, "upload");
	g_autoptr(JsonGenerator) gen = json_generator_new();
	JsonObject *actions = json_object_get_object_member(lfs_batch_object(root), "actions");

	json_generator_set_root(gen, json_object_get_member(actions, "upload"));
	return json_generator_to_data(gen, NULL);
}

static void
test_agent_protocol(Fixture *f, gconstpointer data)
{
	const gchar *argv[] = {"lfs-multipart-upload", NULL};
	g_autoptr(Repo) r = NULL;
	g_autofree gchar *action = NULL;
	g_autofree gchar *input = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *expected = NULL;
	g_auto(GStrv) lines = NULL;
	guint n;

	r = make_repo(f, 2 * CHUNK + 7);
	action = batch_upload_action(f, r);
	/* everything at once, then the end of input: as a script would */
	input = g_strdup_printf(
		"{\"event\":\"init\",\"operation\":\"upload\",\"remote\":\"origin\","
		"\"concurrent\":true,\"concurrenttransfers\":8}\n"
		"{\"event\":\"upload\",\"oid\":\"%s\",\"size\":%" G_GSIZE_FORMAT
		",\"path\":\"%s\",\"action\":%s}\n"
		"{\"event\":\"download\",\"oid\":\"%s\",\"size\":1,\"action\":{\"href\":"
		"\"http://127.0.0.1:1/x\"}}\n"
		"{\"event\":\"terminate\"}\n",
		r->oid,
		r->size,
		r->file,
		action,
		r->oid);
	g_assert_cmpint(hubctl(f, argv, input, &out, &err), ==, 0);
	g_test_message("%s", out);
	lines = g_strsplit(out, "\n", -1);
	n = g_strv_length(lines);
	g_assert_cmpuint(n, >=, 5); /* {}, progress..., complete, complete, "" */
	g_assert_cmpstr(lines[0], ==, "{}");
	for (guint i = 1; i + 3 < n; i++)
		g_assert_true(g_str_has_prefix(lines[i], "{\"event\":\"progress\""));
	expected = g_strdup_printf("\"bytesSoFar\":%" G_GSIZE_FORMAT ",", r->size);
	g_assert_nonnull(strstr(lines[n - 4], expected));
	g_clear_pointer(&expected, g_free);
	expected = g_strdup_printf("{\"event\":\"complete\",\"oid\":\"%s\"}", r->oid);
	g_assert_cmpstr(lines[n - 3], ==, expected);
	/* the download is refused, and the agent goes on to terminate */
	g_assert_true(g_str_has_prefix(lines[n - 2], "{\"event\":\"complete\""));
	g_assert_nonnull(strstr(lines[n - 2], "\"error\":{\"code\":2,"));
	g_assert_cmpstr(lines[n - 1], ==, "");
	assert_hub_has(f, r);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);

	/* an agent for downloads refuses at init, and stops */
	g_assert_cmpint(hubctl(f,
			       argv,
			       "{\"event\":\"init\",\"operation\":\"download\"}\n"
			       "{\"event\":\"terminate\"}\n",
			       &out,
			       &err),
			==,
			1);
	g_assert_true(g_str_has_prefix(out, "{\"error\":{\"code\":32,\"message\":"));
}

/* ---- LfsUpload's input checks, on D-Bus ---- */

static void
assert_refused(GDBusConnection *bus,
	       const gchar *path,
	       const gchar *oid,
	       guint64 size,
	       const gchar *href,
	       const gchar *header,
	       const gchar *message_part)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autofree gchar *typed = g_strconcat("@a{ss} ", header, NULL);

	reply = hubd_test_call(bus,
			       "org.hubd.Hub1.Git",
			       "LfsUpload",
			       g_variant_new("(ssts@a{ss}@a{sv})",
					     path,
					     oid,
					     size,
					     href,
					     g_variant_new_parsed(typed),
					     g_variant_new_parsed("@a{sv} {}")),
			       G_VARIANT_TYPE("(o)"),
			       &error);
	g_assert_null(reply);
	hubd_test_assert_remote_error(error, "org.hubd.Hub1.Error.InvalidArgument");
	g_test_message("%s", error->message);
	g_assert_nonnull(strstr(error->message, message_part));
}

static void
test_lfs_upload_invalid(Fixture *f, gconstpointer data)
{
	g_autoptr(GDBusConnection) bus = hubd_test_session_bus();
	g_autofree gchar *file = g_build_filename(f->tmp, "object", NULL);
	g_autofree gchar *missing = g_build_filename(f->tmp, "missing", NULL);
	g_autofree gchar *oid = g_compute_checksum_for_string(G_CHECKSUM_SHA256, "0123456789", 10);
	g_autofree gchar *parts = NULL;

	hubd_test_write_file(file, "0123456789");
	parts = g_strdup_printf("{'chunk_size': '4', '00001': '%s/p1', '00002': '%s/p2'}",
				f->hub->cdn_url,
				f->hub->cdn_url);
	assert_refused(bus, "object", oid, 10, f->hub->url, "{}", "must be absolute");
	assert_refused(bus, missing, oid, 10, f->hub->url, "{}", "is not a readable file");
	assert_refused(bus, file, oid, 11, f->hub->url, "{}", "has 10 bytes, not 11");
	assert_refused(bus, file, "abc", 10, f->hub->url, "{}", "Not a SHA-256");
	/* ceil(10 / 4) = 3 parts, not 2 */
	assert_refused(bus, file, oid, 10, f->hub->url, parts, "expected 3");
	assert_refused(bus, file, oid, 10, "file:///etc/passwd", "{}", "no usable URL");
	/* nothing reached the Hub */
	g_assert_cmpuint(hubd_test_hub_count_requests(f->hub, "PUT", NULL, NULL), ==, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	fixture_add("/git/enable-largefiles", test_enable_largefiles);
	fixture_add("/git/credential", test_credential);
	fixture_add("/git/credential-not-logged-in", test_credential_not_logged_in);
	fixture_add("/git/agent-protocol", test_agent_protocol);
	fixture_add("/git/lfs-upload-invalid", test_lfs_upload_invalid);
	return g_test_run();
}
