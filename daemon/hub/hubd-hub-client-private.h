/* hubd-hub-client-private.h: HubdHubRequest/Response fields, for the hub-client files only */
#pragma once

#include "hubd-hub-request.h"

G_BEGIN_DECLS

struct _HubdHubRequest {
	gchar *method;
	GString *url; /* path or URL, query appended */
	gboolean has_query;
	gchar *content_type;
	GBytes *body;
	HubdHubBodyFactory body_factory; /* streamed body, instead of `body` */
	gpointer body_data;
	GDestroyNotify body_destroy;
	goffset body_length;
	GPtrArray *headers; /* name, value, name, value... */
	HubdHubRequestFlags flags;
	gchar *token;
	gchar *endpoint;
	gchar *library;
	guint timeout;
};

struct _HubdHubResponse {
	guint status;
	SoupMessage *msg;
	GBytes *body;
	GUri *uri;
	gchar *request_id;
};

/* The answer `msg` gave from `uri`; `body` (taken, may be NULL) is the
 * buffered body. */
HubdHubResponse *
hubd_hub_response_new(SoupMessage *msg, GUri *uri, GBytes *body);

/* The Hub's request ID (X-Request-Id, else the trace IDs), or NULL. */
const gchar *
hubd_hub_response_request_id_from_headers(SoupMessageHeaders *headers);

G_END_DECLS
