/* hubd-storage-file.c: HubdStorageFile, the built-in file:// storage backend — objects as plain
 * files in a folder */
#define G_LOG_DOMAIN "HubdStorageFile"

#include "hubd-storage-file.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <nettle/base16.h>
#include <nettle/sha2.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "hubd-error.h"
#include "hubd-storage-file-stream.h"

#define COPY_BUFFER_SIZE (256 * 1024)
/* a rename whose parent folder a concurrent delete just removed is retried */
#define PLACE_ATTEMPTS 16
/* leftovers of a crash in staging/ older than this are removed at start */
#define STALE_STAGING_SECONDS (24 * 60 * 60)
#define UPLOAD_ID_LENGTH      32

struct _HubdStorageFile {
	GObject parent_instance;
	gchar *name;
	gchar *url;
	GVariant *options;
	/* set by init, read-only afterwards, so worker threads share them */
	gchar *root;
	gchar *staging; /* ROOT/.hubd-storage/staging */
	gchar *uploads; /* ROOT/.hubd-storage/uploads */
	gboolean fsync;
};

static void
hubd_storage_file_iface_init(HubdStorageInterface *iface);
static void
hubd_storage_file_initable_iface_init(GInitableIface *iface);

G_DEFINE_TYPE_WITH_CODE(
	HubdStorageFile,
	hubd_storage_file,
	G_TYPE_OBJECT,
	G_IMPLEMENT_INTERFACE(HUBD_TYPE_STORAGE, hubd_storage_file_iface_init)
		G_IMPLEMENT_INTERFACE(G_TYPE_INITABLE, hubd_storage_file_initable_iface_init)
			hubd_storage_register_extension_point();
	g_io_extension_point_implement(HUBD_STORAGE_EXTENSION_POINT, g_define_type_id, "file", 0))

enum { PROP_0, PROP_NAME, PROP_URL, PROP_OPTIONS };

/* ---- small helpers ---- */

/* `message` (taken) and what errno `errsv` says, e.g. "Cannot write
 * /srv/mirror/a: No space left on device". Callers save errno first. */
static void
set_errno_error(GError **error, gint errsv, gchar *message)
{
	g_set_error(error,
		    G_IO_ERROR,
		    g_io_error_from_errno(errsv),
		    "%s: %s",
		    message,
		    g_strerror(errsv));
	g_free(message);
}

static void
sha256_hex(struct sha256_ctx *ctx, gchar out[SHA256_DIGEST_SIZE * 2 + 1])
{
	guint8 digest[SHA256_DIGEST_SIZE];

	sha256_digest(ctx, sizeof(digest), digest);
	base16_encode_update(out, sizeof(digest), digest); /* lowercase */
	out[BASE16_ENCODE_LENGTH(sizeof(digest))] = '\0';
}

static GDateTime *
mtime_to_date_time(const struct stat *st)
{
	g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc(st->st_mtim.tv_sec);

	return g_date_time_add(seconds, st->st_mtim.tv_nsec / 1000);
}

static gboolean
write_all(gint fd, const guint8 *data, gsize len, const gchar *path, GError **error)
{
	while (len > 0) {
		gssize n = write(fd, data, len);
		if (n < 0) {
			gint errsv = errno;
			if (errsv == EINTR)
				continue;
			set_errno_error(error, errsv, g_strdup_printf(_("Cannot write %s"), path));
			return FALSE;
		}
		data += n;
		len -= (gsize)n;
	}
	return TRUE;
}

/* rm -rf, best effort: for staging leftovers and aborted uploads */
static void
remove_tree(const gchar *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const gchar *name;

	if (dir != NULL) {
		while ((name = g_dir_read_name(dir)) != NULL) {
			g_autofree gchar *child = g_build_filename(path, name, NULL);
			GStatBuf st;
			if (g_lstat(child, &st) == 0 && S_ISDIR(st.st_mode))
				remove_tree(child);
			else
				(void)g_unlink(child);
		}
	}
	(void)g_remove(path);
}

/* ---- etags: SHA-256 of the content, cached in an extended attribute ---- */

/* The cached value: the hash and the size and mtime it was computed for, so
 * a file changed by something else than this backend is hashed again. */
static gchar *
etag_record(const gchar *hex, const struct stat *st)
{
	return g_strdup_printf("v1 %s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %ld",
			       hex,
			       (gint64)st->st_size,
			       (gint64)st->st_mtim.tv_sec,
			       (long)st->st_mtim.tv_nsec);
}

static void
etag_store(gint fd, const gchar *hex, const struct stat *st)
{
	g_autofree gchar *record = etag_record(hex, st);

	/* best effort: without user xattrs (some network filesystems) the hash is
	 * computed again on every head and list */
	if (fsetxattr(fd, HUBD_STORAGE_FILE_ETAG_XATTR, record, strlen(record), 0) != 0)
		g_debug("cannot cache an etag: %s", g_strerror(errno));
}

static gchar *
etag_cached(gint fd, const struct stat *st)
{
	gchar value[256];
	gssize len = fgetxattr(fd, HUBD_STORAGE_FILE_ETAG_XATTR, value, sizeof(value) - 1);
	g_autofree gchar *expected = NULL;
	g_autofree gchar *hex = NULL;

	if (len < 3 + SHA256_DIGEST_SIZE * 2)
		return NULL;
	value[len] = '\0';
	hex = g_strndup(value + 3, SHA256_DIGEST_SIZE * 2);
	expected = etag_record(hex, st);
	if (g_strcmp0(value, expected) != 0)
		return NULL;
	return g_steal_pointer(&hex);
}

/* The etag of the open regular file `fd`: cached, or hashed now (and cached). */
static gchar *
etag_of(gint fd,
	const struct stat *st,
	const gchar *path,
	GCancellable *cancellable,
	GError **error)
{
	g_autofree guint8 *buffer = NULL;
	struct sha256_ctx ctx;
	gchar hex[SHA256_DIGEST_SIZE * 2 + 1];
	gchar *cached = etag_cached(fd, st);
	off_t offset = 0;

	if (cached != NULL)
		return cached;
	buffer = g_malloc(COPY_BUFFER_SIZE);
	sha256_init(&ctx);
	for (;;) {
		gssize n;
		if (g_cancellable_set_error_if_cancelled(cancellable, error))
			return NULL;
		n = pread(fd, buffer, COPY_BUFFER_SIZE, offset);
		if (n < 0) {
			gint errsv = errno;
			if (errsv == EINTR)
				continue;
			set_errno_error(error, errsv, g_strdup_printf(_("Cannot read %s"), path));
			return NULL;
		}
		if (n == 0)
			break;
		sha256_update(&ctx, (gsize)n, buffer);
		offset += n;
	}
	sha256_hex(&ctx, hex);
	if (offset == st->st_size)
		etag_store(fd, hex, st);
	return g_strdup(hex);
}

/* ---- keys and paths ---- */

static gboolean
hubd_storage_file_key_is_reserved(const gchar *key)
{
	gsize len = strlen(HUBD_STORAGE_FILE_RESERVED);

	return strncmp(key, HUBD_STORAGE_FILE_RESERVED, len) == 0 &&
	       (key[len] == '\0' || key[len] == '/');
}

/* The path of `key` (already valid), or NULL for a key in the reserved folder. */
static gchar *
hubd_storage_file_path(HubdStorageFile *self, const gchar *key, GError **error)
{
	if (hubd_storage_file_key_is_reserved(key)) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("The key “%s” is reserved: the storage backend “%s” keeps its own "
			      "files in %s/"),
			    key,
			    self->name,
			    HUBD_STORAGE_FILE_RESERVED);
		return NULL;
	}
	return g_build_filename(self->root, key, NULL);
}

static void
set_not_found(HubdStorageFile *self, const gchar *key, GError **error)
{
	g_set_error(error,
		    HUBD_ERROR,
		    HUBD_ERROR_ENTRY_NOT_FOUND,
		    _("There is no object “%s” in the storage backend “%s”"),
		    key,
		    self->name);
}

/* Opens the object `key` for reading: its fd and stat, or -1 with
 * ENTRY_NOT_FOUND when there is no such object (a folder is none). */
static gint
hubd_storage_file_open(HubdStorageFile *self,
		       const gchar *key,
		       struct stat *st,
		       gchar **path_out,
		       GError **error)
{
	g_autofree gchar *path = hubd_storage_file_path(self, key, error);
	gint fd;

	if (path == NULL)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
	if (fd < 0) {
		gint errsv = errno;
		if (errsv == ENOENT || errsv == ENOTDIR || errsv == ELOOP)
			set_not_found(self, key, error);
		else
			set_errno_error(error, errsv, g_strdup_printf(_("Cannot open %s"), path));
		return -1;
	}
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
		g_close(fd, NULL);
		set_not_found(self, key, error);
		return -1;
	}
	if (path_out != NULL)
		*path_out = g_steal_pointer(&path);
	return fd;
}

static HubdStorageObject *
hubd_storage_file_describe(HubdStorageFile *self,
			   const gchar *key,
			   gint fd,
			   const struct stat *st,
			   const gchar *path,
			   GCancellable *cancellable,
			   GError **error)
{
	g_autofree gchar *etag = etag_of(fd, st, path, cancellable, error);
	g_autoptr(GDateTime) modified = NULL;

	if (etag == NULL)
		return NULL;
	modified = mtime_to_date_time(st);
	return hubd_storage_object_new(key, (guint64)st->st_size, etag, modified);
}

/* ---- writing: a temp file in staging, renamed into place when whole ---- */

typedef struct {
	gchar *path; /* the temp file */
	gint fd;
	struct sha256_ctx sha256;
	guint64 size;
} Staged;

static void
staged_free(Staged *staged)
{
	if (staged->fd >= 0)
		g_close(staged->fd, NULL);
	if (staged->path != NULL)
		(void)g_unlink(staged->path);
	g_free(staged->path);
	g_free(staged);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Staged, staged_free)

/* A new temp file from `template` (ending in XXXXXX) in `folder`. A missing
 * folder is ENOENT, for callers to whom that means "upload gone". */
static Staged *
staged_new(const gchar *folder, const gchar *template, GError **error)
{
	g_autoptr(Staged) staged = g_new0(Staged, 1);

	staged->path = g_build_filename(folder, template, NULL);
	/* 0666: the umask decides, as for any file the user creates */
	staged->fd = g_mkstemp_full(staged->path, O_RDWR | O_CLOEXEC, 0666);
	if (staged->fd < 0) {
		gint errsv = errno;
		g_clear_pointer(&staged->path, g_free);
		set_errno_error(error,
				errsv,
				g_strdup_printf(_("Cannot create a file in %s"), folder));
		return NULL;
	}
	sha256_init(&staged->sha256);
	return g_steal_pointer(&staged);
}

static gboolean
staged_append(Staged *staged, const guint8 *data, gsize len, GError **error)
{
	sha256_update(&staged->sha256, len, data);
	staged->size += len;
	return write_all(staged->fd, data, len, staged->path, error);
}

/* Copies `stream` into `staged`: `length` bytes exactly, or to its end when
 * -1. A stream that ends early is an error: the object would be torn. */
static gboolean
staged_copy_stream(Staged *staged,
		   GInputStream *stream,
		   gint64 length,
		   GCancellable *cancellable,
		   GError **error)
{
	g_autofree guint8 *buffer = g_malloc(COPY_BUFFER_SIZE);
	guint64 copied = 0;

	while (length < 0 || copied < (guint64)length) {
		gsize want = COPY_BUFFER_SIZE;
		gssize n;
		if (length >= 0)
			want = (gsize)MIN((guint64)want, (guint64)length - copied);
		if (g_cancellable_set_error_if_cancelled(cancellable, error))
			return FALSE;
		n = g_input_stream_read(stream, buffer, want, cancellable, error);
		if (n < 0)
			return FALSE;
		if (n == 0) {
			if (length < 0)
				break;
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("The content ended after %" G_GUINT64_FORMAT
				      " of %" G_GINT64_FORMAT " bytes"),
				    copied,
				    length);
			return FALSE;
		}
		if (!staged_append(staged, buffer, (gsize)n, error))
			return FALSE;
		copied += (guint64)n;
	}
	return TRUE;
}

/* Hashes what was written, syncs it when configured, caches the etag in the
 * file (the xattr travels with the rename), and fills `st`. */
static gboolean
staged_seal(HubdStorageFile *self,
	    Staged *staged,
	    gchar hex[SHA256_DIGEST_SIZE * 2 + 1],
	    struct stat *st,
	    GError **error)
{
	sha256_hex(&staged->sha256, hex);
	if ((self->fsync && fdatasync(staged->fd) != 0) || fstat(staged->fd, st) != 0) {
		gint errsv = errno;
		set_errno_error(error, errsv, g_strdup_printf(_("Cannot write %s"), staged->path));
		return FALSE;
	}
	etag_store(staged->fd, hex, st);
	return TRUE;
}

static void
set_conflict(HubdStorageFile *self, const gchar *key, GError **error)
{
	g_set_error(error,
		    HUBD_ERROR,
		    HUBD_ERROR_CONFLICT,
		    _("Cannot store “%s” in the storage backend “%s”: a folder cannot be an object "
		      "too, and “%s” is one where the other is stored"),
		    key,
		    self->name,
		    key);
}

/* Renames the sealed temp file to the object `key`: atomic, so readers see
 * the old object or the new one, and of racing writers the last rename wins. */
static gboolean
staged_place(HubdStorageFile *self, Staged *staged, const gchar *key, GError **error)
{
	g_autofree gchar *path = hubd_storage_file_path(self, key, error);
	g_autofree gchar *parent = NULL;

	if (path == NULL)
		return FALSE;
	parent = g_path_get_dirname(path);
	for (guint attempt = 0; attempt < PLACE_ATTEMPTS; attempt++) {
		gint errsv;
		if (g_mkdir_with_parents(parent, 0777) != 0) {
			errsv = errno;
			if (errsv == ENOTDIR || errsv == EEXIST) {
				set_conflict(self, key, error);
				return FALSE;
			}
			set_errno_error(error,
					errsv,
					g_strdup_printf(_("Cannot create the folder %s"), parent));
			return FALSE;
		}
		if (rename(staged->path, path) == 0) {
			g_clear_pointer(&staged->path, g_free); /* nothing to unlink now */
			return TRUE;
		}
		errsv = errno;
		if (errsv == EISDIR || errsv == ENOTDIR || errsv == ENOTEMPTY || errsv == EEXIST) {
			set_conflict(self, key, error);
			return FALSE;
		}
		if (errsv != ENOENT) {
			set_errno_error(error, errsv, g_strdup_printf(_("Cannot write %s"), path));
			return FALSE;
		}
		/* a delete removed the empty parent between mkdir and rename: again */
	}
	set_errno_error(error, ENOENT, g_strdup_printf(_("Cannot create the folder %s"), parent));
	return FALSE;
}

/* Seals and places `staged` as `key`, describing the object stored. */
static HubdStorageObject *
staged_commit(HubdStorageFile *self, Staged *staged, const gchar *key, GError **error)
{
	gchar hex[SHA256_DIGEST_SIZE * 2 + 1];
	struct stat st;
	g_autoptr(GDateTime) modified = NULL;

	if (!staged_seal(self, staged, hex, &st, error))
		return NULL;
	if (!staged_place(self, staged, key, error))
		return NULL;
	modified = mtime_to_date_time(&st);
	return hubd_storage_object_new(key, (guint64)st.st_size, hex, modified);
}

/* ---- the operations, run in worker threads ---- */

static HubdStorageObject *
hubd_storage_file_put(HubdStorageFile *self,
		      const gchar *key,
		      GInputStream *stream,
		      gint64 length,
		      GCancellable *cancellable,
		      GError **error)
{
	g_autofree gchar *path = hubd_storage_file_path(self, key, error);
	g_autoptr(Staged) staged = NULL;

	if (path == NULL)
		return NULL;
	staged = staged_new(self->staging, "put-XXXXXX", error);
	if (staged == NULL)
		return NULL;
	if (!staged_copy_stream(staged, stream, length, cancellable, error))
		return NULL;
	return staged_commit(self, staged, key, error);
}

static GInputStream *
hubd_storage_file_get(HubdStorageFile *self,
		      const gchar *key,
		      guint64 offset,
		      gint64 length,
		      HubdStorageObject **object_out,
		      GCancellable *cancellable,
		      GError **error)
{
	g_autofree gchar *path = NULL;
	g_autoptr(HubdStorageObject) object = NULL;
	struct stat st;
	guint64 size;
	gint fd = hubd_storage_file_open(self, key, &st, &path, error);

	if (fd < 0)
		return NULL;
	object = hubd_storage_file_describe(self, key, fd, &st, path, cancellable, error);
	if (object == NULL) {
		g_close(fd, NULL);
		return NULL;
	}
	size = (guint64)st.st_size;
	if (offset > size || (length >= 0 && (guint64)length > size - offset)) {
		g_close(fd, NULL);
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("Cannot read %" G_GINT64_FORMAT " bytes from byte %" G_GUINT64_FORMAT
			      " of “%s”: it is %" G_GUINT64_FORMAT " bytes long"),
			    length >= 0 ? length : 0,
			    offset,
			    key,
			    size);
		return NULL;
	}
	*object_out = g_steal_pointer(&object);
	return hubd_storage_file_stream_new(fd,
					    offset,
					    length >= 0 ? (guint64)length : size - offset);
}

static HubdStorageObject *
hubd_storage_file_head(HubdStorageFile *self,
		       const gchar *key,
		       GCancellable *cancellable,
		       GError **error)
{
	g_autofree gchar *path = NULL;
	struct stat st;
	HubdStorageObject *object;
	gint fd = hubd_storage_file_open(self, key, &st, &path, error);

	if (fd < 0)
		return NULL;
	object = hubd_storage_file_describe(self, key, fd, &st, path, cancellable, error);
	g_close(fd, NULL);
	return object;
}

/* Removes the now empty folders of `key`, deepest first, up to the root. */
static void
hubd_storage_file_prune(HubdStorageFile *self, const gchar *key)
{
	g_autofree gchar *folder = g_strdup(key);

	for (gchar *slash = strrchr(folder, '/'); slash != NULL; slash = strrchr(folder, '/')) {
		g_autofree gchar *path = NULL;
		*slash = '\0';
		path = g_build_filename(self->root, folder, NULL);
		if (g_rmdir(path) != 0)
			break; /* not empty (or a put just filled it): stop */
	}
}

static gboolean
hubd_storage_file_delete(HubdStorageFile *self, const gchar *key, GError **error)
{
	g_autofree gchar *path = hubd_storage_file_path(self, key, error);

	if (path == NULL)
		return FALSE;
	if (unlink(path) != 0) {
		gint errsv = errno;
		/* no such object (a folder is none): done, as S3 */
		if (errsv == ENOENT || errsv == ENOTDIR || errsv == EISDIR)
			return TRUE;
		set_errno_error(error, errsv, g_strdup_printf(_("Cannot delete %s"), path));
		return FALSE;
	}
	hubd_storage_file_prune(self, key);
	return TRUE;
}

/* ---- listing: a walk in key order, so a page costs its keys, not the tree ---- */

typedef struct {
	gchar *name;
	gchar *sort_key; /* the name, and "/" after a folder's: keys order */
	gboolean is_dir;
} ListEntry;

static void
list_entry_free(ListEntry *entry)
{
	g_free(entry->name);
	g_free(entry->sort_key);
	g_free(entry);
}

static gint
list_entry_compare(gconstpointer a, gconstpointer b)
{
	const ListEntry *ea = *(ListEntry *const *)a;
	const ListEntry *eb = *(ListEntry *const *)b;

	return strcmp(ea->sort_key, eb->sort_key);
}

typedef struct {
	const gchar *prefix;
	const gchar *after; /* the page token: the last key of the previous page */
	guint want;         /* max_keys + 1, to know whether there is more */
	GPtrArray *keys;
} ListWalk;

/* Whether a folder whose keys all start with `folder_key` ("a/b/") may hold
 * keys of this page. */
static gboolean
list_walk_enters(const ListWalk *walk, const gchar *folder_key)
{
	if (!g_str_has_prefix(folder_key, walk->prefix) &&
	    !g_str_has_prefix(walk->prefix, folder_key))
		return FALSE;
	/* every key below sorts before the token unless the token is below too */
	if (walk->after != NULL && strcmp(folder_key, walk->after) <= 0 &&
	    !g_str_has_prefix(walk->after, folder_key))
		return FALSE;
	return TRUE;
}

static gboolean
list_walk_folder(HubdStorageFile *self,
		 ListWalk *walk,
		 const gchar *rel, /* "" or "a/b/" */
		 GCancellable *cancellable,
		 GError **error)
{
	g_autofree gchar *path = g_build_filename(self->root, rel, NULL);
	g_autoptr(GPtrArray) entries =
		g_ptr_array_new_with_free_func((GDestroyNotify)list_entry_free);
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GDir) dir = NULL;
	const gchar *name;

	if (g_cancellable_set_error_if_cancelled(cancellable, error))
		return FALSE;
	dir = g_dir_open(path, 0, &error_local);
	if (dir == NULL) {
		/* removed by a concurrent delete: it holds nothing */
		if (g_error_matches(error_local, G_FILE_ERROR, G_FILE_ERROR_NOENT) ||
		    g_error_matches(error_local, G_FILE_ERROR, G_FILE_ERROR_NOTDIR))
			return TRUE;
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	while ((name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *child = NULL;
		ListEntry *entry;
		GStatBuf st;
		if (rel[0] == '\0' && g_strcmp0(name, HUBD_STORAGE_FILE_RESERVED) == 0)
			continue;
		child = g_build_filename(path, name, NULL);
		if (g_lstat(child, &st) != 0 || (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)))
			continue;
		entry = g_new0(ListEntry, 1);
		entry->name = g_strdup(name);
		entry->is_dir = S_ISDIR(st.st_mode);
		entry->sort_key = g_strconcat(name, entry->is_dir ? "/" : NULL, NULL);
		g_ptr_array_add(entries, entry);
	}
	g_ptr_array_sort(entries, list_entry_compare);

	for (guint i = 0; i < entries->len && walk->keys->len < walk->want; i++) {
		ListEntry *entry = g_ptr_array_index(entries, i);
		g_autofree gchar *key = g_strconcat(rel, entry->sort_key, NULL);
		if (entry->is_dir) {
			/* a folder whose path is no valid prefix holds no valid key */
			if (!hubd_storage_prefix_validate(key, NULL) ||
			    !list_walk_enters(walk, key))
				continue;
			if (!list_walk_folder(self, walk, key, cancellable, error))
				return FALSE;
			continue;
		}
		/* files named so no key can name them (a backslash, bad UTF-8) are
		 * not objects */
		if (!g_str_has_prefix(key, walk->prefix) || !hubd_storage_key_validate(key, NULL))
			continue;
		if (walk->after != NULL && strcmp(key, walk->after) <= 0)
			continue;
		g_ptr_array_add(walk->keys, g_steal_pointer(&key));
	}
	return TRUE;
}

static GPtrArray *
hubd_storage_file_list(HubdStorageFile *self,
		       const gchar *prefix,
		       const gchar *page_token,
		       guint max_keys,
		       gchar **next_page_token,
		       GCancellable *cancellable,
		       GError **error)
{
	g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) objects =
		g_ptr_array_new_with_free_func((GDestroyNotify)hubd_storage_object_unref);
	ListWalk walk = {prefix, page_token, max_keys + 1, keys};
	guint n;

	if (!list_walk_folder(self, &walk, "", cancellable, error))
		return NULL;
	n = MIN(keys->len, max_keys);
	for (guint i = 0; i < n; i++) {
		const gchar *key = g_ptr_array_index(keys, i);
		g_autoptr(GError) error_local = NULL;
		g_autofree gchar *path = NULL;
		HubdStorageObject *object;
		struct stat st;
		gint fd = hubd_storage_file_open(self, key, &st, &path, &error_local);
		if (fd < 0) {
			/* deleted since the walk saw it: it is not there any more */
			if (g_error_matches(error_local, HUBD_ERROR, HUBD_ERROR_ENTRY_NOT_FOUND))
				continue;
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
		object = hubd_storage_file_describe(self, key, fd, &st, path, cancellable, error);
		g_close(fd, NULL);
		if (object == NULL)
			return NULL;
		g_ptr_array_add(objects, object);
	}
	/* the token is the last key of this page: the next starts after it */
	*next_page_token =
		keys->len > max_keys ? g_strdup(g_ptr_array_index(keys, max_keys - 1)) : NULL;
	return g_steal_pointer(&objects);
}

/* ---- multipart: parts in ROOT/.hubd-storage/uploads/ID/, joined by complete ---- */

static gchar *
hubd_storage_file_upload_path(HubdStorageFile *self, const gchar *upload_id)
{
	return g_build_filename(self->uploads, upload_id, NULL);
}

static void
set_no_upload(HubdStorageFile *self, const gchar *key, const gchar *upload_id, GError **error)
{
	g_set_error(error,
		    HUBD_ERROR,
		    HUBD_ERROR_ENTRY_NOT_FOUND,
		    _("There is no multipart upload “%s” of “%s” in the storage backend “%s” "
		      "(it was completed or aborted)"),
		    upload_id,
		    key,
		    self->name);
}

/* The upload's folder, when `upload_id` is an upload of `key`. */
static gchar *
hubd_storage_file_upload_check(HubdStorageFile *self,
			       const gchar *key,
			       const gchar *upload_id,
			       GError **error)
{
	g_autofree gchar *folder = NULL;
	g_autofree gchar *key_file = NULL;
	g_autofree gchar *stored_key = NULL;
	gboolean hex = strlen(upload_id) == UPLOAD_ID_LENGTH;

	/* the id names a folder: only ids this backend made */
	for (const gchar *p = upload_id; hex && *p != '\0'; p++)
		hex = g_ascii_isxdigit(*p) && !g_ascii_isupper(*p);
	if (!hex) {
		set_no_upload(self, key, upload_id, error);
		return NULL;
	}
	folder = hubd_storage_file_upload_path(self, upload_id);
	key_file = g_build_filename(folder, "key", NULL);
	if (!g_file_get_contents(key_file, &stored_key, NULL, NULL) ||
	    g_strcmp0(stored_key, key) != 0) {
		set_no_upload(self, key, upload_id, error);
		return NULL;
	}
	return g_steal_pointer(&folder);
}

static gchar *
hubd_storage_file_multipart_begin(HubdStorageFile *self, const gchar *key, GError **error)
{
	g_autofree gchar *path = hubd_storage_file_path(self, key, error);
	g_autofree gchar *uuid = NULL;
	g_autofree gchar *folder = NULL;
	g_autofree gchar *key_file = NULL;
	g_auto(GStrv) pieces = NULL;

	if (path == NULL)
		return NULL;
	uuid = g_uuid_string_random();
	pieces = g_strsplit(uuid, "-", -1);
	g_clear_pointer(&uuid, g_free);
	uuid = g_strjoinv(NULL, pieces);
	folder = hubd_storage_file_upload_path(self, uuid);
	if (g_mkdir(folder, 0777) != 0) {
		gint errsv = errno;
		set_errno_error(error,
				errsv,
				g_strdup_printf(_("Cannot create the folder %s"), folder));
		return NULL;
	}
	key_file = g_build_filename(folder, "key", NULL);
	if (!g_file_set_contents(key_file, key, -1, error)) {
		remove_tree(folder);
		return NULL;
	}
	return g_steal_pointer(&uuid);
}

static gchar *
part_file_name(guint number)
{
	return g_strdup_printf("part-%05u", number);
}

static HubdStoragePart *
hubd_storage_file_multipart_put_part(HubdStorageFile *self,
				     const gchar *key,
				     const gchar *upload_id,
				     guint number,
				     GInputStream *stream,
				     gint64 length,
				     GCancellable *cancellable,
				     GError **error)
{
	g_autofree gchar *folder = hubd_storage_file_upload_check(self, key, upload_id, error);
	g_autofree gchar *name = NULL;
	g_autofree gchar *template = NULL;
	g_autofree gchar *path = NULL;
	g_autoptr(Staged) staged = NULL;
	g_autoptr(GError) error_local = NULL;
	gchar hex[SHA256_DIGEST_SIZE * 2 + 1];
	struct stat st;

	if (folder == NULL)
		return NULL;
	name = part_file_name(number);
	template = g_strconcat(name, ".XXXXXX", NULL);
	staged = staged_new(folder, template, &error_local);
	if (staged == NULL) {
		/* aborted meanwhile */
		if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)) {
			set_no_upload(self, key, upload_id, error);
			return NULL;
		}
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	if (!staged_copy_stream(staged, stream, length, cancellable, error) ||
	    !staged_seal(self, staged, hex, &st, error))
		return NULL;
	path = g_build_filename(folder, name, NULL);
	if (rename(staged->path, path) != 0) {
		gint errsv = errno;
		if (errsv == ENOENT)
			set_no_upload(self, key, upload_id, error);
		else
			set_errno_error(error, errsv, g_strdup_printf(_("Cannot write %s"), path));
		return NULL;
	}
	g_clear_pointer(&staged->path, g_free);
	return hubd_storage_part_new(number, hex);
}

/* Removes an upload's folder: renamed out of uploads/ first, so a part being
 * put meanwhile fails to land instead of landing in a half-removed folder. */
static gboolean
hubd_storage_file_upload_remove(HubdStorageFile *self, const gchar *folder, const gchar *upload_id)
{
	g_autofree gchar *name = g_strconcat("removed-", upload_id, NULL);
	g_autofree gchar *trash = g_build_filename(self->staging, name, NULL);

	if (rename(folder, trash) != 0)
		return FALSE;
	remove_tree(trash);
	return TRUE;
}

/* Opens one part complete joins, checking it is there, matches its tag and
 * (unless the last) is long enough: its fd, or -1. */
static gint
hubd_storage_file_open_part(HubdStorageFile *self,
			    const gchar *key,
			    const gchar *folder,
			    HubdStoragePart *part,
			    gboolean is_last,
			    GCancellable *cancellable,
			    GError **error)
{
	guint number = hubd_storage_part_get_number(part);
	g_autofree gchar *name = part_file_name(number);
	g_autofree gchar *path = g_build_filename(folder, name, NULL);
	g_autofree gchar *etag = NULL;
	struct stat st;
	gint fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			g_close(fd, NULL);
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("Part %u of the multipart upload of “%s” was never put"),
			    number,
			    key);
		return -1;
	}
	etag = etag_of(fd, &st, path, cancellable, error);
	if (etag == NULL) {
		g_close(fd, NULL);
		return -1;
	}
	if (g_strcmp0(etag, hubd_storage_part_get_etag(part)) != 0) {
		g_close(fd, NULL);
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("Part %u of the multipart upload of “%s” has the entity tag %s, not "
			      "%s: it was put again since"),
			    number,
			    key,
			    etag,
			    hubd_storage_part_get_etag(part));
		return -1;
	}
	if (!is_last && st.st_size < HUBD_STORAGE_MIN_PART_SIZE) {
		g_close(fd, NULL);
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("Part %u of the multipart upload of “%s” is %" G_GINT64_FORMAT
			      " bytes long; every part but the last must be at least 5 MiB"),
			    number,
			    key,
			    (gint64)st.st_size);
		return -1;
	}
	return fd;
}

static gboolean
staged_copy_fd(Staged *staged, gint fd, GCancellable *cancellable, GError **error)
{
	g_autofree guint8 *buffer = g_malloc(COPY_BUFFER_SIZE);

	for (;;) {
		gssize n;
		if (g_cancellable_set_error_if_cancelled(cancellable, error))
			return FALSE;
		n = read(fd, buffer, COPY_BUFFER_SIZE);
		if (n < 0) {
			gint errsv = errno;
			if (errsv == EINTR)
				continue;
			set_errno_error(
				error,
				errsv,
				g_strdup_printf(_("Cannot read a part of %s"), staged->path));
			return FALSE;
		}
		if (n == 0)
			return TRUE;
		if (!staged_append(staged, buffer, (gsize)n, error))
			return FALSE;
	}
}

static HubdStorageObject *
hubd_storage_file_multipart_complete(HubdStorageFile *self,
				     const gchar *key,
				     const gchar *upload_id,
				     GPtrArray *parts,
				     GCancellable *cancellable,
				     GError **error)
{
	g_autofree gchar *folder = hubd_storage_file_upload_check(self, key, upload_id, error);
	g_autoptr(Staged) staged = NULL;
	HubdStorageObject *object;

	if (folder == NULL)
		return NULL;
	staged = staged_new(self->staging, "complete-XXXXXX", error);
	if (staged == NULL)
		return NULL;
	/* one part open at a time: 10,000 parts must not need 10,000 fds */
	for (guint i = 0; i < parts->len; i++) {
		gboolean ok;
		gint fd = hubd_storage_file_open_part(self,
						      key,
						      folder,
						      g_ptr_array_index(parts, i),
						      i + 1 == parts->len,
						      cancellable,
						      error);
		if (fd < 0)
			return NULL;
		ok = staged_copy_fd(staged, fd, cancellable, error);
		g_close(fd, NULL);
		if (!ok)
			return NULL;
	}
	object = staged_commit(self, staged, key, error);
	if (object != NULL)
		(void)hubd_storage_file_upload_remove(self, folder, upload_id);
	return object;
}

static gboolean
hubd_storage_file_multipart_abort(HubdStorageFile *self,
				  const gchar *key,
				  const gchar *upload_id,
				  GError **error)
{
	g_autofree gchar *folder = hubd_storage_file_upload_check(self, key, upload_id, error);

	if (folder == NULL)
		return FALSE;
	if (!hubd_storage_file_upload_remove(self, folder, upload_id)) {
		/* a concurrent abort or complete won */
		set_no_upload(self, key, upload_id, error);
		return FALSE;
	}
	return TRUE;
}

/* ---- GTask plumbing: every operation is one Op run in a worker thread ---- */

typedef enum {
	OP_PUT,
	OP_GET,
	OP_HEAD,
	OP_LIST,
	OP_DELETE,
	OP_BEGIN,
	OP_PUT_PART,
	OP_COMPLETE,
	OP_ABORT,
} OpKind;

typedef struct {
	OpKind kind;
	gchar *key; /* or the prefix for OP_LIST */
	gchar *upload_id;
	GInputStream *stream;
	gint64 length;
	guint64 offset;
	guint number;
	gchar *page_token;
	guint max_keys;
	GPtrArray *parts;
	/* results besides the task's value */
	HubdStorageObject *object;
	gchar *next_page_token;
} Op;

static void
op_free(Op *op)
{
	g_free(op->key);
	g_free(op->upload_id);
	g_clear_object(&op->stream);
	g_free(op->page_token);
	g_clear_pointer(&op->parts, g_ptr_array_unref);
	g_clear_pointer(&op->object, hubd_storage_object_unref);
	g_free(op->next_page_token);
	g_free(op);
}

static Op *
op_new(OpKind kind, const gchar *key)
{
	Op *op = g_new0(Op, 1);

	op->kind = kind;
	op->key = g_strdup(key);
	return op;
}

static void
hubd_storage_file_thread(GTask *task,
			 gpointer source_object,
			 gpointer task_data,
			 GCancellable *cancellable)
{
	HubdStorageFile *self = HUBD_STORAGE_FILE(source_object);
	Op *op = task_data;
	GError *error = NULL;
	gpointer value = NULL;
	GDestroyNotify free_value = NULL;

	switch (op->kind) {
	case OP_PUT:
		value = hubd_storage_file_put(self,
					      op->key,
					      op->stream,
					      op->length,
					      cancellable,
					      &error);
		free_value = (GDestroyNotify)hubd_storage_object_unref;
		break;
	case OP_GET:
		value = hubd_storage_file_get(self,
					      op->key,
					      op->offset,
					      op->length,
					      &op->object,
					      cancellable,
					      &error);
		free_value = g_object_unref;
		break;
	case OP_HEAD:
		value = hubd_storage_file_head(self, op->key, cancellable, &error);
		free_value = (GDestroyNotify)hubd_storage_object_unref;
		break;
	case OP_LIST:
		value = hubd_storage_file_list(self,
					       op->key,
					       op->page_token,
					       op->max_keys,
					       &op->next_page_token,
					       cancellable,
					       &error);
		free_value = (GDestroyNotify)g_ptr_array_unref;
		break;
	case OP_DELETE:
		if (hubd_storage_file_delete(self, op->key, &error))
			g_task_return_boolean(task, TRUE);
		break;
	case OP_BEGIN:
		value = hubd_storage_file_multipart_begin(self, op->key, &error);
		free_value = g_free;
		break;
	case OP_PUT_PART:
		value = hubd_storage_file_multipart_put_part(self,
							     op->key,
							     op->upload_id,
							     op->number,
							     op->stream,
							     op->length,
							     cancellable,
							     &error);
		free_value = (GDestroyNotify)hubd_storage_part_unref;
		break;
	case OP_COMPLETE:
		value = hubd_storage_file_multipart_complete(self,
							     op->key,
							     op->upload_id,
							     op->parts,
							     cancellable,
							     &error);
		free_value = (GDestroyNotify)hubd_storage_object_unref;
		break;
	case OP_ABORT:
		if (hubd_storage_file_multipart_abort(self, op->key, op->upload_id, &error))
			g_task_return_boolean(task, TRUE);
		break;
	default:
		g_assert_not_reached();
	}
	if (error != NULL)
		g_task_return_error(task, error);
	else if (free_value != NULL)
		g_task_return_pointer(task, value, free_value);
}

static void
hubd_storage_file_run(HubdStorageFile *self,
		      Op *op,
		      gpointer tag,
		      GCancellable *cancellable,
		      GAsyncReadyCallback callback,
		      gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, tag);
	g_task_set_task_data(task, op, (GDestroyNotify)op_free);
	g_task_run_in_thread(task, hubd_storage_file_thread);
}

static gpointer
hubd_storage_file_finish_pointer(HubdStorage *storage, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, storage), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

static gboolean
hubd_storage_file_finish_boolean(HubdStorage *storage, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, storage), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}

static void
hubd_storage_file_put_async(HubdStorage *storage,
			    const gchar *key,
			    GInputStream *stream,
			    gint64 length,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data)
{
	Op *op = op_new(OP_PUT, key);

	op->stream = g_object_ref(stream);
	op->length = length;
	hubd_storage_file_run(HUBD_STORAGE_FILE(storage),
			      op,
			      hubd_storage_file_put_async,
			      cancellable,
			      callback,
			      user_data);
}

static HubdStorageObject *
hubd_storage_file_put_finish(HubdStorage *storage, GAsyncResult *result, GError **error)
{
	return hubd_storage_file_finish_pointer(storage, result, error);
}

static void
hubd_storage_file_get_async(HubdStorage *storage,
			    const gchar *key,
			    guint64 offset,
			    gint64 length,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data)
{
	Op *op = op_new(OP_GET, key);

	op->offset = offset;
	op->length = length;
	hubd_storage_file_run(HUBD_STORAGE_FILE(storage),
			      op,
			      hubd_storage_file_get_async,
			      cancellable,
			      callback,
			      user_data);
}

static GInputStream *
hubd_storage_file_get_finish(HubdStorage *storage,
			     GAsyncResult *result,
			     HubdStorageObject **object,
			     GError **error)
{
	GInputStream *stream = hubd_storage_file_finish_pointer(storage, result, error);
	Op *op;

	if (stream == NULL)
		return NULL;
	op = g_task_get_task_data(G_TASK(result));
	*object = g_steal_pointer(&op->object);
	return stream;
}

static void
hubd_storage_file_head_async(HubdStorage *storage,
			     const gchar *key,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data)
{
	hubd_storage_file_run(HUBD_STORAGE_FILE(storage),
			      op_new(OP_HEAD, key),
			      hubd_storage_file_head_async,
			      cancellable,
			      callback,
			      user_data);
}

static HubdStorageObject *
hubd_storage_file_head_finish(HubdStorage *storage, GAsyncResult *result, GError **error)
{
	return hubd_storage_file_finish_pointer(storage, result, error);
}

static void
hubd_storage_file_list_async(HubdStorage *storage,
			     const gchar *prefix,
			     const gchar *page_token,
			     guint max_keys,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data)
{
	Op *op = op_new(OP_LIST, prefix);

	op->page_token = g_strdup(page_token);
	op->max_keys = max_keys;
	hubd_storage_file_run(HUBD_STORAGE_FILE(storage),
			      op,
			      hubd_storage_file_list_async,
			      cancellable,
			      callback,
			      user_data);
}

static GPtrArray *
hubd_storage_file_list_finish(HubdStorage *storage,
			      GAsyncResult *result,
			      gchar **next_page_token,
			      GError **error)
{
	GPtrArray *objects = hubd_storage_file_finish_pointer(storage, result, error);
	Op *op;

	if (objects == NULL)
		return NULL;
	op = g_task_get_task_data(G_TASK(result));
	*next_page_token = g_steal_pointer(&op->next_page_token);
	return objects;
}

static void
hubd_storage_file_delete_async(HubdStorage *storage,
			       const gchar *key,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data)
{
	hubd_storage_file_run(HUBD_STORAGE_FILE(storage),
			      op_new(OP_DELETE, key),
			      hubd_storage_file_delete_async,
			      cancellable,
			      callback,
			      user_data);
}

static void
hubd_storage_file_multipart_begin_async(HubdStorage *storage,
					const gchar *key,
					GCancellable *cancellable,
					GAsyncReadyCallback callback,
					gpointer user_data)
{
	hubd_storage_file_run(HUBD_STORAGE_FILE(storage),
			      op_new(OP_BEGIN, key),
			      hubd_storage_file_multipart_begin_async,
			      cancellable,
			      callback,
			      user_data);
}

static gchar *
hubd_storage_file_multipart_begin_finish(HubdStorage *storage, GAsyncResult *result, GError **error)
{
	return hubd_storage_file_finish_pointer(storage, result, error);
}

static void
hubd_storage_file_multipart_put_part_async(HubdStorage *storage,
					   const gchar *key,
					   const gchar *upload_id,
					   guint part_number,
					   GInputStream *stream,
					   gint64 length,
					   GCancellable *cancellable,
					   GAsyncReadyCallback callback,
					   gpointer user_data)
{
	Op *op = op_new(OP_PUT_PART, key);

	op->upload_id = g_strdup(upload_id);
	op->number = part_number;
	op->stream = g_object_ref(stream);
	op->length = length;
	hubd_storage_file_run(HUBD_STORAGE_FILE(storage),
			      op,
			      hubd_storage_file_multipart_put_part_async,
			      cancellable,
			      callback,
			      user_data);
}

static HubdStoragePart *
hubd_storage_file_multipart_put_part_finish(HubdStorage *storage,
					    GAsyncResult *result,
					    GError **error)
{
	return hubd_storage_file_finish_pointer(storage, result, error);
}

static void
hubd_storage_file_multipart_complete_async(HubdStorage *storage,
					   const gchar *key,
					   const gchar *upload_id,
					   GPtrArray *parts,
					   GCancellable *cancellable,
					   GAsyncReadyCallback callback,
					   gpointer user_data)
{
	Op *op = op_new(OP_COMPLETE, key);

	op->upload_id = g_strdup(upload_id);
	/* a copy: the caller may change its array while this runs */
	op->parts = g_ptr_array_copy(parts, (GCopyFunc)hubd_storage_part_ref, NULL);
	g_ptr_array_set_free_func(op->parts, (GDestroyNotify)hubd_storage_part_unref);
	hubd_storage_file_run(HUBD_STORAGE_FILE(storage),
			      op,
			      hubd_storage_file_multipart_complete_async,
			      cancellable,
			      callback,
			      user_data);
}

static HubdStorageObject *
hubd_storage_file_multipart_complete_finish(HubdStorage *storage,
					    GAsyncResult *result,
					    GError **error)
{
	return hubd_storage_file_finish_pointer(storage, result, error);
}

static void
hubd_storage_file_multipart_abort_async(HubdStorage *storage,
					const gchar *key,
					const gchar *upload_id,
					GCancellable *cancellable,
					GAsyncReadyCallback callback,
					gpointer user_data)
{
	Op *op = op_new(OP_ABORT, key);

	op->upload_id = g_strdup(upload_id);
	hubd_storage_file_run(HUBD_STORAGE_FILE(storage),
			      op,
			      hubd_storage_file_multipart_abort_async,
			      cancellable,
			      callback,
			      user_data);
}

static void
hubd_storage_file_iface_init(HubdStorageInterface *iface)
{
	iface->put_async = hubd_storage_file_put_async;
	iface->put_finish = hubd_storage_file_put_finish;
	iface->get_async = hubd_storage_file_get_async;
	iface->get_finish = hubd_storage_file_get_finish;
	iface->head_async = hubd_storage_file_head_async;
	iface->head_finish = hubd_storage_file_head_finish;
	iface->list_async = hubd_storage_file_list_async;
	iface->list_finish = hubd_storage_file_list_finish;
	iface->delete_async = hubd_storage_file_delete_async;
	iface->delete_finish = hubd_storage_file_finish_boolean;
	iface->multipart_begin_async = hubd_storage_file_multipart_begin_async;
	iface->multipart_begin_finish = hubd_storage_file_multipart_begin_finish;
	iface->multipart_put_part_async = hubd_storage_file_multipart_put_part_async;
	iface->multipart_put_part_finish = hubd_storage_file_multipart_put_part_finish;
	iface->multipart_complete_async = hubd_storage_file_multipart_complete_async;
	iface->multipart_complete_finish = hubd_storage_file_multipart_complete_finish;
	iface->multipart_abort_async = hubd_storage_file_multipart_abort_async;
	iface->multipart_abort_finish = hubd_storage_file_finish_boolean;
}

/* ---- construction ---- */

static gboolean
hubd_storage_file_parse_options(HubdStorageFile *self, GError **error)
{
	GVariantIter iter;
	const gchar *key;
	GVariant *value;

	self->fsync = TRUE;
	if (self->options == NULL)
		return TRUE;
	g_variant_iter_init(&iter, self->options);
	while (g_variant_iter_loop(&iter, "{&sv}", &key, &value)) {
		if (g_strcmp0(key, "fsync") == 0) {
			const gchar *text = NULL;
			if (g_variant_is_of_type(value, G_VARIANT_TYPE_BOOLEAN)) {
				self->fsync = g_variant_get_boolean(value);
				continue;
			}
			if (g_variant_is_of_type(value, G_VARIANT_TYPE_STRING))
				text = g_variant_get_string(value, NULL);
			if (g_strcmp0(text, "true") == 0 || g_strcmp0(text, "false") == 0) {
				self->fsync = g_strcmp0(text, "true") == 0;
				continue;
			}
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("The storage backend “%s”: fsync must be true or false"),
				    self->name);
			g_variant_unref(value);
			return FALSE;
		}
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("The storage backend “%s” has no option “%s” (known: fsync)"),
			    self->name,
			    key);
		g_variant_unref(value);
		return FALSE;
	}
	return TRUE;
}

static gboolean
hubd_storage_file_parse_url(HubdStorageFile *self, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *host = NULL;
	g_autofree gchar *path = NULL;
	gsize len;

	path = g_filename_from_uri(self->url, &host, &error_local);
	if (path == NULL) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("The storage backend “%s”: “%s” is not a file:// URL of a folder "
			      "(such as file:///srv/mirror): %s"),
			    self->name,
			    self->url,
			    error_local->message);
		return FALSE;
	}
	if (host != NULL && host[0] != '\0' && g_strcmp0(host, "localhost") != 0) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("The storage backend “%s”: “%s” names another host; a file:// "
			      "URL must name a folder on this machine"),
			    self->name,
			    self->url);
		return FALSE;
	}
	len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		path[--len] = '\0';
	self->root = g_steal_pointer(&path);
	return TRUE;
}

/* Crash leftovers: temp files and removed uploads no process finished. */
static void
hubd_storage_file_clean_staging(HubdStorageFile *self)
{
	g_autoptr(GDir) dir = g_dir_open(self->staging, 0, NULL);
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	const gchar *name;

	if (dir == NULL)
		return;
	while ((name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *path = g_build_filename(self->staging, name, NULL);
		GStatBuf st;
		if (g_lstat(path, &st) == 0 && now - st.st_mtime > STALE_STAGING_SECONDS) {
			g_debug("removing the stale %s", path);
			remove_tree(path);
		}
	}
}

static gboolean
hubd_storage_file_initable_init(GInitable *initable, GCancellable *cancellable, GError **error)
{
	HubdStorageFile *self = HUBD_STORAGE_FILE(initable);
	const gchar *folders[2];

	if (self->name == NULL || self->url == NULL) {
		g_set_error_literal(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("A file storage backend needs a name and a URL"));
		return FALSE;
	}
	if (!hubd_storage_file_parse_url(self, error) ||
	    !hubd_storage_file_parse_options(self, error))
		return FALSE;
	self->staging = g_build_filename(self->root, HUBD_STORAGE_FILE_RESERVED, "staging", NULL);
	self->uploads = g_build_filename(self->root, HUBD_STORAGE_FILE_RESERVED, "uploads", NULL);
	/* the root is made if missing, as a cache folder would be */
	folders[0] = self->staging;
	folders[1] = self->uploads;
	for (guint i = 0; i < G_N_ELEMENTS(folders); i++) {
		if (g_mkdir_with_parents(folders[i], 0777) != 0) {
			gint errsv = errno;
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("The storage backend “%s” cannot use the folder %s: %s"),
				    self->name,
				    self->root,
				    g_strerror(errsv));
			return FALSE;
		}
	}
	hubd_storage_file_clean_staging(self);
	return TRUE;
}

static void
hubd_storage_file_initable_iface_init(GInitableIface *iface)
{
	iface->init = hubd_storage_file_initable_init;
}

const gchar *
hubd_storage_file_get_root(HubdStorageFile *self)
{
	g_return_val_if_fail(HUBD_IS_STORAGE_FILE(self), NULL);
	return self->root;
}

static void
hubd_storage_file_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	HubdStorageFile *self = HUBD_STORAGE_FILE(object);

	switch (prop_id) {
	case PROP_NAME:
		g_value_set_string(value, self->name);
		break;
	case PROP_URL:
		g_value_set_string(value, self->url);
		break;
	case PROP_OPTIONS:
		g_value_set_variant(value, self->options);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
hubd_storage_file_set_property(GObject *object,
			       guint prop_id,
			       const GValue *value,
			       GParamSpec *pspec)
{
	HubdStorageFile *self = HUBD_STORAGE_FILE(object);

	switch (prop_id) {
	case PROP_NAME:
		g_free(self->name);
		self->name = g_value_dup_string(value);
		break;
	case PROP_URL:
		g_free(self->url);
		self->url = g_value_dup_string(value);
		break;
	case PROP_OPTIONS:
		g_clear_pointer(&self->options, g_variant_unref);
		self->options = g_value_dup_variant(value);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
hubd_storage_file_finalize(GObject *object)
{
	HubdStorageFile *self = HUBD_STORAGE_FILE(object);

	g_free(self->name);
	g_free(self->url);
	g_clear_pointer(&self->options, g_variant_unref);
	g_free(self->root);
	g_free(self->staging);
	g_free(self->uploads);
	G_OBJECT_CLASS(hubd_storage_file_parent_class)->finalize(object);
}

static void
hubd_storage_file_class_init(HubdStorageFileClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->get_property = hubd_storage_file_get_property;
	object_class->set_property = hubd_storage_file_set_property;
	object_class->finalize = hubd_storage_file_finalize;
	g_object_class_override_property(object_class, PROP_NAME, "name");
	g_object_class_override_property(object_class, PROP_URL, "url");
	g_object_class_override_property(object_class, PROP_OPTIONS, "options");
}

static void
hubd_storage_file_init(HubdStorageFile *self)
{
}
