/* hubd-repo-info.c: HubdRepoInfo — read-only properties filled from hubd's a{sv} */
#include "hubd-repo-info.h"

#include "hubd-results-private.h"

/**
 * HubdRepoInfo:
 *
 * What the Hub knows about a repository: hubd_client_repo_info()'s answer and each entry of
 * hubd_client_list_repos(), from org.hubd.Hub1.Repos.Info and List. Properties the Hub did not give
 * are %NULL, 0 or %FALSE.
 *
 * Since: 0.1
 */
struct _HubdRepoInfo {
	GObject parent_instance;
	gchar *id;
	gchar *sha;
	gboolean private_;
	gchar *gated;
	gboolean disabled;
	gchar *author;
	gchar *last_modified;
	gchar **tags;
	gchar *library_name;
	gchar *pipeline_tag;
	gchar *license;
	guint64 downloads;
	guint64 likes;
	gchar *sdk;
};

G_DEFINE_TYPE(HubdRepoInfo, hubd_repo_info, G_TYPE_OBJECT)

enum {
	PROP_0,
	PROP_ID,
	PROP_SHA,
	PROP_PRIVATE,
	PROP_GATED,
	PROP_DISABLED,
	PROP_AUTHOR,
	PROP_LAST_MODIFIED,
	PROP_TAGS,
	PROP_LIBRARY_NAME,
	PROP_PIPELINE_TAG,
	PROP_LICENSE,
	PROP_DOWNLOADS,
	PROP_LIKES,
	PROP_SDK,
	N_PROPS,
};
static GParamSpec *props[N_PROPS];

static void
hubd_repo_info_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	HubdRepoInfo *self = HUBD_REPO_INFO(object);

	switch (prop_id) {
	case PROP_ID:
		g_value_set_string(value, self->id);
		break;
	case PROP_SHA:
		g_value_set_string(value, self->sha);
		break;
	case PROP_PRIVATE:
		g_value_set_boolean(value, self->private_);
		break;
	case PROP_GATED:
		g_value_set_string(value, self->gated);
		break;
	case PROP_DISABLED:
		g_value_set_boolean(value, self->disabled);
		break;
	case PROP_AUTHOR:
		g_value_set_string(value, self->author);
		break;
	case PROP_LAST_MODIFIED:
		g_value_set_string(value, self->last_modified);
		break;
	case PROP_TAGS:
		g_value_set_boxed(value, self->tags);
		break;
	case PROP_LIBRARY_NAME:
		g_value_set_string(value, self->library_name);
		break;
	case PROP_PIPELINE_TAG:
		g_value_set_string(value, self->pipeline_tag);
		break;
	case PROP_LICENSE:
		g_value_set_string(value, self->license);
		break;
	case PROP_DOWNLOADS:
		g_value_set_uint64(value, self->downloads);
		break;
	case PROP_LIKES:
		g_value_set_uint64(value, self->likes);
		break;
	case PROP_SDK:
		g_value_set_string(value, self->sdk);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
hubd_repo_info_finalize(GObject *object)
{
	HubdRepoInfo *self = HUBD_REPO_INFO(object);

	g_free(self->id);
	g_free(self->sha);
	g_free(self->gated);
	g_free(self->author);
	g_free(self->last_modified);
	g_strfreev(self->tags);
	g_free(self->library_name);
	g_free(self->pipeline_tag);
	g_free(self->license);
	g_free(self->sdk);
	G_OBJECT_CLASS(hubd_repo_info_parent_class)->finalize(object);
}

static void
hubd_repo_info_class_init(HubdRepoInfoClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->get_property = hubd_repo_info_get_property;
	object_class->finalize = hubd_repo_info_finalize;

	/**
	 * HubdRepoInfo:id:
	 *
	 * `namespace/name`.
	 *
	 * Since: 0.1
	 */
	props[PROP_ID] = g_param_spec_string("id",
					     NULL,
					     NULL,
					     NULL,
					     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdRepoInfo:sha:
	 *
	 * The commit the revision points at (repo_info only).
	 *
	 * Since: 0.1
	 */
	props[PROP_SHA] = g_param_spec_string("sha",
					      NULL,
					      NULL,
					      NULL,
					      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdRepoInfo:private:
	 *
	 * Whether the repo is private.
	 *
	 * Since: 0.1
	 */
	props[PROP_PRIVATE] = g_param_spec_boolean("private",
						   NULL,
						   NULL,
						   FALSE,
						   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdRepoInfo:gated:
	 *
	 * `false`, `auto` or `manual`.
	 *
	 * Since: 0.1
	 */
	props[PROP_GATED] = g_param_spec_string("gated",
						NULL,
						NULL,
						NULL,
						G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdRepoInfo:disabled:
	 *
	 * Whether the Hub disabled it.
	 *
	 * Since: 0.1
	 */
	props[PROP_DISABLED] = g_param_spec_boolean("disabled",
						    NULL,
						    NULL,
						    FALSE,
						    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdRepoInfo:author:
	 *
	 * Its namespace's owner.
	 *
	 * Since: 0.1
	 */
	props[PROP_AUTHOR] = g_param_spec_string("author",
						 NULL,
						 NULL,
						 NULL,
						 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdRepoInfo:last-modified:
	 *
	 * The date of its last change, ISO 8601.
	 *
	 * Since: 0.1
	 */
	props[PROP_LAST_MODIFIED] = g_param_spec_string("last-modified",
							NULL,
							NULL,
							NULL,
							G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdRepoInfo:tags:
	 *
	 * Its tags.
	 *
	 * Since: 0.1
	 */
	props[PROP_TAGS] = g_param_spec_boxed("tags",
					      NULL,
					      NULL,
					      G_TYPE_STRV,
					      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdRepoInfo:library-name:
	 *
	 * The library its card names.
	 *
	 * Since: 0.1
	 */
	props[PROP_LIBRARY_NAME] = g_param_spec_string("library-name",
						       NULL,
						       NULL,
						       NULL,
						       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdRepoInfo:pipeline-tag:
	 *
	 * The task its card names.
	 *
	 * Since: 0.1
	 */
	props[PROP_PIPELINE_TAG] = g_param_spec_string("pipeline-tag",
						       NULL,
						       NULL,
						       NULL,
						       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdRepoInfo:license:
	 *
	 * The card's licence.
	 *
	 * Since: 0.1
	 */
	props[PROP_LICENSE] = g_param_spec_string("license",
						  NULL,
						  NULL,
						  NULL,
						  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdRepoInfo:downloads:
	 *
	 * Recent downloads.
	 *
	 * Since: 0.1
	 */
	props[PROP_DOWNLOADS] = g_param_spec_uint64("downloads",
						    NULL,
						    NULL,
						    0,
						    G_MAXUINT64,
						    0,
						    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdRepoInfo:likes:
	 *
	 * Likes.
	 *
	 * Since: 0.1
	 */
	props[PROP_LIKES] = g_param_spec_uint64("likes",
						NULL,
						NULL,
						0,
						G_MAXUINT64,
						0,
						G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdRepoInfo:sdk:
	 *
	 * A Space's SDK.
	 *
	 * Since: 0.1
	 */
	props[PROP_SDK] = g_param_spec_string("sdk",
					      NULL,
					      NULL,
					      NULL,
					      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, N_PROPS, props);
}

static void
hubd_repo_info_init(HubdRepoInfo *self)
{
}

HubdRepoInfo *
hubd_repo_info_new_from_variant(GVariant *dict)
{
	HubdRepoInfo *self = g_object_new(HUBD_TYPE_REPO_INFO, NULL);

	self->id = hubd_results_lookup_string(dict, "id");
	self->sha = hubd_results_lookup_string(dict, "sha");
	(void)g_variant_lookup(dict, "private", "b", &self->private_);
	self->gated = hubd_results_lookup_string(dict, "gated");
	(void)g_variant_lookup(dict, "disabled", "b", &self->disabled);
	self->author = hubd_results_lookup_string(dict, "author");
	self->last_modified = hubd_results_lookup_string(dict, "last_modified");
	self->tags = hubd_results_lookup_strv(dict, "tags");
	self->library_name = hubd_results_lookup_string(dict, "library_name");
	self->pipeline_tag = hubd_results_lookup_string(dict, "pipeline_tag");
	self->license = hubd_results_lookup_string(dict, "license");
	(void)g_variant_lookup(dict, "downloads", "t", &self->downloads);
	(void)g_variant_lookup(dict, "likes", "t", &self->likes);
	self->sdk = hubd_results_lookup_string(dict, "sdk");
	return self;
}

/**
 * hubd_repo_info_get_id:
 * @self: a #HubdRepoInfo
 *
 * Returns: (nullable): `namespace/name`.
 *
 * Since: 0.1
 */
const gchar *
hubd_repo_info_get_id(HubdRepoInfo *self)
{
	g_return_val_if_fail(HUBD_IS_REPO_INFO(self), NULL);
	return self->id;
}

/**
 * hubd_repo_info_get_sha:
 * @self: a #HubdRepoInfo
 *
 * Returns: (nullable): the commit the revision points at (repo_info only).
 *
 * Since: 0.1
 */
const gchar *
hubd_repo_info_get_sha(HubdRepoInfo *self)
{
	g_return_val_if_fail(HUBD_IS_REPO_INFO(self), NULL);
	return self->sha;
}

/**
 * hubd_repo_info_get_private:
 * @self: a #HubdRepoInfo
 *
 * Returns:: whether the repo is private.
 *
 * Since: 0.1
 */
gboolean
hubd_repo_info_get_private(HubdRepoInfo *self)
{
	g_return_val_if_fail(HUBD_IS_REPO_INFO(self), FALSE);
	return self->private_;
}

/**
 * hubd_repo_info_get_gated:
 * @self: a #HubdRepoInfo
 *
 * Returns: (nullable): `false`, `auto` or `manual`.
 *
 * Since: 0.1
 */
const gchar *
hubd_repo_info_get_gated(HubdRepoInfo *self)
{
	g_return_val_if_fail(HUBD_IS_REPO_INFO(self), NULL);
	return self->gated;
}

/**
 * hubd_repo_info_get_disabled:
 * @self: a #HubdRepoInfo
 *
 * Returns:: whether the Hub disabled it.
 *
 * Since: 0.1
 */
gboolean
hubd_repo_info_get_disabled(HubdRepoInfo *self)
{
	g_return_val_if_fail(HUBD_IS_REPO_INFO(self), FALSE);
	return self->disabled;
}

/**
 * hubd_repo_info_get_author:
 * @self: a #HubdRepoInfo
 *
 * Returns: (nullable): its namespace's owner.
 *
 * Since: 0.1
 */
const gchar *
hubd_repo_info_get_author(HubdRepoInfo *self)
{
	g_return_val_if_fail(HUBD_IS_REPO_INFO(self), NULL);
	return self->author;
}

/**
 * hubd_repo_info_get_last_modified:
 * @self: a #HubdRepoInfo
 *
 * Returns: (nullable): the date of its last change, ISO 8601.
 *
 * Since: 0.1
 */
const gchar *
hubd_repo_info_get_last_modified(HubdRepoInfo *self)
{
	g_return_val_if_fail(HUBD_IS_REPO_INFO(self), NULL);
	return self->last_modified;
}

/**
 * hubd_repo_info_get_tags:
 * @self: a #HubdRepoInfo
 *
 * Returns: (nullable) (transfer none): its tags.
 *
 * Since: 0.1
 */
const gchar *const *
hubd_repo_info_get_tags(HubdRepoInfo *self)
{
	g_return_val_if_fail(HUBD_IS_REPO_INFO(self), NULL);
	return (const gchar *const *)self->tags;
}

/**
 * hubd_repo_info_get_library_name:
 * @self: a #HubdRepoInfo
 *
 * Returns: (nullable): the library its card names.
 *
 * Since: 0.1
 */
const gchar *
hubd_repo_info_get_library_name(HubdRepoInfo *self)
{
	g_return_val_if_fail(HUBD_IS_REPO_INFO(self), NULL);
	return self->library_name;
}

/**
 * hubd_repo_info_get_pipeline_tag:
 * @self: a #HubdRepoInfo
 *
 * Returns: (nullable): the task its card names.
 *
 * Since: 0.1
 */
const gchar *
hubd_repo_info_get_pipeline_tag(HubdRepoInfo *self)
{
	g_return_val_if_fail(HUBD_IS_REPO_INFO(self), NULL);
	return self->pipeline_tag;
}

/**
 * hubd_repo_info_get_license:
 * @self: a #HubdRepoInfo
 *
 * Returns: (nullable): the card's licence.
 *
 * Since: 0.1
 */
const gchar *
hubd_repo_info_get_license(HubdRepoInfo *self)
{
	g_return_val_if_fail(HUBD_IS_REPO_INFO(self), NULL);
	return self->license;
}

/**
 * hubd_repo_info_get_downloads:
 * @self: a #HubdRepoInfo
 *
 * Returns:: recent downloads.
 *
 * Since: 0.1
 */
guint64
hubd_repo_info_get_downloads(HubdRepoInfo *self)
{
	g_return_val_if_fail(HUBD_IS_REPO_INFO(self), 0);
	return self->downloads;
}

/**
 * hubd_repo_info_get_likes:
 * @self: a #HubdRepoInfo
 *
 * Returns:: likes.
 *
 * Since: 0.1
 */
guint64
hubd_repo_info_get_likes(HubdRepoInfo *self)
{
	g_return_val_if_fail(HUBD_IS_REPO_INFO(self), 0);
	return self->likes;
}

/**
 * hubd_repo_info_get_sdk:
 * @self: a #HubdRepoInfo
 *
 * Returns: (nullable): a Space's SDK.
 *
 * Since: 0.1
 */
const gchar *
hubd_repo_info_get_sdk(HubdRepoInfo *self)
{
	g_return_val_if_fail(HUBD_IS_REPO_INFO(self), NULL);
	return self->sdk;
}
