/* hubctl-call-options.c: the global options hubctl adds to every call that talks to the Hub
 *
 * `--token-name NAME` must reach every remote command's trailing a{sv} as
 * `token_name`. Rather than each command adding it, a filter on the
 * connection adds it to the outgoing calls of the methods that take it: a
 * command added later gets it too. Only the name travels, never a token. */
#include "hubctl.h"

/* The methods hubd accepts `token_name` on (the XML in data/dbus): every Repos
 * and Transfers method that talks to the Hub, Cache.Verify and Auth.WhoAmI. */
static gboolean
hubctl_call_options_wanted(const gchar *interface, const gchar *member)
{
	if (g_strcmp0(interface, HUBD_INTERFACE_REPOS) == 0)
		return g_strcmp0(member, "HubUrl") != 0;
	if (g_strcmp0(interface, HUBD_INTERFACE_TRANSFERS) == 0)
		return g_strcmp0(member, "ListJobs") != 0;
	if (g_strcmp0(interface, HUBD_INTERFACE_CACHE) == 0)
		return g_strcmp0(member, "Verify") == 0;
	return g_strcmp0(interface, HUBD_INTERFACE_AUTH) == 0 && g_strcmp0(member, "WhoAmI") == 0;
}

/* `body` with `token_name` added to its trailing a{sv} (kept when present) */
static GVariant *
hubctl_call_options_add(GVariant *body, const gchar *token_name)
{
	gsize n = g_variant_n_children(body);
	g_autoptr(GPtrArray) children =
		g_ptr_array_new_with_free_func((GDestroyNotify)g_variant_unref);
	g_autoptr(GVariant) options = g_variant_get_child_value(body, n - 1);
	g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT(options);

	if (!g_variant_dict_contains(&dict, "token_name"))
		g_variant_dict_insert(&dict, "token_name", "s", token_name);
	for (gsize i = 0; i + 1 < n; i++)
		g_ptr_array_add(children, g_variant_get_child_value(body, i));
	g_ptr_array_add(children, g_variant_ref_sink(g_variant_dict_end(&dict)));
	return g_variant_new_tuple((GVariant *const *)children->pdata, children->len);
}

static GDBusMessage *
hubctl_call_options_filter(GDBusConnection *connection,
			   GDBusMessage *message,
			   gboolean incoming,
			   gpointer user_data)
{
	const gchar *token_name = user_data;
	GVariant *body = g_dbus_message_get_body(message);
	g_autoptr(GVariant) last = NULL;
	GDBusMessage *copy;

	if (incoming ||
	    g_dbus_message_get_message_type(message) != G_DBUS_MESSAGE_TYPE_METHOD_CALL ||
	    !hubctl_call_options_wanted(g_dbus_message_get_interface(message),
					g_dbus_message_get_member(message)) ||
	    body == NULL)
		return message;
	if (g_variant_n_children(body) == 0)
		return message;
	last = g_variant_get_child_value(body, g_variant_n_children(body) - 1);
	if (!g_variant_is_of_type(last, G_VARIANT_TYPE_VARDICT))
		return message;
	copy = g_dbus_message_copy(message, NULL);
	if (copy == NULL)
		return message;
	g_dbus_message_set_body(copy, hubctl_call_options_add(body, token_name));
	g_object_unref(message);
	return copy;
}

void
hubctl_call_options_install(GDBusConnection *connection, const gchar *token_name)
{
	if (token_name == NULL)
		return;
	g_dbus_connection_add_filter(connection,
				     hubctl_call_options_filter,
				     g_strdup(token_name),
				     g_free);
}
