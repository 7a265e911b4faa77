/* hubctl-auth-web.c: `hubctl auth login --web` — browser login (OAuth device flow)
 *
 * hubd does the protocol (Auth.LoginWeb): it returns the address and the
 * code, which are printed here for the user, and a job that ends once the
 * code is approved in a browser. The tokens never pass through hubctl. */
#include <glib/gi18n.h>

#include "hubctl.h"

static const gchar *
hubctl_auth_web_lookup(GVariant *dict, const gchar *key)
{
	const gchar *value = NULL;

	if (!g_variant_lookup(dict, key, "&s", &value))
		return "";
	return value;
}

gint
hubctl_auth_login_web(HubctlContext *ctx,
		      const gchar *name,
		      gboolean open_browser,
		      GVariant **result_out)
{
	HubdClient *proxy = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *job_path = NULL;
	g_autoptr(GVariant) device = NULL;
	GVariantBuilder options;
	gboolean opened = FALSE;
	guint32 expires_in = 0;

	proxy = hubctl_context_get_client(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	if (name != NULL)
		g_variant_builder_add(&options, "{sv}", "name", g_variant_new_string(name));
	g_variant_builder_add(&options,
			      "{sv}",
			      "open_browser",
			      g_variant_new_boolean(open_browser));
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_AUTH,
			 "LoginWeb",
			 g_variant_new("(@a{sv})", g_variant_builder_end(&options)),
			 -1,
			 &error,
			 "(o@a{sv})",
			 &job_path,
			 &device))
		return hubctl_report_error(error);

	g_variant_lookup(device, "browser_opened", "b", &opened);
	g_variant_lookup(device, "expires_in", "u", &expires_in);
	/* on stderr, like a prompt: stdout stays the result */
	if (opened)
		g_printerr("%s\n", _("Your browser has been opened to log in to the Hub."));
	/* TRANSLATORS: %s is a web address */
	g_printerr(_("To log in, open %s in a browser"),
		   hubctl_auth_web_lookup(device, "verification_uri"));
	g_printerr("\n");
	/* TRANSLATORS: %s is a short code such as ABCD-1234; %u is minutes */
	g_printerr(_("and enter the code %s (valid for %u minutes)."),
		   hubctl_auth_web_lookup(device, "user_code"),
		   (expires_in + 59) / 60);
	g_printerr("\n%s\n", _("Waiting for the login to be approved…"));
	return hubctl_job_wait(ctx, job_path, TRUE, result_out);
}
