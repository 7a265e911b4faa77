/* hubd-api-test.c: the conventions of the D-Bus API, read from a running
 * daemon's own introspection (so a new method is covered as soon as it is
 * exported): every method ends with an a{sv} "options" and refuses a key it
 * does not know; repo type, repo id, revision and path come in that order. */
#define G_LOG_DOMAIN "HubdApiTest"

#include "hubd-test-common.h"

#define UNKNOWN_KEY "no_such_option"
#define JOB_IFACE   "org.hubd.Hub1.Job"

/* The arguments that name what a method works on, in the order every method
 * takes them (Move's from_id is its repo id). */
static const gchar *const repo_args[] = {"repo_type", "repo_id", "revision", "path"};

static GDBusNodeInfo *
introspect(GDBusConnection *c, const gchar *path)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	const gchar *xml = NULL;
	GDBusNodeInfo *node;

	reply = g_dbus_connection_call_sync(c,
					    HUBD_TEST_BUS_NAME,
					    path,
					    "org.freedesktop.DBus.Introspectable",
					    "Introspect",
					    NULL,
					    G_VARIANT_TYPE("(s)"),
					    G_DBUS_CALL_FLAGS_NONE,
					    HUBD_TEST_TIMEOUT_S * 1000,
					    NULL,
					    &error);
	g_assert_no_error(error);
	g_variant_get(reply, "(&s)", &xml);
	node = g_dbus_node_info_new_for_xml(xml, &error);
	g_assert_no_error(error);
	return node;
}

/* A value for an in-argument that passes whatever a method checks before its
 * options, so that the options are what it refuses. */
static GVariant *
argument_value(const GDBusArgInfo *arg)
{
	static const struct {
		const gchar *name;
		const gchar *value;
	} strings[] = {
		{"repo_type", "model"},
		{"repo_id", "alice/api"},
		{"from_id", "alice/api"},
		{"to_id", "alice/api-moved"},
		{"revision", ""},
		{"path", "a.txt"},
		{"token", "hf_api_000000000000000000000000000000"},
		{"folder", "/"},
	};
	const GVariantType *type = G_VARIANT_TYPE(arg->signature);

	if (g_variant_type_equal(type, G_VARIANT_TYPE_VARDICT))
		return g_variant_new_parsed("{%s: <true>}", UNKNOWN_KEY);
	if (g_variant_type_is_array(type))
		return g_variant_new_array(g_variant_type_element(type), NULL, 0);
	if (g_variant_type_equal(type, G_VARIANT_TYPE_STRING)) {
		for (guint i = 0; i < G_N_ELEMENTS(strings); i++) {
			if (g_strcmp0(strings[i].name, arg->name) == 0)
				return g_variant_new_string(strings[i].value);
		}
		return g_variant_new_string("x");
	}
	if (g_variant_type_equal(type, G_VARIANT_TYPE_BOOLEAN))
		return g_variant_new_boolean(FALSE);
	if (g_variant_type_equal(type, G_VARIANT_TYPE_UINT32))
		return g_variant_new_uint32(1);
	if (g_variant_type_equal(type, G_VARIANT_TYPE_UINT64))
		return g_variant_new_uint64(1);
	g_error("no test value for the %s argument %s", arg->signature, arg->name);
	return NULL;
}

static gint
repo_arg_rank(const gchar *name)
{
	if (g_strcmp0(name, "from_id") == 0)
		name = "repo_id";
	for (guint i = 0; i < G_N_ELEMENTS(repo_args); i++) {
		if (g_strcmp0(repo_args[i], name) == 0)
			return (gint)i;
	}
	return -1;
}

/* The signature rules of one method. */
static void
check_signature(const gchar *iface, const GDBusMethodInfo *method)
{
	guint n_in = 0;
	gint last_rank = -1;
	const GDBusArgInfo *last;

	while (method->in_args != NULL && method->in_args[n_in] != NULL)
		n_in++;
	g_test_message("%s.%s: %u in-arguments", iface, method->name, n_in);
	/* a trailing options dictionary, so that the method can grow */
	g_assert_cmpuint(n_in, >, 0);
	last = method->in_args[n_in - 1];
	g_assert_cmpstr(last->name, ==, "options");
	g_assert_cmpstr(last->signature, ==, "a{sv}");
	for (guint i = 0; i < n_in; i++) {
		gint rank = repo_arg_rank(method->in_args[i]->name);

		if (rank < 0)
			continue;
		/* the repo type, when there is one, comes first */
		if (rank == 0)
			g_assert_cmpuint(i, ==, 0);
		g_assert_cmpint(rank, >, last_rank);
		last_rank = rank;
	}
}

/* The call with an unknown option key: InvalidArgument naming the key. */
static void
check_refuses_unknown_option(GDBusConnection *c,
			     const gchar *path,
			     const gchar *iface,
			     const GDBusMethodInfo *method)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autofree gchar *remote = NULL;
	GVariantBuilder args;

	g_variant_builder_init(&args, G_VARIANT_TYPE_TUPLE);
	for (guint i = 0; method->in_args != NULL && method->in_args[i] != NULL; i++)
		g_variant_builder_add_value(&args, argument_value(method->in_args[i]));
	reply = g_dbus_connection_call_sync(c,
					    HUBD_TEST_BUS_NAME,
					    path,
					    iface,
					    method->name,
					    g_variant_builder_end(&args),
					    NULL,
					    G_DBUS_CALL_FLAGS_NONE,
					    HUBD_TEST_TIMEOUT_S * 1000,
					    NULL,
					    &error);
	g_test_message("%s.%s: %s", iface, method->name, error != NULL ? error->message : "ok");
	g_assert_null(reply);
	g_assert_nonnull(error);
	remote = g_dbus_error_get_remote_error(error);
	g_assert_cmpstr(remote, ==, "org.hubd.Hub1.Error.InvalidArgument");
	g_assert_nonnull(strstr(error->message, UNKNOWN_KEY));
}

/* Every org.hubd.Hub1.* method at `path`; returns how many were checked. */
static guint
check_object(GDBusConnection *c, const gchar *path)
{
	g_autoptr(GDBusNodeInfo) node = introspect(c, path);
	guint n = 0;

	for (guint i = 0; node->interfaces[i] != NULL; i++) {
		const GDBusInterfaceInfo *iface = node->interfaces[i];

		if (!g_str_has_prefix(iface->name, "org.hubd.Hub1."))
			continue;
		for (guint m = 0; iface->methods != NULL && iface->methods[m] != NULL; m++) {
			check_signature(iface->name, iface->methods[m]);
			check_refuses_unknown_option(c, path, iface->name, iface->methods[m]);
			n++;
		}
	}
	return n;
}

static void
test_options_everywhere(void)
{
	HubdTestDaemon *d = hubd_test_daemon_start(NULL, NULL);
	g_autoptr(GDBusConnection) bus = hubd_test_session_bus();
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) cancelled = NULL;
	const gchar *job = NULL;
	guint n;

	/* a job that runs until cancelled, for org.hubd.Hub1.Job */
	reply = hubd_test_call(bus,
			       "org.hubd.Hub1.TestPlugin",
			       "StartJob",
			       g_variant_new_parsed("(@u 100000, @u 20, false, @a{sv} {})"),
			       G_VARIANT_TYPE("(o)"),
			       NULL);
	g_assert_nonnull(reply);
	g_variant_get(reply, "(&o)", &job);
	n = check_object(bus, HUBD_TEST_OBJECT_PATH);
	/* Daemon, Auth, Repos, Transfers, Cache and the test plugin: many */
	g_assert_cmpuint(n, >=, 30);
	g_assert_cmpuint(check_object(bus, job), ==, 1);
	cancelled = g_dbus_connection_call_sync(bus,
						HUBD_TEST_BUS_NAME,
						job,
						JOB_IFACE,
						"Cancel",
						g_variant_new_parsed("(@a{sv} {},)"),
						NULL,
						G_DBUS_CALL_FLAGS_NONE,
						HUBD_TEST_TIMEOUT_S * 1000,
						NULL,
						NULL);
	g_assert_nonnull(cancelled);
	hubd_test_daemon_stop(d);
}

gint
main(gint argc, gchar **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/api/options-everywhere", test_options_everywhere);
	return g_test_run();
}
