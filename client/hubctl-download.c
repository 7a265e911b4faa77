/* hubctl-download.c: `hubctl download REPO_ID [FILENAME...]` — as `hf download`
 *
 * No FILENAME: a snapshot of the whole repo (filtered by --include and
 * --exclude). One FILENAME: that file. Several, or a folder ("dir/"): a
 * snapshot limited to exactly those, as huggingface_hub does. REPO_ID may be
 * an hf:// address whose PATH is the FILENAME (docs/hub-download.md §12). The path (the
 * file, or the snapshot folder) is printed on stdout, always: scripts do
 * `path=$(hubctl download ...)`. --quiet silences progress and warnings. */
#include <glib/gi18n.h>

#include "hubctl.h"

typedef struct {
	gchar *repo_type;
	gchar *revision;
	gchar **include;
	gchar **exclude;
	gchar *local_dir;
	gchar *cache_dir;
	gboolean dry_run;
	gboolean force;
	gboolean quiet;
	gboolean json;
	gint max_workers;
} HubctlDownloadOptions;

static void
hubctl_download_options_clear(HubctlDownloadOptions *o)
{
	g_free(o->repo_type);
	g_free(o->revision);
	g_strfreev(o->include);
	g_strfreev(o->exclude);
	g_free(o->local_dir);
	g_free(o->cache_dir);
}

HubdClient *
hubctl_transfers_proxy(HubctlContext *ctx)
{
	/* calls only: the jobs it returns are watched on their own objects */
	return hubctl_context_get_client(ctx);
}

/* Options both Download and Snapshot take. */
static void
hubctl_download_add_common(GVariantBuilder *b, const HubctlDownloadOptions *o)
{
	if (o->local_dir != NULL) {
		/* hubd runs elsewhere, with another working directory */
		g_autofree gchar *absolute = g_canonicalize_filename(o->local_dir, NULL);
		g_variant_builder_add(b, "{sv}", "local_dir", g_variant_new_string(absolute));
	}
	if (o->cache_dir != NULL) {
		g_autofree gchar *absolute = g_canonicalize_filename(o->cache_dir, NULL);
		g_variant_builder_add(b, "{sv}", "cache_dir", g_variant_new_string(absolute));
	}
	if (o->dry_run)
		g_variant_builder_add(b, "{sv}", "dry_run", g_variant_new_boolean(TRUE));
	if (o->force)
		g_variant_builder_add(b, "{sv}", "force", g_variant_new_boolean(TRUE));
	g_variant_builder_add(b, "{sv}", "library_name", g_variant_new_string("hubctl"));
	g_variant_builder_add(b, "{sv}", "library_version", g_variant_new_string(PACKAGE_VERSION));
}

static GVariant *
hubctl_download_strv(const gchar *const *strv)
{
	return g_variant_new_strv(strv != NULL ? strv : (const gchar *const[]){NULL}, -1);
}

static JsonNode *
hubctl_download_to_json(GVariant *result, const gchar *filename)
{
	g_autoptr(JsonObject) object = json_object_new();
	g_autoptr(JsonArray) files = json_array_new();
	const gchar *path = "";
	const gchar *commit = NULL;

	g_variant_lookup(result, "path", "&s", &path);
	json_object_set_string_member(object, "path", path);
	if (g_variant_lookup(result, "commit", "&s", &commit))
		json_object_set_string_member(object, "commit", commit);
	else
		json_object_set_null_member(object, "commit");

	if (filename != NULL) {
		/* one file: Download's result describes it */
		g_autoptr(JsonObject) file = json_object_new();
		const gchar *etag = NULL;
		guint64 size = 0;
		gboolean cached = FALSE;

		json_object_set_string_member(file, "filename", filename);
		json_object_set_string_member(file, "path", path);
		if (g_variant_lookup(result, "size", "t", &size))
			json_object_set_int_member(file, "size", (gint64)size);
		else
			json_object_set_null_member(file, "size");
		if (g_variant_lookup(result, "etag", "&s", &etag))
			json_object_set_string_member(file, "etag", etag);
		else
			json_object_set_null_member(file, "etag");
		if (g_variant_lookup(result, "cached", "b", &cached))
			json_object_set_boolean_member(file, "cached", cached);
		else
			json_object_set_null_member(file, "cached");
		json_array_add_object_element(files, g_steal_pointer(&file));
	} else {
		g_autofree const gchar **names = NULL;
		if (g_variant_lookup(result, "files", "^a&s", &names)) {
			for (guint i = 0; names[i] != NULL; i++) {
				g_autoptr(JsonObject) file = json_object_new();
				g_autofree gchar *file_path =
					g_build_filename(path, names[i], NULL);
				json_object_set_string_member(file, "filename", names[i]);
				json_object_set_string_member(file, "path", file_path);
				/* Snapshot's result does not describe each file */
				json_object_set_null_member(file, "size");
				json_object_set_null_member(file, "etag");
				json_object_set_null_member(file, "cached");
				json_array_add_object_element(files, g_steal_pointer(&file));
			}
		}
	}
	json_object_set_array_member(object, "files", g_steal_pointer(&files));
	return json_node_init_object(json_node_alloc(), object);
}

/* A dry run's result: `--json` gives it with its entries as `files`;
 * otherwise a table (file, size, cached, will download) and a total line,
 * as `hf download --dry-run` (docs/hub-download.md §11). */
static void
hubctl_download_print_dry_run(GVariant *result, gboolean json)
{
	g_autoptr(GVariant) entries =
		g_variant_lookup_value(result, "entries", G_VARIANT_TYPE("aa{sv}"));
	g_autoptr(HubctlTable) table = hubctl_table_new(4);
	g_autofree gchar *size_str = NULL;
	guint64 download_size = 0;
	guint32 download_count = 0;
	guint32 file_count = 0;

	if (json) {
		g_autoptr(JsonNode) node = hubctl_variant_to_json(result);
		JsonObject *object = json_node_get_object(node);
		JsonNode *files = json_object_dup_member(object, "entries");

		json_object_remove_member(object, "entries");
		json_object_set_member(
			object,
			"files",
			files != NULL ? files
				      : json_node_init_array(json_node_alloc(), json_array_new()));
		hubctl_print_json(node);
		return;
	}
	g_variant_lookup(result, "download_size", "t", &download_size);
	g_variant_lookup(result, "download_count", "u", &download_count);
	g_variant_lookup(result, "file_count", "u", &file_count);
	hubctl_table_set_headers(table, _("FILE"), _("SIZE"), _("CACHED"), _("WILL DOWNLOAD"));
	for (gsize i = 0; entries != NULL && i < g_variant_n_children(entries); i++) {
		g_autoptr(GVariant) e = g_variant_get_child_value(entries, i);
		const gchar *name = "";
		guint64 size = 0;
		gboolean cached = FALSE;
		gboolean will = FALSE;
		g_autofree gchar *size_cell = NULL;

		g_variant_lookup(e, "filename", "&s", &name);
		g_variant_lookup(e, "size", "t", &size);
		g_variant_lookup(e, "cached", "b", &cached);
		g_variant_lookup(e, "will_download", "b", &will);
		size_cell = hubctl_cache_format_size(size);
		hubctl_table_add_row(table,
				     name,
				     size_cell,
				     cached ? _("yes") : _("no"),
				     will ? _("yes") : _("no"));
	}
	hubctl_table_print(table);
	size_str = hubctl_cache_format_size(download_size);
	/* TRANSLATORS: "[dry-run] Will download 2 of 6 files (3.8G)." */
	g_print(g_dngettext(GETTEXT_PACKAGE,
			    "[dry-run] Will download %u of %u file (%s).",
			    "[dry-run] Will download %u of %u files (%s).",
			    file_count),
		download_count,
		file_count,
		size_str);
	g_print("\n");
}

static gint
hubctl_download_run(HubctlContext *ctx,
		    const HubctlDownloadOptions *o,
		    const gchar *repo_id,
		    gchar **filenames)
{
	guint n_files = filenames != NULL ? g_strv_length(filenames) : 0;
	gboolean single = n_files == 1 && !g_str_has_suffix(filenames[0], "/");
	HubdClient *proxy = NULL;
	g_autoptr(GVariant) result = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *job_path = NULL;
	GVariantBuilder options;
	const gchar *path = NULL;
	gint exit_code;

	for (guint i = 0; i < n_files; i++) {
		/* as hf download: a folder is a pattern of its own */
		if (g_str_has_suffix(filenames[i], "/") &&
		    (o->include != NULL || o->exclude != NULL)) {
			g_autofree gchar *message = g_strdup_printf(
				/* TRANSLATORS: %s is a folder such as "data/" */
				_("a folder (“%s”) cannot be combined with --include or "
				  "--exclude; use --include '%s*' instead"),
				filenames[i],
				filenames[i]);
			return hubctl_usage_error("download", message);
		}
	}
	if (n_files > 0 && (o->include != NULL || o->exclude != NULL) && !o->quiet)
		g_printerr("hubctl: %s\n",
			   _("warning: ignoring --include and --exclude, since file names "
			     "were given"));

	proxy = hubctl_transfers_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;

	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	hubctl_download_add_common(&options, o);
	if (single) {
		if (!hubctl_call(proxy,
				 HUBD_INTERFACE_TRANSFERS,
				 "Download",
				 g_variant_new("(ssss@a{sv})",
					       o->repo_type,
					       repo_id,
					       o->revision,
					       filenames[0],
					       g_variant_builder_end(&options)),
				 -1,
				 &error,
				 "(o)",
				 &job_path))
			return hubctl_report_error(error);
	} else {
		if (n_files > 0) {
			/* exact names as patterns: what hf does for several files */
			g_variant_builder_add(
				&options,
				"{sv}",
				"allow_patterns",
				hubctl_download_strv((const gchar *const *)filenames));
		} else {
			if (o->include != NULL)
				g_variant_builder_add(
					&options,
					"{sv}",
					"allow_patterns",
					hubctl_download_strv((const gchar *const *)o->include));
			if (o->exclude != NULL)
				g_variant_builder_add(
					&options,
					"{sv}",
					"ignore_patterns",
					hubctl_download_strv((const gchar *const *)o->exclude));
		}
		if (o->max_workers > 0)
			g_variant_builder_add(&options,
					      "{sv}",
					      "max_workers",
					      g_variant_new_uint32((guint32)o->max_workers));
		if (!hubctl_call(proxy,
				 HUBD_INTERFACE_TRANSFERS,
				 "Snapshot",
				 g_variant_new("(sss@a{sv})",
					       o->repo_type,
					       repo_id,
					       o->revision,
					       g_variant_builder_end(&options)),
				 -1,
				 &error,
				 "(o)",
				 &job_path))
			return hubctl_report_error(error);
	}

	exit_code = hubctl_job_wait(ctx, job_path, o->quiet || o->json || o->dry_run, &result);
	if (exit_code != HUBCTL_EXIT_OK)
		return exit_code;
	if (o->dry_run && result != NULL) {
		hubctl_download_print_dry_run(result, o->json);
		return HUBCTL_EXIT_OK;
	}
	if (result == NULL || !g_variant_lookup(result, "path", "&s", &path) || path[0] == '\0') {
		g_printerr("hubctl: %s\n", _("hubd reported success but no path."));
		return HUBCTL_EXIT_FAILED;
	}
	if (o->json) {
		g_autoptr(JsonNode) node =
			hubctl_download_to_json(result, single ? filenames[0] : NULL);
		hubctl_print_json(node);
	} else {
		g_print("%s\n", path);
	}
	return HUBCTL_EXIT_OK;
}

static gint
hubctl_download(HubctlContext *ctx, gint argc, gchar **argv)
{
	HubctlDownloadOptions o = {0};
	g_autoptr(HubctlAddress) address = NULL;
	g_autofree gchar *type = NULL;
	gint exit_code = HUBCTL_EXIT_OK;
	const GOptionEntry entries[] = {
		{"type",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &type,
		 N_("The repo type: model (default), dataset or space"),
		 N_("TYPE")},
		/* hf's spelling */
		{"repo-type", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &type, NULL, NULL},
		{"revision",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &o.revision,
		 N_("A branch, tag or commit (default: main)"),
		 N_("REVISION")},
		{"include",
		 0,
		 0,
		 G_OPTION_ARG_STRING_ARRAY,
		 &o.include,
		 N_("Download only files matching PATTERN (repeatable)"),
		 N_("PATTERN")},
		{"exclude",
		 0,
		 0,
		 G_OPTION_ARG_STRING_ARRAY,
		 &o.exclude,
		 N_("Skip files matching PATTERN (repeatable)"),
		 N_("PATTERN")},
		{"local-dir",
		 0,
		 0,
		 G_OPTION_ARG_FILENAME,
		 &o.local_dir,
		 N_("Write real files into DIR instead of the shared cache"),
		 N_("DIR")},
		{"cache-dir",
		 0,
		 0,
		 G_OPTION_ARG_FILENAME,
		 &o.cache_dir,
		 N_("Use DIR as the cache instead of the shared one (same layout)"),
		 N_("DIR")},
		{"dry-run",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &o.dry_run,
		 N_("List what would be downloaded (size, cached or not) and write nothing"),
		 NULL},
		{"force",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &o.force,
		 N_("Download again even if the files are cached"),
		 NULL},
		{"force-download",
		 0,
		 G_OPTION_FLAG_HIDDEN,
		 G_OPTION_ARG_NONE,
		 &o.force,
		 NULL,
		 NULL},
		{"max-workers",
		 0,
		 0,
		 G_OPTION_ARG_INT,
		 &o.max_workers,
		 N_("Files to download at once (default 8)"),
		 N_("N")},
		{"quiet",
		 'q',
		 0,
		 G_OPTION_ARG_NONE,
		 &o.quiet,
		 N_("No progress bar and no warnings; only the path is printed"),
		 NULL},
		{"json",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &o.json,
		 N_("Print the result as JSON (path, commit, files)"),
		 NULL},
		{NULL},
	};

	if (!hubctl_parse_options(
		    "download",
		    _("REPO_ID [FILENAME…]"),
		    _("Download files from the Hub into the shared cache (or --cache-dir, or "
		      "--local-dir) and print their path: one FILENAME gives the file's path, "
		      "none or several (or a folder, “dir/”) give the snapshot folder. REPO_ID "
		      "may be an address, "
		      "hf://[datasets/|spaces/]NAMESPACE/NAME[@REVISION][/PATH], whose PATH is "
		      "the FILENAME (“PATH/” for a folder). --dry-run lists what would be "
		      "downloaded instead. Ctrl-C cancels."),
		    entries,
		    &argc,
		    &argv,
		    &exit_code))
		goto out;
	if (argc < 2) {
		exit_code = hubctl_usage_error("download", _("a REPO_ID is required"));
		goto out;
	}
	if (!hubctl_check_repo_type("download", type, &exit_code))
		goto out;
	address = hubctl_resolve_repo("download", argv[1], TRUE, &type, &o.revision, &exit_code);
	if (address == NULL)
		goto out;
	if (address->path != NULL && argc > 2) {
		/* hf download refuses it too */
		exit_code = hubctl_usage_error("download",
					       _("give the file in the address or as FILENAME "
						 "arguments, not both"));
		goto out;
	}
	if (o.max_workers < 0) {
		exit_code = hubctl_usage_error("download", _("--max-workers must be at least 1"));
		goto out;
	}
	if (o.local_dir != NULL && o.local_dir[0] == '\0') {
		exit_code = hubctl_usage_error("download", _("--local-dir needs a DIR"));
		goto out;
	}
	if (o.cache_dir != NULL && o.cache_dir[0] == '\0') {
		exit_code = hubctl_usage_error("download", _("--cache-dir needs a DIR"));
		goto out;
	}
	if (o.cache_dir != NULL && o.local_dir != NULL) {
		/* as hf download (docs/hub-download.md §11) */
		exit_code = hubctl_usage_error(
			"download",
			_("--cache-dir and --local-dir cannot be used together: --cache-dir is "
			  "a shared cache, --local-dir a folder of real files"));
		goto out;
	}
	for (gint i = 2; i < argc; i++) {
		if (argv[i][0] == '\0') {
			exit_code = hubctl_usage_error("download", _("a FILENAME is empty"));
			goto out;
		}
	}
	o.repo_type = g_strdup(type != NULL ? type : "model");
	if (o.revision == NULL)
		o.revision = g_strdup("");
	{
		g_autoptr(GStrvBuilder) names = g_strv_builder_new();
		g_auto(GStrv) filenames = NULL;
		for (gint i = 2; i < argc; i++)
			g_strv_builder_add(names, argv[i]);
		/* a last "/" in the address: the whole folder, as "dir/" */
		if (address->path != NULL) {
			g_autofree gchar *name =
				g_strconcat(address->path, address->is_folder ? "/" : "", NULL);
			g_strv_builder_add(names, name);
		}
		filenames = g_strv_builder_end(names);
		exit_code = hubctl_download_run(ctx,
						&o,
						address->repo_id,
						filenames[0] != NULL ? filenames : NULL);
	}
out:
	hubctl_download_options_clear(&o);
	return exit_code;
}

const HubctlCommand hubctl_download_command = {
	"download",
	N_("download REPO_ID [FILENAME…]"),
	N_("Download files or a whole repo into the shared cache"),
	hubctl_download,
};
