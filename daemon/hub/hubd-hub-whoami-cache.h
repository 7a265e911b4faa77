/* hubd-hub-whoami-cache.h: HubdHubClient's whoami answers, per endpoint and token, for a minute */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _HubdHubWhoamiCache HubdHubWhoamiCache;

HubdHubWhoamiCache *
hubd_hub_whoami_cache_new(void);
void
hubd_hub_whoami_cache_free(HubdHubWhoamiCache *cache);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdHubWhoamiCache, hubd_hub_whoami_cache_free)

/* The key for `token` at `endpoint`: the endpoint and the token's SHA-256,
 * never the token itself. */
gchar *
hubd_hub_whoami_cache_key(const gchar *endpoint, const gchar *token);
/* A new reference to the answer stored under `key` if it has not expired,
 * else NULL. */
JsonNode *
hubd_hub_whoami_cache_lookup(HubdHubWhoamiCache *cache, const gchar *key);
/* Stores `node` (a new reference is taken) under `key` for a minute, and
 * drops the entries that have expired. */
void
hubd_hub_whoami_cache_store(HubdHubWhoamiCache *cache, const gchar *key, JsonNode *node);

G_END_DECLS
