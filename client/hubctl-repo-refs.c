/* hubctl-repo-refs.c: `hubctl repo files|branch|tag|commits` — the contents,
 * refs and history of a repository, over org.hubd.Hub1.Repos. */
#include <glib/gi18n.h>
#include <stdio.h>

#include "hubctl-repo.h"

/* ---- files ---- */

gint
hubctl_repo_files(HubctlContext *ctx, gint argc, gchar **argv)
{
	gboolean json = FALSE;
	gboolean recursive = FALSE;
	g_autofree gchar *revision = NULL;
	g_autofree gchar *type = NULL;
	HubdClient *proxy = NULL;
	g_autoptr(GVariant) entries_v = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(HubctlRepoArg) repo = {&revision, TRUE, NULL};
	GVariantBuilder options;
	gint exit_code = HUBCTL_EXIT_OK;
	const gchar *keys[] = {"path", "type", "size", "oid", "lfs_sha256", "lfs_size", NULL};
	const GOptionEntry entries[] = {
		{"revision",
		 'r',
		 0,
		 G_OPTION_ARG_STRING,
		 &revision,
		 N_("A branch, tag or commit (default: the default branch)"),
		 N_("REVISION")},
		{"recursive",
		 'R',
		 0,
		 G_OPTION_ARG_NONE,
		 &recursive,
		 N_("List the contents of folders too"),
		 NULL},
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON array"), NULL},
		{NULL},
	};

	if (!hubctl_repo_parse(
		    "repo files",
		    _("REPO_ID [PATH]"),
		    _("List the files and folders of a repository, or of a folder in it"),
		    entries,
		    &type,
		    &repo,
		    1,
		    2,
		    &argc,
		    &argv,
		    &exit_code))
		return exit_code;
	proxy = hubctl_repo_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	if (recursive)
		g_variant_builder_add(&options, "{sv}", "recursive", g_variant_new_boolean(TRUE));
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_REPOS,
			 "ListFiles",
			 g_variant_new("(ssss@a{sv})",
				       type,
				       repo.address->repo_id,
				       revision != NULL ? revision : "",
				       hubctl_repo_arg_path(&repo, argc, argv, 2),
				       g_variant_builder_end(&options)),
			 HUBCTL_REPO_TIMEOUT_MS,
			 &error,
			 "(@aa{sv})",
			 &entries_v))
		return hubctl_report_error(error);
	if (json)
		return hubctl_repo_print_json_array(entries_v, keys);
	{
		g_autoptr(HubctlTable) table = hubctl_table_new(3);
		GVariantIter iter;
		GVariant *item;

		if (g_variant_n_children(entries_v) > 0)
			hubctl_table_set_headers(table, _("PATH"), _("SIZE"), _("LFS"));
		g_variant_iter_init(&iter, entries_v);
		while ((item = g_variant_iter_next_value(&iter)) != NULL) {
			g_autoptr(GVariant) owned = item;
			g_autofree gchar *path = NULL;
			g_autofree gchar *size = NULL;
			guint64 n = 0;
			gboolean lfs = g_variant_lookup(item, "lfs_sha256", "&s", NULL);

			/* a folder reads "name/", as ls -F does */
			if (g_strcmp0(hubctl_repo_lookup(item, "type"), "directory") == 0) {
				path = g_strconcat(hubctl_repo_lookup(item, "path"), "/", NULL);
			} else {
				path = g_strdup(hubctl_repo_lookup(item, "path"));
				if (g_variant_lookup(item, "size", "t", &n))
					size = g_format_size(n);
			}
			hubctl_table_add_row(table, path, size, lfs ? _("yes") : NULL);
		}
		hubctl_table_print(table);
	}
	return HUBCTL_EXIT_OK;
}

/* ---- refs: branch and tag ---- */

/* `repo branch list` / `repo tag list`: which = "branches" or "tags" */
static gint
hubctl_repo_refs_list(HubctlContext *ctx,
		      const gchar *command,
		      const gchar *which,
		      gint argc,
		      gchar **argv)
{
	gboolean json = FALSE;
	g_autofree gchar *type = NULL;
	HubdClient *proxy = NULL;
	g_autoptr(GVariant) refs = NULL;
	g_autoptr(GVariant) list = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(HubctlRepoArg) repo = {NULL, FALSE, NULL};
	gint exit_code = HUBCTL_EXIT_OK;
	const gchar *keys[] = {"name", "ref", "target_commit", NULL};
	const GOptionEntry entries[] = {
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON array"), NULL},
		{NULL},
	};

	if (!hubctl_repo_parse(command,
			       _("REPO_ID"),
			       g_strcmp0(which, "tags") == 0
				       ? _("List the tags of a repository")
				       : _("List the branches of a repository"),
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
			 "ListRefs",
			 g_variant_new("(ss@a{sv})",
				       type,
				       repo.address->repo_id,
				       g_variant_new("a{sv}", NULL)),
			 HUBCTL_REPO_TIMEOUT_MS,
			 &error,
			 "(@a{sv})",
			 &refs))
		return hubctl_report_error(error);
	list = g_variant_lookup_value(refs, which, G_VARIANT_TYPE("aa{sv}"));
	if (list == NULL)
		list = g_variant_ref_sink(g_variant_new("aa{sv}", NULL));
	if (json)
		return hubctl_repo_print_json_array(list, keys);
	if (g_variant_n_children(list) > 0) {
		g_autoptr(HubctlTable) table = hubctl_table_new(2);
		GVariantIter iter;
		GVariant *item;

		hubctl_table_set_headers(table,
					 g_strcmp0(which, "tags") == 0 ? _("TAG") : _("BRANCH"),
					 _("COMMIT"));
		g_variant_iter_init(&iter, list);
		while ((item = g_variant_iter_next_value(&iter)) != NULL) {
			g_autoptr(GVariant) owned = item;
			hubctl_table_add_row(table,
					     hubctl_repo_lookup(item, "name"),
					     hubctl_repo_lookup(item, "target_commit"));
		}
		hubctl_table_print(table);
	}
	return HUBCTL_EXIT_OK;
}

/* `repo branch create` and `repo tag create` (only a tag has a --message) */
static gint
hubctl_repo_ref_create(HubctlContext *ctx, gboolean tag, gint argc, gchar **argv)
{
	gboolean exist_ok = FALSE;
	g_autofree gchar *revision = NULL;
	g_autofree gchar *message = NULL;
	g_autofree gchar *type = NULL;
	HubdClient *proxy = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(HubctlRepoArg) repo = {&revision, FALSE, NULL};
	GVariantBuilder options;
	gint exit_code = HUBCTL_EXIT_OK;
	const gchar *command = tag ? "repo tag create" : "repo branch create";
	gboolean ok;
	const GOptionEntry revision_entry = {
		"revision",
		'r',
		0,
		G_OPTION_ARG_STRING,
		&revision,
		tag ? N_("What to tag (default: the default branch)")
		    : N_("Where the branch starts (default: the default branch)"),
		N_("REVISION")};
	const GOptionEntry message_entry = {"message",
					    'm',
					    0,
					    G_OPTION_ARG_STRING,
					    &message,
					    N_("The tag's message"),
					    N_("MESSAGE")};
	const GOptionEntry exist_ok_entry = {"exist-ok",
					     0,
					     0,
					     G_OPTION_ARG_NONE,
					     &exist_ok,
					     tag ? N_("Do not fail if the tag exists already")
						 : N_("Do not fail if the branch exists already"),
					     NULL};
	const GOptionEntry tag_entries[] = {revision_entry, message_entry, exist_ok_entry, {NULL}};
	const GOptionEntry branch_entries[] = {revision_entry, exist_ok_entry, {NULL}};

	if (!hubctl_repo_parse(command,
			       tag ? _("REPO_ID TAG") : _("REPO_ID BRANCH"),
			       tag ? _("Tag a revision, e.g. for a release") : _("Create a branch"),
			       tag ? tag_entries : branch_entries,
			       &type,
			       &repo,
			       2,
			       2,
			       &argc,
			       &argv,
			       &exit_code))
		return exit_code;
	proxy = hubctl_repo_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	if (message != NULL)
		g_variant_builder_add(&options, "{sv}", "message", g_variant_new_string(message));
	if (exist_ok)
		g_variant_builder_add(&options, "{sv}", "exist_ok", g_variant_new_boolean(TRUE));
	if (tag)
		ok = hubctl_call(proxy,
				 HUBD_INTERFACE_REPOS,
				 "CreateTag",
				 g_variant_new("(ssss@a{sv})",
					       type,
					       repo.address->repo_id,
					       revision != NULL ? revision : "",
					       argv[2],
					       g_variant_builder_end(&options)),
				 HUBCTL_REPO_TIMEOUT_MS,
				 &error,
				 "()");
	else
		ok = hubctl_call(proxy,
				 HUBD_INTERFACE_REPOS,
				 "CreateBranch",
				 g_variant_new("(ssss@a{sv})",
					       type,
					       repo.address->repo_id,
					       revision != NULL ? revision : "",
					       argv[2],
					       g_variant_builder_end(&options)),
				 HUBCTL_REPO_TIMEOUT_MS,
				 &error,
				 "()");
	if (!ok)
		return hubctl_report_error(error);
	return HUBCTL_EXIT_OK;
}

/* `repo branch delete` and `repo tag delete` */
static gint
hubctl_repo_ref_delete(HubctlContext *ctx, gboolean tag, gint argc, gchar **argv)
{
	gboolean yes = FALSE;
	g_autofree gchar *type = NULL;
	g_autofree gchar *question = NULL;
	HubdClient *proxy = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(HubctlRepoArg) repo = {NULL, FALSE, NULL};
	gint exit_code = HUBCTL_EXIT_OK;
	const gchar *command = tag ? "repo tag delete" : "repo branch delete";
	gboolean ok;
	const GOptionEntry entries[] = {
		{"yes", 'y', 0, G_OPTION_ARG_NONE, &yes, N_("Do not ask for confirmation"), NULL},
		{NULL},
	};

	if (!hubctl_repo_parse(command,
			       tag ? _("REPO_ID TAG") : _("REPO_ID BRANCH"),
			       tag ? _("Delete a tag. On a terminal it asks first, unless --yes "
				       "is given.")
				   : _("Delete a branch. On a terminal it asks first, unless "
				       "--yes is given."),
			       entries,
			       &type,
			       &repo,
			       2,
			       2,
			       &argc,
			       &argv,
			       &exit_code))
		return exit_code;
	/* TRANSLATORS: a tag or branch name, then the repo id */
	question = g_strdup_printf(tag ? _("Delete the tag “%s” of “%s”?")
				       : _("Delete the branch “%s” of “%s”?"),
				   argv[2],
				   repo.address->repo_id);
	if (!hubctl_repo_confirm(yes, question))
		return HUBCTL_EXIT_FAILED;
	proxy = hubctl_repo_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	if (tag)
		ok = hubctl_call(proxy,
				 HUBD_INTERFACE_REPOS,
				 "DeleteTag",
				 g_variant_new("(sss@a{sv})",
					       type,
					       repo.address->repo_id,
					       argv[2],
					       g_variant_new("a{sv}", NULL)),
				 HUBCTL_REPO_TIMEOUT_MS,
				 &error,
				 "()");
	else
		ok = hubctl_call(proxy,
				 HUBD_INTERFACE_REPOS,
				 "DeleteBranch",
				 g_variant_new("(sss@a{sv})",
					       type,
					       repo.address->repo_id,
					       argv[2],
					       g_variant_new("a{sv}", NULL)),
				 HUBCTL_REPO_TIMEOUT_MS,
				 &error,
				 "()");
	if (!ok)
		return hubctl_report_error(error);
	return HUBCTL_EXIT_OK;
}

static gint
hubctl_repo_branch_create(HubctlContext *ctx, gint argc, gchar **argv)
{
	return hubctl_repo_ref_create(ctx, FALSE, argc, argv);
}

static gint
hubctl_repo_tag_create(HubctlContext *ctx, gint argc, gchar **argv)
{
	return hubctl_repo_ref_create(ctx, TRUE, argc, argv);
}

static gint
hubctl_repo_branch_delete(HubctlContext *ctx, gint argc, gchar **argv)
{
	return hubctl_repo_ref_delete(ctx, FALSE, argc, argv);
}

static gint
hubctl_repo_tag_delete(HubctlContext *ctx, gint argc, gchar **argv)
{
	return hubctl_repo_ref_delete(ctx, TRUE, argc, argv);
}

static gint
hubctl_repo_branch_list(HubctlContext *ctx, gint argc, gchar **argv)
{
	return hubctl_repo_refs_list(ctx, "repo branch list", "branches", argc, argv);
}

static gint
hubctl_repo_tag_list(HubctlContext *ctx, gint argc, gchar **argv)
{
	return hubctl_repo_refs_list(ctx, "repo tag list", "tags", argc, argv);
}

typedef struct {
	const gchar *name;
	gint (*func)(HubctlContext *ctx, gint argc, gchar **argv);
	const gchar *summary;
} HubctlRepoSub;

/* group is "branch" or "tag"; argv[0] is the group */
static gint
hubctl_repo_dispatch(HubctlContext *ctx,
		     const gchar *group,
		     const HubctlRepoSub *subs,
		     guint n_subs,
		     gint argc,
		     gchar **argv)
{
	g_autofree gchar *command = g_strdup_printf("repo %s", group);

	if (argc < 2 || g_strcmp0(argv[1], "--help") == 0 || g_strcmp0(argv[1], "-h") == 0) {
		FILE *out = argc < 2 ? stderr : stdout;
		/* TRANSLATORS: %s is "branch" or "tag" */
		g_autofree gchar *usage =
			g_strdup_printf(_("Usage: hubctl repo %s COMMAND REPO_ID [OPTIONS]"),
					group);
		fprintf(out, "%s\n\n", usage);
		for (guint i = 0; i < n_subs; i++)
			fprintf(out, "  %-7s %s\n", subs[i].name, _(subs[i].summary));
		return argc < 2 ? HUBCTL_EXIT_USAGE : HUBCTL_EXIT_OK;
	}
	for (guint i = 0; i < n_subs; i++) {
		if (g_strcmp0(argv[1], subs[i].name) == 0)
			return subs[i].func(ctx, argc - 1, argv + 1);
	}
	{
		g_autofree gchar *message =
			/* TRANSLATORS: %s is what the user typed */
			g_strdup_printf(_("unknown command “%s” (create, delete, list)"), argv[1]);
		return hubctl_usage_error(command, message);
	}
}

gint
hubctl_repo_branch(HubctlContext *ctx, gint argc, gchar **argv)
{
	static const HubctlRepoSub subs[] = {
		{"create", hubctl_repo_branch_create, N_("Create a branch")},
		{"delete", hubctl_repo_branch_delete, N_("Delete a branch")},
		{"list", hubctl_repo_branch_list, N_("List the branches")},
	};

	return hubctl_repo_dispatch(ctx, "branch", subs, G_N_ELEMENTS(subs), argc, argv);
}

gint
hubctl_repo_tag(HubctlContext *ctx, gint argc, gchar **argv)
{
	static const HubctlRepoSub subs[] = {
		{"create", hubctl_repo_tag_create, N_("Tag a revision")},
		{"delete", hubctl_repo_tag_delete, N_("Delete a tag")},
		{"list", hubctl_repo_tag_list, N_("List the tags")},
	};

	return hubctl_repo_dispatch(ctx, "tag", subs, G_N_ELEMENTS(subs), argc, argv);
}

/* ---- commits ---- */

gint
hubctl_repo_commits(HubctlContext *ctx, gint argc, gchar **argv)
{
	gboolean json = FALSE;
	gint limit = G_MININT; /* not given */
	g_autofree gchar *revision = NULL;
	g_autofree gchar *type = NULL;
	HubdClient *proxy = NULL;
	g_autoptr(GVariant) commits = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(HubctlRepoArg) repo = {&revision, FALSE, NULL};
	GVariantBuilder options;
	gint exit_code = HUBCTL_EXIT_OK;
	const gchar *keys[] = {"id", "title", "message", "date", "authors", NULL};
	const GOptionEntry entries[] = {
		{"revision",
		 'r',
		 0,
		 G_OPTION_ARG_STRING,
		 &revision,
		 N_("A branch, tag or commit (default: the default branch)"),
		 N_("REVISION")},
		{"limit",
		 0,
		 0,
		 G_OPTION_ARG_INT,
		 &limit,
		 N_("Show at most N commits (default: all)"),
		 N_("N")},
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON array"), NULL},
		{NULL},
	};

	if (!hubctl_repo_parse("repo commits",
			       _("REPO_ID"),
			       _("Show the history of a branch, tag or commit, newest first"),
			       entries,
			       &type,
			       &repo,
			       1,
			       1,
			       &argc,
			       &argv,
			       &exit_code))
		return exit_code;
	if (limit != G_MININT && !hubctl_repo_check_limit("repo commits", limit, &exit_code))
		return exit_code;
	proxy = hubctl_repo_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	/* 0 keeps its usual meaning here too: no limit */
	if (limit > 0)
		g_variant_builder_add(&options, "{sv}", "limit", g_variant_new_uint32(limit));
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_REPOS,
			 "ListCommits",
			 g_variant_new("(sss@a{sv})",
				       type,
				       repo.address->repo_id,
				       revision != NULL ? revision : "",
				       g_variant_builder_end(&options)),
			 HUBCTL_REPO_TIMEOUT_MS,
			 &error,
			 "(@aa{sv})",
			 &commits))
		return hubctl_report_error(error);
	if (json)
		return hubctl_repo_print_json_array(commits, keys);
	{
		g_autoptr(HubctlTable) table = hubctl_table_new(4);
		GVariantIter iter;
		GVariant *item;

		if (g_variant_n_children(commits) > 0)
			hubctl_table_set_headers(table,
						 _("COMMIT"),
						 _("DATE"),
						 _("AUTHOR"),
						 _("TITLE"));
		g_variant_iter_init(&iter, commits);
		while ((item = g_variant_iter_next_value(&iter)) != NULL) {
			g_autoptr(GVariant) owned = item;
			g_autofree const gchar **authors = NULL;
			g_autofree gchar *authors_text = NULL;
			g_autofree gchar *date =
				hubctl_repo_short_date(hubctl_repo_lookup(item, "date"));

			if (g_variant_lookup(item, "authors", "^a&s", &authors))
				authors_text = g_strjoinv(", ", (gchar **)authors);
			hubctl_table_add_row(table,
					     hubctl_repo_lookup(item, "id"),
					     date,
					     authors_text,
					     hubctl_repo_lookup(item, "title"));
		}
		hubctl_table_print(table);
	}
	return HUBCTL_EXIT_OK;
}
