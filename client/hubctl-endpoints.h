/* hubctl-endpoints.h: what the `hubctl endpoints` files share */
#pragma once

#include "hubctl-spaces.h"

G_BEGIN_DECLS

#define HUBCTL_ENDPOINTS_IFACE HUBD_INTERFACE_ENDPOINTS

/* Options every subcommand takes. */
typedef struct {
	gchar *namespace_;
	gboolean json;
} Common;

static inline void
common_clear(Common *c)
{
	g_free(c->namespace_);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Common, common_clear)

/* --namespace and --json, in a GOptionEntry table */
#define COMMON_ENTRIES(c)                                                          \
	{"namespace",                                                              \
	 0,                                                                        \
	 0,                                                                        \
	 G_OPTION_ARG_STRING,                                                      \
	 &(c).namespace_,                                                          \
	 N_("The user or organisation (default: yours)"),                          \
	 N_("NAMESPACE")},                                                         \
	{                                                                          \
		"json", 0, 0, G_OPTION_ARG_NONE, &(c).json, N_("Print JSON"), NULL \
	}

/* A proxy of org.hubd.Hub1.Endpoints (NULL: unreachable, message printed). */
GDBusProxy *
hubctl_endpoints_proxy(HubctlContext *ctx);
/* `b` with --namespace added, ended. */
GVariant *
hubctl_endpoints_common_options(Common *c, GVariantBuilder *b);
void
hubctl_endpoints_print_json(GVariant *value);
/* Parses a subcommand taking one NAME; NULL with a usage error in *exit_code. */
const gchar *
hubctl_endpoints_one_name(const gchar *command,
			  const gchar *summary,
			  const GOptionEntry *entries,
			  gint *argc,
			  gchar ***argv,
			  gint *exit_code);

/* hubctl-endpoints-deploy.c: `deploy` and `update`, hf's flags */
gint
hubctl_endpoints_deploy(HubctlContext *ctx, gint argc, gchar **argv);
gint
hubctl_endpoints_update(HubctlContext *ctx, gint argc, gchar **argv);

G_END_DECLS
