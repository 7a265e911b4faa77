/* hubd-download-request.c: what Download and Snapshot hand to hubd-download
 * (copy, free), and the [http] / [downloads] settings each download reads */
#define G_LOG_DOMAIN "HubdDownload"

#include "hubd-context-private.h"
#include "hubd-download.h"
#include "hubd-hub-client.h"

HubdDownloadRequest *
hubd_download_request_copy(const HubdDownloadRequest *req)
{
	HubdDownloadRequest *c = g_new0(HubdDownloadRequest, 1);

	c->type = req->type;
	c->repo_id = g_strdup(req->repo_id);
	c->revision = g_strdup(req->revision != NULL ? req->revision : "main");
	c->filename = g_strdup(req->filename);
	c->local_dir = g_strdup(req->local_dir);
	c->cache_dir = g_strdup(req->cache_dir);
	c->dry_run = req->dry_run;
	c->force = req->force;
	c->offline = req->offline;
	c->api = req->api != NULL ? g_object_ref(req->api) : NULL;
	c->mirror = req->mirror != NULL ? g_object_ref(req->mirror) : NULL;
	c->known_etag = g_strdup(req->known_etag);
	c->known_size = req->known_size;
	return c;
}

void
hubd_download_request_free(HubdDownloadRequest *req)
{
	if (req == NULL)
		return;
	g_free(req->repo_id);
	g_free(req->revision);
	g_free(req->filename);
	g_free(req->local_dir);
	g_free(req->cache_dir);
	g_clear_object(&req->api);
	g_clear_object(&req->mirror);
	g_free(req->known_etag);
	g_free(req);
}

guint
hubd_download_retry_base_ms(HubdContext *context)
{
	g_autofree gchar *v = hubd_config_get_string(hubd_context_get_config(context),
						     "http",
						     "retry-base-ms",
						     NULL);
	guint64 n = 0;

	if (v != NULL && g_ascii_string_to_unsigned(v, 10, 0, 60000, &n, NULL))
		return (guint)n;
	return 1000;
}

/* A [downloads] KEY that is a number (of bytes), or `fallback`. */
static guint64
hubd_download_number(HubdContext *context, const gchar *key, guint64 fallback)
{
	g_autofree gchar *v =
		hubd_config_get_string(hubd_context_get_config(context), "downloads", key, NULL);
	guint64 n = fallback;

	if (v != NULL && !g_ascii_string_to_unsigned(v, 10, 0, G_MAXUINT64, &n, NULL)) {
		g_warning("[downloads] %s is not a number: %s", key, v);
		n = fallback;
	}
	return n;
}

/* [downloads] direct-io (default false) and direct-io-min-size (bytes,
 * default 64 MiB): which blobs bypass the page cache (hubd-blob-writer).
 * Off by default: an app reads a model right after it arrives, and from the
 * page cache that read is free, from disk it cost more than O_DIRECT saved
 * (tests/bench/download.sh, time to first use). */
guint64
hubd_download_direct_min_size(HubdContext *context)
{
	HubdConfig *config = hubd_context_get_config(context);

	if (!hubd_config_get_boolean(config, "downloads", "direct-io", FALSE))
		return G_MAXUINT64;
	return hubd_download_number(context, "direct-io-min-size", 64 * 1024 * 1024);
}

guint64
hubd_download_parallel_min_size(HubdContext *context)
{
	return hubd_download_number(context, "parallel-min-size", 64 * 1024 * 1024);
}

guint64
hubd_download_one_stream_rate(HubdContext *context)
{
	return hubd_download_number(context, "one-stream-rate", 256 * 1024 * 1024);
}

guint
hubd_download_connections_per_file(HubdContext *context)
{
	g_autofree gchar *v = hubd_config_get_string(hubd_context_get_config(context),
						     "downloads",
						     "connections-per-file",
						     NULL);
	guint64 n = 8;

	/* more than the per-host budget leaves would only queue */
	if (v != NULL &&
	    !g_ascii_string_to_unsigned(v, 10, 1, HUBD_HUB_MAX_CONNS_PER_HOST - 1, &n, NULL)) {
		g_warning("[downloads] connections-per-file must be 1 to %d: %s",
			  HUBD_HUB_MAX_CONNS_PER_HOST - 1,
			  v);
		n = 8;
	}
	return (guint)n;
}
