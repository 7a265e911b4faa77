/* hubd-results-private.h: typed results made from hubd's a{sv} answers (not installed) */
#pragma once

#include "hubd-cache-info.h"
#include "hubd-cache-repo.h"
#include "hubd-repo-file.h"
#include "hubd-repo-info.h"
#include "hubd-user.h"

G_BEGIN_DECLS

/* Each takes an a{sv} as the D-Bus API documents it; unknown keys are
 * ignored (a newer hubd may add some), missing ones stay NULL / 0. */
HubdUser *
hubd_user_new_from_variant(GVariant *dict);
HubdRepoInfo *
hubd_repo_info_new_from_variant(GVariant *dict);
HubdRepoFile *
hubd_repo_file_new_from_variant(GVariant *dict);
HubdCacheRepo *
hubd_cache_repo_new_from_variant(GVariant *dict);
HubdCacheInfo *
hubd_cache_info_new_from_variant(GVariant *dict);

/* NULL when the key is missing or "" (the API sends "" for "not given"). */
gchar *
hubd_results_lookup_string(GVariant *dict, const gchar *key);
gchar **
hubd_results_lookup_strv(GVariant *dict, const gchar *key);

typedef gpointer (*HubdResultsNewFunc)(GVariant *dict);
/* aa{sv} -> GPtrArray of objects (owning them). `key` NULL: `value` itself is
 * the aa{sv}. */
GPtrArray *
hubd_results_list(GVariant *value, const gchar *key, HubdResultsNewFunc func);

/* A converter for hubd-client-call.c: the reply's first child, an a{sv},
 * made into a typed result by `type_new`. */
#define HUBD_CLIENT_DICT_CONVERT(func, type_new)                                \
	static gpointer func(GVariant *reply)                                   \
	{                                                                       \
		g_autoptr(GVariant) dict = g_variant_get_child_value(reply, 0); \
		return type_new(dict);                                          \
	}

G_END_DECLS
