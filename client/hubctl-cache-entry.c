/* hubctl-cache-entry.c: the rows of `hubctl cache ls | rm | prune`
 *
 * Cache.Scan's report as a list of repos (or revisions) with hf's cache_id
 * ("model/alice/demo"), and the --filter and --sort of huggingface_hub's
 * cli/cache.py `list`: keys accessed, modified, refs, size, type; decimal
 * sizes (1GB) and durations (7d) as its parse_size and parse_duration. */
#include "hubctl-cache-entry.h"

#include <glib/gi18n.h>

void
hubctl_cache_entry_free(HubctlCacheEntry *e)
{
	g_variant_unref(e->repo);
	g_clear_pointer(&e->revision, g_variant_unref);
	g_free(e->cache_id);
	g_free(e);
}

const gchar *
hubctl_cache_dict_str(GVariant *dict, const gchar *key)
{
	const gchar *value = "";

	g_variant_lookup(dict, key, "&s", &value);
	return value;
}

guint64
hubctl_cache_entry_size(HubctlCacheEntry *e)
{
	guint64 size = 0;

	g_variant_lookup(e->revision != NULL ? e->revision : e->repo, "size", "t", &size);
	return size;
}

gint64
hubctl_cache_entry_time(HubctlCacheEntry *e, const gchar *key)
{
	gint64 t = 0;

	/* revisions have no access time: the repo's, as hf */
	if (e->revision != NULL && g_strcmp0(key, "last_modified") == 0)
		g_variant_lookup(e->revision, key, "x", &t);
	else
		g_variant_lookup(e->repo, key, "x", &t);
	return t;
}

gchar **
hubctl_cache_entry_refs(HubctlCacheEntry *e)
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
gboolean
hubctl_cache_entry_matches(const gchar *expr, HubctlCacheEntry *e, gint64 now, GError **error)
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
	key = g_match_info_fetch(m, 1);
	for (gchar *c = key; *c != '\0'; c++)
		*c = g_ascii_tolower(*c);
	op = g_match_info_fetch(m, 2);
	value = g_match_info_fetch(m, 3);
	if (g_str_equal(key, "size")) {
		if (!parse_size(value, &number))
			goto bad_value;
		return compare((gdouble)hubctl_cache_entry_size(e), op, number);
	}
	if (g_str_equal(key, "accessed") || g_str_equal(key, "modified")) {
		gint64 t = hubctl_cache_entry_time(e,
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
			return g_ascii_strcasecmp(hubctl_cache_dict_str(e->repo, "repo_type"),
						  value) == 0;
		refs = hubctl_cache_entry_refs(e);
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

static SortSpec sort_spec; /* hubctl_cache_sort_parse() sets it */

gint
hubctl_cache_entry_compare(gconstpointer a, gconstpointer b)
{
	HubctlCacheEntry *x = *(HubctlCacheEntry **)a;
	HubctlCacheEntry *y = *(HubctlCacheEntry **)b;
	gint r = 0;

	if (g_str_equal(sort_spec.key, "name")) {
		r = g_ascii_strcasecmp(x->cache_id, y->cache_id);
	} else if (g_str_equal(sort_spec.key, "size")) {
		guint64 sx = hubctl_cache_entry_size(x), sy = hubctl_cache_entry_size(y);
		r = sx < sy ? -1 : sx > sy;
	} else {
		const gchar *k =
			g_str_equal(sort_spec.key, "accessed") ? "last_accessed" : "last_modified";
		gint64 tx = hubctl_cache_entry_time(x, k), ty = hubctl_cache_entry_time(y, k);
		r = tx < ty ? -1 : tx > ty;
	}
	return sort_spec.desc ? -r : r;
}

gboolean
hubctl_cache_sort_parse(const gchar *text, GError **error)
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

/* Every repo (or revision), sorted by cache id then commit, as hf. */
GPtrArray *
hubctl_cache_entries_new(GVariant *report, gboolean revisions)
{
	GPtrArray *entries =
		g_ptr_array_new_with_free_func((GDestroyNotify)hubctl_cache_entry_free);
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
						       hubctl_cache_dict_str(repo, "repo_type"),
						       hubctl_cache_dict_str(repo, "repo_id"));
		if (!revisions || revs == NULL) {
			HubctlCacheEntry *e = g_new0(HubctlCacheEntry, 1);
			e->repo = g_variant_ref(repo);
			e->cache_id = g_strdup(id);
			g_ptr_array_add(entries, e);
		} else {
			for (gsize i = 0; i < g_variant_n_children(revs); i++) {
				HubctlCacheEntry *e = g_new0(HubctlCacheEntry, 1);
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
	g_ptr_array_sort(entries, hubctl_cache_entry_compare);
	return entries;
}
