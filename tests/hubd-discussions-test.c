/* hubd-discussions-test.c: discussions and pull requests end to end —
 * org.hubd.Hub1.Discussions over D-Bus (alice on the bus, bob on a second
 * daemon's socket) and `hubctl discussions`, against the local Hub: a
 * discussion's life (comment, edit, hide, rename, close, reopen), a PR from
 * an upload with create_pr (diff, its refs/pr/N branch downloaded, merge
 * updating main), a draft PR, paging, filters and refusals. */
#define G_LOG_DOMAIN "HubdDiscussionsTest"

#include "hubd-community-test-util.h"

#define DISC_IFACE "org.hubd.Hub1.Discussions"

static void
setup(Two *t, gconstpointer data)
{
	two_setup(t, data);
	g_free(create(&t->base, "model", "alice/m", NULL));
	g_free(commit_files(&t->base,
			    "alice/m",
			    "main",
			    "card",
			    "README.md",
			    "---\nlicense: mit\n---\n# m\n",
			    NULL));
}

static GVariant *
dcall(GDBusConnection *c, const gchar *method, GVariant *params, const gchar *reply, GError **error)
{
	return icall(c, DISC_IFACE, method, params, reply, error);
}

static GVariant *
dcall_ok(GDBusConnection *c, const gchar *method, GVariant *params, const gchar *reply)
{
	return icall_ok(c, DISC_IFACE, method, params, reply);
}

static void
dcall_fails(GDBusConnection *c, const gchar *method, GVariant *params, const gchar *name)
{
	icall_fails(c, DISC_IFACE, method, params, name);
}

static void
assert_key(GVariant *dict, const gchar *key, const gchar *expected)
{
	g_autofree gchar *value = dict_string(dict, key);

	g_assert_cmpstr(value, ==, expected);
}

static GVariant *
get(Two *t, guint num, gboolean diff)
{
	return dcall_ok(t->base.bus,
			"Get",
			g_variant_new_parsed("('model', 'alice/m', %u, {'diff': <%b>})", num, diff),
			"(a{sv})");
}

/* the events of discussion `num` as "type:detail" joined by "," */
static gchar *
events_of(Two *t, guint num)
{
	g_autoptr(GVariant) d = get(t, num, FALSE);
	g_autoptr(GVariant) events = g_variant_lookup_value(d, "events", G_VARIANT_TYPE("aa{sv}"));
	g_autoptr(GString) s = g_string_new(NULL);

	for (gsize i = 0; i < g_variant_n_children(events); i++) {
		g_autoptr(GVariant) e = g_variant_get_child_value(events, i);
		const gchar *type = "";
		const gchar *detail = "";
		gboolean hidden = FALSE;

		g_variant_lookup(e, "type", "&s", &type);
		if (!g_variant_lookup(e, "content", "&s", &detail) &&
		    !g_variant_lookup(e, "status", "&s", &detail) &&
		    !g_variant_lookup(e, "new_title", "&s", &detail))
			g_variant_lookup(e, "summary", "&s", &detail);
		g_variant_lookup(e, "hidden", "b", &hidden);
		g_string_append_printf(s,
				       "%s%s:%s%s",
				       s->len > 0 ? "," : "",
				       type,
				       detail,
				       hidden ? "(hidden)" : "");
	}
	return g_string_free(g_steal_pointer(&s), FALSE);
}

/* the nums of a listing, joined by "," */
static gchar *
list_nums(Two *t, const gchar *options)
{
	g_autoptr(GVariant) list = dcall_ok(t->base.bus,
					    "List",
					    g_variant_new_parsed("('model', 'alice/m', %@a{sv})",
								 g_variant_new_parsed(options)),
					    "(aa{sv})");

	g_autoptr(GString) s = g_string_new(NULL);

	for (gsize i = 0; i < g_variant_n_children(list); i++) {
		g_autoptr(GVariant) item = g_variant_get_child_value(list, i);
		guint32 num = 0;

		g_assert_true(g_variant_lookup(item, "num", "u", &num));
		g_string_append_printf(s, "%s%u", s->len > 0 ? "," : "", num);
	}
	return g_string_free(g_steal_pointer(&s), FALSE);
}

static void
test_discussion_life(Two *t, gconstpointer data)
{
	g_autoptr(GVariant) r = NULL;
	g_autoptr(GVariant) ev = NULL;
	g_autoptr(GVariant) d = NULL;
	g_autofree gchar *url = NULL;
	g_autofree gchar *bob_comment = NULL;
	g_autofree gchar *events = NULL;
	g_autofree gchar *nums = NULL;
	g_autofree gchar *expected = NULL;
	g_autofree gchar *hub = NULL;
	guint32 num = 0;

	/* bob opens a discussion on alice's repo */
	r = dcall(t->bob_c,
		  "Create",
		  g_variant_new_parsed(
			  "('model', 'alice/m', 'How to use it?', {'description': <'Hello'>})"),
		  "(us)",
		  NULL);
	g_assert_nonnull(r);
	g_variant_get(r, "(us)", &num, &url);
	g_assert_cmpuint(num, ==, 1);
	expected = g_strconcat(t->base.hub->url, "/alice/m/discussions/1", NULL);
	g_assert_cmpstr(url, ==, expected);
	d = get(t, 1, FALSE);
	assert_key(d, "author", "bob");

	/* alice answers; bob edits his first comment; alice hides it */
	ev = dcall_ok(
		t->base.bus,
		"Comment",
		g_variant_new_parsed("('model', 'alice/m', uint32 1, 'Read the card', @a{sv} {})"),
		"(a{sv})");
	assert_key(ev, "content", "Read the card");
	g_clear_pointer(&ev, g_variant_unref);
	g_clear_pointer(&d, g_variant_unref);
	d = get(t, 1, FALSE);
	{
		g_autoptr(GVariant) all = g_variant_lookup_value(d, "events", NULL);
		g_autoptr(GVariant) first = g_variant_get_child_value(all, 0);

		bob_comment = dict_string(first, "id");
	}
	ev = dcall_ok(
		t->bob_c,
		"EditComment",
		g_variant_new_parsed("('model', 'alice/m', uint32 1, %s, 'Hello again', @a{sv} {})",
				     bob_comment),
		"(a{sv})");
	g_clear_pointer(&ev, g_variant_unref);
	/* only its author edits a comment */
	dcall_fails(
		t->base.bus,
		"EditComment",
		g_variant_new_parsed("('model', 'alice/m', uint32 1, %s, 'mine now', @a{sv} {})",
				     bob_comment),
		ERR "Forbidden");
	ev = dcall_ok(
		t->base.bus,
		"HideComment",
		g_variant_new_parsed("('model', 'alice/m', uint32 1, %s, @a{sv} {})", bob_comment),
		"(a{sv})");
	g_clear_pointer(&ev, g_variant_unref);
	ev = dcall_ok(
		t->bob_c,
		"Rename",
		g_variant_new_parsed("('model', 'alice/m', uint32 1, 'Usage question', @a{sv} {})"),
		"(a{sv})");
	g_clear_pointer(&ev, g_variant_unref);
	ev = dcall_ok(
		t->base.bus,
		"ChangeStatus",
		g_variant_new_parsed(
			"('model', 'alice/m', uint32 1, 'closed', {'comment': <'answered'>})"),
		"(a{sv})");
	assert_key(ev, "status", "closed");
	events = events_of(t, 1);
	g_assert_cmpstr(events,
			==,
			"comment:Hello again(hidden),comment:Read the card,title-change:Usage "
			"question,comment:answered,status-change:closed");
	/* closing twice is refused; reopening works */
	dcall_fails(t->base.bus,
		    "ChangeStatus",
		    g_variant_new_parsed("('model', 'alice/m', uint32 1, 'closed', @a{sv} {})"),
		    ERR "BadRequest");
	nums = list_nums(t, "{'status': <'open'>}");
	g_assert_cmpstr(nums, ==, "");
	g_clear_pointer(&nums, g_free);
	nums = list_nums(t, "{'status': <'closed'>, 'kind': <'discussion'>}");
	g_assert_cmpstr(nums, ==, "1");
	g_clear_pointer(&ev, g_variant_unref);
	ev = dcall_ok(t->bob_c,
		      "ChangeStatus",
		      g_variant_new_parsed("('model', 'alice/m', uint32 1, 'open', @a{sv} {})"),
		      "(a{sv})");
	/* what the Hub holds, read back another way */
	g_assert_cmpuint(hub_http(&t->base,
				  "GET",
				  "/api/models/alice/m/discussions/1",
				  NULL,
				  NULL,
				  NULL,
				  &hub),
			 ==,
			 200);
	g_assert_nonnull(strstr(hub, "\"title\":\"Usage question\""));
	g_assert_nonnull(strstr(hub, "\"status\":\"open\""));
	g_assert_nonnull(strstr(hub, "\"raw\":\"Hello again\""));
}

static gchar *
upload_pr(const gchar *dir, const gchar *name, const gchar *content, const gchar *revision)
{
	g_autofree gchar *path = g_build_filename(dir, name, NULL);
	const gchar *argv[] = {"upload", "alice/m", NULL, name, "--create-pr", NULL, NULL, NULL};
	g_autofree gchar *out = NULL;
	g_auto(GStrv) lines = NULL;

	hubd_test_write_file(path, content);
	argv[2] = path;
	if (revision != NULL) {
		argv[4] = "--revision";
		argv[5] = revision;
	}
	g_assert_cmpint(hubd_test_run_hubctl(argv, NULL, &out, NULL), ==, 0);
	lines = g_strsplit(g_strstrip(out), "\n", -1);
	return g_strdup(lines[g_strv_length(lines) - 1]);
}

static void
test_pull_request(Two *t, gconstpointer data)
{
	g_autofree gchar *dir = g_dir_make_tmp("hubd-disc-XXXXXX", NULL);
	g_autofree gchar *pr_url = NULL;
	g_autofree gchar *body = NULL;
	g_autofree gchar *diff = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *events = NULL;
	g_autoptr(GVariant) d = NULL;
	g_autoptr(JsonNode) repo = NULL;
	gboolean pr = FALSE;
	const gchar *dl_pr[] =
		{"download", "alice/m", "config.json", "--revision", "refs/pr/1", NULL};

	/* an upload with create_pr opens PR #1 on refs/pr/1; main is untouched */
	pr_url = upload_pr(dir, "config.json", "{\"layers\": 2}\n", NULL);
	g_assert_true(g_str_has_suffix(pr_url, "/alice/m/discussions/1"));
	g_assert_cmpuint(hub_http(&t->base,
				  "GET",
				  "/alice/m/resolve/main/config.json",
				  NULL,
				  NULL,
				  NULL,
				  NULL),
			 ==,
			 404);
	d = get(t, 1, TRUE);
	g_assert_true(g_variant_lookup(d, "is_pull_request", "b", &pr) && pr);
	assert_key(d, "status", "open");
	assert_key(d, "target_branch", "refs/heads/main");
	diff = dict_string(d, "diff");
	g_assert_nonnull(
		strstr(diff, "diff --git a/config.json b/config.json\nnew file mode 100644\n"));
	g_assert_nonnull(strstr(diff, "+{\"layers\": 2}\n"));

	/* its branch downloads as the revision refs/pr/1 */
	g_assert_cmpint(hubd_test_run_hubctl(dl_pr, NULL, &out, NULL), ==, 0);
	hubd_test_assert_file_equals(g_strstrip(out), "{\"layers\": 2}\n");

	/* a second commit to the PR, then the merge updates main */
	g_free(upload_pr(dir, "extra.txt", "more\n", "refs/pr/1"));
	events = events_of(t, 1);
	g_assert_true(g_str_has_prefix(events, "commit:Upload config.json"));
	g_assert_nonnull(strstr(events, ",commit:Upload extra.txt"));
	/* bob may not merge alice's repo */
	dcall_fails(t->bob_c,
		    "Merge",
		    g_variant_new_parsed("('model', 'alice/m', uint32 1, @a{sv} {})"),
		    ERR "Forbidden");
	g_assert_null(dcall_ok(t->base.bus,
			       "Merge",
			       g_variant_new_parsed("('model', 'alice/m', uint32 1, @a{sv} {})"),
			       "()"));
	g_assert_cmpuint(hub_http(&t->base,
				  "GET",
				  "/alice/m/resolve/main/config.json",
				  NULL,
				  NULL,
				  NULL,
				  &body),
			 ==,
			 200);
	g_assert_cmpstr(body, ==, "{\"layers\": 2}\n");
	g_clear_pointer(&body, g_free);
	g_assert_cmpuint(hub_http(&t->base,
				  "GET",
				  "/alice/m/resolve/main/extra.txt",
				  NULL,
				  NULL,
				  NULL,
				  &body),
			 ==,
			 200);
	g_clear_pointer(&body, g_free);
	g_assert_cmpuint(hub_http(&t->base, "GET", "/api/models/alice/m", NULL, NULL, NULL, &body),
			 ==,
			 200);
	repo = hubd_test_parse_json(body);
	g_clear_pointer(&d, g_variant_unref);
	d = get(t, 1, FALSE);
	assert_key(d, "status", "merged");
	assert_key(d,
		   "merge_commit_oid",
		   json_object_get_string_member(json_node_get_object(repo), "sha"));
	/* merged is final */
	dcall_fails(t->base.bus,
		    "Merge",
		    g_variant_new_parsed("('model', 'alice/m', uint32 1, @a{sv} {})"),
		    ERR "BadRequest");
	hubd_test_rm_rf(dir);
}

static void
test_draft_and_pages(Two *t, gconstpointer data)
{
	g_autoptr(GVariant) r = NULL;
	g_autoptr(GVariant) d = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("hubd-disc-XXXXXX", NULL);
	g_autofree gchar *nums = NULL;
	guint32 num = 0;

	/* a PR opened with Create is a draft until its first commit */
	r = dcall(t->base.bus,
		  "Create",
		  g_variant_new_parsed(
			  "('model', 'alice/m', 'Add weights', {'pull_request': <true>})"),
		  "(us)",
		  NULL);
	g_variant_get(r, "(us)", &num, NULL);
	g_assert_cmpuint(num, ==, 1);
	d = get(t, 1, FALSE);
	assert_key(d, "status", "draft");
	g_free(upload_pr(dir, "w.txt", "w\n", "refs/pr/1"));
	g_clear_pointer(&d, g_variant_unref);
	d = get(t, 1, FALSE);
	assert_key(d, "status", "open");

	/* four discussions more: the Hub pages by 2, newest first */
	for (guint i = 0; i < 4; i++) {
		g_autoptr(GVariant) c =
			dcall(i % 2 == 0 ? t->bob_c : t->base.bus,
			      "Create",
			      g_variant_new_parsed("('model', 'alice/m', %s, @a{sv} {})",
						   i % 2 == 0 ? "from bob" : "from alice"),
			      "(us)",
			      NULL);
		g_assert_nonnull(c);
	}
	nums = list_nums(t, "@a{sv} {}");
	g_assert_cmpstr(nums, ==, "5,4,3,2,1");
	g_clear_pointer(&nums, g_free);
	nums = list_nums(t, "{'limit': <uint32 3>}");
	g_assert_cmpstr(nums, ==, "5,4,3");
	g_clear_pointer(&nums, g_free);
	nums = list_nums(t, "{'author': <'bob'>}");
	g_assert_cmpstr(nums, ==, "4,2");
	g_clear_pointer(&nums, g_free);
	nums = list_nums(t, "{'kind': <'pull_request'>}");
	g_assert_cmpstr(nums, ==, "1");
	/* pages were followed: the Hub saw p=0, p=1, p=2 for the full listing */
	g_assert_cmpuint(count_requests(&t->base, "GET", "/discussions$"), >=, 3);
	hubd_test_rm_rf(dir);
}

static void
test_refusals(Two *t, gconstpointer data)
{
	clear_request_log(&t->base);
	dcall_fails(t->base.bus,
		    "Create",
		    g_variant_new_parsed("('model', 'alice/m', 'ab', @a{sv} {})"),
		    ERR "InvalidArgument");
	dcall_fails(t->base.bus,
		    "Comment",
		    g_variant_new_parsed("('model', 'alice/m', uint32 0, 'hi', @a{sv} {})"),
		    ERR "InvalidArgument");
	dcall_fails(t->base.bus,
		    "Comment",
		    g_variant_new_parsed("('model', 'alice/m', uint32 1, '', @a{sv} {})"),
		    ERR "InvalidArgument");
	dcall_fails(t->base.bus,
		    "ChangeStatus",
		    g_variant_new_parsed("('model', 'alice/m', uint32 1, 'merged', @a{sv} {})"),
		    ERR "InvalidArgument");
	dcall_fails(t->base.bus,
		    "List",
		    g_variant_new_parsed("('model', 'alice/m', {'kind': <'issues'>})"),
		    ERR "InvalidArgument");
	dcall_fails(t->base.bus,
		    "List",
		    g_variant_new_parsed("('model', 'alice/m', {'colour': <'red'>})"),
		    ERR "InvalidArgument");
	dcall_fails(t->base.bus,
		    "HideComment",
		    g_variant_new_parsed("('model', 'alice/m', uint32 1, '../x', @a{sv} {})"),
		    ERR "InvalidArgument");
	g_assert_cmpuint(count_requests(&t->base, NULL, NULL), ==, 0);
	/* what the Hub refuses */
	dcall_fails(t->base.bus,
		    "Get",
		    g_variant_new_parsed("('model', 'alice/m', uint32 9, @a{sv} {})"),
		    ERR "RepoNotFound");
	dcall_fails(t->base.bus,
		    "List",
		    g_variant_new_parsed("('model', 'alice/none', @a{sv} {})"),
		    ERR "RepoNotFound");
	/* discussions turned off */
	g_assert_null(call_ok(
		&t->base,
		"UpdateSettings",
		g_variant_new_parsed("('model', 'alice/m', {'discussions_disabled': <true>})"),
		NULL));
	dcall_fails(t->bob_c,
		    "Create",
		    g_variant_new_parsed("('model', 'alice/m', 'Anyone there?', @a{sv} {})"),
		    ERR "Forbidden");
}

static void
test_cli(Two *t, gconstpointer data)
{
	const gchar *create[] = {"discussions",
				 "create",
				 "alice/m",
				 "--title",
				 "A question",
				 "--body",
				 "How?",
				 NULL};
	const gchar *list[] = {"discussions", "list", "alice/m", NULL};
	const gchar *comment[] =
		{"discussions", "comment", "alice/m", "1", "--body-file", "-", NULL};
	const gchar *rename[] = {"discussions", "rename", "alice/m", "1", "Usage", NULL};
	const gchar *close[] = {"discussions", "close", "alice/m", "1", "--comment", "done", NULL};
	const gchar *reopen[] = {"discussions", "reopen", "alice/m", "1", "-y", NULL};
	const gchar *info[] = {"discussions", "info", "alice/m", "1", NULL};
	const gchar *info_json[] = {"discussions", "info", "alice/m", "1", "--json", NULL};
	const gchar *diff[] = {"discussions", "diff", "alice/m", "2", NULL};
	const gchar *merge[] = {"discussions", "merge", "alice/m", "2", "--yes", NULL};
	const gchar *merged[] =
		{"discussions", "list", "alice/m", "--status", "merged", "--json", NULL};
	const gchar *bad[] = {"discussions", "info", "alice/m", "zero", NULL};
	g_autofree gchar *dir = g_dir_make_tmp("hubd-disc-XXXXXX", NULL);
	g_autofree gchar *out = NULL;
	g_autofree gchar *id = NULL;
	g_autofree gchar *expected = NULL;
	g_autoptr(JsonNode) json = NULL;

	g_assert_cmpint(hubd_test_run_hubctl(create, NULL, &out, NULL), ==, 0);
	expected = g_strconcat(t->base.hub->url, "/alice/m/discussions/1\n", NULL);
	g_assert_cmpstr(out, ==, expected);
	g_clear_pointer(&out, g_free);
	/* a new comment's id is printed, for edit-comment */
	g_assert_cmpint(hubd_test_run_hubctl(comment, "from stdin\n", &out, NULL), ==, 0);
	id = hubd_test_one_line(out);
	g_assert_cmpuint(strlen(id), ==, 24);
	g_assert_cmpint(hubd_test_run_hubctl(rename, NULL, NULL, NULL), ==, 0);
	g_assert_cmpint(hubd_test_run_hubctl(close, NULL, NULL, NULL), ==, 0);
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubd_test_run_hubctl(list, NULL, &out, NULL), ==, 0);
	g_assert_cmpstr(out, ==, "NUM  KIND  STATUS  TITLE  AUTHOR  CREATED\n");
	g_assert_cmpint(hubd_test_run_hubctl(reopen, NULL, NULL, NULL), ==, 0);
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubd_test_run_hubctl(info, NULL, &out, NULL), ==, 0);
	g_assert_true(g_str_has_prefix(out, "#1 Usage\ndiscussion: open, opened by alice\n"));
	g_assert_nonnull(strstr(out, "    from stdin\n"));
	g_assert_nonnull(strstr(out, "renamed “A question” to “Usage”"));
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubd_test_run_hubctl(info_json, NULL, &out, NULL), ==, 0);
	json = hubd_test_parse_json(out);
	g_assert_cmpstr(json_object_get_string_member(json_node_get_object(json), "title"),
			==,
			"Usage");

	g_free(upload_pr(dir, "config.json", "{}\n", NULL));
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubd_test_run_hubctl(diff, NULL, &out, NULL), ==, 0);
	g_assert_true(g_str_has_prefix(out, "diff --git a/config.json b/config.json\n"));
	g_assert_cmpint(hubd_test_run_hubctl(merge, NULL, NULL, NULL), ==, 0);
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubd_test_run_hubctl(merged, NULL, &out, NULL), ==, 0);
	g_clear_pointer(&json, json_node_unref);
	json = hubd_test_parse_json(out);
	g_assert_cmpuint(json_array_get_length(json_node_get_array(json)), ==, 1);
	g_assert_cmpint(hubd_test_run_hubctl(bad, NULL, NULL, NULL), ==, 64);
	hubd_test_rm_rf(dir);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Two, NULL, setup, fn, two_teardown)
	ADD("/discussions/life", test_discussion_life);
	ADD("/discussions/pull-request", test_pull_request);
	ADD("/discussions/draft-and-pages", test_draft_and_pages);
	ADD("/discussions/refusals", test_refusals);
	ADD("/discussions/cli", test_cli);
	return g_test_run();
}
