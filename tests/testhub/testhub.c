/* testhub.c: hubd-testhub, a local Hugging Face Hub-compatible server for tests.
 * Prints its base URL alone on the first line of stdout once it accepts
 * connections; everything else goes to stderr. See README.md.
 */
#include <glib-unix.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testhub-faults.h"
#include "testhub-ratelimit.h"
#include "testhub-routes.h"
#include "testhub-webhooks.h"

typedef struct {
	gchar *root;
	gchar *host;
	gint port;
	gint cdn_port;
	gchar *users;
	gint64 lfs_chunk_size;
	gchar *admin_secret;
	gchar *faults;
	gchar *rate_limit;
	gint page_size;
	gchar *public_cdn_url;
} Options;

static gboolean
on_signal(gpointer user_data)
{
	g_main_loop_quit(user_data);
	return G_SOURCE_CONTINUE; /* removed after the loop */
}

static gchar *
listen_on(SoupServer *server, const gchar *host, gint port, GError **error)
{
	g_autoptr(GInetAddress) addr = g_inet_address_new_from_string(host);
	g_autoptr(GSocketAddress) sa = NULL;
	GSList *uris;
	guint real_port = 0;

	if (addr == NULL) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "--host must be an IP address: %s",
			    host);
		return NULL;
	}
	if (port < 0 || port > 65535) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "bad port %d", port);
		return NULL;
	}
	sa = g_inet_socket_address_new(addr, (guint16)port);
	if (!soup_server_listen(server, sa, 0, error))
		return NULL;
	uris = soup_server_get_uris(server);
	if (uris != NULL)
		real_port = (guint)g_uri_get_port(uris->data);
	g_slist_free_full(uris, (GDestroyNotify)g_uri_unref);
	if (g_inet_address_get_family(addr) == G_SOCKET_FAMILY_IPV6)
		return g_strdup_printf("http://[%s]:%u", host, real_port);
	return g_strdup_printf("http://%s:%u", host, real_port);
}

static void
context_clear(TesthubContext *ctx)
{
	g_clear_object(&ctx->store);
	g_clear_pointer(&ctx->users, testhub_users_free);
	g_clear_pointer(&ctx->faults, testhub_faults_free);
	g_clear_pointer(&ctx->ratelimit, testhub_ratelimit_free);
	g_clear_pointer(&ctx->webhooks, testhub_webhooks_free);
	g_clear_pointer(&ctx->base_url, g_free);
	g_clear_pointer(&ctx->cdn_url, g_free);
	g_clear_pointer(&ctx->own_url, g_free);
	g_clear_pointer(&ctx->own_cdn_url, g_free);
	g_clear_pointer(&ctx->public_cdn_url, g_free);
	g_clear_pointer(&ctx->admin_secret, g_free);
	g_clear_pointer(&ctx->oauth, testhub_oauth_free);
}

static int
run(Options *opt)
{
	TesthubContext ctx = {0};
	g_autoptr(GError) error = NULL;
	g_autoptr(SoupServer) hub = NULL;
	g_autoptr(SoupServer) cdn = NULL;
	g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
	const gchar *env_page = g_getenv("TESTHUB_PAGE_SIZE");
	guint sig_term;
	guint sig_int;

	if (opt->page_size > 0)
		testhub_set_page_size((guint)opt->page_size);
	else if (env_page != NULL && env_page[0] != '\0')
		testhub_set_page_size((guint)g_ascii_strtoull(env_page, NULL, 10));

	ctx.store = testhub_store_new(opt->root, &error);
	if (ctx.store == NULL) {
		g_printerr("hubd-testhub: store %s: %s\n", opt->root, error->message);
		return EXIT_FAILURE;
	}
	ctx.users = testhub_users_load(opt->users, &error);
	if (ctx.users == NULL) {
		g_printerr("hubd-testhub: users %s: %s\n",
			   opt->users != NULL ? opt->users : "(built-in)",
			   error->message);
		context_clear(&ctx);
		return EXIT_FAILURE;
	}
	ctx.faults = testhub_faults_new();
	ctx.ratelimit = testhub_ratelimit_new();
	if (opt->rate_limit != NULL &&
	    !testhub_ratelimit_configure(ctx.ratelimit, opt->rate_limit, &error)) {
		g_printerr("hubd-testhub: --rate-limit %s: %s\n", opt->rate_limit, error->message);
		context_clear(&ctx);
		return EXIT_FAILURE;
	}
	ctx.oauth = testhub_oauth_new();
	ctx.webhooks = testhub_webhooks_new();
	if (opt->faults != NULL && !testhub_faults_load_file(ctx.faults, opt->faults, &error)) {
		g_printerr("hubd-testhub: faults %s: %s\n", opt->faults, error->message);
		context_clear(&ctx);
		return EXIT_FAILURE;
	}
	ctx.lfs_chunk_size = opt->lfs_chunk_size > 0 ? (guint64)opt->lfs_chunk_size : 0;
	ctx.admin_secret = g_strdup(opt->admin_secret != NULL && opt->admin_secret[0] != '\0'
					    ? opt->admin_secret
					    : NULL);

	/* raw-paths keeps %2F encoded so that revisions like refs%2Fpr%2F1 stay one segment */
	hub = soup_server_new("raw-paths", TRUE, "server-header", "hubd-testhub ", NULL);
	cdn = soup_server_new("raw-paths", TRUE, "server-header", "hubd-testhub-cdn ", NULL);
	ctx.base_url = listen_on(hub, opt->host, opt->port, &error);
	if (ctx.base_url == NULL) {
		g_printerr("hubd-testhub: listen: %s\n", error->message);
		context_clear(&ctx);
		return EXIT_FAILURE;
	}
	ctx.cdn_url = listen_on(cdn, opt->host, opt->cdn_port, &error);
	if (ctx.cdn_url == NULL) {
		g_printerr("hubd-testhub: CDN listen: %s\n", error->message);
		context_clear(&ctx);
		return EXIT_FAILURE;
	}
	ctx.own_url = g_strdup(ctx.base_url);
	ctx.own_cdn_url = g_strdup(ctx.cdn_url);
	ctx.public_cdn_url = g_strdup(opt->public_cdn_url);
	testhub_faults_attach(&ctx, hub, "hub");
	testhub_faults_attach(&ctx, cdn, "cdn");
	soup_server_add_handler(hub, NULL, testhub_routes_hub, &ctx, NULL);
	soup_server_add_handler(cdn, NULL, testhub_routes_cdn, &ctx, NULL);
	testhub_lfs_setup_cdn(&ctx, cdn);

	sig_term = g_unix_signal_add(SIGTERM, on_signal, loop);
	sig_int = g_unix_signal_add(SIGINT, on_signal, loop);
	g_message("Hub %s, CDN %s, root %s",
		  ctx.base_url,
		  ctx.cdn_url,
		  testhub_store_get_root(ctx.store));
	printf("%s\n", ctx.base_url);
	fflush(stdout);
	g_main_loop_run(loop);
	g_source_remove(sig_term);
	g_source_remove(sig_int);

	soup_server_disconnect(hub);
	soup_server_disconnect(cdn);
	g_clear_object(&hub);
	g_clear_object(&cdn);
	context_clear(&ctx);
	return EXIT_SUCCESS;
}

int
main(int argc, char **argv)
{
	Options opt = {.host = NULL, .port = 0, .cdn_port = 0};
	g_autoptr(GOptionContext) octx = g_option_context_new("- local Hugging Face Hub for tests");
	g_autoptr(GError) error = NULL;
	int rc;
	const GOptionEntry entries[] = {
		{"root",
		 0,
		 0,
		 G_OPTION_ARG_FILENAME,
		 &opt.root,
		 "State directory (required)",
		 "DIR"},
		{"port", 0, 0, G_OPTION_ARG_INT, &opt.port, "Hub port (0 = any free port)", "N"},
		{"host",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &opt.host,
		 "Listen address (default 127.0.0.1)",
		 "IP"},
		{"users",
		 0,
		 0,
		 G_OPTION_ARG_FILENAME,
		 &opt.users,
		 "Users/orgs/tokens JSON (default: built-in users.json)",
		 "FILE"},
		{"lfs-chunk-size",
		 0,
		 0,
		 G_OPTION_ARG_INT64,
		 &opt.lfs_chunk_size,
		 "Multipart LFS part size (0 = no multipart)",
		 "BYTES"},
		{"cdn-port",
		 0,
		 0,
		 G_OPTION_ARG_INT,
		 &opt.cdn_port,
		 "CDN port (0 = any free port)",
		 "N"},
		{"admin-secret",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &opt.admin_secret,
		 "Enable /_testhub/ with this X-Testhub-Admin value",
		 "S"},
		{"faults", 0, 0, G_OPTION_ARG_FILENAME, &opt.faults, "Fault rules JSON", "FILE"},
		{"rate-limit",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &opt.rate_limit,
		 "Per-token budget: Q requests per W-second window (default off)",
		 "Q/W"},
		{"public-cdn-url",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &opt.public_cdn_url,
		 "The CDN's URL for requests that came through a proxy (X-Forwarded-Proto)",
		 "URL"},
		{"page-size",
		 0,
		 0,
		 G_OPTION_ARG_INT,
		 &opt.page_size,
		 "Force this page size on paginated listings",
		 "N"},
		{NULL},
	};

	g_option_context_add_main_entries(octx, entries, NULL);
	if (!g_option_context_parse(octx, &argc, &argv, &error)) {
		g_printerr("hubd-testhub: %s\n", error->message);
		return 2;
	}
	if (opt.root == NULL) {
		g_printerr("hubd-testhub: --root DIR is required\n");
		return 2;
	}
	if (opt.host == NULL)
		opt.host = g_strdup("127.0.0.1");
	rc = run(&opt);
	g_free(opt.root);
	g_free(opt.host);
	g_free(opt.users);
	g_free(opt.admin_secret);
	g_free(opt.public_cdn_url);
	g_free(opt.faults);
	g_free(opt.rate_limit);
	return rc;
}
