/* hubctl-cache-verify.c: `hubctl cache verify` — a cached revision (or a
 * local folder) checked against the Hub's hashes, as `hf cache verify`
 * (docs/cache-verify.md §4): one line per problem, exit 1 on a corrupted
 * file (or, when asked, a missing or extra one) */
#include <glib/gi18n.h>

#include "hubctl.h"

typedef struct {
	gchar *type;
	gchar *revision;
	gchar *cache_dir;
	gchar *local_dir;
	gboolean fail_on_missing;
	gboolean fail_on_extra;
	gboolean json;
} VerifyOptions;

static void
verify_options_clear(VerifyOptions *o)
{
	g_free(o->type);
	g_free(o->revision);
	g_free(o->cache_dir);
	g_free(o->local_dir);
}

static void
add_dir(GVariantBuilder *b, const gchar *key, const gchar *dir)
{
	g_autofree gchar *absolute = NULL;

	if (dir == NULL)
		return;
	/* hubd resolves no relative path: it has another working folder */
	absolute = g_canonicalize_filename(dir, NULL);
	g_variant_builder_add(b, "{sv}", key, g_variant_new_string(absolute));
}

/* "LABEL PATH" on stdout for every path of result[key]; how many */
static guint
print_paths(GVariant *result, const gchar *key, const gchar *label)
{
	g_autofree const gchar **paths = NULL;
	guint n = 0;

	if (!g_variant_lookup(result, key, "^a&s", &paths))
		return 0;
	for (; paths[n] != NULL; n++)
		g_print("%s %s\n", label, paths[n]);
	return n;
}

static guint
print_mismatched(GVariant *result)
{
	g_autoptr(GVariant) list =
		g_variant_lookup_value(result, "mismatched", G_VARIANT_TYPE("aa{sv}"));
	guint n = list != NULL ? (guint)g_variant_n_children(list) : 0;

	for (guint i = 0; i < n; i++) {
		g_autoptr(GVariant) m = g_variant_get_child_value(list, i);
		const gchar *path = "";

		g_variant_lookup(m, "path", "&s", &path);
		g_print("mismatch %s\n", path);
	}
	return n;
}

static gint
verify_report(GVariant *result, const VerifyOptions *o)
{
	const gchar *revision = "";
	const gchar *path = "";
	guint32 verified = 0;
	guint32 n_mismatched = 0;
	guint32 n_missing = 0;
	guint32 n_extra = 0;
	gboolean failed;

	g_variant_lookup(result, "revision", "&s", &revision);
	g_variant_lookup(result, "path", "&s", &path);
	g_variant_lookup(result, "verified", "u", &verified);
	g_variant_lookup(result, "mismatched_count", "u", &n_mismatched);
	g_variant_lookup(result, "missing_count", "u", &n_missing);
	g_variant_lookup(result, "extra_count", "u", &n_extra);
	/* as hf: a corrupted file always fails; missing and extra files only
	 * when asked, since a cache often holds part of a revision */
	failed = n_mismatched > 0 || (o->fail_on_missing && n_missing > 0) ||
		 (o->fail_on_extra && n_extra > 0);

	if (o->json) {
		g_autoptr(JsonNode) node = hubctl_variant_to_json(result);
		hubctl_print_json(node);
	} else {
		print_mismatched(result);
		print_paths(result, "missing", "missing");
		print_paths(result, "extra", "extra");
		if (n_mismatched + n_missing + n_extra > 0) {
			g_printerr("hubctl: ");
			/* TRANSLATORS: counts of files, then a commit hash and a folder */
			g_printerr(_("%u mismatched, %u missing, %u extra; %u verified (revision "
				     "%s in %s)"),
				   n_mismatched,
				   n_missing,
				   n_extra,
				   verified,
				   revision,
				   path);
			g_printerr("\n");
		}
		if ((n_missing > 0 && !o->fail_on_missing) || (n_extra > 0 && !o->fail_on_extra))
			g_printerr("hubctl: %s\n",
				   _("missing and extra files are not errors unless "
				     "--fail-on-missing-files or --fail-on-extra-files is given"));
	}
	return failed ? HUBCTL_EXIT_FAILED : HUBCTL_EXIT_OK;
}

static gint
verify_run(HubctlContext *ctx, const gchar *repo_id, const VerifyOptions *o)
{
	HubdClient *proxy = NULL;
	g_autoptr(GVariant) result = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *job_path = NULL;
	GVariantBuilder options;
	gint exit_code;

	proxy = hubctl_context_get_client(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	add_dir(&options, "local_dir", o->local_dir);
	add_dir(&options, "cache_dir", o->cache_dir);
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_CACHE,
			 "Verify",
			 g_variant_new("(sss@a{sv})",
				       o->type != NULL ? o->type : "model",
				       repo_id,
				       o->revision != NULL ? o->revision : "",
				       g_variant_builder_end(&options)),
			 -1,
			 &error,
			 "(o)",
			 &job_path)) {
		exit_code = hubctl_report_error(error);
		/* the repo id or revision of the command line was refused (libhubd
		 * gives hubd's errors as HUBD_ERROR) */
		if (g_error_matches(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT))
			return HUBCTL_EXIT_USAGE;
		return exit_code;
	}
	exit_code = hubctl_job_wait(ctx, job_path, o->json, &result);
	if (exit_code != HUBCTL_EXIT_OK)
		return exit_code;
	if (result == NULL) {
		g_printerr("hubctl: %s\n", _("hubd reported success but no result."));
		return HUBCTL_EXIT_FAILED;
	}
	return verify_report(result, o);
}

gint
hubctl_cache_verify(HubctlContext *ctx, gint argc, gchar **argv)
{
	VerifyOptions o = {0};
	gint exit_code = HUBCTL_EXIT_OK;
	const GOptionEntry entries[] = {
		{"repo-type",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &o.type,
		 N_("The repo type: model (default), dataset or space"),
		 N_("TYPE")},
		{"type", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &o.type, NULL, NULL},
		{"revision",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &o.revision,
		 N_("Branch, tag or commit (default: the cache's main)"),
		 N_("R")},
		{"cache-dir",
		 0,
		 0,
		 G_OPTION_ARG_FILENAME,
		 &o.cache_dir,
		 N_("Verify in this cache folder instead of hubd's"),
		 N_("DIR")},
		{"local-dir",
		 0,
		 0,
		 G_OPTION_ARG_FILENAME,
		 &o.local_dir,
		 N_("Verify the files under this folder instead of the cache"),
		 N_("DIR")},
		{"fail-on-missing-files",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &o.fail_on_missing,
		 N_("Exit 1 when a file of the revision is not on disk"),
		 NULL},
		{"fail-on-extra-files",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &o.fail_on_extra,
		 N_("Exit 1 when a file on disk is not in the revision"),
		 NULL},
		{"json",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &o.json,
		 N_("Print the result as one JSON object"),
		 NULL},
		{NULL},
	};

	if (!hubctl_parse_options(
		    "cache verify",
		    _("REPO_ID"),
		    _("Check the cached files of a revision (or of --local-dir) against the "
		      "Hub's hashes: SHA-256 for LFS files, git SHA-1 for the others. Prints "
		      "one line per problem (mismatch, missing, extra PATH); exits 1 when a "
		      "file is corrupted"),
		    entries,
		    &argc,
		    &argv,
		    &exit_code))
		goto out;
	if (argc != 2) {
		exit_code = hubctl_usage_error("cache verify", _("give exactly one REPO_ID"));
		goto out;
	}
	if (!hubctl_check_repo_type("cache verify", o.type, &exit_code))
		goto out;
	if ((o.local_dir != NULL && o.local_dir[0] == '\0') ||
	    (o.cache_dir != NULL && o.cache_dir[0] == '\0')) {
		exit_code = hubctl_usage_error("cache verify", _("a DIR is empty"));
		goto out;
	}
	if (o.local_dir != NULL && o.cache_dir != NULL) {
		exit_code = hubctl_usage_error("cache verify",
					       _("give --local-dir or --cache-dir, not both"));
		goto out;
	}
	exit_code = verify_run(ctx, argv[1], &o);
out:
	verify_options_clear(&o);
	return exit_code;
}
