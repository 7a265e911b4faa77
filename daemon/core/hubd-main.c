/* hubd-main.c: hubd's entry point — options, logging, signals, then the daemon's loop */
#define G_LOG_DOMAIN "HubdMain"

#include "hubd-main.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "hubd-daemon.h"
#include "hubd-error.h"

/* GLib makes the C locale of g_ascii_strtoull() (and of the
 * g_ascii_string_to_*() checks built on it) at its first use. When threads
 * race to that first use, the loser's wait leaves errno set and GLib 2.74
 * refuses a number as plain as "0" (a webhook listener's "127.0.0.1:0" was
 * refused so, once). It is made when this library loads, before any thread
 * of hubd, of a plugin, or of a test that loads this library. */
__attribute__((constructor)) static void
hubd_main_make_c_locale(void)
{
	(void)g_ascii_strtoull("0", NULL, 10);
}

static gboolean
hubd_main_signal_cb(gpointer user_data)
{
	g_debug("signal received, stopping");
	/* the daemon unexports and releases the name, then run() returns */
	hubd_daemon_stop(HUBD_DAEMON(user_data), EXIT_SUCCESS);
	return G_SOURCE_CONTINUE;
}

int
hubd_main(int argc, char **argv)
{
	gboolean version = FALSE;
	gboolean verbose = FALSE;
	gboolean replace = FALSE;
	gboolean no_bus = FALSE;
	gint idle_timeout = 0;
	g_autofree gchar *socket_path = NULL;
	g_autofree gchar *plugin_dir = NULL;
	g_autofree gchar *endpoint = NULL;
	g_autofree gchar *config_path = NULL;
	g_auto(GStrv) settings = NULL;
	g_autoptr(GOptionContext) context = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(HubdConfig) config = NULL;
	g_autoptr(HubdDaemon) daemon = NULL;
	HubdDaemonFlags flags = HUBD_DAEMON_FLAG_NONE;
	gint exit_code;
	const GOptionEntry entries[] = {
		{"version",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &version,
		 N_("Print the version and exit"),
		 NULL},
		{"verbose",
		 'v',
		 0,
		 G_OPTION_ARG_NONE,
		 &verbose,
		 N_("Show debug messages of every component"),
		 NULL},
		{"replace",
		 'r',
		 0,
		 G_OPTION_ARG_NONE,
		 &replace,
		 N_("Replace a running hubd (bus name and socket)"),
		 NULL},
		{"no-bus",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &no_bus,
		 N_("Serve only on the Unix socket, not on the session bus"),
		 NULL},
		{"socket",
		 's',
		 0,
		 G_OPTION_ARG_FILENAME,
		 &socket_path,
		 N_("Unix socket to listen on (default: $XDG_RUNTIME_DIR/hubd/bus)"),
		 N_("PATH")},
		{"plugin-dir",
		 0,
		 0,
		 G_OPTION_ARG_FILENAME,
		 &plugin_dir,
		 N_("Load plugins from DIR (default: $HUBD_PLUGIN_DIR or the installed plugins)"),
		 N_("DIR")},
		{"endpoint",
		 'e',
		 0,
		 G_OPTION_ARG_STRING,
		 &endpoint,
		 N_("Hub endpoint URL (overrides HF_ENDPOINT and hubd.conf)"),
		 N_("URL")},
		{"config",
		 'c',
		 0,
		 G_OPTION_ARG_FILENAME,
		 &config_path,
		 N_("Configuration file (default: $XDG_CONFIG_HOME/hubd/hubd.conf)"),
		 N_("FILE")},
		{"set",
		 'o',
		 0,
		 G_OPTION_ARG_STRING_ARRAY,
		 &settings,
		 N_("Set a configuration key, overriding hubd.conf (repeatable)"),
		 N_("GROUP.KEY=VALUE")},
		{"idle-timeout",
		 0,
		 0,
		 G_OPTION_ARG_INT,
		 &idle_timeout,
		 N_("Exit after SECONDS without calls or work (default: 0, never)"),
		 N_("SECONDS")},
		{NULL},
	};

#ifdef __GLIBC__
	/* Transfer buffers (up to 512 KiB) come and go with every file. By default
	 * glibc raises its mmap threshold to the largest block freed, so later
	 * buffers land in the heap of whichever thread asked, and freed heap stays
	 * resident: a fixed threshold gives them back when a transfer ends
	 * (mallopt(3): setting it turns the dynamic threshold off). */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	/* Every thread that ever ran (transfer workers, GIO's pool) would get an
	 * arena of its own, up to eight per core, whose touched pages stay
	 * resident after the thread is gone; with the buffers mmapped, hubd's
	 * threads allocate little, and two arenas hold it all. */
	mallopt(M_ARENA_MAX, 2);
#endif
	setlocale(LC_ALL, "");
	/* HUBD_LOCALEDIR: the build tree's translations (tests, before install) */
	bindtextdomain(GETTEXT_PACKAGE,
		       g_getenv("HUBD_LOCALEDIR") != NULL ? g_getenv("HUBD_LOCALEDIR") : LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
	textdomain(GETTEXT_PACKAGE);

	context = g_option_context_new(NULL);
	g_option_context_set_summary(context,
				     _("hubd: the desktop's connection to the Hugging Face Hub"));
	g_option_context_add_main_entries(context, entries, GETTEXT_PACKAGE);
	if (!g_option_context_parse(context, &argc, &argv, &error)) {
		g_printerr("hubd: %s\n", error->message);
		return 64;
	}
	if (version) {
		g_print("hubd %s\n", PACKAGE_VERSION);
		return EXIT_SUCCESS;
	}
	if (verbose)
		g_log_set_debug_enabled(TRUE);
	if (idle_timeout < 0) {
		g_printerr("hubd: %s\n", _("--idle-timeout must not be negative"));
		return 64;
	}

	config = hubd_config_new(config_path, &error);
	if (config == NULL) {
		g_printerr("hubd: %s\n", error->message);
		return EXIT_FAILURE;
	}
	for (guint i = 0; settings != NULL && settings[i] != NULL; i++) {
		if (!hubd_config_set_override(config, settings[i], &error)) {
			g_printerr("hubd: %s\n", error->message);
			return 64;
		}
	}
	if (endpoint != NULL && !hubd_config_set_endpoint(config, endpoint, &error)) {
		g_printerr("hubd: %s\n", error->message);
		return 64;
	}

	if (no_bus)
		flags |= HUBD_DAEMON_FLAG_NO_BUS;
	if (replace)
		flags |= HUBD_DAEMON_FLAG_REPLACE;
	daemon = hubd_daemon_new(config, flags);
	hubd_daemon_set_socket_path(daemon, socket_path);
	if (plugin_dir == NULL && g_getenv("HUBD_PLUGIN_DIR") != NULL)
		plugin_dir = g_strdup(g_getenv("HUBD_PLUGIN_DIR"));
	hubd_daemon_set_plugin_dir(daemon, plugin_dir);
	hubd_daemon_set_idle_timeout(daemon, (guint)idle_timeout);

	g_unix_signal_add(SIGTERM, hubd_main_signal_cb, daemon);
	g_unix_signal_add(SIGINT, hubd_main_signal_cb, daemon);

	g_debug("hubd %s, endpoint %s", PACKAGE_VERSION, hubd_config_get_endpoint(config));
	exit_code = hubd_daemon_run(daemon, &error);
	if (error != NULL) {
		g_printerr("hubd: %s\n", error->message);
		return EXIT_FAILURE;
	}
	return exit_code;
}
