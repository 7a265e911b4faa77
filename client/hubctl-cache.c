/* hubctl-cache.c: `hubctl cache scan|delete|verify` — the shared download
 * cache, as `hf cache scan` / `hf cache delete` show and clean it (verify is
 * in hubctl-cache-verify.c) */
#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

#include "hubctl.h"

/* Scan and Delete walk the whole cache: allow them time on a big one. */
#define CACHE_CALL_TIMEOUT_MS (10 * 60 * 1000)

static HubdClient *
hubctl_cache_proxy(HubctlContext *ctx)
{
	return hubctl_context_get_client(ctx);
}

static gchar *
hubctl_cache_join_refs(GVariant *repo)
{
	g_autofree const gchar **refs = NULL;

	if (!g_variant_lookup(repo, "refs", "^a&s", &refs))
		return g_strdup("");
	return g_strjoinv(", ", (gchar **)refs);
}

static void
hubctl_cache_print_scan(GVariant *report, gdouble seconds, gboolean verbose)
{
	g_autoptr(HubctlTable) table = hubctl_table_new(8);
	g_autoptr(GVariant) repos =
		g_variant_lookup_value(report, "repos", G_VARIANT_TYPE("aa{sv}"));
	g_autofree const gchar **warnings = NULL;
	g_autofree gchar *total = NULL;
	guint64 size = 0;
	guint n = repos != NULL ? (guint)g_variant_n_children(repos) : 0;

	const gchar *headers[] = {_("REPO ID"),
				  _("REPO TYPE"),
				  _("SIZE ON DISK"),
				  _("NB FILES"),
				  _("LAST_ACCESSED"),
				  _("LAST_MODIFIED"),
				  _("REFS"),
				  _("LOCAL PATH")};
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	glong widths[G_N_ELEMENTS(headers)];
	gchar *dashes[G_N_ELEMENTS(headers) + 1] = {NULL};

	for (guint i = 0; i < n; i++) {
		g_autoptr(GVariant) repo = g_variant_get_child_value(repos, i);
		const gchar *id = "";
		const gchar *type = "";
		const gchar *path = "";
		guint64 repo_size = 0;
		guint32 nb_files = 0;
		gint64 accessed = 0;
		gint64 modified = 0;
		g_autofree gchar *size_str = NULL;
		gchar **row = g_new0(gchar *, G_N_ELEMENTS(headers) + 1);

		g_variant_lookup(repo, "repo_id", "&s", &id);
		g_variant_lookup(repo, "repo_type", "&s", &type);
		g_variant_lookup(repo, "path", "&s", &path);
		g_variant_lookup(repo, "size", "t", &repo_size);
		g_variant_lookup(repo, "nb_files", "u", &nb_files);
		g_variant_lookup(repo, "last_accessed", "x", &accessed);
		g_variant_lookup(repo, "last_modified", "x", &modified);
		size_str = hubctl_cache_format_size(repo_size);
		row[0] = g_strdup(id);
		row[1] = g_strdup(type);
		/* right-aligned as hf's "{:>12}" */
		row[2] = g_strdup_printf("%12s", size_str);
		row[3] = g_strdup_printf("%8u", nb_files);
		row[4] = hubctl_cache_format_timesince(accessed);
		row[5] = hubctl_cache_format_timesince(modified);
		row[6] = hubctl_cache_join_refs(repo);
		row[7] = g_strdup(path);
		g_ptr_array_add(rows, row);
	}
	/* tabulate's line of dashes under the headers, as `hf cache scan` */
	for (guint c = 0; c < G_N_ELEMENTS(headers); c++) {
		widths[c] = g_utf8_strlen(headers[c], -1);
		for (guint r = 0; r < rows->len; r++) {
			gchar **row = g_ptr_array_index(rows, r);
			widths[c] = MAX(widths[c], g_utf8_strlen(row[c], -1));
		}
		dashes[c] = g_strnfill((gsize)widths[c], '-');
	}
	hubctl_table_add_rowv(table, (const gchar *const *)headers);
	hubctl_table_add_rowv(table, (const gchar *const *)dashes);
	for (guint r = 0; r < rows->len; r++)
		hubctl_table_add_rowv(table, g_ptr_array_index(rows, r));
	for (guint c = 0; c < G_N_ELEMENTS(headers); c++)
		g_free(dashes[c]);
	hubctl_table_print(table);

	g_variant_lookup(report, "size", "t", &size);
	total = hubctl_cache_format_size(size);
	g_print("\n");
	/* TRANSLATORS: seconds, number of repos, a size such as "3.8G" */
	g_print(_("Done in %.1fs. Scanned %u repo(s) for a total of %s."), seconds, n, total);
	g_print("\n");
	if (g_variant_lookup(report, "warnings", "^a&s", &warnings) && warnings[0] != NULL) {
		if (verbose) {
			for (guint i = 0; warnings[i] != NULL; i++)
				g_printerr("%s\n", warnings[i]);
		} else {
			g_printerr(_("Got %u warning(s) while scanning. Use -v to print details."),
				   g_strv_length((gchar **)warnings));
			g_printerr("\n");
		}
	}
}

static gint
hubctl_cache_scan(HubctlContext *ctx, gint argc, gchar **argv)
{
	gboolean json = FALSE;
	gboolean verbose = FALSE;
	HubdClient *proxy = NULL;
	g_autoptr(GVariant) report = NULL;
	g_autoptr(GError) error = NULL;
	gint exit_code = HUBCTL_EXIT_OK;
	gint64 start;
	const GOptionEntry entries[] = {
		{"json",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &json,
		 N_("Print one JSON object instead of text"),
		 NULL},
		{"verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, N_("Print the warnings"), NULL},
		{NULL},
	};

	if (!hubctl_parse_options("cache scan",
				  NULL,
				  _("List the repos in the shared download cache"),
				  entries,
				  &argc,
				  &argv,
				  &exit_code))
		return exit_code;
	if (argc > 1)
		return hubctl_usage_error("cache scan", _("scan takes no arguments"));
	proxy = hubctl_cache_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	start = g_get_monotonic_time();
	if (!hubctl_call(
		    proxy,
		    HUBD_INTERFACE_CACHE,
		    "Scan",
		    g_variant_new("(@a{sv})", g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0)),
		    CACHE_CALL_TIMEOUT_MS,
		    &error,
		    "(@a{sv})",
		    &report))
		return hubctl_report_error(error);
	if (json) {
		g_autoptr(JsonNode) node = hubctl_variant_to_json(report);
		hubctl_print_json(node);
		return HUBCTL_EXIT_OK;
	}
	hubctl_cache_print_scan(report,
				(gdouble)(g_get_monotonic_time() - start) / G_USEC_PER_SEC,
				verbose);
	return HUBCTL_EXIT_OK;
}

static void
hubctl_cache_print_paths(GVariant *report, const gchar *key, const gchar *label)
{
	g_autofree const gchar **paths = NULL;

	if (!g_variant_lookup(report, key, "^a&s", &paths))
		return;
	for (guint i = 0; paths[i] != NULL; i++)
		g_print("  %s %s\n", label, paths[i]);
}

static gint
hubctl_cache_delete(HubctlContext *ctx, gint argc, gchar **argv)
{
	gboolean yes = FALSE;
	gboolean dry_run = FALSE;
	gboolean json = FALSE;
	HubdClient *proxy = NULL;
	g_autoptr(GVariant) plan = NULL;
	g_autoptr(GVariant) report = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *freed_str = NULL;
	gint exit_code = HUBCTL_EXIT_OK;
	guint64 freed = 0;
	GVariantDict options;
	const GOptionEntry entries[] = {
		{"yes", 'y', 0, G_OPTION_ARG_NONE, &yes, N_("Do not ask for confirmation"), NULL},
		{"dry-run",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &dry_run,
		 N_("Show what would be deleted, delete nothing"),
		 NULL},
		{"json",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &json,
		 N_("Print one JSON object instead of text"),
		 NULL},
		{NULL},
	};

	if (!hubctl_parse_options(
		    "cache delete",
		    _("REVISION…"),
		    _("Delete cached revisions (commit hashes, or a unique prefix of at "
		      "least 4 characters); blobs another revision uses stay"),
		    entries,
		    &argc,
		    &argv,
		    &exit_code))
		return exit_code;
	if (argc < 2)
		return hubctl_usage_error(
			"cache delete",
			_("give at least one revision (see 'hubctl cache scan')"));
	proxy = hubctl_cache_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;

	/* a dry run first: it checks every revision and gives the plan */
	g_variant_dict_init(&options, NULL);
	g_variant_dict_insert(&options, "dry_run", "b", TRUE);
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_CACHE,
			 "Delete",
			 g_variant_new("(^as@a{sv})",
				       (const gchar *const *)argv + 1,
				       g_variant_dict_end(&options)),
			 CACHE_CALL_TIMEOUT_MS,
			 &error,
			 "(@a{sv})",
			 &plan))
		return hubctl_report_error(error);
	if (!dry_run && !yes) {
		if (!isatty(STDIN_FILENO))
			return hubctl_usage_error("cache delete",
						  _("not a terminal: confirm with --yes"));
		g_variant_lookup(plan, "freed", "t", &freed);
		freed_str = hubctl_cache_format_size(freed);
		g_print("%s\n", _("Will delete:"));
		hubctl_cache_print_paths(plan, "repos", _("repo"));
		hubctl_cache_print_paths(plan, "snapshots", _("revision"));
		/* TRANSLATORS: %s is a size such as "3.8G" */
		g_print(_("Will free %s."), freed_str);
		g_print("\n");
		if (!hubctl_ask_yes_no(_("Delete them?"))) {
			g_printerr("%s\n", _("Nothing deleted."));
			return HUBCTL_EXIT_CANCELLED;
		}
		g_clear_pointer(&freed_str, g_free);
	}
	if (dry_run) {
		report = g_steal_pointer(&plan);
	} else {
		g_variant_dict_init(&options, NULL);
		if (!hubctl_call(proxy,
				 HUBD_INTERFACE_CACHE,
				 "Delete",
				 g_variant_new("(^as@a{sv})",
					       (const gchar *const *)argv + 1,
					       g_variant_dict_end(&options)),
				 CACHE_CALL_TIMEOUT_MS,
				 &error,
				 "(@a{sv})",
				 &report))
			return hubctl_report_error(error);
	}

	if (json) {
		g_autoptr(JsonNode) node = hubctl_variant_to_json(report);
		hubctl_print_json(node);
		return HUBCTL_EXIT_OK;
	}
	freed = 0;
	g_variant_lookup(report, "freed", "t", &freed);
	freed_str = hubctl_cache_format_size(freed);
	if (dry_run) {
		g_print("%s\n", _("[dry-run] Would delete:"));
		hubctl_cache_print_paths(report, "repos", _("repo"));
		hubctl_cache_print_paths(report, "snapshots", _("revision"));
		hubctl_cache_print_paths(report, "blobs", _("blob"));
		/* TRANSLATORS: %s is a size such as "3.8G" */
		g_print(_("[dry-run] Would free %s."), freed_str);
	} else {
		/* TRANSLATORS: %s is a size such as "3.8G" */
		g_print(_("Done. Freed %s."), freed_str);
	}
	g_print("\n");
	return HUBCTL_EXIT_OK;
}

static gint
hubctl_cache_run(HubctlContext *ctx, gint argc, gchar **argv)
{
	if (argc < 2 || g_strcmp0(argv[1], "--help") == 0 || g_strcmp0(argv[1], "-h") == 0) {
		FILE *out = argc < 2 ? stderr : stdout;
		fprintf(out, "%s\n\n", _("Usage: hubctl cache COMMAND [OPTIONS]"));
		fprintf(out, "  %-7s %s\n", "ls", _("List cached repos or revisions"));
		fprintf(out, "  %-7s %s\n", "rm", _("Remove cached repos or revisions"));
		fprintf(out, "  %-7s %s\n", "prune", _("Remove revisions no ref points to"));
		fprintf(out,
			"  %-7s %s\n",
			"scan",
			_("List the repos as hf 0.x's 'cache scan' (kept for scripts)"));
		fprintf(out,
			"  %-7s %s\n",
			"delete",
			_("Delete revisions as hf 0.x's 'cache delete' (kept for scripts)"));
		fprintf(out,
			"  %-7s %s\n",
			"verify",
			_("Check a cached revision's files against the Hub's hashes"));
		fprintf(out, "\n%s\n", _("Run 'hubctl cache COMMAND --help' for its options."));
		return argc < 2 ? HUBCTL_EXIT_USAGE : HUBCTL_EXIT_OK;
	}
	/* hf 1.x's names (client/hubctl-cache-ls.c); hf 0.x's scan and delete stay */
	if (g_strcmp0(argv[1], "ls") == 0 || g_strcmp0(argv[1], "list") == 0)
		return hubctl_cache_ls(ctx, argc - 1, argv + 1);
	if (g_strcmp0(argv[1], "rm") == 0)
		return hubctl_cache_rm(ctx, argc - 1, argv + 1, FALSE);
	if (g_strcmp0(argv[1], "prune") == 0)
		return hubctl_cache_rm(ctx, argc - 1, argv + 1, TRUE);
	if (g_strcmp0(argv[1], "scan") == 0)
		return hubctl_cache_scan(ctx, argc - 1, argv + 1);
	if (g_strcmp0(argv[1], "delete") == 0)
		return hubctl_cache_delete(ctx, argc - 1, argv + 1);
	if (g_strcmp0(argv[1], "verify") == 0)
		return hubctl_cache_verify(ctx, argc - 1, argv + 1);
	{
		g_autofree gchar *message = g_strdup_printf(
			_("unknown command “%s” (ls, rm, prune, verify, scan, delete)"),
			argv[1]);
		return hubctl_usage_error("cache", message);
	}
}

const HubctlCommand hubctl_cache_command = {
	"cache",
	N_("cache ls|rm|prune|verify|scan|delete"),
	N_("Inspect and clean the shared download cache"),
	hubctl_cache_run,
};
