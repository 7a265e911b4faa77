/* hubctl-repo-info.c: `hubctl repo info` and `hubctl repo list` — what the Hub
 * knows about one repository, and listings with search, filters and paging. */
#include <glib/gi18n.h>

#include "hubctl-repo.h"

static JsonNode *
hubctl_repo_info_to_json(GVariant *info, const gchar *type, GError **error)
{
	const gchar *keys[] = {"id",
			       "type", /* set below: not in the a{sv} */
			       "sha",
			       "private",
			       "gated",
			       "disabled",
			       "author",
			       "last_modified",
			       "library_name",
			       "pipeline_tag",
			       "license",
			       "sdk",
			       "tags",
			       "downloads",
			       "likes",
			       NULL};
	g_autoptr(JsonNode) root = hubctl_repo_dict_to_json(info, keys);
	JsonObject *object = json_node_get_object(root);
	g_autoptr(JsonArray) siblings = json_array_new();
	g_autoptr(GVariant) pairs =
		g_variant_lookup_value(info, "siblings", G_VARIANT_TYPE("a(sx)"));
	g_autoptr(JsonParser) parser = json_parser_new();
	const gchar *hub_json = hubctl_repo_lookup(info, "json");

	json_object_set_string_member(object, "type", type);
	if (pairs != NULL) {
		GVariantIter iter;
		const gchar *path;
		gint64 size;

		g_variant_iter_init(&iter, pairs);
		while (g_variant_iter_next(&iter, "(&sx)", &path, &size)) {
			g_autoptr(JsonObject) sibling = json_object_new();
			json_object_set_string_member(sibling, "path", path);
			if (size >= 0)
				json_object_set_int_member(sibling, "size", size);
			else
				json_object_set_null_member(sibling, "size");
			json_array_add_object_element(siblings, g_steal_pointer(&sibling));
		}
	}
	json_object_set_array_member(object, "siblings", g_steal_pointer(&siblings));
	/* the Hub's whole answer, so that --json loses nothing */
	if (hub_json[0] != '\0') {
		if (!json_parser_load_from_data(parser, hub_json, -1, error))
			return NULL;
		json_object_set_member(object, "hub", json_node_copy(json_parser_get_root(parser)));
	} else {
		json_object_set_null_member(object, "hub");
	}
	return g_steal_pointer(&root);
}

static void
hubctl_repo_info_add(HubctlTable *table, const gchar *label, const gchar *value)
{
	if (value != NULL && value[0] != '\0')
		hubctl_table_add_row(table, label, value);
}

static void
hubctl_repo_info_print(GVariant *info, const gchar *type)
{
	g_autoptr(HubctlTable) table = hubctl_table_new(2);
	g_autoptr(GVariant) siblings = g_variant_lookup_value(info, "siblings", NULL);
	g_autofree const gchar **tags = NULL;
	g_autofree gchar *tags_text = NULL;
	g_autofree gchar *downloads = NULL;
	g_autofree gchar *likes = NULL;
	g_autofree gchar *files = NULL;
	g_autofree gchar *modified = NULL;
	gboolean private = FALSE;
	gboolean disabled = FALSE;
	guint64 n = 0;
	const gchar *gated = hubctl_repo_lookup(info, "gated");

	g_variant_lookup(info, "private", "b", &private);
	g_variant_lookup(info, "disabled", "b", &disabled);
	hubctl_table_add_row(table, _("ID:"), hubctl_repo_lookup(info, "id"));
	hubctl_table_add_row(table, _("Type:"), type);
	hubctl_repo_info_add(table, _("Commit:"), hubctl_repo_lookup(info, "sha"));
	hubctl_table_add_row(table, _("Private:"), private ? _("yes") : _("no"));
	hubctl_table_add_row(table,
			     _("Gated:"),
			     gated[0] == '\0' || g_strcmp0(gated, "false") == 0 ? _("no") : gated);
	if (disabled)
		hubctl_table_add_row(table, _("Disabled:"), _("yes"));
	hubctl_repo_info_add(table, _("Author:"), hubctl_repo_lookup(info, "author"));
	modified = hubctl_repo_short_date(hubctl_repo_lookup(info, "last_modified"));
	hubctl_repo_info_add(table, _("Last modified:"), modified);
	hubctl_repo_info_add(table, _("Library:"), hubctl_repo_lookup(info, "library_name"));
	hubctl_repo_info_add(table, _("Pipeline:"), hubctl_repo_lookup(info, "pipeline_tag"));
	hubctl_repo_info_add(table, _("License:"), hubctl_repo_lookup(info, "license"));
	hubctl_repo_info_add(table, _("SDK:"), hubctl_repo_lookup(info, "sdk"));
	if (g_variant_lookup(info, "tags", "^a&s", &tags) && tags[0] != NULL) {
		tags_text = g_strjoinv(", ", (gchar **)tags);
		hubctl_table_add_row(table, _("Tags:"), tags_text);
	}
	if (g_variant_lookup(info, "downloads", "t", &n)) {
		downloads = g_strdup_printf("%" G_GUINT64_FORMAT, n);
		hubctl_table_add_row(table, _("Downloads:"), downloads);
	}
	if (g_variant_lookup(info, "likes", "t", &n)) {
		likes = g_strdup_printf("%" G_GUINT64_FORMAT, n);
		hubctl_table_add_row(table, _("Likes:"), likes);
	}
	if (siblings != NULL) {
		files = g_strdup_printf("%" G_GSIZE_FORMAT, g_variant_n_children(siblings));
		hubctl_table_add_row(table, _("Files:"), files);
	}
	hubctl_table_print(table);
}

gint
hubctl_repo_info(HubctlContext *ctx, gint argc, gchar **argv)
{
	gboolean json = FALSE;
	g_autofree gchar *revision = NULL;
	g_autofree gchar *type = NULL;
	HubdClient *proxy = NULL;
	g_autoptr(GVariant) info = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(HubctlRepoArg) repo = {&revision, FALSE, NULL};
	gint exit_code = HUBCTL_EXIT_OK;
	const GOptionEntry entries[] = {
		{"revision",
		 'r',
		 0,
		 G_OPTION_ARG_STRING,
		 &revision,
		 N_("A branch, tag or commit (default: the default branch)"),
		 N_("REVISION")},
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL},
		{NULL},
	};

	if (!hubctl_repo_parse("repo info",
			       _("REPO_ID"),
			       _("Show what the Hub knows about a repository"),
			       entries,
			       &type,
			       &repo,
			       1,
			       1,
			       &argc,
			       &argv,
			       &exit_code))
		return exit_code;
	proxy = hubctl_repo_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_REPOS,
			 "Info",
			 g_variant_new("(sss@a{sv})",
				       type,
				       repo.address->repo_id,
				       revision != NULL ? revision : "",
				       g_variant_new("a{sv}", NULL)),
			 HUBCTL_REPO_TIMEOUT_MS,
			 &error,
			 "(@a{sv})",
			 &info))
		return hubctl_report_error(error);
	if (json) {
		g_autoptr(JsonNode) node = hubctl_repo_info_to_json(info, type, &error);
		if (node == NULL)
			return hubctl_report_error(error);
		hubctl_print_json(node);
	} else {
		hubctl_repo_info_print(info, type);
	}
	return HUBCTL_EXIT_OK;
}

gint
hubctl_repo_list(HubctlContext *ctx, gint argc, gchar **argv)
{
	gboolean json = FALSE;
	gint limit = G_MININT; /* not given */
	g_autofree gchar *search = NULL;
	g_autofree gchar *author = NULL;
	g_autofree gchar *sort = NULL;
	g_auto(GStrv) filters = NULL;
	g_autofree gchar *type = NULL;
	HubdClient *proxy = NULL;
	g_autoptr(GVariant) repos = NULL;
	g_autoptr(GError) error = NULL;
	GVariantBuilder options;
	gint exit_code = HUBCTL_EXIT_OK;
	const gchar *keys[] = {"id",
			       "author",
			       "private",
			       "gated",
			       "downloads",
			       "likes",
			       "last_modified",
			       "tags",
			       "pipeline_tag",
			       "library_name",
			       NULL};
	const GOptionEntry entries[] = {
		{"search",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &search,
		 N_("Only repos whose id contains TEXT"),
		 N_("TEXT")},
		{"author",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &author,
		 N_("Only repos of this user or organization"),
		 N_("NAME")},
		{"filter",
		 0,
		 0,
		 G_OPTION_ARG_STRING_ARRAY,
		 &filters,
		 N_("Only repos with this tag (repeat for several)"),
		 N_("TAG")},
		{"sort",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &sort,
		 N_("Sort by downloads, likes, lastModified, createdAt or trendingScore "
		    "(descending)"),
		 N_("FIELD")},
		{"limit",
		 0,
		 0,
		 G_OPTION_ARG_INT,
		 &limit,
		 N_("List at most N repos (default 1000; 0: all)"),
		 N_("N")},
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON array"), NULL},
		{NULL},
	};

	if (!hubctl_repo_parse("repo list",
			       NULL,
			       _("List repositories on the Hub"),
			       entries,
			       &type,
			       NULL,
			       0,
			       0,
			       &argc,
			       &argv,
			       &exit_code))
		return exit_code;
	if (limit != G_MININT && !hubctl_repo_check_limit("repo list", limit, &exit_code))
		return exit_code;
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	if (search != NULL)
		g_variant_builder_add(&options, "{sv}", "search", g_variant_new_string(search));
	if (author != NULL)
		g_variant_builder_add(&options, "{sv}", "author", g_variant_new_string(author));
	if (filters != NULL)
		g_variant_builder_add(&options,
				      "{sv}",
				      "filter",
				      g_variant_new_strv((const gchar *const *)filters, -1));
	if (sort != NULL)
		g_variant_builder_add(&options, "{sv}", "sort", g_variant_new_string(sort));
	if (limit >= 0)
		g_variant_builder_add(&options, "{sv}", "limit", g_variant_new_uint32(limit));
	proxy = hubctl_repo_proxy(ctx);
	if (proxy == NULL) {
		g_variant_builder_clear(&options);
		return HUBCTL_EXIT_UNREACHABLE;
	}
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_REPOS,
			 "List",
			 g_variant_new("(s@a{sv})", type, g_variant_builder_end(&options)),
			 HUBCTL_REPO_TIMEOUT_MS,
			 &error,
			 "(@aa{sv})",
			 &repos))
		return hubctl_report_error(error);
	if (json)
		return hubctl_repo_print_json_array(repos, keys);
	if (g_variant_n_children(repos) == 0) {
		g_print("%s\n", _("No repositories found."));
		return HUBCTL_EXIT_OK;
	}
	{
		g_autoptr(HubctlTable) table = hubctl_table_new(5);
		GVariantIter iter;
		GVariant *item;

		hubctl_table_set_headers(table,
					 _("ID"),
					 _("PRIVATE"),
					 _("DOWNLOADS"),
					 _("LIKES"),
					 _("LAST MODIFIED"));
		g_variant_iter_init(&iter, repos);
		while ((item = g_variant_iter_next_value(&iter)) != NULL) {
			g_autoptr(GVariant) owned = item;
			g_autofree gchar *downloads = NULL;
			g_autofree gchar *likes = NULL;
			g_autofree gchar *modified = NULL;
			gboolean private = FALSE;
			guint64 n;

			g_variant_lookup(item, "private", "b", &private);
			if (g_variant_lookup(item, "downloads", "t", &n))
				downloads = g_strdup_printf("%" G_GUINT64_FORMAT, n);
			if (g_variant_lookup(item, "likes", "t", &n))
				likes = g_strdup_printf("%" G_GUINT64_FORMAT, n);
			modified =
				hubctl_repo_short_date(hubctl_repo_lookup(item, "last_modified"));
			hubctl_table_add_row(table,
					     hubctl_repo_lookup(item, "id"),
					     private ? _("yes") : _("no"),
					     downloads,
					     likes,
					     modified);
		}
		hubctl_table_print(table);
	}
	return HUBCTL_EXIT_OK;
}
