/* hubd-repo-file.c: HubdRepoFile — read-only properties filled from hubd's a{sv} */
#include "hubd-repo-file.h"

#include "hubd-results-private.h"

/**
 * HubdRepoFile:
 *
 * A file or folder of a repository: each entry of hubd_client_list_files(), from
 * org.hubd.Hub1.Repos.ListFiles.
 *
 * Since: 0.1
 */
struct _HubdRepoFile {
	GObject parent_instance;
	gchar *path;
	gchar *entry_type;
	guint64 size;
	gchar *oid;
	gchar *lfs_sha256;
	guint64 lfs_size;
};

G_DEFINE_TYPE(HubdRepoFile, hubd_repo_file, G_TYPE_OBJECT)

enum {
	PROP_0,
	PROP_PATH,
	PROP_ENTRY_TYPE,
	PROP_SIZE,
	PROP_OID,
	PROP_LFS_SHA256,
	PROP_LFS_SIZE,
	N_PROPS,
};
static GParamSpec *props[N_PROPS];

static void
hubd_repo_file_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	HubdRepoFile *self = HUBD_REPO_FILE(object);

	switch (prop_id) {
	case PROP_PATH:
		g_value_set_string(value, self->path);
		break;
	case PROP_ENTRY_TYPE:
		g_value_set_string(value, self->entry_type);
		break;
	case PROP_SIZE:
		g_value_set_uint64(value, self->size);
		break;
	case PROP_OID:
		g_value_set_string(value, self->oid);
		break;
	case PROP_LFS_SHA256:
		g_value_set_string(value, self->lfs_sha256);
		break;
	case PROP_LFS_SIZE:
		g_value_set_uint64(value, self->lfs_size);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
hubd_repo_file_finalize(GObject *object)
{
	HubdRepoFile *self = HUBD_REPO_FILE(object);

	g_free(self->path);
	g_free(self->entry_type);
	g_free(self->oid);
	g_free(self->lfs_sha256);
	G_OBJECT_CLASS(hubd_repo_file_parent_class)->finalize(object);
}

static void
hubd_repo_file_class_init(HubdRepoFileClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->get_property = hubd_repo_file_get_property;
	object_class->finalize = hubd_repo_file_finalize;

	/**
	 * HubdRepoFile:path:
	 *
	 * Its path from the top of the repo.
	 *
	 * Since: 0.1
	 */
	props[PROP_PATH] = g_param_spec_string("path",
					       NULL,
					       NULL,
					       NULL,
					       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdRepoFile:entry-type:
	 *
	 * `file` or `directory`.
	 *
	 * Since: 0.1
	 */
	props[PROP_ENTRY_TYPE] = g_param_spec_string("entry-type",
						     NULL,
						     NULL,
						     NULL,
						     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdRepoFile:size:
	 *
	 * Bytes (of the real file for LFS files); 0 for a folder.
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
	 * HubdRepoFile:oid:
	 *
	 * The git object id, where the Hub gives it.
	 *
	 * Since: 0.1
	 */
	props[PROP_OID] = g_param_spec_string("oid",
					      NULL,
					      NULL,
					      NULL,
					      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdRepoFile:lfs-sha256:
	 *
	 * LFS files only: the SHA-256 of the content.
	 *
	 * Since: 0.1
	 */
	props[PROP_LFS_SHA256] = g_param_spec_string("lfs-sha256",
						     NULL,
						     NULL,
						     NULL,
						     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdRepoFile:lfs-size:
	 *
	 * LFS files only: the size of the content.
	 *
	 * Since: 0.1
	 */
	props[PROP_LFS_SIZE] = g_param_spec_uint64("lfs-size",
						   NULL,
						   NULL,
						   0,
						   G_MAXUINT64,
						   0,
						   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, N_PROPS, props);
}

static void
hubd_repo_file_init(HubdRepoFile *self)
{
}

HubdRepoFile *
hubd_repo_file_new_from_variant(GVariant *dict)
{
	HubdRepoFile *self = g_object_new(HUBD_TYPE_REPO_FILE, NULL);

	self->path = hubd_results_lookup_string(dict, "path");
	self->entry_type = hubd_results_lookup_string(dict, "type");
	(void)g_variant_lookup(dict, "size", "t", &self->size);
	self->oid = hubd_results_lookup_string(dict, "oid");
	self->lfs_sha256 = hubd_results_lookup_string(dict, "lfs_sha256");
	(void)g_variant_lookup(dict, "lfs_size", "t", &self->lfs_size);
	return self;
}

/**
 * hubd_repo_file_get_path:
 * @self: a #HubdRepoFile
 *
 * Returns: (nullable): its path from the top of the repo.
 *
 * Since: 0.1
 */
const gchar *
hubd_repo_file_get_path(HubdRepoFile *self)
{
	g_return_val_if_fail(HUBD_IS_REPO_FILE(self), NULL);
	return self->path;
}

/**
 * hubd_repo_file_get_entry_type:
 * @self: a #HubdRepoFile
 *
 * Returns: (nullable): `file` or `directory`.
 *
 * Since: 0.1
 */
const gchar *
hubd_repo_file_get_entry_type(HubdRepoFile *self)
{
	g_return_val_if_fail(HUBD_IS_REPO_FILE(self), NULL);
	return self->entry_type;
}

/**
 * hubd_repo_file_get_size:
 * @self: a #HubdRepoFile
 *
 * Returns:: bytes (of the real file for LFS files); 0 for a folder.
 *
 * Since: 0.1
 */
guint64
hubd_repo_file_get_size(HubdRepoFile *self)
{
	g_return_val_if_fail(HUBD_IS_REPO_FILE(self), 0);
	return self->size;
}

/**
 * hubd_repo_file_get_oid:
 * @self: a #HubdRepoFile
 *
 * Returns: (nullable): the git object id, where the Hub gives it.
 *
 * Since: 0.1
 */
const gchar *
hubd_repo_file_get_oid(HubdRepoFile *self)
{
	g_return_val_if_fail(HUBD_IS_REPO_FILE(self), NULL);
	return self->oid;
}

/**
 * hubd_repo_file_get_lfs_sha256:
 * @self: a #HubdRepoFile
 *
 * Returns: (nullable): lFS files only: the SHA-256 of the content.
 *
 * Since: 0.1
 */
const gchar *
hubd_repo_file_get_lfs_sha256(HubdRepoFile *self)
{
	g_return_val_if_fail(HUBD_IS_REPO_FILE(self), NULL);
	return self->lfs_sha256;
}

/**
 * hubd_repo_file_get_lfs_size:
 * @self: a #HubdRepoFile
 *
 * Returns:: lFS files only: the size of the content.
 *
 * Since: 0.1
 */
guint64
hubd_repo_file_get_lfs_size(HubdRepoFile *self)
{
	g_return_val_if_fail(HUBD_IS_REPO_FILE(self), 0);
	return self->lfs_size;
}
