/* hubctl-upload.c: `hubctl upload REPO_ID LOCAL_PATH [PATH_IN_REPO]` — as
 * `hf upload` — and `hubctl repo-files delete REPO_ID PATH…`
 *
 * A file goes to PATH_IN_REPO (default: its name), a folder under it
 * (default: the top), filtered by --include / --exclude, with remote files
 * matching --delete removed in the same commit. The repo is created if it is
 * missing, as hf does. The commit URL is printed on stdout (and the PR's URL
 * with --create-pr). REPO_ID may be an hf:// address, whose PATH is the
 * PATH_IN_REPO (client/hubctl-address.h). */
#include <glib/gi18n.h>
#include <string.h>

#include "hubctl.h"

typedef struct {
	gchar *type;
	gchar *revision;
	gchar *message;
	gchar *description;
	gboolean create_pr;
	gchar **include;
	gchar **exclude;
	gchar **delete;
	gboolean private_repo;
	gboolean no_policy;
	gboolean quiet;
	gboolean json;
	HubctlAddress *address; /* the REPO_ID argument, read */
} HubctlUploadOptions;

static void
hubctl_upload_options_clear(HubctlUploadOptions *o)
{
	g_free(o->type);
	g_free(o->revision);
	g_free(o->message);
	g_free(o->description);
	g_strfreev(o->include);
	g_strfreev(o->exclude);
	g_strfreev(o->delete);
	hubctl_address_free(o->address);
}

static void
hubctl_upload_add_common(GVariantBuilder *b, const HubctlUploadOptions *o)
{
	if (o->message != NULL)
		g_variant_builder_add(b,
				      "{sv}",
				      "commit_message",
				      g_variant_new_string(o->message));
	if (o->description != NULL)
		g_variant_builder_add(b,
				      "{sv}",
				      "commit_description",
				      g_variant_new_string(o->description));
	if (o->create_pr)
		g_variant_builder_add(b, "{sv}", "create_pr", g_variant_new_boolean(TRUE));
	if (o->no_policy)
		g_variant_builder_add(b, "{sv}", "no_policy", g_variant_new_boolean(TRUE));
}

gint
hubctl_commit_job_finish(HubctlContext *ctx, const gchar *job_path, gboolean quiet, gboolean json)
{
	g_autoptr(GVariant) result = NULL;
	const gchar *url = NULL;
	const gchar *oid = NULL;
	const gchar *pr_url = NULL;
	gint exit_code = hubctl_job_wait(ctx, job_path, quiet || json, &result);

	if (exit_code != HUBCTL_EXIT_OK)
		return exit_code;
	if (result == NULL || !g_variant_lookup(result, "commit_url", "&s", &url)) {
		g_printerr("hubctl: %s\n", _("hubd reported success but no commit."));
		return HUBCTL_EXIT_FAILED;
	}
	g_variant_lookup(result, "commit_oid", "&s", &oid);
	g_variant_lookup(result, "pr_url", "&s", &pr_url);
	if (json) {
		g_autoptr(JsonObject) obj = json_object_new();
		g_autoptr(JsonNode) node = NULL;

		json_object_set_string_member(obj, "commit_oid", oid != NULL ? oid : "");
		json_object_set_string_member(obj, "commit_url", url);
		if (pr_url != NULL)
			json_object_set_string_member(obj, "pr_url", pr_url);
		else
			json_object_set_null_member(obj, "pr_url");
		node = json_node_init_object(json_node_alloc(), obj);
		hubctl_print_json(node);
	} else {
		g_print("%s\n", url);
		if (pr_url != NULL)
			g_print("%s\n", pr_url);
	}
	return HUBCTL_EXIT_OK;
}

static gint
hubctl_upload_finish(HubctlContext *ctx, const HubctlUploadOptions *o, const gchar *job_path)
{
	return hubctl_commit_job_finish(ctx, job_path, o->quiet, o->json);
}

static GVariant *
hubctl_upload_strv(gchar **strv)
{
	return g_variant_new_strv((const gchar *const *)strv, -1);
}

static gint
hubctl_upload_run(HubctlContext *ctx,
		  const HubctlUploadOptions *o,
		  const gchar *repo_id,
		  const gchar *local_arg,
		  const gchar *path_in_repo)
{
	g_autofree gchar *local = g_canonicalize_filename(local_arg, NULL);
	gboolean is_dir = g_file_test(local, G_FILE_TEST_IS_DIR);
	g_autofree gchar *folder_path = NULL;
	HubdClient *proxy = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *job_path = NULL;
	GVariantBuilder options;
	gboolean ok;

	if (!g_file_test(local, G_FILE_TEST_EXISTS)) {
		g_autofree gchar *message =
			/* TRANSLATORS: %s is a local path */
			g_strdup_printf(_("%s does not exist"), local_arg);
		return hubctl_usage_error("upload", message);
	}
	if (!is_dir && (o->include != NULL || o->exclude != NULL || o->delete != NULL) && !o->quiet)
		g_printerr("hubctl: %s\n",
			   _("warning: ignoring --include, --exclude and --delete when uploading "
			     "a single file"));
	proxy = hubctl_transfers_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	hubctl_upload_add_common(&options, o);
	/* as `hf upload`: the repo is created if it is missing */
	g_variant_builder_add(&options, "{sv}", "create_repo", g_variant_new_boolean(TRUE));
	if (o->private_repo)
		g_variant_builder_add(&options, "{sv}", "private", g_variant_new_boolean(TRUE));
	/* a folder in the repo, "dir/": a file goes into it, a folder under it */
	if (path_in_repo != NULL && g_str_has_suffix(path_in_repo, "/")) {
		g_autofree gchar *base = g_path_get_basename(local);
		folder_path = is_dir ? g_strndup(path_in_repo, strlen(path_in_repo) - 1)
				     : g_strconcat(path_in_repo, base, NULL);
		path_in_repo = folder_path;
	}
	if (is_dir) {
		if (o->include != NULL)
			g_variant_builder_add(&options,
					      "{sv}",
					      "allow_patterns",
					      hubctl_upload_strv(o->include));
		if (o->exclude != NULL)
			g_variant_builder_add(&options,
					      "{sv}",
					      "ignore_patterns",
					      hubctl_upload_strv(o->exclude));
		if (o->delete != NULL)
			g_variant_builder_add(&options,
					      "{sv}",
					      "delete_patterns",
					      hubctl_upload_strv(o->delete));
		ok = hubctl_call(proxy,
				 HUBD_INTERFACE_TRANSFERS,
				 "UploadFolder",
				 g_variant_new("(sssss@a{sv})",
					       o->type,
					       repo_id,
					       o->revision,
					       path_in_repo != NULL ? path_in_repo : "",
					       local,
					       g_variant_builder_end(&options)),
				 -1,
				 &error,
				 "(o)",
				 &job_path);
	} else {
		g_autofree gchar *base = g_path_get_basename(local);
		GVariant *files = g_variant_new_parsed("[(%s, %s)]",
						       local,
						       path_in_repo != NULL ? path_in_repo : base);

		ok = hubctl_call(proxy,
				 HUBD_INTERFACE_TRANSFERS,
				 "Upload",
				 g_variant_new("(sss@a(ss)@a{sv})",
					       o->type,
					       repo_id,
					       o->revision,
					       files,
					       g_variant_builder_end(&options)),
				 -1,
				 &error,
				 "(o)",
				 &job_path);
	}
	if (!ok)
		return hubctl_report_error(error);
	return hubctl_upload_finish(ctx, o, job_path);
}

/* the options both commands take; `upload_only` adds the upload ones */
static GOptionEntry *
hubctl_upload_entries(HubctlUploadOptions *o, gboolean upload_only)
{
	const GOptionEntry common[] = {
		{"type",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &o->type,
		 N_("The repo type: model (default), dataset or space"),
		 N_("TYPE")},
		{"repo-type", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &o->type, NULL, NULL},
		{"revision",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &o->revision,
		 N_("The branch to commit to (default: main)"),
		 N_("REVISION")},
		{"commit-message",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &o->message,
		 N_("The commit's summary"),
		 N_("MESSAGE")},
		{"commit-description",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &o->description,
		 N_("The commit's description"),
		 N_("TEXT")},
		{"create-pr",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &o->create_pr,
		 N_("Open a pull request instead of committing to the branch"),
		 NULL},
		{"quiet",
		 'q',
		 0,
		 G_OPTION_ARG_NONE,
		 &o->quiet,
		 N_("No progress bar and no warnings"),
		 NULL},
		{"json",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &o->json,
		 N_("Print the result as JSON (commit_oid, commit_url, pr_url)"),
		 NULL},
	};
	const GOptionEntry upload[] = {
		{"include",
		 0,
		 0,
		 G_OPTION_ARG_STRING_ARRAY,
		 &o->include,
		 N_("Upload only files matching PATTERN (repeatable; folders)"),
		 N_("PATTERN")},
		{"exclude",
		 0,
		 0,
		 G_OPTION_ARG_STRING_ARRAY,
		 &o->exclude,
		 N_("Skip files matching PATTERN (repeatable; folders)"),
		 N_("PATTERN")},
		{"delete",
		 0,
		 0,
		 G_OPTION_ARG_STRING_ARRAY,
		 &o->delete,
		 N_("Delete remote files matching PATTERN in the same commit (repeatable)"),
		 N_("PATTERN")},
		{"private",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &o->private_repo,
		 N_("Make the repo private if it has to be created"),
		 NULL},
		{"no-policy",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &o->no_policy,
		 N_("Skip the publishing policy (secrets, card, licence); noted in the commit"),
		 NULL},
	};
	GArray *entries = g_array_new(TRUE, TRUE, sizeof(GOptionEntry));

	g_array_append_vals(entries, common, G_N_ELEMENTS(common));
	if (upload_only)
		g_array_append_vals(entries, upload, G_N_ELEMENTS(upload));
	return (GOptionEntry *)(gpointer)g_array_free(entries, FALSE);
}

/* parses argv; returns -1 to go on, else an exit code */
static gint
hubctl_upload_parse(const gchar *command,
		    const gchar *parameters,
		    const gchar *summary,
		    HubctlUploadOptions *o,
		    gboolean upload_only,
		    gint *argc,
		    gchar ***argv)
{
	g_autofree GOptionEntry *entries = hubctl_upload_entries(o, upload_only);
	gint exit_code = -1;

	/* REPO_ID: upload's first argument, repo-files' second (after "delete") */
	gint repo_index = upload_only ? 1 : 2;

	if (!hubctl_parse_options(command, parameters, summary, entries, argc, argv, &exit_code) ||
	    !hubctl_check_repo_type(command, o->type, &exit_code))
		return exit_code;
	/* before the defaults: an address's type and revision fill them in */
	if (*argc > repo_index) {
		o->address = hubctl_resolve_repo(command,
						 (*argv)[repo_index],
						 upload_only,
						 &o->type,
						 &o->revision,
						 &exit_code);
		if (o->address == NULL)
			return exit_code;
	}
	if (o->type == NULL)
		o->type = g_strdup("model");
	if (o->revision == NULL)
		o->revision = g_strdup("");
	return -1;
}

static gint
hubctl_upload(HubctlContext *ctx, gint argc, gchar **argv)
{
	HubctlUploadOptions o = {0};
	gint exit_code = hubctl_upload_parse(
		"upload",
		_("REPO_ID LOCAL_PATH [PATH_IN_REPO]"),
		_("Upload a file or a folder to the Hub in one commit, creating the repo if it is "
		  "missing, and print the commit URL. The publishing policy runs first: no access "
		  "token or private key in any file, a model or dataset card with a licence. "
		  "Ctrl-C cancels."),
		&o,
		TRUE,
		&argc,
		&argv);

	if (exit_code < 0 && argc < 3)
		exit_code =
			hubctl_usage_error("upload", _("a REPO_ID and a LOCAL_PATH are required"));
	if (exit_code < 0 && argc > 4)
		exit_code = hubctl_usage_error("upload", _("too many arguments"));
	if (exit_code < 0 && argc > 3 && o.address->path != NULL)
		exit_code = hubctl_usage_error("upload",
					       _("give the path in the repo in the address or as "
						 "PATH_IN_REPO, not both"));
	if (exit_code < 0) {
		/* "PATH/" in the address: into that folder, as a trailing "/" means */
		g_autofree gchar *path_in_repo =
			o.address->path != NULL ? g_strconcat(o.address->path,
							      o.address->is_folder ? "/" : "",
							      NULL)
						: g_strdup(argc > 3 ? argv[3] : NULL);
		exit_code = hubctl_upload_run(ctx, &o, o.address->repo_id, argv[2], path_in_repo);
	}
	hubctl_upload_options_clear(&o);
	return exit_code;
}

const HubctlCommand hubctl_upload_command = {
	"upload",
	N_("upload REPO_ID LOCAL_PATH [PATH_IN_REPO]"),
	N_("Upload a file or a folder in one commit"),
	hubctl_upload,
};

/* ---- repo-files delete ---- */

static gint
hubctl_repo_files_delete(HubctlContext *ctx, const HubctlUploadOptions *o, gint argc, gchar **argv)
{
	HubdClient *proxy = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *job_path = NULL;
	g_autoptr(GPtrArray) patterns = g_ptr_array_new();
	GVariantBuilder ops;
	GVariantBuilder options;

	proxy = hubctl_transfers_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	g_variant_builder_init(&ops, G_VARIANT_TYPE("aa{sv}"));
	for (gint i = 3; i < argc; i++) {
		GVariantBuilder op;

		/* wildcards match the repo's files in the daemon, as hf's
		 * delete_patterns (`*` crosses '/') */
		if (strpbrk(argv[i], "*?[") != NULL) {
			g_ptr_array_add(patterns, argv[i]);
			continue;
		}
		g_variant_builder_init(&op, G_VARIANT_TYPE_VARDICT);
		g_variant_builder_add(&op, "{sv}", "op", g_variant_new_string("delete"));
		g_variant_builder_add(&op, "{sv}", "path", g_variant_new_string(argv[i]));
		g_variant_builder_add(&op,
				      "{sv}",
				      "is_folder",
				      g_variant_new_boolean(g_str_has_suffix(argv[i], "/")));
		g_variant_builder_add_value(&ops, g_variant_builder_end(&op));
	}
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	hubctl_upload_add_common(&options, o);
	if (patterns->len > 0)
		g_variant_builder_add(
			&options,
			"{sv}",
			"delete_patterns",
			g_variant_new_strv((const gchar *const *)patterns->pdata, patterns->len));
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_TRANSFERS,
			 "Commit",
			 g_variant_new("(sss@aa{sv}@a{sv})",
				       o->type,
				       o->address->repo_id,
				       o->revision,
				       g_variant_builder_end(&ops),
				       g_variant_builder_end(&options)),
			 -1,
			 &error,
			 "(o)",
			 &job_path))
		return hubctl_report_error(error);
	return hubctl_upload_finish(ctx, o, job_path);
}

static gint
hubctl_repo_files(HubctlContext *ctx, gint argc, gchar **argv)
{
	HubctlUploadOptions o = {0};
	gint exit_code = hubctl_upload_parse(
		"repo-files",
		_("delete REPO_ID PATH…"),
		_("Delete files (or folders, with a trailing '/', or every file matching a "
		  "wildcard such as '*.bin' — quote it from the shell) from a repo in one commit "
		  "and print the commit URL."),
		&o,
		FALSE,
		&argc,
		&argv);

	if (exit_code < 0 && (argc < 2 || g_strcmp0(argv[1], "delete") != 0))
		exit_code = hubctl_usage_error("repo-files", _("the only subcommand is “delete”"));
	if (exit_code < 0 && argc < 4)
		exit_code = hubctl_usage_error("repo-files",
					       _("a REPO_ID and at least one PATH are required"));
	if (exit_code < 0)
		exit_code = hubctl_repo_files_delete(ctx, &o, argc, argv);
	hubctl_upload_options_clear(&o);
	return exit_code;
}

const HubctlCommand hubctl_repo_files_command = {
	"repo-files",
	N_("repo-files delete REPO_ID PATH…"),
	N_("Delete files or folders from a repo in one commit"),
	hubctl_repo_files,
};
