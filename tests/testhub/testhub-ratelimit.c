/* testhub-ratelimit.c: the Hub's per-token request budget, in fixed windows
 * per bucket, with the headers the Hub sends (docs/hub-http.md §4.3). */
#include "testhub-ratelimit.h"

#include <string.h>

#include "testhub-http.h"

struct _TesthubRateLimit {
	guint quota;  /* 0: off */
	guint window; /* seconds */
	/* "bucket\ntoken-or-ip" -> Counter* */
	GHashTable *counters;
	/* answers that said the budget was spent (r=0, or refused): tests ask
	 * whether the client met the limit at all before judging how it waited */
	guint64 exhausted;
};

typedef struct {
	gint64 start; /* monotonic µs when this window opened */
	guint used;
} Counter;

TesthubRateLimit *
testhub_ratelimit_new(void)
{
	TesthubRateLimit *rl = g_new0(TesthubRateLimit, 1);

	rl->window = 300;
	rl->counters = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	return rl;
}

void
testhub_ratelimit_free(TesthubRateLimit *rl)
{
	if (rl == NULL)
		return;
	g_hash_table_unref(rl->counters);
	g_free(rl);
}

static void
testhub_ratelimit_set(TesthubRateLimit *rl, guint quota, guint window)
{
	rl->quota = quota;
	rl->window = window > 0 ? window : 300;
	rl->exhausted = 0;
	g_hash_table_remove_all(rl->counters);
}

gboolean
testhub_ratelimit_configure(TesthubRateLimit *rl, const gchar *spec, GError **error)
{
	g_auto(GStrv) parts = g_strsplit(spec, "/", 2);
	guint64 quota = 0;
	guint64 window = 300;

	if (g_strcmp0(spec, "off") == 0) {
		testhub_ratelimit_set(rl, 0, 300);
		return TRUE;
	}
	if (!g_ascii_string_to_unsigned(parts[0], 10, 0, G_MAXUINT, &quota, error))
		return FALSE;
	if (parts[1] != NULL && !g_ascii_string_to_unsigned(parts[1], 10, 1, 86400, &window, error))
		return FALSE;
	testhub_ratelimit_set(rl, (guint)quota, (guint)window);
	return TRUE;
}

/* The Hub's buckets: every URL with /resolve/ is "resolvers", the rest of
 * /api/ is "api"; other pages are not limited here. */
static const gchar *
bucket_of(const gchar *path)
{
	if (strstr(path, "/resolve/") != NULL)
		return "resolvers";
	if (g_str_has_prefix(path, "/api/"))
		return "api";
	return NULL;
}

static gchar *
client_key(SoupServerMessage *msg)
{
	const gchar *auth =
		soup_message_headers_get_one(soup_server_message_get_request_headers(msg),
					     "Authorization");

	if (auth != NULL && g_str_has_prefix(auth, "Bearer "))
		return g_strconcat("token:", auth + 7, NULL);
	/* anonymous calls share the budget of their address, as on the Hub */
	return g_strconcat("ip:",
			   soup_server_message_get_remote_host(msg) != NULL
				   ? soup_server_message_get_remote_host(msg)
				   : "?",
			   NULL);
}

gboolean
testhub_ratelimit_check(TesthubContext *ctx, SoupServerMessage *msg, const gchar *path)
{
	TesthubRateLimit *rl = ctx->ratelimit;
	SoupMessageHeaders *out = soup_server_message_get_response_headers(msg);
	const gchar *bucket = bucket_of(path);
	g_autofree gchar *who = NULL;
	g_autofree gchar *key = NULL;
	g_autofree gchar *limit = NULL;
	g_autofree gchar *policy = NULL;
	gint64 now = g_get_monotonic_time();
	gint64 window_us;
	gint64 left_us;
	guint64 reset_s;
	Counter *c;

	if (rl == NULL || rl->quota == 0 || bucket == NULL)
		return FALSE;
	who = client_key(msg);
	key = g_strconcat(bucket, "\n", who, NULL);
	window_us = (gint64)rl->window * G_USEC_PER_SEC;
	c = g_hash_table_lookup(rl->counters, key);
	if (c == NULL) {
		c = g_new0(Counter, 1);
		g_hash_table_insert(rl->counters, g_steal_pointer(&key), c);
	}
	if (c->start == 0 || now - c->start >= window_us) {
		c->start = now;
		c->used = 0;
	}
	left_us = c->start + window_us - now;
	/* rounded up: a client that waits t seconds finds the window reset */
	reset_s = (guint64)((left_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
	if (c->used < rl->quota)
		c->used++;
	else
		c->used = rl->quota + 1; /* refused */
	if (c->used >= rl->quota)
		rl->exhausted++;
	limit = g_strdup_printf("\"%s\";r=%u;t=%" G_GUINT64_FORMAT,
				bucket,
				c->used > rl->quota ? 0 : rl->quota - c->used,
				reset_s);
	policy =
		g_strdup_printf("\"fixed window\";\"%s\";q=%u;w=%u", bucket, rl->quota, rl->window);
	soup_message_headers_replace(out, "RateLimit", limit);
	soup_message_headers_replace(out, "RateLimit-Policy", policy);
	if (c->used <= rl->quota)
		return FALSE;
	{
		g_autofree gchar *ra = g_strdup_printf("%" G_GUINT64_FORMAT, reset_s);
		g_autofree gchar *m = g_strdup_printf("You have exceeded the rate limit for '%s' "
						      "requests. Retry in %" G_GUINT64_FORMAT " s.",
						      bucket,
						      reset_s);

		soup_message_headers_replace(out, "Retry-After", ra);
		testhub_reply_error(msg, 429, NULL, m);
	}
	return TRUE;
}

static void
reply_config(TesthubRateLimit *rl, SoupServerMessage *msg)
{
	JsonObject *o = json_object_new();

	json_object_set_int_member(o, "quota", rl->quota);
	json_object_set_int_member(o, "window", rl->window);
	json_object_set_int_member(o, "exhausted", (gint64)rl->exhausted);
	testhub_reply_json(msg, SOUP_STATUS_OK, testhub_json_node_take_object(o));
}

void
testhub_ratelimit_handle_admin(TesthubContext *ctx, SoupServerMessage *msg)
{
	TesthubRateLimit *rl = ctx->ratelimit;
	const gchar *method = soup_server_message_get_method(msg);

	if (g_strcmp0(method, "DELETE") == 0) {
		testhub_ratelimit_set(rl, 0, 300);
	} else if (g_strcmp0(method, "POST") == 0) {
		g_autoptr(GBytes) body =
			soup_message_body_flatten(soup_server_message_get_request_body(msg));
		g_autoptr(JsonParser) parser = json_parser_new();
		gsize len = 0;
		const gchar *data = g_bytes_get_data(body, &len);
		JsonNode *root;
		JsonObject *o;

		if (!json_parser_load_from_data(parser,
						data != NULL ? data : "",
						(gssize)len,
						NULL) ||
		    (root = json_parser_get_root(parser)) == NULL ||
		    !JSON_NODE_HOLDS_OBJECT(root)) {
			testhub_reply_error(msg,
					    SOUP_STATUS_BAD_REQUEST,
					    NULL,
					    "expected an object");
			return;
		}
		o = json_node_get_object(root);
		testhub_ratelimit_set(
			rl,
			(guint)json_object_get_int_member_with_default(o, "quota", 0),
			(guint)json_object_get_int_member_with_default(o, "window", 300));
	} else if (g_strcmp0(method, "GET") != 0) {
		testhub_reply_error(msg,
				    SOUP_STATUS_METHOD_NOT_ALLOWED,
				    NULL,
				    "Method Not Allowed");
		return;
	}
	reply_config(rl, msg);
}
