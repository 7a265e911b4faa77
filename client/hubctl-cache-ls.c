/* hubctl-cache-ls.c: `hubctl cache ls | rm | prune` — hf 1.x's cache commands
 *
 * Flags, output and wording follow huggingface_hub's cli/cache.py (`list`,
 * `rm`, `prune`; docs/hub-download.md): `ls` filters and sorts Cache.Scan's
 * report here, `rm` and `prune` resolve their targets to revisions here and
 * let hubd delete them (Cache.Delete, which takes the cache's locks). */
#include <glib/gi18n.h>
#include <stdlib.h>
#include <unistd.h>

#include "hubctl.h"

/* One row of `ls`: a repo, or one of its revisions with --revisions. */
typedef struct {
	GVariant *repo;     /* a{sv} of Scan's repos */
	GVariant *revision; /* a{sv} of its revisions, or NULL */
	gchar *cache_id;    /* "model/alice/demo", hf's cache_id */
} Entry;

static void
entry_free(Entry *e)
{
	g_variant_unref(e->repo);
	g_clear_pointer(&e->revision, g_variant_unref);
	g_free(e->cache_id);
	g_free(e);
}

static const gchar *
dict_str(GVariant *dict, const gchar *key)
{
	const gchar *value = "";

	g_variant_lookup(dict, key, "&s", &value);
	return value;
}

static guint64
entry_size(Entry *e)
{
	guint64 size = 0;

	g_variant_lookup(e->revision != NULL ? e->revision : e->repo, "size", "t", &size);
	return size;
}

static gint64
entry_time(Entry *e, const gchar *key)
{
	gint64 t = 0;

	/* revisions have no access time: the repo's, as hf */
	if (e->revision != NULL && g_strcmp0(key, "last_modified") == 0)
		g_variant_lookup(e->revision, key, "x", &t);
	else
		g_variant_lookup(e->repo, key, "x", &t);
	return t;
}

static gchar **
entry_refs(Entry *e)
{
	gchar **refs = NULL;

	if (!g_variant_lookup(e->revision != NULL ? e->revision : e->repo, "refs", "^as", &refs))
		refs = g_new0(gchar *, 1);
	return refs;
}

/* ---- --filter ---- */

/* "1GB", "500M", "10k", "123": decimal units, as huggingface_hub's parse_size */
static gboolean
parse_size(const gchar *text, gdouble *out)
{
	gchar *end = NULL;
	gdouble value = g_ascii_strtod(text, &end);
	g_autofree gchar *unit = NULL;
	static const gchar *const units[] = {"", "K", "M", "G", "T", "P"};

	if (end == text || value < 0)
		return FALSE;
	unit = g_ascii_strup(g_strstrip(end), -1);
	if (g_str_has_suffix(unit, "B"))
		unit[strlen(unit) - 1] = '\0';
	for (guint i = 0; i < G_N_ELEMENTS(units); i++) {
		if (g_strcmp0(unit, units[i]) == 0) {
			*out = value;
			while (i-- > 0)
				*out *= 1000.0;
			return TRUE;
		}
	}
	return FALSE;
}

/* "30s", "10m", "2h", "7d", "2w", "1mo", "1y", as huggingface_hub's parse_duration */
static gboolean
parse_duration(const gchar *text, gdouble *out)
{
	static const struct {
		const gchar *unit;
		gdouble seconds;
	} units[] = {{"s", 1},
		     {"m", 60},
		     {"h", 3600},
		     {"d", 86400},
		     {"w", 86400 * 7},
		     {"mo", 86400 * 30},
		     {"y", 86400 * 365}};
	gchar *end = NULL;
	gdouble value = g_ascii_strtod(text, &end);

	if (end == text || value < 0)
		return FALSE;
	for (guint i = 0; i < G_N_ELEMENTS(units); i++) {
		if (g_ascii_strcasecmp(end, units[i].unit) == 0) {
			*out = value * units[i].seconds;
			return TRUE;
		}
	}
	return FALSE;
}

static gboolean
compare(gdouble left, const gchar *op, gdouble right)
{
	if (g_str_equal(op, "=") || g_str_equal(op, "=="))
		return left == right;
	if (g_str_equal(op, "!="))
		return left != right;
	if (g_str_equal(op, ">"))
		return left > right;
	if (g_str_equal(op, "<"))
		return left < right;
	if (g_str_equal(op, ">="))
		return left >= right;
	return left <= right;
}

/* Whether `e` passes `expr` (KEY OP VALUE); a bad expression sets `error`. */
static gboolean
filter_match(const gchar *expr, Entry *e, gint64 now, GError **error)
{
	g_autoptr(GRegex) re =
		g_regex_new("^\\s*([a-zA-Z_]+)\\s*(==|!=|>=|<=|>|<|=)\\s*(.+?)\\s*$", 0, 0, NULL);
	g_autoptr(GMatchInfo) m = NULL;
	g_autofree gchar *key = NULL;
	g_autofree gchar *op = NULL;
	g_autofree gchar *value = NULL;
	gdouble number = 0;

	if (!g_regex_match(re, expr, 0, &m)) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    _("invalid filter expression “%s”"),
			    expr);
		return FALSE;
	}
	key = g_ascii_strdown(g_match_info_fetch(m, 1), -1);
	op = g_match_info_fetch(m, 2);
	value = g_match_info_fetch(m, 3);
	if (g_str_equal(key, "size")) {
		if (!parse_size(value, &number))
			goto bad_value;
		return compare((gdouble)entry_size(e), op, number);
	}
	if (g_str_equal(key, "accessed") || g_str_equal(key, "modified")) {
		gint64 t = entry_time(e,
				      g_str_equal(key, "accessed") ? "last_accessed"
								   : "last_modified");
		if (!parse_duration(value, &number))
			goto bad_value;
		return compare((gdouble)(now - t), op, number);
	}
	if (g_str_equal(key, "type") || g_str_equal(key, "refs")) {
		g_auto(GStrv) refs = NULL;

		if (!g_str_equal(op, "=")) {
			g_set_error(error,
				    G_IO_ERROR,
				    G_IO_ERROR_INVALID_ARGUMENT,
				    _("only “=” works with “%s” filters"),
				    key);
			return FALSE;
		}
		if (g_str_equal(key, "type"))
			return g_ascii_strcasecmp(dict_str(e->repo, "repo_type"), value) == 0;
		refs = entry_refs(e);
		for (guint i = 0; refs[i] != NULL; i++)
			if (g_ascii_strcasecmp(refs[i], value) == 0)
				return TRUE;
		return FALSE;
	}
	g_set_error(error,
		    G_IO_ERROR,
		    G_IO_ERROR_INVALID_ARGUMENT,
		    _("unknown filter key “%s” (accessed, modified, refs, size, type)"),
		    key);
	return FALSE;
bad_value:
	g_set_error(error,
		    G_IO_ERROR,
		    G_IO_ERROR_INVALID_ARGUMENT,
		    _("invalid value “%s” in filter “%s”"),
		    value,
		    expr);
	return FALSE;
}

/* ---- --sort ---- */

typedef struct {
	gchar key[16];
	gboolean desc;
} SortSpec;

static SortSpec sort_spec;

static gint
sort_cmp(gconstpointer a, gconstpointer b)
{
	Entry *x = *(Entry **)a;
	Entry *y = *(Entry **)b;
	gint r = 0;

	if (g_str_equal(sort_spec.key, "name")) {
		r = g_ascii_strcasecmp(x->cache_id, y->cache_id);
	} else if (g_str_equal(sort_spec.key, "size")) {
		guint64 sx = entry_size(x), sy = entry_size(y);
		r = sx < sy ? -1 : sx > sy;
	} else {
		const gchar *k =
			g_str_equal(sort_spec.key, "accessed") ? "last_accessed" : "last_modified";
		gint64 tx = entry_time(x, k), ty = entry_time(y, k);
		r = tx < ty ? -1 : tx > ty;
	}
	return sort_spec.desc ? -r : r;
}

static gboolean
parse_sort(const gchar *text, GError **error)
{
	g_auto(GStrv) parts = g_strsplit(text, ":", 2);
	static const gchar *const keys[] = {"accessed", "modified", "name", "size", NULL};

	if (!g_strv_contains(keys, parts[0]) ||
	    (parts[1] != NULL && !g_str_equal(parts[1], "asc") && !g_str_equal(parts[1], "desc"))) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    _("invalid sort “%s” (accessed, modified, name or size, with "
			      "“:asc” or “:desc”)"),
			    text);
		return FALSE;
	}
	g_strlcpy(sort_spec.key, parts[0], sizeof sort_spec.key);
	/* hf: name ascending, the others newest or biggest first */
	sort_spec.desc =
		parts[1] != NULL ? g_str_equal(parts[1], "desc") : !g_str_equal(parts[0], "name");
	return TRUE;
}

/* ---- the scan, as entries ---- */

static GVariant *
cache_scan(HubctlContext *ctx, gint *exit_code)
{
	g_autoptr(HubdDbusCache) proxy = hubctl_context_new_proxy(ctx,
								  HUBD_DBUS_TYPE_CACHE_PROXY,
								  "org.hubd.Hub1.Cache",
								  G_DBUS_PROXY_FLAGS_NONE,
								  -1);
	g_autoptr(GError) error = NULL;
	GVariant *report = NULL;

	if (proxy == NULL) {
		*exit_code = HUBCTL_EXIT_UNREACHABLE;
		return NULL;
	}
	if (!hubd_dbus_cache_call_scan_sync(proxy,
					    g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0),
					    &report,
					    NULL,
					    &error)) {
		*exit_code = hubctl_report_error(error);
		return NULL;
	}
	return report;
}

/* Every repo (or revision), sorted by cache id then commit, as hf. */
static GPtrArray *
cache_entries(GVariant *report, gboolean revisions)
{
	GPtrArray *entries = g_ptr_array_new_with_free_func((GDestroyNotify)entry_free);
	g_autoptr(GVariant) repos =
		g_variant_lookup_value(report, "repos", G_VARIANT_TYPE("aa{sv}"));
	GVariantIter iter;
	GVariant *repo;

	if (repos == NULL)
		return entries;
	g_variant_iter_init(&iter, repos);
	while ((repo = g_variant_iter_next_value(&iter)) != NULL) {
		g_autoptr(GVariant) revs =
			g_variant_lookup_value(repo, "revisions", G_VARIANT_TYPE("aa{sv}"));
		g_autofree gchar *id = g_strdup_printf("%s/%s",
						       dict_str(repo, "repo_type"),
						       dict_str(repo, "repo_id"));
		if (!revisions || revs == NULL) {
			Entry *e = g_new0(Entry, 1);
			e->repo = g_variant_ref(repo);
			e->cache_id = g_strdup(id);
			g_ptr_array_add(entries, e);
		} else {
			for (gsize i = 0; i < g_variant_n_children(revs); i++) {
				Entry *e = g_new0(Entry, 1);
				e->repo = g_variant_ref(repo);
				e->revision = g_variant_get_child_value(revs, i);
				e->cache_id = g_strdup(id);
				g_ptr_array_add(entries, e);
			}
		}
		g_variant_unref(repo);
	}
	g_strlcpy(sort_spec.key, "name", sizeof sort_spec.key);
	sort_spec.desc = FALSE;
	g_ptr_array_sort(entries, sort_cmp);
	return entries;
}

/* ---- ls ---- */

static void
print_json(GPtrArray *entries, gboolean revisions)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;

	json_builder_begin_array(b);
	for (guint i = 0; i < entries->len; i++) {
		Entry *e = g_ptr_array_index(entries, i);
		g_auto(GStrv) refs = entry_refs(e);

		json_builder_begin_object(b);
		json_builder_set_member_name(b, "repo_id");
		json_builder_add_string_value(b, dict_str(e->repo, "repo_id"));
		json_builder_set_member_name(b, "repo_type");
		json_builder_add_string_value(b, dict_str(e->repo, "repo_type"));
		if (revisions) {
			json_builder_set_member_name(b, "revision");
			json_builder_add_string_value(b, dict_str(e->revision, "commit"));
			json_builder_set_member_name(b, "snapshot_path");
			json_builder_add_string_value(b, dict_str(e->revision, "path"));
		}
		json_builder_set_member_name(b, "size_on_disk");
		json_builder_add_int_value(b, (gint64)entry_size(e));
		json_builder_set_member_name(b, "last_accessed");
		json_builder_add_int_value(b, entry_time(e, "last_accessed"));
		json_builder_set_member_name(b, "last_modified");
		json_builder_add_int_value(b, entry_time(e, "last_modified"));
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
		Entry *e = g_ptr_array_index(entries, i);
		g_autofree gchar *size = hubctl_cache_format_size(entry_size(e));
		g_autofree gchar *padded = g_strdup_printf("%8s", size);
		g_autofree gchar *modified =
			hubctl_cache_format_timesince(entry_time(e, "last_modified"));
		g_autofree gchar *accessed =
			hubctl_cache_format_timesince(entry_time(e, "last_accessed"));
		g_auto(GStrv) refs = entry_refs(e);
		g_autofree gchar *joined = g_strjoinv(" ", refs);
		g_autoptr(GVariant) revs = NULL;

		if (revisions) {
			hubctl_table_add_row(table,
					     e->cache_id,
					     dict_str(e->revision, "commit"),
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
		total += entry_size(e);
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
	if (sort != NULL && !parse_sort(sort, &error))
		return hubctl_usage_error("cache ls", error->message);
	/* check every filter before asking hubd anything */
	for (guint f = 0; filters != NULL && filters[f] != NULL; f++) {
		Entry probe = {g_variant_new_parsed("@a{sv} {}"), NULL, (gchar *)""};
		filter_match(filters[f], &probe, now, &error);
		g_variant_unref(probe.repo);
		if (error != NULL)
			return hubctl_usage_error("cache ls", error->message);
	}
	report = cache_scan(ctx, &exit_code);
	if (report == NULL)
		return exit_code;
	entries = cache_entries(report, revisions);
	for (guint i = 0; i < entries->len; i++) {
		Entry *e = g_ptr_array_index(entries, i);
		gboolean keep = TRUE;
		for (guint f = 0; keep && filters != NULL && filters[f] != NULL; f++)
			keep = filter_match(filters[f], e, now, NULL);
		if (keep)
			g_ptr_array_add(shown, e);
	}
	if (sort != NULL) {
		parse_sort(sort, NULL);
		g_ptr_array_sort(shown, sort_cmp);
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
	g_autoptr(HubdDbusCache) proxy = NULL;
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
	entries = cache_entries(report, TRUE);

	for (guint i = 0; i < entries->len; i++) {
		Entry *e = g_ptr_array_index(entries, i);
		const gchar *commit = dict_str(e->revision, "commit");
		g_auto(GStrv) refs = entry_refs(e);
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
			Entry *e = g_ptr_array_index(entries, i);
			g_autofree gchar *as_model = g_strdup_printf("model/%s", argv[t]);
			found = g_ascii_strcasecmp(argv[t], dict_str(e->revision, "commit")) == 0 ||
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

	proxy = hubctl_context_new_proxy(ctx,
					 HUBD_DBUS_TYPE_CACHE_PROXY,
					 "org.hubd.Hub1.Cache",
					 G_DBUS_PROXY_FLAGS_NONE,
					 -1);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	g_variant_dict_init(&options, NULL);
	g_variant_dict_insert(&options, "dry_run", "b", TRUE);
	if (!hubd_dbus_cache_call_delete_sync(proxy,
					      (const gchar *const *)commits->pdata,
					      g_variant_dict_end(&options),
					      &plan,
					      NULL,
					      &error))
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
	if (!hubd_dbus_cache_call_delete_sync(proxy,
					      (const gchar *const *)commits->pdata,
					      g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0),
					      &done,
					      NULL,
					      &error))
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
