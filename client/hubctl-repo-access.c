/* hubctl-repo-access.c: `hubctl repo access list|accept|reject|grant|cancel|request`,
 * gated repositories' access requests over org.hubd.Hub1.Access. --json
 * shapes: hubctl-json.md. */
#include <glib/gi18n.h>
#include <stdio.h>

#include "hubctl-repo.h"

/* a listing follows every page within one call */
#define HUBCTL_ACCESS_TIMEOUT_MS (10 * 60 * 1000)

static const gchar *const request_keys[] =
	{"user", "fullname", "email", "status", "timestamp", "fields", NULL};

typedef enum {
	ACCESS_LIST,
	ACCESS_ACCEPT,
	ACCESS_REJECT,
	ACCESS_GRANT,
	ACCESS_CANCEL,
	ACCESS_REQUEST
} AccessVerb;

static const struct {
	const gchar *name;
	const gchar *params;
	const gchar *summary;
} verbs[] = {
	{"list", N_("REPO_ID"), N_("List the access requests of a gated repo")},
	{"accept", N_("REPO_ID USER"), N_("Accept a user's access request")},
	{"reject", N_("REPO_ID USER"), N_("Reject a user's access request")},
	{"grant", N_("REPO_ID USER"), N_("Give a user access without a request")},
	{"cancel", N_("REPO_ID USER"), N_("Move a request back to pending (access is taken away)")},
	{"request", N_("REPO_ID"), N_("Ask for access to a gated repo")},
};

/* --field NAME=VALUE, repeated: the gate form's answers */
static gboolean
fields_variant(gchar **fields, GVariant **out, gint *exit_code)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	for (guint i = 0; fields != NULL && fields[i] != NULL; i++) {
		const gchar *eq = strchr(fields[i], '=');
		g_autofree gchar *name = NULL;

		if (eq == NULL || eq == fields[i]) {
			g_variant_builder_clear(&b);
			*exit_code = hubctl_usage_error("repo access request",
							_("--field takes NAME=VALUE"));
			return FALSE;
		}
		name = g_strndup(fields[i], (gsize)(eq - fields[i]));
		g_variant_builder_add(&b, "{sv}", name, g_variant_new_string(eq + 1));
	}
	*out = g_variant_builder_end(&b);
	return TRUE;
}

static gint
print_requests(GVariant *requests, gboolean json)
{
	g_autoptr(HubctlTable) table = NULL;
	GVariantIter iter;
	GVariant *item;

	if (json)
		return hubctl_repo_print_json_array(requests, request_keys);
	table = hubctl_table_new(4);
	hubctl_table_set_headers(table, "USER", "FULLNAME", "STATUS", "TIME");
	g_variant_iter_init(&iter, requests);
	while ((item = g_variant_iter_next_value(&iter)) != NULL) {
		g_autoptr(GVariant) owned = item;
		g_autofree gchar *date =
			hubctl_repo_short_date(hubctl_repo_lookup(item, "timestamp"));

		hubctl_table_add_row(table,
				     hubctl_repo_lookup(item, "user"),
				     hubctl_repo_lookup(item, "fullname"),
				     hubctl_repo_lookup(item, "status"),
				     date);
	}
	hubctl_table_print(table);
	return HUBCTL_EXIT_OK;
}

static gint
access_verb(HubctlContext *ctx, gint argc, gchar **argv, AccessVerb verb)
{
	g_autofree gchar *command = g_strconcat("repo access ", verbs[verb].name, NULL);
	g_autofree gchar *type = NULL;
	g_autofree gchar *status = NULL;
	g_autofree gchar *reason = NULL;
	g_auto(GStrv) fields = NULL;
	gboolean json = FALSE;
	HubdClient *proxy = NULL;
	g_autoptr(GVariant) requests = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(HubctlRepoArg) repo = {NULL, FALSE, NULL};
	GVariantBuilder options;
	GVariant *form = NULL;
	gint exit_code = HUBCTL_EXIT_OK;
	gint n_args = verb == ACCESS_LIST || verb == ACCESS_REQUEST ? 1 : 2;
	gboolean ok;
	const GOptionEntry list_entries[] = {
		{"status",
		 's',
		 0,
		 G_OPTION_ARG_STRING,
		 &status,
		 N_("pending, accepted or rejected (default: pending)"),
		 N_("STATUS")},
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL},
		{NULL},
	};
	const GOptionEntry reject_entries[] = {
		{"reason",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &reason,
		 N_("Why (at most 200 characters)"),
		 N_("TEXT")},
		{NULL},
	};
	const GOptionEntry request_entries[] = {
		{"field",
		 0,
		 0,
		 G_OPTION_ARG_STRING_ARRAY,
		 &fields,
		 N_("An answer of the gate's form (repeatable)"),
		 N_("NAME=VALUE")},
		{NULL},
	};

	if (!hubctl_repo_parse(command,
			       _(verbs[verb].params),
			       _(verbs[verb].summary),
			       verb == ACCESS_LIST      ? list_entries
			       : verb == ACCESS_REJECT  ? reject_entries
			       : verb == ACCESS_REQUEST ? request_entries
							: NULL,
			       &type,
			       &repo,
			       n_args,
			       n_args,
			       &argc,
			       &argv,
			       &exit_code) ||
	    (verb == ACCESS_REQUEST && !fields_variant(fields, &form, &exit_code)))
		return exit_code;
	proxy = hubctl_context_get_client(ctx);
	if (proxy == NULL) {
		g_clear_pointer(&form, g_variant_unref);
		return HUBCTL_EXIT_UNREACHABLE;
	}
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	if (reason != NULL)
		g_variant_builder_add(&options,
				      "{sv}",
				      "rejection_reason",
				      g_variant_new_string(reason));
	switch (verb) {
	case ACCESS_LIST:
		ok = hubctl_call(proxy,
				 HUBD_INTERFACE_ACCESS,
				 "ListAccessRequests",
				 g_variant_new("(sss@a{sv})",
					       type,
					       repo.address->repo_id,
					       status != NULL ? status : "pending",
					       g_variant_builder_end(&options)),
				 HUBCTL_ACCESS_TIMEOUT_MS,
				 &error,
				 "(@aa{sv})",
				 &requests);
		if (ok)
			return print_requests(requests, json);
		break;
	case ACCESS_GRANT:
		ok = hubctl_call(proxy,
				 HUBD_INTERFACE_ACCESS,
				 "GrantAccess",
				 g_variant_new("(sss@a{sv})",
					       type,
					       repo.address->repo_id,
					       argv[2],
					       g_variant_builder_end(&options)),
				 HUBCTL_ACCESS_TIMEOUT_MS,
				 &error,
				 "()");
		break;
	case ACCESS_CANCEL:
		ok = hubctl_call(proxy,
				 HUBD_INTERFACE_ACCESS,
				 "CancelAccessRequest",
				 g_variant_new("(sss@a{sv})",
					       type,
					       repo.address->repo_id,
					       argv[2],
					       g_variant_builder_end(&options)),
				 HUBCTL_ACCESS_TIMEOUT_MS,
				 &error,
				 "()");
		break;
	case ACCESS_REQUEST:
		ok = hubctl_call(proxy,
				 HUBD_INTERFACE_ACCESS,
				 "RequestAccess",
				 g_variant_new("(ss@a{sv}@a{sv})",
					       type,
					       repo.address->repo_id,
					       form,
					       g_variant_builder_end(&options)),
				 HUBCTL_ACCESS_TIMEOUT_MS,
				 &error,
				 "()");
		break;
	case ACCESS_ACCEPT:
	case ACCESS_REJECT:
	default:
		ok = hubctl_call(proxy,
				 HUBD_INTERFACE_ACCESS,
				 "HandleAccessRequest",
				 g_variant_new("(ssss@a{sv})",
					       type,
					       repo.address->repo_id,
					       argv[2],
					       verb == ACCESS_ACCEPT ? "accepted" : "rejected",
					       g_variant_builder_end(&options)),
				 HUBCTL_ACCESS_TIMEOUT_MS,
				 &error,
				 "()");
		break;
	}
	return ok ? HUBCTL_EXIT_OK : hubctl_report_error(error);
}

gint
hubctl_repo_access(HubctlContext *ctx, gint argc, gchar **argv)
{
	if (argc < 2 || g_strcmp0(argv[1], "--help") == 0 || g_strcmp0(argv[1], "-h") == 0) {
		FILE *out = argc < 2 ? stderr : stdout;

		fprintf(out,
			"%s\n\n",
			_("Usage: hubctl repo access COMMAND REPO_ID [USER] [OPTIONS]"));
		for (guint i = 0; i < G_N_ELEMENTS(verbs); i++)
			fprintf(out, "  %-8s %s\n", verbs[i].name, _(verbs[i].summary));
		return argc < 2 ? HUBCTL_EXIT_USAGE : HUBCTL_EXIT_OK;
	}
	for (guint i = 0; i < G_N_ELEMENTS(verbs); i++) {
		if (g_strcmp0(argv[1], verbs[i].name) == 0)
			return access_verb(ctx, argc - 1, argv + 1, (AccessVerb)i);
	}
	{
		g_autofree gchar *message = g_strdup_printf(
			_("unknown command “%s” (list, accept, reject, grant, cancel, request)"),
			argv[1]);

		return hubctl_usage_error("repo access", message);
	}
}
