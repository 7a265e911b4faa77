/* hubd-hub-whoami-cache.c: HubdHubClient's whoami answers, per endpoint and token, for a minute */
#define G_LOG_DOMAIN "HubdHubWhoamiCache"

#include "hubd-hub-whoami-cache.h"

#define WHOAMI_CACHE_USEC (60 * G_USEC_PER_SEC)

typedef struct {
	JsonNode *node;
	gint64 expires;
} WhoamiEntry;

struct _HubdHubWhoamiCache {
	GHashTable *entries; /* endpoint\nsha256(token) -> WhoamiEntry* */
};

static void
whoami_entry_free(WhoamiEntry *e)
{
	json_node_unref(e->node);
	g_free(e);
}

HubdHubWhoamiCache *
hubd_hub_whoami_cache_new(void)
{
	HubdHubWhoamiCache *cache = g_new0(HubdHubWhoamiCache, 1);

	cache->entries = g_hash_table_new_full(g_str_hash,
					       g_str_equal,
					       g_free,
					       (GDestroyNotify)whoami_entry_free);
	return cache;
}

void
hubd_hub_whoami_cache_free(HubdHubWhoamiCache *cache)
{
	if (cache == NULL)
		return;
	g_hash_table_unref(cache->entries);
	g_free(cache);
}

gchar *
hubd_hub_whoami_cache_key(const gchar *endpoint, const gchar *token)
{
	g_autofree gchar *digest = g_compute_checksum_for_string(G_CHECKSUM_SHA256, token, -1);

	return g_strdup_printf("%s\n%s", endpoint, digest);
}

JsonNode *
hubd_hub_whoami_cache_lookup(HubdHubWhoamiCache *cache, const gchar *key)
{
	WhoamiEntry *entry = g_hash_table_lookup(cache->entries, key);

	if (entry != NULL && entry->expires > g_get_monotonic_time())
		return json_node_ref(entry->node);
	return NULL;
}

void
hubd_hub_whoami_cache_store(HubdHubWhoamiCache *cache, const gchar *key, JsonNode *node)
{
	WhoamiEntry *entry;
	GHashTableIter iter;
	gpointer value;
	gint64 now = g_get_monotonic_time();

	g_hash_table_iter_init(&iter, cache->entries);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		if (((WhoamiEntry *)value)->expires < now)
			g_hash_table_iter_remove(&iter);
	}
	entry = g_new0(WhoamiEntry, 1);
	entry->node = json_node_ref(node);
	entry->expires = now + WHOAMI_CACHE_USEC;
	g_hash_table_replace(cache->entries, g_strdup(key), entry);
}
