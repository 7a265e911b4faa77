/* hubd-hub-error-map.c: a Hub answer (status, X-Error-Code/-Message, body) -> HUBD_ERROR */
#define G_LOG_DOMAIN "HubdHubErrorMap"

#include "hubd-hub-error-map.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "hubd-error.h"
#include "hubd-hub-request-send.h"
#include "hubd-hub-retry.h"
#include "hubd-json.h"

/* the most of a Hub's own words an error message carries, in characters */
#define DETAIL_MAX_CHARS     300
#define REQUEST_ID_MAX_CHARS 100

/* Text from the Hub (or whatever answered in its place) made fit for an
 * error message a person reads over D-Bus: valid UTF-8, one line, at most
 * `max_chars` characters (… when cut); NULL when nothing is left. */
static gchar *
hubd_hub_error_map_clean(const gchar *text, gssize len, guint max_chars)
{
	g_autofree gchar *valid = NULL;
	g_autoptr(GString) s = NULL;
	const gchar *p;
	guint n = 0;

	if (text == NULL)
		return NULL;
	valid = g_utf8_make_valid(text, len);
	s = g_string_new(NULL);
	for (p = valid; *p != '\0' && n < max_chars; p = g_utf8_next_char(p), n++) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_iscntrl(c))
			g_string_append_c(s, ' ');
		else
			g_string_append_unichar(s, c);
	}
	if (*p != '\0')
		g_string_append(s, "…");
	g_strstrip(s->str);
	if (s->str[0] == '\0')
		return NULL;
	return g_strdup(s->str);
}

/* the JSON body's error / error_description / errors[].message, else a
 * non-HTML text body; unbounded */
static gchar *
hubd_hub_error_map_body_detail(GBytes *body)
{
	g_autoptr(JsonParser) parser = NULL;
	const gchar *data;
	gsize len = 0;

	if (body == NULL)
		return NULL;
	data = g_bytes_get_data(body, &len);
	if (len == 0)
		return NULL;
	parser = json_parser_new();
	/* a blank body parses, with no root */
	if (json_parser_load_from_data(parser, data, (gssize)len, NULL) &&
	    json_parser_get_root(parser) != NULL &&
	    JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
		JsonObject *obj = json_node_get_object(json_parser_get_root(parser));
		const gchar *err = hubd_json_get_string(obj, "error");
		JsonArray *errs = hubd_json_get_array(obj, "error");
		if (err != NULL) {
			const gchar *desc = hubd_json_get_string(obj, "error_description");
			if (desc != NULL)
				return g_strdup_printf("%s: %s", err, desc);
			return g_strdup(err);
		}
		if (errs != NULL) {
			g_autoptr(GString) s = g_string_new(NULL);
			for (guint i = 0; i < json_array_get_length(errs); i++) {
				/* NULL for anything but a string */
				const gchar *m =
					json_node_get_string(json_array_get_element(errs, i));
				if (m != NULL)
					g_string_append_printf(s,
							       "%s%s",
							       s->len > 0 ? "; " : "",
							       m);
			}
			return g_string_free(g_steal_pointer(&s), FALSE);
		}
		errs = hubd_json_get_array(obj, "errors");
		if (errs != NULL && json_array_get_length(errs) > 0) {
			JsonNode *first = json_array_get_element(errs, 0);
			if (JSON_NODE_HOLDS_OBJECT(first))
				return g_strdup(hubd_json_get_string(json_node_get_object(first),
								     "message"));
		}
		return NULL;
	}
	/* data is not NUL-terminated */
	if (data[0] == '<' || !g_utf8_validate(data, (gssize)len, NULL))
		return NULL;
	return g_strndup(data, len);
}

gchar *
hubd_hub_error_map_detail(SoupMessageHeaders *headers, GBytes *body)
{
	const gchar *xmsg = soup_message_headers_get_one(headers, "X-Error-Message");
	g_autofree gchar *from_body = NULL;
	gchar *detail = hubd_hub_error_map_clean(xmsg, -1, DETAIL_MAX_CHARS);

	if (detail != NULL)
		return detail;
	from_body = hubd_hub_error_map_body_detail(body);
	return hubd_hub_error_map_clean(from_body, -1, DETAIL_MAX_CHARS);
}

/* huggingface_hub's repo-URL regex, minus the https:// requirement (a local Hub
 * speaks http): repo API calls and resolve URLs. */
static gboolean
hubd_hub_error_map_is_repo_url(GUri *uri)
{
	const gchar *path = uri != NULL ? g_uri_get_path(uri) : NULL;

	if (path == NULL)
		return FALSE;
	return g_str_has_prefix(path, "/api/models/") || g_str_has_prefix(path, "/api/datasets/") ||
	       g_str_has_prefix(path, "/api/spaces/") || strstr(path, "/resolve/") != NULL;
}

gboolean
hubd_hub_client_error_from_response(guint status,
				    SoupMessageHeaders *headers,
				    GBytes *body,
				    GUri *uri,
				    GError **error)
{
	const gchar *code = soup_message_headers_get_one(headers, "X-Error-Code");
	const gchar *xmsg = soup_message_headers_get_one(headers, "X-Error-Message");
	g_autofree gchar *request_id =
		hubd_hub_error_map_clean(hubd_hub_response_request_id_from_headers(headers),
					 -1,
					 REQUEST_ID_MAX_CHARS);
	g_autofree gchar *detail = hubd_hub_error_map_detail(headers, body);
	g_autofree gchar *where = NULL;
	g_autofree gchar *owned_summary = NULL;
	HubdErrorCode ecode;
	const gchar *summary;

	if (status < 400)
		return FALSE;
	if (g_strcmp0(code, "RevisionNotFound") == 0) {
		ecode = HUBD_ERROR_REVISION_NOT_FOUND;
		summary = _("Revision not found");
	} else if (g_strcmp0(code, "EntryNotFound") == 0) {
		ecode = HUBD_ERROR_ENTRY_NOT_FOUND;
		summary = _("File not found in the repository");
	} else if (g_strcmp0(code, "GatedRepo") == 0) {
		ecode = HUBD_ERROR_GATED;
		summary = _("This repository is gated: you must be logged in and granted access");
	} else if (g_strcmp0(xmsg, "Access to this resource is disabled.") == 0) {
		ecode = HUBD_ERROR_FORBIDDEN;
		summary = _("This repository has been disabled");
	} else if (g_strcmp0(code, "RepoNotFound") == 0 ||
		   (status == 401 && hubd_hub_error_map_is_repo_url(uri) &&
		    g_strcmp0(xmsg, "Invalid credentials in Authorization header") != 0)) {
		/* the Hub answers 401 for private and missing repos alike */
		ecode = HUBD_ERROR_REPO_NOT_FOUND;
		summary = _("Repository not found (or it is private and you have no access)");
	} else if (status == 401) {
		ecode = HUBD_ERROR_UNAUTHORIZED;
		summary = _("The Hub did not accept the token (invalid, expired or missing)");
	} else if (status == 403) {
		ecode = HUBD_ERROR_FORBIDDEN;
		summary = _("Forbidden");
	} else if (status == 409 || status == 412) {
		ecode = HUBD_ERROR_CONFLICT;
		summary = _("Conflict with the repository’s current state");
	} else if (status == 429) {
		gint64 wait = hubd_hub_retry_after_seconds(status, headers);

		ecode = HUBD_ERROR_RATE_LIMITED;
		summary = _("Too many requests: the Hub asks to slow down");
		if (wait >= 0)
			summary = owned_summary = g_strdup_printf(
				g_dngettext(
					GETTEXT_PACKAGE,
					"Too many requests: the Hub asks to wait %" G_GINT64_FORMAT
					" second before trying again",
					"Too many requests: the Hub asks to wait %" G_GINT64_FORMAT
					" seconds before trying again",
					(gulong)wait),
				wait);
	} else if (status == 408) {
		ecode = HUBD_ERROR_NETWORK;
		summary = _("The Hub timed out waiting for the request");
	} else if (status == 404 && hubd_hub_error_map_is_repo_url(uri)) {
		ecode = strstr(g_uri_get_path(uri), "/resolve/") != NULL
				? HUBD_ERROR_ENTRY_NOT_FOUND
				: HUBD_ERROR_REPO_NOT_FOUND;
		summary = _("Not found");
	} else if (status == 404) {
		/* a webhook, a collection, an endpoint… that the Hub does not know */
		ecode = HUBD_ERROR_NOT_FOUND;
		summary = _("Not found");
	} else if (status >= 500) {
		ecode = HUBD_ERROR_SERVER;
		summary = _("The Hub had an internal error");
	} else {
		ecode = HUBD_ERROR_BAD_REQUEST;
		summary = _("The Hub refused the request");
	}
	where = uri != NULL ? g_strdup_printf("%s %s", g_uri_get_host(uri), g_uri_get_path(uri))
			    : g_strdup("?");
	if (request_id != NULL)
		g_set_error(error,
			    HUBD_ERROR,
			    ecode,
			    _("%s%s%s (HTTP %u from %s, request ID %s)"),
			    summary,
			    detail != NULL ? ": " : "",
			    detail != NULL ? detail : "",
			    status,
			    where,
			    request_id);
	else
		g_set_error(error,
			    HUBD_ERROR,
			    ecode,
			    _("%s%s%s (HTTP %u from %s)"),
			    summary,
			    detail != NULL ? ": " : "",
			    detail != NULL ? detail : "",
			    status,
			    where);
	return TRUE;
}
