/* hubctl-discussions.c: `hubctl discussions` (list, info, diff, create,
 * comment, edit-comment, rename, close, reopen, merge), as `hf discussions`,
 * over org.hubd.Hub1.Discussions. --json shapes: hubctl-json.md. */
#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

#include "hubctl-repo.h"

static const gchar *const discussion_keys[] = {"num",
					       "title",
					       "status",
					       "author",
					       "created_at",
					       "is_pull_request",
					       "repo_id",
					       "repo_type",
					       NULL};

/* a listing follows every page within one call */
#define HUBCTL_DISCUSSIONS_TIMEOUT_MS (10 * 60 * 1000)

static HubdClient *
proxy_new(HubctlContext *ctx)
{
	return hubctl_context_get_client(ctx);
}

/* NUM (from 1), or a usage error */
static gboolean
parse_num(const gchar *command, const gchar *text, guint *num, gint *exit_code)
{
	guint64 n = 0;

	if (text != NULL && g_ascii_string_to_unsigned(text, 10, 1, G_MAXUINT32, &n, NULL)) {
		*num = (guint)n;
		return TRUE;
	}
	*exit_code = hubctl_usage_error(command, _("NUM is a discussion number (1, 2, …)"));
	return FALSE;
}

/* --body TEXT or --body-file FILE ("-": stdin), at most one; NULL when neither */
static gboolean
read_body(const gchar *command,
	  const gchar *body,
	  const gchar *body_file,
	  gboolean required,
	  gchar **out,
	  gint *exit_code)
{
	g_autoptr(GError) error = NULL;

	*out = NULL;
	if (body != NULL && body_file != NULL) {
		*exit_code = hubctl_usage_error(command, _("give --body or --body-file, not both"));
		return FALSE;
	}
	if (body_file != NULL && g_strcmp0(body_file, "-") == 0) {
		g_autoptr(GInputStream) in = g_unix_input_stream_new(STDIN_FILENO, FALSE);
		g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable();

		if (g_output_stream_splice(mem,
					   in,
					   G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
					   NULL,
					   &error) < 0 ||
		    !g_output_stream_write(mem, "", 1, NULL, &error)) {
			*exit_code = hubctl_report_error(error);
			return FALSE;
		}
		*out = g_memory_output_stream_steal_data(G_MEMORY_OUTPUT_STREAM(mem));
	} else if (body_file != NULL) {
		if (!g_file_get_contents(body_file, out, NULL, &error)) {
			*exit_code = hubctl_report_error(error);
			return FALSE;
		}
	} else {
		*out = g_strdup(body);
	}
	if (*out != NULL && !g_utf8_validate(*out, -1, NULL)) {
		g_clear_pointer(out, g_free);
		*exit_code = hubctl_usage_error(command, _("the text is not UTF-8"));
		return FALSE;
	}
	if (required && (*out == NULL || (*out)[0] == '\0')) {
		*exit_code = hubctl_usage_error(command, _("--body or --body-file is required"));
		return FALSE;
	}
	return TRUE;
}

/* ---- list ---- */

static gint
discussions_list(HubctlContext *ctx, gint argc, gchar **argv)
{
	g_autofree gchar *type = NULL;
	g_autofree gchar *status = NULL;
	g_autofree gchar *kind = NULL;
	g_autofree gchar *author = NULL;
	gint limit = 0;
	gboolean json = FALSE;
	HubdClient *proxy = NULL;
	g_autoptr(GVariant) items = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(HubctlTable) table = NULL;
	g_auto(HubctlRepoArg) repo = {NULL, FALSE, NULL};
	GVariantBuilder options;
	GVariantBuilder kept;
	GVariantIter iter;
	GVariant *item;
	guint shown = 0;
	gint exit_code = HUBCTL_EXIT_OK;
	const gchar *const statuses[] = {"all", "open", "closed", "merged", "draft", NULL};
	const GOptionEntry entries[] = {
		{"status",
		 's',
		 0,
		 G_OPTION_ARG_STRING,
		 &status,
		 N_("open, closed, merged, draft or all (default: open)"),
		 N_("STATUS")},
		{"kind",
		 'k',
		 0,
		 G_OPTION_ARG_STRING,
		 &kind,
		 N_("all, discussion or pull_request (default: all)"),
		 N_("KIND")},
		{"author",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &author,
		 N_("Opened by this user"),
		 N_("USER")},
		{"limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("At most N"), N_("N")},
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL},
		{NULL},
	};

	if (!hubctl_repo_parse("discussions list",
			       _("REPO_ID"),
			       _("List a repository's discussions and pull requests"),
			       entries,
			       &type,
			       &repo,
			       1,
			       1,
			       &argc,
			       &argv,
			       &exit_code) ||
	    !hubctl_repo_check_limit("discussions list", limit, &exit_code))
		return exit_code;
	if (status == NULL)
		status = g_strdup("open");
	if (!g_strv_contains(statuses, status))
		return hubctl_usage_error("discussions list",
					  _("--status is open, closed, merged, draft or all"));
	proxy = proxy_new(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	/* the Hub filters on open (drafts too) and closed (merged too); merged
	 * and draft are picked out here, as hf does */
	g_variant_builder_add(&options,
			      "{sv}",
			      "status",
			      g_variant_new_string(g_strcmp0(status, "merged") == 0  ? "closed"
						   : g_strcmp0(status, "draft") == 0 ? "open"
										     : status));
	if (kind != NULL)
		g_variant_builder_add(&options, "{sv}", "kind", g_variant_new_string(kind));
	if (author != NULL)
		g_variant_builder_add(&options, "{sv}", "author", g_variant_new_string(author));
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_DISCUSSIONS,
			 "List",
			 g_variant_new("(ss@a{sv})",
				       type,
				       repo.address->repo_id,
				       g_variant_builder_end(&options)),
			 HUBCTL_DISCUSSIONS_TIMEOUT_MS,
			 &error,
			 "(@aa{sv})",
			 &items))
		return hubctl_report_error(error);
	g_variant_builder_init(&kept, G_VARIANT_TYPE("aa{sv}"));
	g_variant_iter_init(&iter, items);
	while ((item = g_variant_iter_next_value(&iter)) != NULL) {
		g_autoptr(GVariant) owned = item;
		const gchar *st = hubctl_repo_lookup(item, "status");

		if ((g_strcmp0(status, "merged") == 0 || g_strcmp0(status, "draft") == 0) &&
		    g_strcmp0(st, status) != 0)
			continue;
		if (limit > 0 && shown >= (guint)limit)
			break;
		shown++;
		g_variant_builder_add_value(&kept, item);
	}
	g_clear_pointer(&items, g_variant_unref);
	items = g_variant_ref_sink(g_variant_builder_end(&kept));
	if (json)
		return hubctl_repo_print_json_array(items, discussion_keys);
	table = hubctl_table_new(6);
	hubctl_table_set_headers(table, "NUM", "KIND", "STATUS", "TITLE", "AUTHOR", "CREATED");
	g_variant_iter_init(&iter, items);
	while ((item = g_variant_iter_next_value(&iter)) != NULL) {
		g_autoptr(GVariant) owned = item;
		guint32 num = 0;
		gboolean pr = FALSE;
		g_autofree gchar *num_text = NULL;
		g_autofree gchar *date = NULL;

		g_variant_lookup(item, "num", "u", &num);
		g_variant_lookup(item, "is_pull_request", "b", &pr);
		num_text = g_strdup_printf("#%u", num);
		date = hubctl_repo_short_date(hubctl_repo_lookup(item, "created_at"));
		hubctl_table_add_row(table,
				     num_text,
				     pr ? "pr" : "discussion",
				     hubctl_repo_lookup(item, "status"),
				     hubctl_repo_lookup(item, "title"),
				     hubctl_repo_lookup(item, "author"),
				     date);
	}
	hubctl_table_print(table);
	return HUBCTL_EXIT_OK;
}

/* ---- info, diff ---- */

static void
print_event(GVariant *e)
{
	const gchar *type = hubctl_repo_lookup(e, "type");
	g_autofree gchar *date = hubctl_repo_short_date(hubctl_repo_lookup(e, "created_at"));
	gboolean hidden = FALSE;

	g_print("%s %s", date, hubctl_repo_lookup(e, "author"));
	if (g_strcmp0(type, "comment") == 0) {
		g_variant_lookup(e, "hidden", "b", &hidden);
		g_print(" commented (%s):\n", hubctl_repo_lookup(e, "id"));
		if (hidden) {
			g_print("    %s\n", _("[hidden]"));
		} else {
			g_auto(GStrv) lines =
				g_strsplit(hubctl_repo_lookup(e, "content"), "\n", -1);

			for (guint i = 0; lines[i] != NULL; i++)
				g_print("    %s\n", lines[i]);
		}
	} else if (g_strcmp0(type, "status-change") == 0) {
		g_print(" changed the status to %s\n", hubctl_repo_lookup(e, "status"));
	} else if (g_strcmp0(type, "commit") == 0) {
		g_print(" pushed %.7s %s\n",
			hubctl_repo_lookup(e, "oid"),
			hubctl_repo_lookup(e, "summary"));
	} else if (g_strcmp0(type, "title-change") == 0) {
		g_print(" renamed “%s” to “%s”\n",
			hubctl_repo_lookup(e, "old_title"),
			hubctl_repo_lookup(e, "new_title"));
	} else {
		g_print(" %s\n", type);
	}
}

static gint
discussions_show(HubctlContext *ctx, gint argc, gchar **argv, gboolean diff_only)
{
	const gchar *command = diff_only ? "discussions diff" : "discussions info";
	g_autofree gchar *type = NULL;
	gboolean json = FALSE;
	gboolean diff = diff_only;
	HubdClient *proxy = NULL;
	g_autoptr(GVariant) d = NULL;
	g_autoptr(GVariant) events = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(HubctlRepoArg) repo = {NULL, FALSE, NULL};
	GVariantBuilder options;
	guint num = 0;
	gint exit_code = HUBCTL_EXIT_OK;
	gboolean pr = FALSE;
	const GOptionEntry info_entries[] = {
		{"diff",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &diff,
		 N_("Show a pull request's diff too"),
		 NULL},
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL},
		{NULL},
	};

	if (!hubctl_repo_parse(command,
			       _("REPO_ID NUM"),
			       diff_only ? _("Print a pull request's changes as a git diff")
					 : _("Show a discussion or pull request with its events"),
			       diff_only ? NULL : info_entries,
			       &type,
			       &repo,
			       2,
			       2,
			       &argc,
			       &argv,
			       &exit_code) ||
	    !parse_num(command, argv[2], &num, &exit_code))
		return exit_code;
	proxy = proxy_new(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	if (diff)
		g_variant_builder_add(&options, "{sv}", "diff", g_variant_new_boolean(TRUE));
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_DISCUSSIONS,
			 "Get",
			 g_variant_new("(ssu@a{sv})",
				       type,
				       repo.address->repo_id,
				       num,
				       g_variant_builder_end(&options)),
			 HUBCTL_DISCUSSIONS_TIMEOUT_MS,
			 &error,
			 "(@a{sv})",
			 &d))
		return hubctl_report_error(error);
	if (diff_only) {
		fputs(hubctl_repo_lookup(d, "diff"), stdout);
		return HUBCTL_EXIT_OK;
	}
	if (json) {
		g_autoptr(JsonNode) node = hubctl_variant_to_json(d);

		hubctl_print_json(node);
		return HUBCTL_EXIT_OK;
	}
	g_variant_lookup(d, "is_pull_request", "b", &pr);
	g_print("#%u %s\n", num, hubctl_repo_lookup(d, "title"));
	g_print("%s: %s, %s %s\n",
		pr ? _("pull request") : _("discussion"),
		hubctl_repo_lookup(d, "status"),
		_("opened by"),
		hubctl_repo_lookup(d, "author"));
	if (pr)
		g_print("%s: refs/pr/%u → %s\n",
			_("branch"),
			num,
			hubctl_repo_lookup(d, "target_branch"));
	events = g_variant_lookup_value(d, "events", G_VARIANT_TYPE("aa{sv}"));
	for (gsize i = 0; events != NULL && i < g_variant_n_children(events); i++) {
		g_autoptr(GVariant) e = g_variant_get_child_value(events, i);

		print_event(e);
	}
	if (diff)
		fputs(hubctl_repo_lookup(d, "diff"), stdout);
	return HUBCTL_EXIT_OK;
}

static gint
discussions_info(HubctlContext *ctx, gint argc, gchar **argv)
{
	return discussions_show(ctx, argc, argv, FALSE);
}

static gint
discussions_diff(HubctlContext *ctx, gint argc, gchar **argv)
{
	return discussions_show(ctx, argc, argv, TRUE);
}

/* ---- create ---- */

static gint
discussions_create(HubctlContext *ctx, gint argc, gchar **argv)
{
	g_autofree gchar *type = NULL;
	g_autofree gchar *title = NULL;
	g_autofree gchar *body = NULL;
	g_autofree gchar *body_file = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *url = NULL;
	gboolean pr = FALSE;
	guint num = 0;
	HubdClient *proxy = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(HubctlRepoArg) repo = {NULL, FALSE, NULL};
	GVariantBuilder options;
	gint exit_code = HUBCTL_EXIT_OK;
	const GOptionEntry entries[] = {
		{"title",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &title,
		 N_("The title (required)"),
		 N_("TITLE")},
		{"body", 0, 0, G_OPTION_ARG_STRING, &body, N_("The description"), N_("TEXT")},
		{"body-file",
		 0,
		 0,
		 G_OPTION_ARG_FILENAME,
		 &body_file,
		 N_("Read the description from FILE (- for stdin)"),
		 N_("FILE")},
		{"pr", 0, 0, G_OPTION_ARG_NONE, &pr, N_("Open a (draft) pull request"), NULL},
		{NULL},
	};

	if (!hubctl_repo_parse("discussions create",
			       _("REPO_ID"),
			       _("Open a discussion or a pull request; print its URL"),
			       entries,
			       &type,
			       &repo,
			       1,
			       1,
			       &argc,
			       &argv,
			       &exit_code) ||
	    !read_body("discussions create", body, body_file, FALSE, &text, &exit_code))
		return exit_code;
	if (title == NULL)
		return hubctl_usage_error("discussions create", _("--title is required"));
	proxy = proxy_new(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	if (text != NULL)
		g_variant_builder_add(&options, "{sv}", "description", g_variant_new_string(text));
	if (pr)
		g_variant_builder_add(&options,
				      "{sv}",
				      "pull_request",
				      g_variant_new_boolean(TRUE));
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_DISCUSSIONS,
			 "Create",
			 g_variant_new("(sss@a{sv})",
				       type,
				       repo.address->repo_id,
				       title,
				       g_variant_builder_end(&options)),
			 HUBCTL_DISCUSSIONS_TIMEOUT_MS,
			 &error,
			 "(us)",
			 &num,
			 &url))
		return hubctl_report_error(error);
	g_print("%s\n", url);
	return HUBCTL_EXIT_OK;
}

/* ---- the changes: comment, edit-comment, rename, close, reopen, merge ---- */

typedef enum {
	CHANGE_COMMENT,
	CHANGE_EDIT,
	CHANGE_RENAME,
	CHANGE_CLOSE,
	CHANGE_REOPEN,
	CHANGE_MERGE
} Change;

static gint
discussions_change(HubctlContext *ctx, gint argc, gchar **argv, Change change)
{
	static const struct {
		const gchar *command;
		const gchar *params;
		const gchar *summary;
		gint n_args;
	} forms[] = {
		{"discussions comment", N_("REPO_ID NUM"), N_("Comment on a discussion"), 2},
		{"discussions edit-comment",
		 N_("REPO_ID NUM COMMENT_ID"),
		 N_("Replace the text of one of your comments"),
		 3},
		{"discussions rename", N_("REPO_ID NUM NEW_TITLE"), N_("Rename a discussion"), 3},
		{"discussions close", N_("REPO_ID NUM"), N_("Close a discussion"), 2},
		{"discussions reopen", N_("REPO_ID NUM"), N_("Reopen a discussion"), 2},
		{"discussions merge", N_("REPO_ID NUM"), N_("Merge a pull request"), 2},
	};
	const gchar *command = forms[change].command;
	g_autofree gchar *type = NULL;
	g_autofree gchar *body = NULL;
	g_autofree gchar *body_file = NULL;
	g_autofree gchar *comment = NULL;
	g_autofree gchar *text = NULL;
	gboolean yes = FALSE;
	guint num = 0;
	HubdClient *proxy = NULL;
	g_autoptr(GVariant) event = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(HubctlRepoArg) repo = {NULL, FALSE, NULL};
	GVariantBuilder options;
	gint exit_code = HUBCTL_EXIT_OK;
	gboolean ok;
	const GOptionEntry body_entries[] = {
		{"body", 0, 0, G_OPTION_ARG_STRING, &body, N_("The text"), N_("TEXT")},
		{"body-file",
		 0,
		 0,
		 G_OPTION_ARG_FILENAME,
		 &body_file,
		 N_("Read the text from FILE (- for stdin)"),
		 N_("FILE")},
		{NULL},
	};
	const GOptionEntry status_entries[] = {
		{"comment", 0, 0, G_OPTION_ARG_STRING, &comment, N_("Comment with it"), N_("TEXT")},
		{"yes", 'y', 0, G_OPTION_ARG_NONE, &yes, N_("Do not ask for confirmation"), NULL},
		{NULL},
	};

	if (!hubctl_repo_parse(command,
			       _(forms[change].params),
			       _(forms[change].summary),
			       change <= CHANGE_EDIT     ? body_entries
			       : change == CHANGE_RENAME ? NULL
							 : status_entries,
			       &type,
			       &repo,
			       forms[change].n_args,
			       forms[change].n_args,
			       &argc,
			       &argv,
			       &exit_code) ||
	    !parse_num(command, argv[2], &num, &exit_code) ||
	    (change <= CHANGE_EDIT &&
	     !read_body(command, body, body_file, TRUE, &text, &exit_code)))
		return exit_code;
	/* closing and merging are asked about on a terminal, as hf does */
	if (change >= CHANGE_CLOSE && !yes && isatty(STDIN_FILENO) && isatty(STDERR_FILENO)) {
		g_autofree gchar *q = g_strdup_printf(_("%s #%u of %s?"),
						      change == CHANGE_CLOSE    ? _("Close")
						      : change == CHANGE_REOPEN ? _("Reopen")
										: _("Merge"),
						      num,
						      repo.address->repo_id);

		if (!hubctl_ask_yes_no(q)) {
			g_printerr("%s\n", _("aborted, nothing was changed"));
			return HUBCTL_EXIT_FAILED;
		}
	}
	proxy = proxy_new(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	if (comment != NULL)
		g_variant_builder_add(&options, "{sv}", "comment", g_variant_new_string(comment));
	switch (change) {
	case CHANGE_COMMENT:
		ok = hubctl_call(proxy,
				 HUBD_INTERFACE_DISCUSSIONS,
				 "Comment",
				 g_variant_new("(ssus@a{sv})",
					       type,
					       repo.address->repo_id,
					       num,
					       text,
					       g_variant_builder_end(&options)),
				 HUBCTL_DISCUSSIONS_TIMEOUT_MS,
				 &error,
				 "(@a{sv})",
				 &event);
		break;
	case CHANGE_EDIT:
		ok = hubctl_call(proxy,
				 HUBD_INTERFACE_DISCUSSIONS,
				 "EditComment",
				 g_variant_new("(ssuss@a{sv})",
					       type,
					       repo.address->repo_id,
					       num,
					       argv[3],
					       text,
					       g_variant_builder_end(&options)),
				 HUBCTL_DISCUSSIONS_TIMEOUT_MS,
				 &error,
				 "(@a{sv})",
				 &event);
		break;
	case CHANGE_RENAME:
		ok = hubctl_call(proxy,
				 HUBD_INTERFACE_DISCUSSIONS,
				 "Rename",
				 g_variant_new("(ssus@a{sv})",
					       type,
					       repo.address->repo_id,
					       num,
					       argv[3],
					       g_variant_builder_end(&options)),
				 HUBCTL_DISCUSSIONS_TIMEOUT_MS,
				 &error,
				 "(@a{sv})",
				 &event);
		break;
	case CHANGE_MERGE:
		ok = hubctl_call(proxy,
				 HUBD_INTERFACE_DISCUSSIONS,
				 "Merge",
				 g_variant_new("(ssu@a{sv})",
					       type,
					       repo.address->repo_id,
					       num,
					       g_variant_builder_end(&options)),
				 HUBCTL_DISCUSSIONS_TIMEOUT_MS,
				 &error,
				 "()");
		break;
	case CHANGE_CLOSE:
	case CHANGE_REOPEN:
	default:
		ok = hubctl_call(proxy,
				 HUBD_INTERFACE_DISCUSSIONS,
				 "ChangeStatus",
				 g_variant_new("(ssus@a{sv})",
					       type,
					       repo.address->repo_id,
					       num,
					       change == CHANGE_CLOSE ? "closed" : "open",
					       g_variant_builder_end(&options)),
				 HUBCTL_DISCUSSIONS_TIMEOUT_MS,
				 &error,
				 "(@a{sv})",
				 &event);
		break;
	}
	if (!ok)
		return hubctl_report_error(error);
	/* a new comment's id is what edit-comment takes */
	if (change == CHANGE_COMMENT)
		g_print("%s\n", hubctl_repo_lookup(event, "id"));
	return HUBCTL_EXIT_OK;
}

#define CHANGE_FUNC(name, change)                                     \
	static gint name(HubctlContext *ctx, gint argc, gchar **argv) \
	{                                                             \
		return discussions_change(ctx, argc, argv, change);   \
	}
CHANGE_FUNC(discussions_comment, CHANGE_COMMENT)
CHANGE_FUNC(discussions_edit_comment, CHANGE_EDIT)
CHANGE_FUNC(discussions_rename, CHANGE_RENAME)
CHANGE_FUNC(discussions_close, CHANGE_CLOSE)
CHANGE_FUNC(discussions_reopen, CHANGE_REOPEN)
CHANGE_FUNC(discussions_merge, CHANGE_MERGE)

static const struct {
	const gchar *name;
	HubctlCommandFunc func;
	const gchar *summary;
} subcommands[] = {
	{"list", discussions_list, N_("List discussions and pull requests")},
	{"info", discussions_info, N_("Show one with its events")},
	{"diff", discussions_diff, N_("Print a pull request's diff")},
	{"create", discussions_create, N_("Open a discussion or a pull request")},
	{"comment", discussions_comment, N_("Comment")},
	{"edit-comment", discussions_edit_comment, N_("Edit one of your comments")},
	{"rename", discussions_rename, N_("Change the title")},
	{"close", discussions_close, N_("Close")},
	{"reopen", discussions_reopen, N_("Reopen")},
	{"merge", discussions_merge, N_("Merge a pull request")},
};

static gint
discussions_run(HubctlContext *ctx, gint argc, gchar **argv)
{
	if (argc < 2 || g_strcmp0(argv[1], "--help") == 0 || g_strcmp0(argv[1], "-h") == 0) {
		FILE *out = argc < 2 ? stderr : stdout;

		fprintf(out, "%s\n\n", _("Usage: hubctl discussions COMMAND [OPTIONS]"));
		for (guint i = 0; i < G_N_ELEMENTS(subcommands); i++)
			fprintf(out,
				"  %-13s %s\n",
				subcommands[i].name,
				_(subcommands[i].summary));
		fprintf(out,
			"\n%s\n",
			_("Run 'hubctl discussions COMMAND --help' for its options."));
		return argc < 2 ? HUBCTL_EXIT_USAGE : HUBCTL_EXIT_OK;
	}
	if (g_strcmp0(argv[1], "ls") == 0)
		return discussions_list(ctx, argc - 1, argv + 1);
	for (guint i = 0; i < G_N_ELEMENTS(subcommands); i++) {
		if (g_strcmp0(argv[1], subcommands[i].name) == 0)
			return subcommands[i].func(ctx, argc - 1, argv + 1);
	}
	{
		g_autofree gchar *message = g_strdup_printf(
			_("unknown command “%s” (list, info, diff, create, comment, "
			  "edit-comment, rename, close, reopen, merge)"),
			argv[1]);

		return hubctl_usage_error("discussions", message);
	}
}

const HubctlCommand hubctl_discussions_command = {
	"discussions",
	N_("discussions list|info|diff|create|comment|…"),
	N_("Discussions and pull requests of a repository"),
	discussions_run,
};
