/* testhub-oauth.c: the Hub's OAuth device authorization grant (RFC 8628) and
 * refresh grant, as the local Hub answers them (docs/hub-oauth.md).
 *
 * POST /oauth/device hands out a device code and a user code; POST
 * /oauth/token answers `authorization_pending` until an admin call approves
 * (or denies) the user code — the part a person does in a browser on the
 * real Hub. Issued access tokens are real tokens of the approving user until
 * they expire; refresh tokens rotate on use. Expiries and the polling
 * interval are short and settable through /_testhub/oauth so the whole flow
 * runs in a test. */
#include <string.h>

#include "testhub-http.h"

#define DEFAULT_DEVICE_EXPIRES 300     /* what huggingface.co answers */
#define DEFAULT_TOKEN_EXPIRES  2591999 /* 30 days, as huggingface.co */

typedef enum { CODE_PENDING, CODE_APPROVED, CODE_DENIED, CODE_USED } CodeState;

typedef struct {
	gchar *device_code;
	gchar *user_code;
	CodeState state;
	gchar *user;      /* who approved */
	gint64 expires;   /* monotonic µs */
	JsonArray *polls; /* monotonic ms of each poll */
} DeviceCode;

typedef struct {
	gchar *user;
	gchar *refresh_token;
} Grant;

struct _TesthubOAuth {
	GPtrArray *codes;        /* DeviceCode* */
	GHashTable *refresh;     /* refresh token -> Grant* */
	GArray *expiry_sources;  /* guint: removing issued tokens when they expire */
	guint device_expires_in; /* seconds */
	guint token_expires_in;
	guint interval;      /* 0: not sent (clients use 5 s) */
	guint slow_down;     /* answer this many next polls with slow_down */
	gchar *approve_user; /* approve every code as this user ... */
	guint approve_after; /* ... at its poll number approve_after (1-based) */
	guint issued;
	guint refreshed;
	guint expired;
	TesthubUsers *users; /* set on first use, for expiry */
};

static void
device_code_free(gpointer p)
{
	DeviceCode *c = p;

	g_free(c->device_code);
	g_free(c->user_code);
	g_free(c->user);
	json_array_unref(c->polls);
	g_free(c);
}

static void
grant_free(gpointer p)
{
	Grant *g = p;

	g_free(g->user);
	g_free(g->refresh_token);
	g_free(g);
}

TesthubOAuth *
testhub_oauth_new(void)
{
	TesthubOAuth *oauth = g_new0(TesthubOAuth, 1);

	oauth->codes = g_ptr_array_new_with_free_func(device_code_free);
	oauth->refresh = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, grant_free);
	oauth->expiry_sources = g_array_new(FALSE, FALSE, sizeof(guint));
	oauth->device_expires_in = DEFAULT_DEVICE_EXPIRES;
	oauth->token_expires_in = DEFAULT_TOKEN_EXPIRES;
	return oauth;
}

void
testhub_oauth_free(TesthubOAuth *oauth)
{
	if (oauth == NULL)
		return;
	for (guint i = 0; i < oauth->expiry_sources->len; i++)
		g_source_remove(g_array_index(oauth->expiry_sources, guint, i));
	g_array_unref(oauth->expiry_sources);
	g_ptr_array_unref(oauth->codes);
	g_hash_table_unref(oauth->refresh);
	g_free(oauth->approve_user);
	g_free(oauth);
}

/* ---- helpers ---- */

static gchar *
random_hex(guint bytes)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < bytes; i++)
		g_string_append_printf(s, "%02x", g_random_int_range(0, 256));
	return g_string_free(s, FALSE);
}

/* "ABCD-1234", the shape of huggingface.co's user codes */
static gchar *
new_user_code(void)
{
	static const gchar letters[] = "BCDFGHJKLMNPQRSTVWXZ";
	gchar code[10];

	for (guint i = 0; i < 4; i++)
		code[i] = letters[g_random_int_range(0, (gint)strlen(letters))];
	code[4] = '-';
	for (guint i = 5; i < 9; i++)
		code[i] = (gchar)('0' + g_random_int_range(0, 10));
	code[9] = '\0';
	return g_strdup(code);
}

/* RFC 6749 §5.2: 400 with {"error": code} */
static void
reply_oauth_error(SoupServerMessage *msg, const gchar *code, const gchar *description)
{
	JsonObject *o = json_object_new();

	json_object_set_string_member(o, "error", code);
	if (description != NULL)
		json_object_set_string_member(o, "error_description", description);
	testhub_reply_json(msg, SOUP_STATUS_BAD_REQUEST, testhub_json_node_take_object(o));
}

static GHashTable *
request_form(SoupServerMessage *msg)
{
	g_autoptr(GBytes) body =
		soup_message_body_flatten(soup_server_message_get_request_body(msg));
	g_autofree gchar *text = g_strndup(g_bytes_get_data(body, NULL), g_bytes_get_size(body));

	return soup_form_decode(text);
}

static DeviceCode *
find_code(TesthubOAuth *oauth, const gchar *device_code, const gchar *user_code)
{
	for (guint i = 0; i < oauth->codes->len; i++) {
		DeviceCode *c = g_ptr_array_index(oauth->codes, i);
		if ((device_code != NULL && g_strcmp0(c->device_code, device_code) == 0) ||
		    (user_code != NULL && g_ascii_strcasecmp(c->user_code, user_code) == 0))
			return c;
	}
	return NULL;
}

typedef struct {
	TesthubOAuth *oauth;
	gchar *token;
	guint source_id;
} Expiry;

static void
expiry_free(gpointer user_data)
{
	Expiry *e = user_data;

	g_free(e->token);
	g_free(e);
}

static gboolean
expire_token(gpointer user_data)
{
	Expiry *e = user_data;

	testhub_users_remove_token(e->oauth->users, e->token);
	e->oauth->expired++;
	for (guint i = 0; i < e->oauth->expiry_sources->len; i++) {
		if (g_array_index(e->oauth->expiry_sources, guint, i) == e->source_id) {
			g_array_remove_index_fast(e->oauth->expiry_sources, i);
			break;
		}
	}
	return G_SOURCE_REMOVE;
}

/* Issues an access token (a real token of `user` until it expires) and a
 * refresh token; replies with them. */
static void
issue_tokens(TesthubContext *ctx, SoupServerMessage *msg, const gchar *user)
{
	TesthubOAuth *oauth = ctx->oauth;
	g_autofree gchar *hex = random_hex(17);
	g_autofree gchar *access = g_strconcat("hf_oauth_", hex, NULL);
	g_autofree gchar *refresh_hex = random_hex(24);
	Grant *grant = g_new0(Grant, 1);
	Expiry *e = g_new0(Expiry, 1);
	JsonObject *o = json_object_new();
	g_autofree gchar *display = g_strdup_printf("oauth-%s", user);

	testhub_users_add_token(ctx->users, user, access, display, "write");
	grant->user = g_strdup(user);
	grant->refresh_token = g_strconcat("hf_oauth_refresh_", refresh_hex, NULL);
	g_hash_table_insert(oauth->refresh, grant->refresh_token, grant);
	oauth->users = ctx->users;
	e->oauth = oauth;
	e->token = g_strdup(access);
	e->source_id = g_timeout_add_seconds_full(G_PRIORITY_DEFAULT,
						  oauth->token_expires_in,
						  expire_token,
						  e,
						  expiry_free);
	g_array_append_val(oauth->expiry_sources, e->source_id);
	oauth->issued++;

	json_object_set_string_member(o, "access_token", access);
	json_object_set_string_member(o, "refresh_token", grant->refresh_token);
	json_object_set_int_member(o, "expires_in", oauth->token_expires_in);
	json_object_set_string_member(o, "token_type", "bearer");
	json_object_set_string_member(o,
				      "scope",
				      "openid profile read-repos write-repos manage-repos");
	testhub_reply_json(msg, SOUP_STATUS_OK, testhub_json_node_take_object(o));
}

/* ---- POST /oauth/device ---- */

static void
handle_device(TesthubContext *ctx, SoupServerMessage *msg)
{
	TesthubOAuth *oauth = ctx->oauth;
	g_autoptr(GHashTable) form = request_form(msg);
	const gchar *client_id = g_hash_table_lookup(form, "client_id");
	DeviceCode *c;
	JsonObject *o;
	g_autofree gchar *uri = NULL;

	if (client_id == NULL || client_id[0] == '\0') {
		reply_oauth_error(msg, "invalid_request", "client_id is required");
		return;
	}
	c = g_new0(DeviceCode, 1);
	c->device_code = g_uuid_string_random();
	c->user_code = new_user_code();
	c->state = CODE_PENDING;
	c->expires = g_get_monotonic_time() + (gint64)oauth->device_expires_in * G_USEC_PER_SEC;
	c->polls = json_array_new();
	g_ptr_array_add(oauth->codes, c);

	uri = g_strdup_printf("%s/oauth/device", ctx->base_url);
	o = json_object_new();
	json_object_set_string_member(o, "device_code", c->device_code);
	json_object_set_string_member(o, "user_code", c->user_code);
	json_object_set_string_member(o, "verification_uri", uri);
	json_object_set_int_member(o, "expires_in", oauth->device_expires_in);
	if (oauth->interval > 0)
		json_object_set_int_member(o, "interval", oauth->interval);
	testhub_reply_json(msg, SOUP_STATUS_OK, testhub_json_node_take_object(o));
}

/* ---- POST /oauth/token ---- */

static void
handle_device_grant(TesthubContext *ctx, SoupServerMessage *msg, GHashTable *form)
{
	TesthubOAuth *oauth = ctx->oauth;
	DeviceCode *c = find_code(oauth, g_hash_table_lookup(form, "device_code"), NULL);

	if (c == NULL || c->state == CODE_USED) {
		reply_oauth_error(msg, "invalid_grant", "Unknown or used device code");
		return;
	}
	json_array_add_int_element(c->polls, g_get_monotonic_time() / 1000);
	/* the person at the browser, for tests that cannot act between polls */
	if (c->state == CODE_PENDING && oauth->approve_user != NULL &&
	    json_array_get_length(c->polls) >= oauth->approve_after) {
		c->state = CODE_APPROVED;
		c->user = g_strdup(oauth->approve_user);
	}
	if (g_get_monotonic_time() >= c->expires) {
		reply_oauth_error(msg, "expired_token", NULL);
	} else if (c->state == CODE_DENIED) {
		reply_oauth_error(msg, "access_denied", NULL);
	} else if (c->state == CODE_APPROVED) {
		c->state = CODE_USED;
		issue_tokens(ctx, msg, c->user);
	} else if (oauth->slow_down > 0) {
		oauth->slow_down--;
		reply_oauth_error(msg, "slow_down", NULL);
	} else {
		reply_oauth_error(msg, "authorization_pending", NULL);
	}
}

static void
handle_refresh_grant(TesthubContext *ctx, SoupServerMessage *msg, GHashTable *form)
{
	TesthubOAuth *oauth = ctx->oauth;
	const gchar *token = g_hash_table_lookup(form, "refresh_token");
	Grant *grant = token != NULL ? g_hash_table_lookup(oauth->refresh, token) : NULL;
	g_autofree gchar *user = NULL;

	if (grant == NULL) {
		reply_oauth_error(msg, "invalid_grant", "Invalid refresh token");
		return;
	}
	/* rotation: the old refresh token is spent */
	user = g_strdup(grant->user);
	g_hash_table_remove(oauth->refresh, token);
	oauth->refreshed++;
	issue_tokens(ctx, msg, user);
}

void
testhub_oauth_handle(TesthubContext *ctx, SoupServerMessage *msg, const gchar *what)
{
	g_autoptr(GHashTable) form = NULL;
	const gchar *grant_type;

	if (g_strcmp0(soup_server_message_get_method(msg), "POST") != 0) {
		testhub_reply_error(msg, SOUP_STATUS_NOT_FOUND, NULL, "Not Found");
		return;
	}
	if (g_strcmp0(what, "device") == 0) {
		handle_device(ctx, msg);
		return;
	}
	if (g_strcmp0(what, "token") != 0) {
		testhub_reply_error(msg, SOUP_STATUS_NOT_FOUND, NULL, "Not Found");
		return;
	}
	form = request_form(msg);
	grant_type = g_hash_table_lookup(form, "grant_type");
	if (g_hash_table_lookup(form, "client_id") == NULL)
		reply_oauth_error(msg, "invalid_request", "client_id is required");
	else if (g_strcmp0(grant_type, "urn:ietf:params:oauth:grant-type:device_code") == 0)
		handle_device_grant(ctx, msg, form);
	else if (g_strcmp0(grant_type, "refresh_token") == 0)
		handle_refresh_grant(ctx, msg, form);
	else
		reply_oauth_error(msg, "unsupported_grant_type", NULL);
}

/* ---- admin: /_testhub/oauth ---- */

static JsonNode *
admin_state(TesthubOAuth *oauth)
{
	JsonObject *o = json_object_new();
	JsonArray *codes = json_array_new();
	static const gchar *const states[] = {"pending", "approved", "denied", "used"};

	for (guint i = 0; i < oauth->codes->len; i++) {
		DeviceCode *c = g_ptr_array_index(oauth->codes, i);
		JsonObject *co = json_object_new();

		json_object_set_string_member(co, "user_code", c->user_code);
		json_object_set_string_member(co, "state", states[c->state]);
		json_object_set_array_member(co, "polls", json_array_ref(c->polls));
		json_array_add_object_element(codes, co);
	}
	json_object_set_array_member(o, "codes", codes);
	json_object_set_int_member(o, "issued", oauth->issued);
	json_object_set_int_member(o, "refreshed", oauth->refreshed);
	json_object_set_int_member(o, "expired", oauth->expired);
	json_object_set_int_member(o, "device_expires_in", oauth->device_expires_in);
	json_object_set_int_member(o, "token_expires_in", oauth->token_expires_in);
	json_object_set_int_member(o, "interval", oauth->interval);
	return testhub_json_node_take_object(o);
}

static guint
admin_uint(JsonObject *o, const gchar *name, guint fallback)
{
	if (!json_object_has_member(o, name))
		return fallback;
	return (guint)CLAMP(json_object_get_int_member(o, name), 0, 100000000);
}

void
testhub_oauth_handle_admin(TesthubContext *ctx, SoupServerMessage *msg, const gchar *what)
{
	TesthubOAuth *oauth = ctx->oauth;
	const gchar *method = soup_server_message_get_method(msg);
	JsonObject *body = NULL;
	DeviceCode *c;

	if (g_strcmp0(method, "GET") == 0 && what == NULL) {
		testhub_reply_json(msg, SOUP_STATUS_OK, admin_state(oauth));
		return;
	}
	if (g_strcmp0(method, "POST") != 0) {
		testhub_reply_error(msg, SOUP_STATUS_NOT_FOUND, NULL, "Not Found");
		return;
	}
	body = testhub_request_json_object(msg);
	if (body == NULL)
		return;
	if (what == NULL) {
		oauth->device_expires_in =
			MAX(admin_uint(body, "device_expires_in", oauth->device_expires_in), 1);
		oauth->token_expires_in =
			MAX(admin_uint(body, "token_expires_in", oauth->token_expires_in), 1);
		oauth->interval = admin_uint(body, "interval", oauth->interval);
		oauth->slow_down = admin_uint(body, "slow_down", oauth->slow_down);
		oauth->approve_after = admin_uint(body, "approve_after", oauth->approve_after);
		if (json_object_has_member(body, "approve_user")) {
			g_free(oauth->approve_user);
			oauth->approve_user =
				g_strdup(json_object_get_string_member(body, "approve_user"));
		}
		testhub_reply_json(msg, SOUP_STATUS_OK, admin_state(oauth));
		json_object_unref(body);
		return;
	}
	c = json_object_has_member(body, "user_code")
		    ? find_code(oauth, NULL, json_object_get_string_member(body, "user_code"))
		    : NULL;
	if (c == NULL || c->state != CODE_PENDING) {
		testhub_reply_error(msg, SOUP_STATUS_NOT_FOUND, NULL, "No such pending user code");
	} else if (g_strcmp0(what, "approve") == 0) {
		const gchar *user = json_object_has_member(body, "user")
					    ? json_object_get_string_member(body, "user")
					    : NULL;
		const TesthubUser *u =
			user != NULL ? testhub_users_by_name(ctx->users, user) : NULL;

		if (u == NULL || u->is_org) {
			testhub_reply_error(msg, SOUP_STATUS_BAD_REQUEST, NULL, "No such user");
		} else {
			c->state = CODE_APPROVED;
			c->user = g_strdup(user);
			testhub_reply_json(msg, SOUP_STATUS_OK, admin_state(oauth));
		}
	} else if (g_strcmp0(what, "deny") == 0) {
		c->state = CODE_DENIED;
		testhub_reply_json(msg, SOUP_STATUS_OK, admin_state(oauth));
	} else {
		testhub_reply_error(msg, SOUP_STATUS_NOT_FOUND, NULL, "Not Found");
	}
	json_object_unref(body);
}
