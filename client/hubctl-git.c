/* hubctl-git.c: `hubctl lfs-enable-largefiles PATH`, `hubctl auth
 * git-credential` (git's credential-helper protocol) and the git config that
 * `auth login|switch --add-to-git-credential` writes. The facts are in
 * docs/git.md. */
#include "hubctl-git.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#define HUBCTL_GIT_HELPER_ARGS "auth git-credential"

HubdClient *
hubctl_git_proxy(HubctlContext *ctx)
{
	return hubctl_context_get_client(ctx);
}

gchar *
hubctl_git_self_path(void)
{
	g_autoptr(GError) error = NULL;
	gchar *path = g_file_read_link("/proc/self/exe", &error);

	if (path == NULL)
		g_printerr("hubctl: %s: %s\n", _("cannot find hubctl’s own path"), error->message);
	return path;
}

/* Runs git with `args` (no shell), its output kept off hubctl's stdout; TRUE
 * on exit status 0. `err` gets git's stderr (replacing what it held). */
static gboolean
hubctl_git_run(const gchar *const *args, gchar **err)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GError) error = NULL;
	g_autofree gchar *out = NULL;
	gint status = 0;

	g_clear_pointer(err, g_free);
	g_ptr_array_add(argv, (gpointer) "git");
	for (guint i = 0; args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)args[i]);
	g_ptr_array_add(argv, NULL);
	if (!g_spawn_sync(NULL,
			  (gchar **)argv->pdata,
			  NULL,
			  G_SPAWN_SEARCH_PATH,
			  NULL,
			  NULL,
			  &out,
			  err,
			  &status,
			  &error)) {
		*err = g_strdup(error->message);
		return FALSE;
	}
	return g_spawn_check_wait_status(status, NULL);
}

/* ---- lfs-enable-largefiles ---- */

static gint
hubctl_lfs_enable_largefiles(HubctlContext *ctx, gint argc, gchar **argv)
{
	g_autofree gchar *self = NULL;
	g_autofree gchar *err = NULL;
	gint exit_code = HUBCTL_EXIT_OK;
	const gchar *path;

	if (!hubctl_parse_options("lfs-enable-largefiles",
				  _("PATH"),
				  _("Make git-lfs in the git repository at PATH upload files over "
				    "5 GB through hubd (hubctl lfs-multipart-upload)"),
				  NULL,
				  &argc,
				  &argv,
				  &exit_code))
		return exit_code;
	if (argc != 2)
		return hubctl_usage_error("lfs-enable-largefiles",
					  _("give the path of one git repository"));
	path = argv[1];
	{
		const gchar *check[] = {"-C", path, "rev-parse", "--git-dir", NULL};
		if (!hubctl_git_run(check, &err)) {
			g_printerr("hubctl: ");
			/* TRANSLATORS: %s is a folder the user gave */
			g_printerr(_("%s is not a git repository"), path);
			g_printerr("\n");
			return HUBCTL_EXIT_FAILED;
		}
	}
	self = hubctl_git_self_path();
	if (self == NULL)
		return HUBCTL_EXIT_FAILED;
	{
		/* --replace-all: setting it again changes nothing (idempotent) */
		const gchar *set_path[] = {"-C",
					   path,
					   "config",
					   "--local",
					   "--replace-all",
					   "lfs.customtransfer.multipart.path",
					   self,
					   NULL};
		const gchar *set_args[] = {"-C",
					   path,
					   "config",
					   "--local",
					   "--replace-all",
					   "lfs.customtransfer.multipart.args",
					   "lfs-multipart-upload",
					   NULL};

		g_clear_pointer(&err, g_free);
		if (!hubctl_git_run(set_path, &err) || !hubctl_git_run(set_args, &err)) {
			g_printerr("hubctl: %s: %s",
				   _("git config failed"),
				   err != NULL ? err : "\n");
			return HUBCTL_EXIT_FAILED;
		}
	}
	return HUBCTL_EXIT_OK;
}

const HubctlCommand hubctl_lfs_enable_largefiles_command = {
	"lfs-enable-largefiles",
	N_("lfs-enable-largefiles PATH"),
	N_("Let git-lfs upload files over 5 GB through hubd"),
	hubctl_lfs_enable_largefiles,
};

/* ---- --add-to-git-credential ---- */

gboolean
hubctl_git_add_credential_helper(HubctlContext *ctx)
{
	HubdClient *client = hubctl_context_get_client(ctx);
	g_autoptr(GVariant) value = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *self = NULL;
	g_autofree gchar *quoted = NULL;
	g_autofree gchar *helper = NULL;
	g_autofree gchar *key = NULL;
	g_autofree gchar *err = NULL;
	const gchar *endpoint;

	if (client == NULL)
		return FALSE;
	value = hubd_client_get_property_sync(client,
					      HUBD_INTERFACE_DAEMON,
					      "Endpoint",
					      NULL,
					      &error);
	if (value == NULL) {
		hubctl_report_error(error);
		return FALSE;
	}
	endpoint = g_variant_is_of_type(value, G_VARIANT_TYPE_STRING)
			   ? g_variant_get_string(value, NULL)
			   : NULL;
	self = hubctl_git_self_path();
	if (endpoint == NULL || endpoint[0] == '\0' || self == NULL)
		return FALSE;
	/* git runs a helper that is an absolute path as it is, through the
	 * shell; one that needs quoting must be a "!" shell snippet, since a
	 * quoted path no longer starts with "/" (gitcredentials(7)) */
	if (strpbrk(self, " \t\n'\"\\$`;&|<>()*?[]#~=%!{}") == NULL) {
		helper = g_strdup_printf("%s %s", self, HUBCTL_GIT_HELPER_ARGS);
	} else {
		quoted = g_shell_quote(self);
		helper = g_strdup_printf("!%s %s", quoted, HUBCTL_GIT_HELPER_ARGS);
	}
	key = g_strdup_printf("credential.%s.helper", endpoint);
	{
		const gchar *unset[] = {"config", "--global", "--unset-all", key, NULL};
		/* the empty helper first resets the list for this URL: no other
		 * helper (say "store") is asked, or told to store the token */
		const gchar *reset[] = {"config", "--global", "--add", key, "", NULL};
		const gchar *add[] = {"config", "--global", "--add", key, helper, NULL};

		/* nothing to unset is fine (exit status 5) */
		hubctl_git_run(unset, &err);
		g_clear_pointer(&err, g_free);
		if (!hubctl_git_run(reset, &err) || !hubctl_git_run(add, &err)) {
			g_printerr("hubctl: %s: %s",
				   _("git config failed"),
				   err != NULL ? err : "\n");
			return FALSE;
		}
	}
	return TRUE;
}

/* ---- auth git-credential ---- */

/* git's description of what it wants: `key=value` lines up to a blank line or
 * the end (git-credential(1), "INPUT/OUTPUT FORMAT") */
static GHashTable *
hubctl_git_read_description(void)
{
	GHashTable *attrs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	gchar line[8192];

	while (fgets(line, sizeof line, stdin) != NULL) {
		gchar *eq;

		g_strchomp(line);
		if (line[0] == '\0')
			break;
		eq = strchr(line, '=');
		if (eq == NULL)
			continue;
		*eq = '\0';
		g_hash_table_replace(attrs, g_strdup(line), g_strdup(eq + 1));
	}
	return attrs;
}

static gint
hubctl_git_credential_get(HubctlContext *ctx)
{
	g_autoptr(GHashTable) attrs = hubctl_git_read_description();
	const gchar *protocol = g_hash_table_lookup(attrs, "protocol");
	const gchar *host = g_hash_table_lookup(attrs, "host");
	HubdClient *proxy = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *username = NULL;
	g_autofree gchar *password = NULL;

	/* not a question about a web host: not ours, say nothing */
	if (protocol == NULL || host == NULL)
		return HUBCTL_EXIT_OK;
	proxy = hubctl_git_proxy(ctx);
	if (proxy == NULL)
		return HUBCTL_EXIT_UNREACHABLE;
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_GIT,
			 "GetCredential",
			 g_variant_new("(ss@a{sv})", protocol, host, g_variant_new("a{sv}", NULL)),
			 -1,
			 &error,
			 "(ss)",
			 &username,
			 &password))
		return hubctl_report_error(error);
	/* another host: helpers stay silent for hosts they do not serve, and
	 * git asks the next one */
	if (password[0] == '\0')
		return HUBCTL_EXIT_OK;
	/* stdout goes to git alone */
	fprintf(stdout, "username=%s\npassword=%s\n", username, password);
	fflush(stdout);
	memset(password, 0, strlen(password));
	return HUBCTL_EXIT_OK;
}

gint
hubctl_git_credential(HubctlContext *ctx, gint argc, gchar **argv)
{
	gint exit_code = HUBCTL_EXIT_OK;

	if (!hubctl_parse_options("auth git-credential",
				  "get|store|erase",
				  _("git’s credential helper: answers git with hubd’s token for "
				    "hubd’s Hub endpoint, and for no other host. Set up with "
				    "“hubctl auth login --add-to-git-credential”."),
				  NULL,
				  &argc,
				  &argv,
				  &exit_code))
		return exit_code;
	if (argc != 2)
		return hubctl_usage_error("auth git-credential", _("give get, store or erase"));
	if (g_strcmp0(argv[1], "get") == 0)
		return hubctl_git_credential_get(ctx);
	if (g_strcmp0(argv[1], "store") == 0 || g_strcmp0(argv[1], "erase") == 0) {
		/* read what git sends, so that it never writes into a closed pipe */
		g_autoptr(GHashTable) attrs = hubctl_git_read_description();

		/* the token stays in hubd: nothing to store */
		if (g_strcmp0(argv[1], "erase") == 0)
			g_printerr("hubctl: %s\n",
				   _("git rejected the token; hubd keeps it (remove it with "
				     "“hubctl auth logout”)"));
		return HUBCTL_EXIT_OK;
	}
	/* git-credential(1): helpers ignore operations they do not know */
	return HUBCTL_EXIT_OK;
}
