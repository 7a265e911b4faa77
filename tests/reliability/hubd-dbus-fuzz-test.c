/* hubd-dbus-fuzz-test.c: every method of every interface hubd exports (the
 * plugins' too), called with random arguments of the right signature and
 * with wrong signatures, from several connections at once, some of which
 * vanish with calls in flight.
 *
 * What a user relies on: the daemon stays up; every reply is a return or a
 * typed error (org.hubd.Hub1.Error.*, or D-Bus's own InvalidArgs /
 * UnknownMethod for a wrong signature); no call goes unanswered; and hubd
 * still exits cleanly (status 0, so no sanitizer report in the ASan run).
 * The figures are printed as TAP comments.
 *
 * The strings come from a pool of what clients get wrong (bad repo ids,
 * `..`, NUL-free control characters, over-long text, other users' repos) and
 * paths only under this test's own temporary folder: the daemon runs as the
 * test user (root in CI), so no system path is ever offered. */
#define G_LOG_DOMAIN "HubdDbusFuzz"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "hubd-test-common.h"

#define ALICE_WRITE  "hf_alice_write_0000000000000000000000"
#define N_CONNS      4
#define IN_FLIGHT    12
#define CALL_TIMEOUT 60000 /* ms: no method may sit on a call (long work is a job) */

/* methods not called: they would end the test's own session */
static const gchar *const skipped[] = {
	"org.hubd.Hub1.Auth.LoginWeb", /* may open a browser on a desktop */
	NULL,
};

typedef struct {
	gchar *iface;
	GDBusMethodInfo *method; /* owned by the node info */
} Target;

typedef struct {
	GRand *rand;
	GPtrArray *targets; /* Target */
	GPtrArray *pool;    /* strings */
	GDBusConnection *conns[N_CONNS];
	guint in_flight;
	guint sent;
	guint returns, typed_errors, signature_errors;
	GPtrArray *bad; /* descriptions of untyped errors */
	GHashTable *per_iface;
} Fuzz;

typedef struct {
	Fuzz *fuzz;
	gchar *what; /* "Iface.Method" */
	gchar *args; /* printed, to repeat a failure */
	gboolean wrong_signature;
} Pending;

static const gchar *
pick(Fuzz *f)
{
	return g_ptr_array_index(f->pool, g_rand_int_range(f->rand, 0, (gint)f->pool->len));
}

static void
build_pool(Fuzz *f, const gchar *tmp)
{
	static const gchar *const fixed[] = {
		"",
		"alice/demo",
		"alice/does-not-exist",
		"bob/private-model",
		"gpt2",
		"a",
		"-bad-/name",
		"alice/../etc",
		"../../../x",
		"a//b",
		"alice/demo/extra",
		"main",
		"refs/pr/1",
		"refs/heads/../../x",
		"0000000000000000000000000000000000000000",
		"config.json",
		"README.md",
		"dir/../../escape.txt",
		"model",
		"dataset",
		"space",
		"nonsense-type",
		"http://127.0.0.1:1/",
		"s3://nowhere/prefix",
		"file:///nonexistent-hubd-fuzz",
		"pending",
		"accepted",
		"cpu-basic",
		"alice-write",
		"\t\r\n",
		"\xe2\x80\xae\xf0\x9f\xa4\x97 unicode",
		"%2e%2e/%2e%2e",
		"*",
		"?",
		"-",
	};
	for (guint i = 0; i < G_N_ELEMENTS(fixed); i++)
		g_ptr_array_add(f->pool, g_strdup(fixed[i]));
	g_ptr_array_add(f->pool, g_strnfill(5000, 'x'));
	{
		g_autofree gchar *long_name = g_strnfill(200, 'y');

		g_ptr_array_add(f->pool, g_strconcat("alice/", long_name, NULL));
	}
	g_ptr_array_add(f->pool, g_build_filename(tmp, "target", NULL));
	g_ptr_array_add(f->pool, g_build_filename(tmp, "target", "..", "sibling", NULL));
	g_ptr_array_add(f->pool, g_build_filename(tmp, "file.bin", NULL));
	g_ptr_array_add(f->pool, g_build_filename(tmp, "no-such-file", NULL));
}

static const gchar *const option_keys[] = {
	"revision", "repo_type",  "token_name", "private",        "local_dir", "cache_dir",
	"include",  "exclude",    "create_pr",  "commit_message", "follow",    "timeout",
	"force",    "dry_run",    "status",     "limit",          "page",      "kind",
	"hardware", "sleep_time", "secrets",    "variables",      "options",   "delete",
};

static GVariant *
random_value(Fuzz *f, const GVariantType *type, guint depth);

static GVariant *
random_any(Fuzz *f, guint depth)
{
	static const gchar *const types[] = {"s", "b", "u", "i", "t", "x", "as", "a{sv}", "d", "y"};
	const gchar *t = types[g_rand_int_range(f->rand, 0, depth > 1 ? 6 : G_N_ELEMENTS(types))];

	return random_value(f, G_VARIANT_TYPE(t), depth + 1);
}

static GVariant *
random_dict_sv(Fuzz *f, guint depth)
{
	g_auto(GVariantBuilder) b = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE("a{sv}"));
	guint n = (guint)g_rand_int_range(f->rand, 0, 4);

	for (guint i = 0; i < n; i++) {
		const gchar *key =
			g_rand_boolean(f->rand)
				? option_keys[g_rand_int_range(f->rand,
							       0,
							       G_N_ELEMENTS(option_keys))]
				: pick(f);

		g_variant_builder_add(&b, "{sv}", key, random_any(f, depth));
	}
	return g_variant_builder_end(&b);
}

static GVariant *
random_value(Fuzz *f, const GVariantType *type, guint depth)
{
	GRand *r = f->rand;

	if (g_variant_type_equal(type, G_VARIANT_TYPE_STRING))
		return g_variant_new_string(pick(f));
	if (g_variant_type_equal(type, G_VARIANT_TYPE_OBJECT_PATH))
		return g_variant_new_object_path(g_rand_boolean(r) ? "/" : "/org/hubd/Hub1/job/9");
	if (g_variant_type_equal(type, G_VARIANT_TYPE_BOOLEAN))
		return g_variant_new_boolean(g_rand_boolean(r));
	if (g_variant_type_equal(type, G_VARIANT_TYPE_BYTE))
		return g_variant_new_byte((guchar)g_rand_int(r));
	if (g_variant_type_equal(type, G_VARIANT_TYPE_UINT32)) {
		static const guint32 edge[] = {0, 1, 2, 100, G_MAXINT32, G_MAXUINT32};

		return g_variant_new_uint32(edge[g_rand_int_range(r, 0, G_N_ELEMENTS(edge))]);
	}
	if (g_variant_type_equal(type, G_VARIANT_TYPE_INT32))
		return g_variant_new_int32(g_rand_boolean(r) ? -1 : (gint32)g_rand_int(r));
	if (g_variant_type_equal(type, G_VARIANT_TYPE_UINT64))
		return g_variant_new_uint64(g_rand_boolean(r) ? G_MAXUINT64 : g_rand_int(r));
	if (g_variant_type_equal(type, G_VARIANT_TYPE_INT64))
		return g_variant_new_int64(g_rand_boolean(r) ? G_MININT64 : g_rand_int(r));
	if (g_variant_type_equal(type, G_VARIANT_TYPE_DOUBLE))
		return g_variant_new_double(g_rand_double_range(r, -1e9, 1e9));
	if (g_variant_type_equal(type, G_VARIANT_TYPE_VARIANT))
		return g_variant_new_variant(random_any(f, depth));
	if (g_variant_type_equal(type, G_VARIANT_TYPE("a{sv}")))
		return random_dict_sv(f, depth);
	if (g_variant_type_is_array(type)) {
		const GVariantType *elem = g_variant_type_element(type);
		g_auto(GVariantBuilder) b = G_VARIANT_BUILDER_INIT(type);
		guint n = depth > 2 ? 0 : (guint)g_rand_int_range(r, 0, 4);

		for (guint i = 0; i < n; i++)
			g_variant_builder_add_value(&b, random_value(f, elem, depth + 1));
		return g_variant_builder_end(&b);
	}
	if (g_variant_type_is_dict_entry(type) || g_variant_type_is_tuple(type)) {
		g_auto(GVariantBuilder) b = G_VARIANT_BUILDER_INIT(type);

		for (const GVariantType *t = g_variant_type_first(type); t != NULL;
		     t = g_variant_type_next(t))
			g_variant_builder_add_value(&b, random_value(f, t, depth + 1));
		return g_variant_builder_end(&b);
	}
	g_error("no generator for type %.*s",
		(gint)g_variant_type_get_string_length(type),
		g_variant_type_peek_string(type));
	return NULL;
}

static GVariant *
random_args(Fuzz *f, GDBusMethodInfo *m, gboolean *wrong)
{
	g_auto(GVariantBuilder) b = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_TUPLE);
	guint n = 0;

	/* one call in eight has a wrong signature: an argument missing or added */
	*wrong = g_rand_int_range(f->rand, 0, 8) == 0;
	while (m->in_args != NULL && m->in_args[n] != NULL)
		n++;
	for (guint i = 0; i < n; i++) {
		if (*wrong && i == n - 1)
			break;
		g_variant_builder_add_value(
			&b,
			random_value(f, G_VARIANT_TYPE(m->in_args[i]->signature), 0));
	}
	if (*wrong && n == 0)
		g_variant_builder_add_value(&b, g_variant_new_string(pick(f)));
	return g_variant_builder_end(&b);
}

static gboolean
error_is_typed(const gchar *remote, gboolean wrong_signature)
{
	if (remote == NULL)
		return FALSE;
	if (g_str_has_prefix(remote, "org.hubd.Hub1.Error."))
		return TRUE;
	/* GDBus checks the signature before any of hubd's code runs */
	return wrong_signature && (g_str_equal(remote, "org.freedesktop.DBus.Error.InvalidArgs") ||
				   g_str_equal(remote, "org.freedesktop.DBus.Error.UnknownMethod"));
}

static void
call_done(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Pending *p = user_data;
	Fuzz *f = p->fuzz;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), res, &error);

	f->in_flight--;
	if (reply != NULL) {
		f->returns++;
	} else {
		g_autofree gchar *remote = g_dbus_error_get_remote_error(error);

		if (!error_is_typed(remote, p->wrong_signature))
			g_ptr_array_add(
				f->bad,
				g_strdup_printf("%s%s: %s (%s) for %s",
						p->what,
						p->wrong_signature ? " (wrong signature)" : "",
						remote != NULL ? remote : "no remote error",
						error->message,
						p->args));
		else if (p->wrong_signature && !g_str_has_prefix(remote, "org.hubd."))
			f->signature_errors++;
		else
			f->typed_errors++;
	}
	g_free(p->what);
	g_free(p->args);
	g_free(p);
}

static void
send_one(Fuzz *f, GDBusConnection *conn, gboolean track)
{
	Target *t =
		g_ptr_array_index(f->targets, g_rand_int_range(f->rand, 0, (gint)f->targets->len));
	gboolean wrong = FALSE;
	GVariant *args = random_args(f, t->method, &wrong);
	Pending *p = NULL;

	if (track) {
		p = g_new0(Pending, 1);
		p->fuzz = f;
		p->wrong_signature = wrong;
		p->what = g_strdup_printf("%s.%s", t->iface, t->method->name);
		p->args = g_variant_print(args, FALSE);
		if (strlen(p->args) > 300)
			strcpy(p->args + 290, "…");
		if (g_getenv("HUBD_FUZZ_TRACE") != NULL)
			g_test_message("call on %p: %s %s", (gpointer)conn, p->what, p->args);
		g_hash_table_replace(
			f->per_iface,
			g_strdup(t->iface),
			GUINT_TO_POINTER(
				GPOINTER_TO_UINT(g_hash_table_lookup(f->per_iface, t->iface)) + 1));
		f->in_flight++;
		f->sent++;
	}
	/* untracked: a client that will not be there for the answer */
	g_dbus_connection_call(conn,
			       HUBD_TEST_BUS_NAME,
			       HUBD_TEST_OBJECT_PATH,
			       t->iface,
			       t->method->name,
			       args,
			       NULL,
			       G_DBUS_CALL_FLAGS_NO_AUTO_START,
			       CALL_TIMEOUT,
			       NULL,
			       track ? call_done : NULL,
			       p);
}

static gboolean
none_in_flight(gpointer user_data)
{
	return ((Fuzz *)user_data)->in_flight == 0;
}

static gboolean
room_for_more(gpointer user_data)
{
	return ((Fuzz *)user_data)->in_flight < IN_FLIGHT;
}

/* every method of every interface at /org/hubd/Hub1, from introspection */
static GDBusNodeInfo *
collect_targets(Fuzz *f, GDBusConnection *bus)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_sync(bus,
					    HUBD_TEST_BUS_NAME,
					    HUBD_TEST_OBJECT_PATH,
					    "org.freedesktop.DBus.Introspectable",
					    "Introspect",
					    NULL,
					    G_VARIANT_TYPE("(s)"),
					    G_DBUS_CALL_FLAGS_NONE,
					    -1,
					    NULL,
					    &error);
	const gchar *xml = NULL;
	GDBusNodeInfo *node;

	g_assert_no_error(error);
	g_variant_get(reply, "(&s)", &xml);
	node = g_dbus_node_info_new_for_xml(xml, &error);
	g_assert_no_error(error);
	for (guint i = 0; node->interfaces[i] != NULL; i++) {
		GDBusInterfaceInfo *iface = node->interfaces[i];

		if (!g_str_has_prefix(iface->name, "org.hubd.Hub1."))
			continue;
		for (guint j = 0; iface->methods != NULL && iface->methods[j] != NULL; j++) {
			g_autofree gchar *full =
				g_strdup_printf("%s.%s", iface->name, iface->methods[j]->name);
			Target *t;

			if (g_strv_contains(skipped, full))
				continue;
			/* HUBD_FUZZ_ONLY=Iface.Method narrows a run down to one method */
			if (g_getenv("HUBD_FUZZ_ONLY") != NULL &&
			    !g_str_has_suffix(full, g_getenv("HUBD_FUZZ_ONLY")))
				continue;
			t = g_new0(Target, 1);
			t->iface = g_strdup(iface->name);
			t->method = iface->methods[j];
			g_ptr_array_add(f->targets, t);
		}
	}
	return node;
}

static void
target_free(Target *t)
{
	g_free(t->iface);
	g_free(t);
}

/* every plugin the build made, in one folder (hubd loads one) */
static gchar *
plugin_dir(const gchar *tmp)
{
	g_auto(GStrv) plugins = g_strsplit(g_getenv("HUBD_FUZZ_PLUGINS"), ":", -1);
	gchar *dir = g_build_filename(tmp, "plugins", NULL);

	g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
	for (guint i = 0; plugins[i] != NULL; i++) {
		g_autofree gchar *base = g_path_get_basename(plugins[i]);
		g_autofree gchar *link = g_build_filename(dir, base, NULL);

		g_assert_cmpint(symlink(plugins[i], link), ==, 0);
	}
	return dir;
}

static guint
n_calls(void)
{
	const gchar *env = g_getenv("HUBD_FUZZ_CALLS");

	return env != NULL ? (guint)g_ascii_strtoull(env, NULL, 10) : 3000;
}

static void
test_fuzz(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *tmp = g_dir_make_tmp("hubd-dbus-fuzz-XXXXXX", &error);
	g_autofree gchar *file = NULL;
	g_autofree gchar *api = NULL;
	g_autofree gchar *plugins = NULL;
	g_autoptr(GDBusNodeInfo) node = NULL;
	g_autoptr(GDBusConnection) bus = NULL;
	g_autoptr(GVariant) status = NULL;
	const gchar *hub_args[] = {NULL};
	const gchar *env[] = {"HF_TOKEN=" ALICE_WRITE, NULL};
	const gchar *seed_env = g_getenv("HUBD_FUZZ_SEED");
	guint32 seed =
		seed_env != NULL ? (guint32)g_ascii_strtoull(seed_env, NULL, 10) : g_random_int();
	HubdTestHub *hub;
	HubdTestDaemon *daemon;
	Fuzz f = {0};
	guint total = n_calls();
	guint vanished = 0;

	g_assert_no_error(error);
	g_test_message("seed %u (HUBD_FUZZ_SEED=%u repeats this run)", seed, seed);
	/* relative paths a method might take are resolved here, not in the build tree */
	g_assert_cmpint(g_chdir(tmp), ==, 0);
	file = g_build_filename(tmp, "file.bin", NULL);
	hubd_test_write_file(file, "some bytes\n");

	plugins = plugin_dir(tmp);
	hub = hubd_test_hub_start(hub_args);
	api = g_strdup_printf("endpoints.api=%s/v2", hub->url);
	{
		const gchar *args[] = {"--endpoint",
				       hub->url,
				       "--set",
				       "http.retry-base-ms=20",
				       "--set",
				       api,
				       "--set",
				       "webhooks.listen=127.0.0.1:0",
				       "--plugin-dir",
				       plugins,
				       NULL};

		daemon = hubd_test_daemon_start(args, env);
	}
	bus = hubd_test_session_bus();

	f.rand = g_rand_new_with_seed(seed);
	f.targets = g_ptr_array_new_with_free_func((GDestroyNotify)target_free);
	f.pool = g_ptr_array_new_with_free_func(g_free);
	f.bad = g_ptr_array_new_with_free_func(g_free);
	f.per_iface = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	build_pool(&f, tmp);
	node = collect_targets(&f, bus);
	g_test_message("%u methods", f.targets->len);
	g_assert_cmpuint(f.targets->len, >, g_getenv("HUBD_FUZZ_ONLY") != NULL ? 0 : 50);
	for (guint i = 0; i < N_CONNS; i++)
		f.conns[i] = hubd_test_private_session_bus();

	for (guint i = 0; i < total; i++) {
		g_assert_true(hubd_test_wait_for(room_for_more, &f, CALL_TIMEOUT + 5000));
		send_one(&f, f.conns[g_rand_int_range(f.rand, 0, N_CONNS)], TRUE);
		/* now and then a client that goes away with calls in flight */
		if (i % 250 == 249) {
			g_autoptr(GDBusConnection) gone = hubd_test_private_session_bus();

			for (guint k = 0; k < 10; k++)
				send_one(&f, gone, FALSE);
			g_dbus_connection_flush_sync(gone, NULL, NULL);
			g_dbus_connection_close_sync(gone, NULL, NULL);
			vanished++;
		}
	}
	g_assert_true(hubd_test_wait_for(none_in_flight, &f, CALL_TIMEOUT + 5000));

	g_test_message("%u calls: %u returns, %u typed errors, %u refused for their signature, "
		       "%u untyped; %u clients vanished mid-call",
		       f.sent,
		       f.returns,
		       f.typed_errors,
		       f.signature_errors,
		       f.bad->len,
		       vanished);
	for (guint i = 0; i < f.bad->len && i < 20; i++)
		g_test_message("untyped: %s", (const gchar *)g_ptr_array_index(f.bad, i));
	g_assert_cmpuint(f.bad->len, ==, 0);
	g_assert_cmpuint(f.returns + f.typed_errors + f.signature_errors, ==, f.sent);
	/* every interface was reached */
	for (guint i = 0; i < f.targets->len; i++) {
		Target *t = g_ptr_array_index(f.targets, i);

		g_assert_cmpuint(GPOINTER_TO_UINT(g_hash_table_lookup(f.per_iface, t->iface)),
				 >,
				 0);
	}

	/* still up and answering, and it exits cleanly */
	g_assert_true(hubd_test_daemon_is_running(daemon));
	status = hubd_test_get_status(bus);
	g_assert_nonnull(status);
	for (guint i = 0; i < N_CONNS; i++)
		g_clear_object(&f.conns[i]);
	g_clear_object(&bus);
	hubd_test_daemon_stop(daemon);
	hubd_test_hub_stop(hub);

	g_ptr_array_unref(f.targets);
	g_ptr_array_unref(f.pool);
	g_ptr_array_unref(f.bad);
	g_hash_table_unref(f.per_iface);
	g_rand_free(f.rand);
	g_assert_cmpint(g_chdir("/"), ==, 0);
	hubd_test_rm_rf(tmp);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/reliability/dbus-fuzz", test_fuzz);
	return g_test_run();
}
