/* hubd-git-test-common.c: the fixture and helpers of the git tests */
#define G_LOG_DOMAIN "HubdGitTest"

#include "hubd-git-test-common.h"

#include <string.h>

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	const gchar *hub_args[] = {"--lfs-chunk-size", G_STRINGIFY(CHUNK), NULL};
	g_autoptr(GError) error = NULL;
	g_autofree gchar *global = NULL;

	f->tmp = g_dir_make_tmp("hubd-git-XXXXXX", &error);
	g_assert_no_error(error);
	f->hub = hubd_test_hub_start(hub_args);
	f->host = g_strdup(f->hub->url + strlen("http://"));
	{
		/* many quick retries, so a cancelled push is cancelled mid-way */
		const gchar *args[] = {"--endpoint",
				       f->hub->url,
				       "--set",
				       "http.retry-base-ms=50",
				       "--set",
				       "http.max-retries=60",
				       NULL};
		f->daemon = hubd_test_daemon_start(args, NULL);
	}
	global = g_build_filename(f->tmp, "gitconfig", NULL);
	hubd_test_write_file(global, "[user]\n\tname = Test\n\temail = test@example.com\n");
	f->env = g_new0(gchar *, 5);
	f->env[0] = g_strconcat("GIT_CONFIG_GLOBAL=", global, NULL);
	f->env[1] = g_strdup("GIT_CONFIG_NOSYSTEM=1");
	f->env[2] = g_strdup("GIT_TERMINAL_PROMPT=0");
	f->env[3] = g_strdup("GIT_ASKPASS=");
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	const gchar *argv[] = {"auth", "logout", NULL};

	/* the keyring outlives the test: leave no token for the next one */
	hubd_test_run_hubctl(argv, NULL, NULL, NULL);
	hubd_test_daemon_stop(f->daemon);
	hubd_test_hub_stop(f->hub);
	hubd_test_rm_rf(f->tmp);
	g_free(f->tmp);
	g_free(f->host);
	g_strfreev(f->env);
}

void
fixture_add(const gchar *path, void (*func)(Fixture *, gconstpointer))
{
	g_test_add(path, Fixture, NULL, fixture_setup, func, fixture_teardown);
}

gint
hubctl(Fixture *f, const gchar *const *argv, const gchar *input, gchar **out, gchar **err)
{
	return hubd_test_run_hubctl_full(NULL, argv, (const gchar *const *)f->env, input, out, err);
}

gint
run(Fixture *f, const gchar *const *argv, const gchar *input, gchar **out, gchar **err)
{
	return hubd_test_run_command(argv, (const gchar *const *)f->env, input, out, err);
}

void
git_ok(Fixture *f, const gchar *dir, const gchar *a, const gchar *b, const gchar *c)
{
	const gchar *argv[] = {"git", "-C", dir, a, b, c, NULL};
	g_autofree gchar *err = NULL;

	if (run(f, argv, NULL, NULL, &err) != 0)
		g_error("git %s %s: %s", a, b != NULL ? b : "", err);
}

void
login(Fixture *f)
{
	const gchar *argv[] = {"auth", "login", "--token-stdin", "--add-to-git-credential", NULL};
	g_autofree gchar *err = NULL;

	g_assert_cmpint(hubctl(f, argv, ALICE_WRITE "\n", NULL, &err), ==, 0);
	g_assert_cmpstr(err, ==, "");
}

/* `git credential fill` for protocol http and `host`; its exit status */
gint
credential_fill(Fixture *f, const gchar *host, gchar **out, gchar **err)
{
	const gchar *argv[] = {"git", "credential", "fill", NULL};
	g_autofree gchar *input = g_strdup_printf("protocol=http\nhost=%s\n\n", host);

	return run(f, argv, input, out, err);
}

gchar *
git_config_all(Fixture *f, const gchar *dir, const gchar *key)
{
	const gchar *argv[] = {"git", "-C", dir, "config", "--get-all", key, NULL};
	gchar *out = NULL;

	run(f, argv, NULL, &out, NULL);
	return out;
}

void
repo_free(Repo *r)
{
	g_free(r->work);
	g_free(r->file);
	g_free(r->oid);
	g_free(r);
}

/* alice/big on the Hub; a git repo with git-lfs tracking *.bin, set up by
 * lfs-enable-largefiles, its lfs.url at the Hub, a bare remote, and one
 * commit with `size` random bytes in big.bin */
Repo *
make_repo(Fixture *f, gsize size)
{
	Repo *r = g_new0(Repo, 1);
	g_autofree gchar *remote = g_build_filename(f->tmp, "remote.git", NULL);
	g_autofree gchar *lfs_url = g_strdup_printf("%s/alice/big.git/info/lfs", f->hub->url);
	const gchar *bare[] = {"git", "init", "-q", "--bare", remote, NULL};
	const gchar *init[] = {"git", "init", "-q", "-b", "main", NULL, NULL};
	const gchar *enable[] = {"lfs-enable-largefiles", NULL, NULL};
	g_autoptr(GRand) rand = g_rand_new_with_seed((guint32)size);
	g_autofree guint8 *bytes = g_malloc(size);
	g_autoptr(GError) error = NULL;

	hubd_test_hub_create_repo(f->hub,
				  ALICE_WRITE,
				  "{\"name\":\"big\",\"organization\":\"alice\"}");
	r->work = g_build_filename(f->tmp, "work", NULL);
	init[5] = r->work;
	enable[1] = r->work;
	g_assert_cmpint(run(f, bare, NULL, NULL, NULL), ==, 0);
	g_assert_cmpint(run(f, init, NULL, NULL, NULL), ==, 0);
	git_ok(f, r->work, "lfs", "install", "--local");
	git_ok(f, r->work, "lfs", "track", "*.bin");
	g_assert_cmpint(hubctl(f, enable, NULL, NULL, NULL), ==, 0);
	git_ok(f, r->work, "config", "lfs.url", lfs_url);
	{
		const gchar *argv[] =
			{"git", "-C", r->work, "remote", "add", "origin", remote, NULL};
		g_assert_cmpint(run(f, argv, NULL, NULL, NULL), ==, 0);
	}
	for (gsize i = 0; i < size; i++)
		bytes[i] = (guint8)g_rand_int_range(rand, 0, 256);
	r->size = size;
	r->file = g_build_filename(r->work, "big.bin", NULL);
	g_file_set_contents(r->file, (const gchar *)bytes, (gssize)size, &error);
	g_assert_no_error(error);
	r->oid = g_compute_checksum_for_data(G_CHECKSUM_SHA256, bytes, size);
	git_ok(f, r->work, "add", ".gitattributes", "big.bin");
	git_ok(f, r->work, "commit", "-qm", "big file");
	return r;
}

void
assert_no_token(const gchar *text)
{
	g_autofree gchar *alice =
		g_base64_encode((const guchar *)"alice:" ALICE_WRITE, strlen("alice:" ALICE_WRITE));

	g_assert_null(strstr(text, ALICE_WRITE));
	g_assert_null(strstr(text, alice));
}

JsonNode *
lfs_batch(Fixture *f, Repo *r, const gchar *operation)
{
	g_autofree gchar *body =
		g_strdup_printf("{\"operation\":\"%s\",\"transfers\":[\"basic\",\"multipart\"],"
				"\"objects\":[{\"oid\":\"%s\",\"size\":%" G_GSIZE_FORMAT "}]}",
				operation,
				r->oid,
				r->size);
	g_autofree gchar *answer = NULL;

	g_assert_cmpuint(hubd_test_hub_http(f->hub,
					    "POST",
					    "/alice/big.git/info/lfs/objects/batch",
					    ALICE_WRITE,
					    body,
					    &answer),
			 ==,
			 200);
	return hubd_test_parse_json(answer);
}

JsonObject *
lfs_batch_object(JsonNode *root)
{
	return json_array_get_object_element(
		json_object_get_array_member(json_node_get_object(root), "objects"),
		0);
}

void
assert_hub_has(Fixture *f, Repo *r)
{
	g_autoptr(JsonNode) root = lfs_batch(f, r, "download");
	g_autofree gchar *out = g_build_filename(f->tmp, "downloaded.bin", NULL);
	g_autofree gchar *a = NULL;
	g_autofree gchar *b = NULL;
	gsize alen = 0;
	gsize blen = 0;
	JsonObject *object = lfs_batch_object(root);
	const gchar *href;

	g_assert_false(json_object_has_member(object, "error"));
	href = json_object_get_string_member(
		json_object_get_object_member(json_object_get_object_member(object, "actions"),
					      "download"),
		"href");
	{
		const gchar *argv[] = {"curl", "-sSf", "-o", out, href, NULL};
		g_assert_cmpint(run(f, argv, NULL, NULL, NULL), ==, 0);
	}
	g_assert_true(g_file_get_contents(out, &a, &alen, NULL));
	g_assert_true(g_file_get_contents(r->file, &b, &blen, NULL));
	g_assert_cmpmem(a, alen, b, blen);
}

void
assert_hub_lacks(Fixture *f, Repo *r)
{
	g_autoptr(JsonNode) root = lfs_batch(f, r, "download");
	JsonObject *error = json_object_get_object_member(lfs_batch_object(root), "error");

	g_assert_cmpint(json_object_get_int_member(error, "code"), ==, 404);
	g_assert_cmpstr(json_object_get_string_member(error, "message"),
			==,
			"Object does not exist");
}
