/* hubd-community-test-util.c: what the Access and Discussions tests share */
#define G_LOG_DOMAIN "HubdCommunityTest"

#include "hubd-community-test-util.h"

void
two_setup(Two *t, gconstpointer data)
{
	const gchar *bob_env[] = {"HF_TOKEN=" BOB_WRITE, NULL};
	const gchar *bob_args[] = {"--no-bus", "--endpoint", NULL, NULL};

	fixture_setup(&t->base, NULL);
	bob_args[2] = t->base.hub->url;
	t->bob = hubd_test_daemon_start(bob_args, bob_env);
	t->bob_c = hubd_test_connect_socket(t->bob->socket_path);
}

void
two_teardown(Two *t, gconstpointer data)
{
	g_clear_object(&t->bob_c);
	hubd_test_daemon_stop(t->bob);
	fixture_teardown(&t->base, data);
}

GVariant *
icall(GDBusConnection *c,
      const gchar *iface,
      const gchar *method,
      GVariant *params,
      const gchar *reply,
      GError **error)
{
	return hubd_test_call(c,
			      iface,
			      method,
			      params,
			      reply != NULL ? G_VARIANT_TYPE(reply) : NULL,
			      error);
}

GVariant *
icall_ok(GDBusConnection *c,
	 const gchar *iface,
	 const gchar *method,
	 GVariant *params,
	 const gchar *reply)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) r = icall(c, iface, method, params, reply, &error);

	g_assert_no_error(error);
	if (g_variant_n_children(r) == 0)
		return NULL;
	return g_variant_get_child_value(r, 0);
}

void
icall_fails(GDBusConnection *c,
	    const gchar *iface,
	    const gchar *method,
	    GVariant *params,
	    const gchar *name)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) r = icall(c, iface, method, params, NULL, &error);

	g_assert_null(r);
	hubd_test_assert_remote_error(error, name);
}
