/* hubd-repos-list.h: a listing of the Hub that follows `Link: <…>; rel="next"`
 * pages, as a chain of async requests, converting each JSON array element to
 * an a{sv} as it arrives and stopping at a limit */
#pragma once

#include <json-glib/json-glib.h>

#include "hubd-hub-client.h"

G_BEGIN_DECLS

/* Most entries any listing returns in one D-Bus answer, so that a huge repo
 * cannot make the daemon (or the reply) grow without bound. */
#define HUBD_REPOS_LIST_MAX_ENTRIES 100000

/* One array element -> an a{sv} (floating), or NULL to skip it. */
typedef GVariant *(*HubdReposListConvert)(JsonObject *element);

/* The URL of the rel="next" link of an RFC 8288 Link header, NULL if none. */
gchar *
hubd_repos_list_next_link(const gchar *link_header);

/* Sends `first` and then every next page (same flags) until there is none or
 * `limit` (0: HUBD_REPOS_LIST_MAX_ENTRIES, and more is an error) entries are
 * collected. */
void
hubd_repos_list_fetch_async(HubdHubClient *client,
			    HubdHubRequest *first,
			    HubdHubRequestFlags flags,
			    guint limit,
			    HubdReposListConvert convert,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data);
/* aa{sv}, not floating */
GVariant *
hubd_repos_list_fetch_finish(GAsyncResult *result, GError **error);

G_END_DECLS
