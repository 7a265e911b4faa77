/* hubd-cache-repo.c: HubdCacheRepo — read-only properties filled from hubd's a{sv} */
#include "hubd-cache-repo.h"

#include "hubd-results-private.h"

/**
 * HubdCacheRepo:
 *
 * One repository in the shared cache: an entry of hubd_cache_info_get_repos().
 *
 * Since: 0.1
 */
struct _HubdCacheRepo {
	GObject parent_instance;
	gchar *repo_id;
	gchar *repo_type;
	gchar *path;
	guint64 size;
	guint nb_files;
	gint64 last_accessed;
	gint64 last_modified;
	gchar **refs;
};

G_DEFINE_TYPE(HubdCacheRepo, hubd_cache_repo, G_TYPE_OBJECT)

enum {
	PROP_0,
	PROP_REPO_ID,
	PROP_REPO_TYPE,
	PROP_PATH,
	PROP_SIZE,
	PROP_NB_FILES,
	PROP_LAST_ACCESSED,
	PROP_LAST_MODIFIED,
	PROP_REFS,
	N_PROPS,
};
static GParamSpec *props[N_PROPS];

static void
hubd_cache_repo_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	HubdCacheRepo *self = HUBD_CACHE_REPO(object);

	switch (prop_id) {
	case PROP_REPO_ID:
		g_value_set_string(value, self->repo_id);
		break;
	case PROP_REPO_TYPE:
		g_value_set_string(value, self->repo_type);
		break;
	case PROP_PATH:
		g_value_set_string(value, self->path);
		break;
	case PROP_SIZE:
		g_value_set_uint64(value, self->size);
		break;
	case PROP_NB_FILES:
		g_value_set_uint(value, self->nb_files);
		break;
	case PROP_LAST_ACCESSED:
		g_value_set_int64(value, self->last_accessed);
		break;
	case PROP_LAST_MODIFIED:
		g_value_set_int64(value, self->last_modified);
		break;
	case PROP_REFS:
		g_value_set_boxed(value, self->refs);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
hubd_cache_repo_finalize(GObject *object)
{
	HubdCacheRepo *self = HUBD_CACHE_REPO(object);

	g_free(self->repo_id);
	g_free(self->repo_type);
	g_free(self->path);
	g_strfreev(self->refs);
	G_OBJECT_CLASS(hubd_cache_repo_parent_class)->finalize(object);
}

static void
hubd_cache_repo_class_init(HubdCacheRepoClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->get_property = hubd_cache_repo_get_property;
	object_class->finalize = hubd_cache_repo_finalize;

	/**
	 * HubdCacheRepo:repo-id:
	 *
	 * `namespace/name`.
	 *
	 * Since: 0.1
	 */
	props[PROP_REPO_ID] = g_param_spec_string("repo-id",
						  NULL,
						  NULL,
						  NULL,
						  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdCacheRepo:repo-type:
	 *
	 * `model`, `dataset` or `space`.
	 *
	 * Since: 0.1
	 */
	props[PROP_REPO_TYPE] = g_param_spec_string("repo-type",
						    NULL,
						    NULL,
						    NULL,
						    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdCacheRepo:path:
	 *
	 * The repo's folder in the cache.
	 *
	 * Since: 0.1
	 */
	props[PROP_PATH] = g_param_spec_string("path",
					       NULL,
					       NULL,
					       NULL,
					       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdCacheRepo:size:
	 *
	 * Bytes of its distinct blobs.
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
	 * HubdCacheRepo:nb-files:
	 *
	 * Its distinct blobs.
	 *
	 * Since: 0.1
	 */
	props[PROP_NB_FILES] = g_param_spec_uint("nb-files",
						 NULL,
						 NULL,
						 0,
						 G_MAXUINT,
						 0,
						 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdCacheRepo:last-accessed:
	 *
	 * The newest access time of its blobs, in seconds since the epoch.
	 *
	 * Since: 0.1
	 */
	props[PROP_LAST_ACCESSED] = g_param_spec_int64("last-accessed",
						       NULL,
						       NULL,
						       G_MININT64,
						       G_MAXINT64,
						       0,
						       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdCacheRepo:last-modified:
	 *
	 * The newest modification time of its blobs, in seconds since the epoch.
	 *
	 * Since: 0.1
	 */
	props[PROP_LAST_MODIFIED] = g_param_spec_int64("last-modified",
						       NULL,
						       NULL,
						       G_MININT64,
						       G_MAXINT64,
						       0,
						       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdCacheRepo:refs:
	 *
	 * Its refs, sorted, e.g. `main` and `refs/pr/1`.
	 *
	 * Since: 0.1
	 */
	props[PROP_REFS] = g_param_spec_boxed("refs",
					      NULL,
					      NULL,
					      G_TYPE_STRV,
					      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, N_PROPS, props);
}

static void
hubd_cache_repo_init(HubdCacheRepo *self)
{
}

HubdCacheRepo *
hubd_cache_repo_new_from_variant(GVariant *dict)
{
	HubdCacheRepo *self = g_object_new(HUBD_TYPE_CACHE_REPO, NULL);

	self->repo_id = hubd_results_lookup_string(dict, "repo_id");
	self->repo_type = hubd_results_lookup_string(dict, "repo_type");
	self->path = hubd_results_lookup_string(dict, "path");
	(void)g_variant_lookup(dict, "size", "t", &self->size);
	(void)g_variant_lookup(dict, "nb_files", "u", &self->nb_files);
	(void)g_variant_lookup(dict, "last_accessed", "x", &self->last_accessed);
	(void)g_variant_lookup(dict, "last_modified", "x", &self->last_modified);
	self->refs = hubd_results_lookup_strv(dict, "refs");
	return self;
}

/**
 * hubd_cache_repo_get_repo_id:
 * @self: a #HubdCacheRepo
 *
 * Returns: (nullable): `namespace/name`.
 *
 * Since: 0.1
 */
const gchar *
hubd_cache_repo_get_repo_id(HubdCacheRepo *self)
{
	g_return_val_if_fail(HUBD_IS_CACHE_REPO(self), NULL);
	return self->repo_id;
}

/**
 * hubd_cache_repo_get_repo_type:
 * @self: a #HubdCacheRepo
 *
 * Returns: (nullable): `model`, `dataset` or `space`.
 *
 * Since: 0.1
 */
const gchar *
hubd_cache_repo_get_repo_type(HubdCacheRepo *self)
{
	g_return_val_if_fail(HUBD_IS_CACHE_REPO(self), NULL);
	return self->repo_type;
}

/**
 * hubd_cache_repo_get_path:
 * @self: a #HubdCacheRepo
 *
 * Returns: (nullable): the repo's folder in the cache.
 *
 * Since: 0.1
 */
const gchar *
hubd_cache_repo_get_path(HubdCacheRepo *self)
{
	g_return_val_if_fail(HUBD_IS_CACHE_REPO(self), NULL);
	return self->path;
}

/**
 * hubd_cache_repo_get_size:
 * @self: a #HubdCacheRepo
 *
 * Returns:: bytes of its distinct blobs.
 *
 * Since: 0.1
 */
guint64
hubd_cache_repo_get_size(HubdCacheRepo *self)
{
	g_return_val_if_fail(HUBD_IS_CACHE_REPO(self), 0);
	return self->size;
}

/**
 * hubd_cache_repo_get_nb_files:
 * @self: a #HubdCacheRepo
 *
 * Returns:: its distinct blobs.
 *
 * Since: 0.1
 */
guint
hubd_cache_repo_get_nb_files(HubdCacheRepo *self)
{
	g_return_val_if_fail(HUBD_IS_CACHE_REPO(self), 0);
	return self->nb_files;
}

/**
 * hubd_cache_repo_get_last_accessed:
 * @self: a #HubdCacheRepo
 *
 * Returns:: the newest access time of its blobs, in seconds since the epoch.
 *
 * Since: 0.1
 */
gint64
hubd_cache_repo_get_last_accessed(HubdCacheRepo *self)
{
	g_return_val_if_fail(HUBD_IS_CACHE_REPO(self), 0);
	return self->last_accessed;
}

/**
 * hubd_cache_repo_get_last_modified:
 * @self: a #HubdCacheRepo
 *
 * Returns:: the newest modification time of its blobs, in seconds since the epoch.
 *
 * Since: 0.1
 */
gint64
hubd_cache_repo_get_last_modified(HubdCacheRepo *self)
{
	g_return_val_if_fail(HUBD_IS_CACHE_REPO(self), 0);
	return self->last_modified;
}

/**
 * hubd_cache_repo_get_refs:
 * @self: a #HubdCacheRepo
 *
 * Returns: (nullable) (transfer none): its refs, sorted, e.g. `main` and `refs/pr/1`.
 *
 * Since: 0.1
 */
const gchar *const *
hubd_cache_repo_get_refs(HubdCacheRepo *self)
{
	g_return_val_if_fail(HUBD_IS_CACHE_REPO(self), NULL);
	return (const gchar *const *)self->refs;
}
