/* hubd-cache-info.c: HubdCacheInfo — read-only properties filled from hubd's a{sv} */
#include "hubd-cache-info.h"

#include "hubd-results-private.h"

/**
 * HubdCacheInfo:
 *
 * The shared cache, as huggingface_hub's `scan_cache_dir()` sees it: hubd_client_cache_scan()'s
 * answer, from org.hubd.Hub1.Cache.Scan.
 *
 * Since: 0.1
 */
struct _HubdCacheInfo {
	GObject parent_instance;
	gchar *path;
	guint64 size;
	gchar **warnings;
	gchar **incomplete;
	GPtrArray *repos;
};

G_DEFINE_TYPE(HubdCacheInfo, hubd_cache_info, G_TYPE_OBJECT)

enum {
	PROP_0,
	PROP_PATH,
	PROP_SIZE,
	PROP_WARNINGS,
	PROP_INCOMPLETE,
	N_PROPS,
};
static GParamSpec *props[N_PROPS];

static void
hubd_cache_info_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	HubdCacheInfo *self = HUBD_CACHE_INFO(object);

	switch (prop_id) {
	case PROP_PATH:
		g_value_set_string(value, self->path);
		break;
	case PROP_SIZE:
		g_value_set_uint64(value, self->size);
		break;
	case PROP_WARNINGS:
		g_value_set_boxed(value, self->warnings);
		break;
	case PROP_INCOMPLETE:
		g_value_set_boxed(value, self->incomplete);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
hubd_cache_info_finalize(GObject *object)
{
	HubdCacheInfo *self = HUBD_CACHE_INFO(object);

	g_free(self->path);
	g_strfreev(self->warnings);
	g_strfreev(self->incomplete);
	g_clear_pointer(&self->repos, g_ptr_array_unref);
	G_OBJECT_CLASS(hubd_cache_info_parent_class)->finalize(object);
}

static void
hubd_cache_info_class_init(HubdCacheInfoClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->get_property = hubd_cache_info_get_property;
	object_class->finalize = hubd_cache_info_finalize;

	/**
	 * HubdCacheInfo:path:
	 *
	 * The cache folder.
	 *
	 * Since: 0.1
	 */
	props[PROP_PATH] = g_param_spec_string("path",
					       NULL,
					       NULL,
					       NULL,
					       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdCacheInfo:size:
	 *
	 * Bytes of every repo's blobs together.
	 *
	 * Since: 0.1
	 */
	props[PROP_SIZE] = g_param_spec_uint64("size",
					       NULL,
					       NULL,
					       0,
					       G_MAXUINT64,
					       0,
					       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdCacheInfo:warnings:
	 *
	 * Corrupted repos and skipped entries, which are not in the repos.
	 *
	 * Since: 0.1
	 */
	props[PROP_WARNINGS] = g_param_spec_boxed("warnings",
						  NULL,
						  NULL,
						  G_TYPE_STRV,
						  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdCacheInfo:incomplete:
	 *
	 * Paths of unfinished downloads.
	 *
	 * Since: 0.1
	 */
	props[PROP_INCOMPLETE] = g_param_spec_boxed("incomplete",
						    NULL,
						    NULL,
						    G_TYPE_STRV,
						    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, N_PROPS, props);
}

static void
hubd_cache_info_init(HubdCacheInfo *self)
{
}

HubdCacheInfo *
hubd_cache_info_new_from_variant(GVariant *dict)
{
	HubdCacheInfo *self = g_object_new(HUBD_TYPE_CACHE_INFO, NULL);

	self->path = hubd_results_lookup_string(dict, "path");
	(void)g_variant_lookup(dict, "size", "t", &self->size);
	self->warnings = hubd_results_lookup_strv(dict, "warnings");
	self->incomplete = hubd_results_lookup_strv(dict, "incomplete");
	self->repos = hubd_results_list(dict,
					"repos",
					(HubdResultsNewFunc)hubd_cache_repo_new_from_variant);
	return self;
}

/**
 * hubd_cache_info_get_path:
 * @self: a #HubdCacheInfo
 *
 * Returns: (nullable): the cache folder.
 *
 * Since: 0.1
 */
const gchar *
hubd_cache_info_get_path(HubdCacheInfo *self)
{
	g_return_val_if_fail(HUBD_IS_CACHE_INFO(self), NULL);
	return self->path;
}

/**
 * hubd_cache_info_get_size:
 * @self: a #HubdCacheInfo
 *
 * Returns:: bytes of every repo's blobs together.
 *
 * Since: 0.1
 */
guint64
hubd_cache_info_get_size(HubdCacheInfo *self)
{
	g_return_val_if_fail(HUBD_IS_CACHE_INFO(self), 0);
	return self->size;
}

/**
 * hubd_cache_info_get_warnings:
 * @self: a #HubdCacheInfo
 *
 * Returns: (nullable) (transfer none): corrupted repos and skipped entries, which are not in the
 * repos.
 *
 * Since: 0.1
 */
const gchar *const *
hubd_cache_info_get_warnings(HubdCacheInfo *self)
{
	g_return_val_if_fail(HUBD_IS_CACHE_INFO(self), NULL);
	return (const gchar *const *)self->warnings;
}

/**
 * hubd_cache_info_get_incomplete:
 * @self: a #HubdCacheInfo
 *
 * Returns: (nullable) (transfer none): paths of unfinished downloads.
 *
 * Since: 0.1
 */
const gchar *const *
hubd_cache_info_get_incomplete(HubdCacheInfo *self)
{
	g_return_val_if_fail(HUBD_IS_CACHE_INFO(self), NULL);
	return (const gchar *const *)self->incomplete;
}

/**
 * hubd_cache_info_get_repos:
 * @self: a #HubdCacheInfo
 *
 * Returns: (transfer none) (element-type HubdCacheRepo): the cached repos
 *
 * Since: 0.1
 */
GPtrArray *
hubd_cache_info_get_repos(HubdCacheInfo *self)
{
	g_return_val_if_fail(HUBD_IS_CACHE_INFO(self), NULL);
	return self->repos;
}
