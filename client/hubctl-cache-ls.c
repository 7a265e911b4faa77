/* hubctl-cache-ls.c: `hubctl cache ls | rm | prune` — hf 1.x's cache commands
 *
 * Flags, output and wording follow huggingface_hub's cli/cache.py (`list`,
 * `rm`, `prune`; docs/hub-download.md): `ls` filters and sorts Cache.Scan's
 * report here, `rm` and `prune` resolve their targets to revisions here and
 * let hubd delete them (Cache.Delete, which takes the cache's locks). */
#include <glib/gi18n.h>
#include <stdlib.h>
#include <unistd.h>

#include "hubctl-cache-entry.h"
#include "hubctl.h"

static GVariant *
cache_scan(HubctlContext *ctx, gint *exit_code)
{
	HubdClient *proxy = hubctl_context_get_client(ctx);
	g_autoptr(GError) error = NULL;
	GVariant *report = NULL;

	if (proxy == NULL) {
		*exit_code = HUBCTL_EXIT_UNREACHABLE;
		return NULL;
	}
	if (!hubctl_call(
		    proxy,
		    HUBD_INTERFACE_CACHE,
		    "Scan",
		    g_variant_new("(@a{sv})", g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0)),
		    -1,
		    &error,
		    "(@a{sv})",
		    &report)) {
		*exit_code = hubctl_report_error(error);
		return NULL;
	}
	return report;
}

/* ---- ls ---- */

static void
print_json(GPtrArray *entries, gboolean revisions)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;

	json_builder_begin_array(b);
	for (guint i = 0; i < entries->len; i++) {
		HubctlCacheEntry *e = g_ptr_array_index(entries, i);
		g_auto(GStrv) refs = hubctl_cache_entry_refs(e);

		json_builder_begin_object(b);
		json_builder_set_member_name(b, "repo_id");
		json_builder_add_string_value(b, hubctl_cache_dict_str(e->repo, "repo_id"));
		json_builder_set_member_name(b, "repo_type");
		json_builder_add_string_value(b, hubctl_cache_dict_str(e->repo, "repo_type"));
		if (revisions) {
			json_builder_set_member_name(b, "revision");
			json_builder_add_string_value(b,
						      hubctl_cache_dict_str(e->revision, "commit"));
			json_builder_set_member_name(b, "snapshot_path");
			json_builder_add_string_value(b,
						      hubctl_cache_dict_str(e->revision, "path"));
		}
		json_builder_set_member_name(b, "size_on_disk");
		json_builder_add_int_value(b, (gint64)hubctl_cache_entry_size(e));
		json_builder_set_member_name(b, "last_accessed");
		json_builder_add_int_value(b, hubctl_cache_entry_time(e, "last_accessed"));
		json_builder_set_member_name(b, "last_modified");
		json_builder_add_int_value(b, hubctl_cache_entry_time(e, "last_modified"));
		json_builder_set_member_name(b, "refs");
		json_builder_begin_array(b);
		for (guint r = 0; refs[r] != NULL; r++)
			json_builder_add_string_value(b, refs[r]);
		json_builder_end_array(b);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	root = json_builder_get_root(b);
	hubctl_print_json(root);
}

static void
print_table(GPtrArray *entries, gboolean revisions)
{
	g_autoptr(HubctlTable) table = hubctl_table_new(5);
	g_autoptr(GHashTable) repos = g_hash_table_new(g_str_hash, g_str_equal);
	g_autofree gchar *total_str = NULL;
	guint64 total = 0;
	guint n_revisions = 0;

	if (entries->len == 0) {
		g_print("%s\n",
			revisions ? _("No cached revisions found.")
				  : _("No cached repositories found."));
		return;
	}
	if (revisions)
		hubctl_table_set_headers(table, "ID", "REVISION", "SIZE", "LAST_MODIFIED", "REFS");
	else
		hubctl_table_set_headers(table,
					 "ID",
					 "SIZE",
					 "LAST_ACCESSED",
					 "LAST_MODIFIED",
					 "REFS");
	for (guint i = 0; i < entries->len; i++) {
		HubctlCacheEntry *e = g_ptr_array_index(entries, i);
		g_autofree gchar *size = hubctl_cache_format_size(hubctl_cache_entry_size(e));
		g_autofree gchar *padded = g_strdup_printf("%8s", size);
		g_autofree gchar *modified =
			hubctl_cache_format_timesince(hubctl_cache_entry_time(e, "last_modified"));
		g_autofree gchar *accessed =
			hubctl_cache_format_timesince(hubctl_cache_entry_time(e, "last_accessed"));
		g_auto(GStrv) refs = hubctl_cache_entry_refs(e);
		g_autofree gchar *joined = g_strjoinv(" ", refs);
		g_autoptr(GVariant) revs = NULL;

		if (revisions) {
			hubctl_table_add_row(table,
					     e->cache_id,
					     hubctl_cache_dict_str(e->revision, "commit"),
					     padded,
					     modified,
					     joined);
			n_revisions++;
		} else {
			hubctl_table_add_row(table,
					     e->cache_id,
					     padded,
					     accessed,
					     modified,
					     joined);
			revs = g_variant_lookup_value(e->repo,
						      "revisions",
						      G_VARIANT_TYPE("aa{sv}"));
			n_revisions += revs != NULL ? (guint)g_variant_n_children(revs) : 0;
		}
		total += hubctl_cache_entry_size(e);
		g_hash_table_add(repos, e->cache_id);
	}
	hubctl_table_print(table);
	total_str = hubctl_cache_format_size(total);
	g_print("\n");
	/* TRANSLATORS: repo count, revision count, a size such as "3.8G" */
	g_print(_("Found %u repo(s) for a total of %u revision(s) and %s on disk."),
		g_hash_table_size(repos),
		n_revisions,
		total_str);
	g_print("\n");
}

gint
hubctl_cache_ls(HubctlContext *ctx, gint argc, gchar **argv)
{
	gboolean revisions = FALSE;
	gboolean json = FALSE;
	g_auto(GStrv) filters = NULL;
	g_autofree gchar *sort = NULL;
	g_autofree gchar *format = NULL;
	gint limit = -1;
	gint exit_code = HUBCTL_EXIT_OK;
	g_autoptr(GVariant) report = NULL;
	g_autoptr(GPtrArray) entries = NULL;
	g_autoptr(GPtrArray) shown = g_ptr_array_new();
	g_autoptr(GError) error = NULL;
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	const GOptionEntry options[] = {
		{"revisions",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &revisions,
		 N_("One row per cached revision instead of per repo"),
		 NULL},
		{"filter",
		 'f',
		 0,
		 G_OPTION_ARG_STRING_ARRAY,
		 &filters,
		 N_("Only entries matching EXPR, e.g. size>1GB, type=model, accessed>7d, "
		    "refs=main (repeatable: all must match)"),
		 N_("EXPR")},
		{"sort",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &sort,
		 N_("Sort by accessed, modified, name or size, optionally :asc or :desc"),
		 N_("KEY")},
		{"limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("Show at most N entries"), N_("N")},
		{"format",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &format,
		 N_("table (default) or json"),
		 N_("FORMAT")},
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Same as --format json"), NULL},
		{NULL},
	};

	if (!hubctl_parse_options("cache ls",
				  NULL,
				  _("List the repos (or revisions) in the shared download cache"),
				  options,
				  &argc,
				  &argv,
				  &exit_code))
		return exit_code;
	if (argc > 1)
		return hubctl_usage_error("cache ls", _("ls takes no arguments"));
	if (format != NULL && !g_str_equal(format, "table") && !g_str_equal(format, "json"))
		return hubctl_usage_error("cache ls", _("--format is table or json"));
	json = json || g_strcmp0(format, "json") == 0;
	if (sort != NULL && !hubctl_cache_sort_parse(sort, &error))
		return hubctl_usage_error("cache ls", error->message);
	/* check every filter before asking hubd anything */
	for (guint f = 0; filters != NULL && filters[f] != NULL; f++) {
		HubctlCacheEntry probe = {g_variant_ref_sink(g_variant_new_parsed("@a{sv} {}")),
					  NULL,
					  (gchar *)""};
		hubctl_cache_entry_matches(filters[f], &probe, now, &error);
		g_variant_unref(probe.repo);
		if (error != NULL)
			return hubctl_usage_error("cache ls", error->message);
	}
	report = cache_scan(ctx, &exit_code);
	if (report == NULL)
		return exit_code;
	entries = hubctl_cache_entries_new(report, revisions);
	for (guint i = 0; i < entries->len; i++) {
		HubctlCacheEntry *e = g_ptr_array_index(entries, i);
		gboolean keep = TRUE;
		for (guint f = 0; keep && filters != NULL && filters[f] != NULL; f++)
			keep = hubctl_cache_entry_matches(filters[f], e, now, NULL);
		if (keep)
			g_ptr_array_add(shown, e);
	}
	if (sort != NULL) {
		hubctl_cache_sort_parse(sort, NULL);
		g_ptr_array_sort(shown, hubctl_cache_entry_compare);
	}
	if (limit >= 0 && (guint)limit < shown->len)
		g_ptr_array_set_size(shown, (guint)limit);
	if (json)
		print_json(shown, revisions);
	else
		print_table(shown, revisions);
	return HUBCTL_EXIT_OK;
}

/* ---- rm, prune ---- */

gint
hubctl_cache_rm(HubctlContext *ctx, gint argc, gchar **argv, gboolean prune)
{
	const gchar *command = prune ? "cache prune" : "cache rm";
	gboolean yes = FALSE;
	gboolean dry_run = FALSE;
	gint exit_code = HUBCTL_EXIT_OK;
	g_autoptr(GVariant) report = NULL;
	g_autoptr(GVariant) plan = NULL;
	g_autoptr(GVariant) done = NULL;
	g_autoptr(GPtrArray) entries = NULL;
	g_autoptr(GPtrArray) commits = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) missing = g_ptr_array_new();
	g_autoptr(GHashTable) repos_touched = g_hash_table_new(g_str_hash, g_str_equal);
	HubdClient *proxy = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *freed_str = NULL;
	g_autofree const gchar **removed_repos = NULL;
	guint64 freed = 0;
	GVariantDict options;
	const GOptionEntry entries_opt[] = {
		{"yes", 'y', 0, G_OPTION_ARG_NONE, &yes, N_("Skip the confirmation prompt"), NULL},
		{"dry-run",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &dry_run,
		 N_("Preview deletions without removing anything"),
		 NULL},
		{NULL},
	};

	if (!hubctl_parse_options(
		    command,
		    prune ? NULL : _("TARGET…"),
		    prune ? _("Remove detached revisions (no ref points to them) from "
			      "the cache")
			  : _("Remove cached repos (TYPE/NAMESPACE/NAME, as 'cache ls' "
			      "shows them) or revisions (40-character commit hashes)"),
		    entries_opt,
		    &argc,
		    &argv,
		    &exit_code))
		return exit_code;
	if (prune && argc > 1)
		return hubctl_usage_error(command, _("prune takes no arguments"));
	if (!prune && argc < 2)
		return hubctl_usage_error(command, _("give at least one repo or revision"));
	report = cache_scan(ctx, &exit_code);
	if (report == NULL)
		return exit_code;
	entries = hubctl_cache_entries_new(report, TRUE);

	for (guint i = 0; i < entries->len; i++) {
		HubctlCacheEntry *e = g_ptr_array_index(entries, i);
		const gchar *commit = hubctl_cache_dict_str(e->revision, "commit");
		g_auto(GStrv) refs = hubctl_cache_entry_refs(e);
		gboolean take = FALSE;

		if (prune) {
			take = refs[0] == NULL;
		} else {
			for (gint t = 1; t < argc && !take; t++) {
				/* a plain NAMESPACE/NAME is a model, as everywhere in hubctl */
				g_autofree gchar *as_model = g_strdup_printf("model/%s", argv[t]);
				take = g_ascii_strcasecmp(argv[t], commit) == 0 ||
				       g_ascii_strcasecmp(argv[t], e->cache_id) == 0 ||
				       g_ascii_strcasecmp(as_model, e->cache_id) == 0;
			}
		}
		if (take && e->revision != NULL) {
			g_ptr_array_add(commits, g_strdup(commit));
			g_hash_table_add(repos_touched, e->cache_id);
		}
	}
	for (gint t = 1; !prune && t < argc; t++) {
		gboolean found = FALSE;
		for (guint i = 0; i < entries->len && !found; i++) {
			HubctlCacheEntry *e = g_ptr_array_index(entries, i);
			g_autofree gchar *as_model = g_strdup_printf("model/%s", argv[t]);
			found = g_ascii_strcasecmp(argv[t],
						   hubctl_cache_dict_str(e->revision, "commit")) ==
					0 ||
				g_ascii_strcasecmp(argv[t], e->cache_id) == 0 ||
				g_ascii_strcasecmp(as_model, e->cache_id) == 0;
		}
		if (!found)
			g_ptr_array_add(missing, argv[t]);
	}
	if (missing->len > 0) {
		g_print("%s\n", _("Could not find the following targets in the cache:"));
		for (guint i = 0; i < missing->len; i++)
			g_print("  - %s\n", (const gchar *)g_ptr_array_index(missing, i));
	}
	if (commits->len == 0) {
		g_print("%s\n",
			prune ? _("No unreferenced revisions found. Nothing to prune.")
			      : _("Nothing to delete."));
		return missing->len > 0 ? HUBCTL_EXIT_FAILED : HUBCTL_EXIT_OK;
	}
	g_ptr_array_add(commits, NULL);

	proxy = hubctl_context_get_client(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	g_variant_dict_init(&options, NULL);
	g_variant_dict_insert(&options, "dry_run", "b", TRUE);
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_CACHE,
			 "Delete",
			 g_variant_new("(^as@a{sv})",
				       (const gchar *const *)commits->pdata,
				       g_variant_dict_end(&options)),
			 -1,
			 &error,
			 "(@a{sv})",
			 &plan))
		return hubctl_report_error(error);
	g_variant_lookup(plan, "freed", "t", &freed);
	freed_str = hubctl_cache_format_size(freed);
	/* TRANSLATORS: revision count, repo count, a size such as "3.8G" */
	g_print(_("About to delete %u revision(s) in %u repo(s), freeing %s:"),
		commits->len - 1,
		g_hash_table_size(repos_touched),
		freed_str);
	g_print("\n");
	for (guint i = 0; i + 1 < commits->len; i++)
		g_print("  - %s\n", (const gchar *)g_ptr_array_index(commits, i));
	if (dry_run) {
		g_print("%s\n", _("Dry run: no files were deleted."));
		return HUBCTL_EXIT_OK;
	}
	if (!yes) {
		if (!isatty(STDIN_FILENO))
			return hubctl_usage_error(command, _("not a terminal: confirm with --yes"));
		if (!hubctl_ask_yes_no(_("Proceed with deletion?"))) {
			g_print("%s\n", _("Deletion cancelled."));
			return HUBCTL_EXIT_CANCELLED;
		}
	}
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_CACHE,
			 "Delete",
			 g_variant_new("(^as@a{sv})",
				       (const gchar *const *)commits->pdata,
				       g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0)),
			 -1,
			 &error,
			 "(@a{sv})",
			 &done))
		return hubctl_report_error(error);
	g_variant_lookup(done, "repos", "^a&s", &removed_repos);
	/* TRANSLATORS: repo count, revision count, a size such as "3.8G" */
	g_print(_("Deleted %u repo(s) and %u revision(s); freed %s."),
		removed_repos != NULL ? g_strv_length((gchar **)removed_repos) : 0,
		commits->len - 1,
		freed_str);
	g_print("\n");
	return missing->len > 0 ? HUBCTL_EXIT_FAILED : HUBCTL_EXIT_OK;
}
