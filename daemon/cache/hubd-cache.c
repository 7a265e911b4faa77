/* hubd-cache.c: the huggingface_hub-compatible cache layout — paths, refs,
 * .no_exist, locks, atomic renames, relative snapshot links.
 * Scan and delete are in hubd-cache-scan.c. */
#define G_LOG_DOMAIN "HubdCache"

#include "hubd-cache.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hubd-error.h"

/* Exactly what huggingface_hub writes (constants.py, since v1.9). */
#define CACHEDIR_TAG_CONTENT                                                 \
	"Signature: 8a477f597d28d172789f06886806bc55\n"                      \
	"# This file is a cache directory tag created by huggingface_hub.\n" \
	"# For information about cache directory tags, see:\n"               \
	"#\thttps://bford.info/cachedir/\n"

/* How often a waiting locker retries flock(LOCK_NB). */
#define LOCK_POLL_US (50 * 1000)

struct _HubdCache {
	GObject parent_instance;
	gchar *root;
};

struct _HubdCacheLock {
	gint fd;
	gchar *path;
};

G_DEFINE_TYPE(HubdCache, hubd_cache, G_TYPE_OBJECT)

static void
hubd_cache_finalize(GObject *object)
{
	HubdCache *self = HUBD_CACHE(object);

	g_free(self->root);
	G_OBJECT_CLASS(hubd_cache_parent_class)->finalize(object);
}

static void
hubd_cache_class_init(HubdCacheClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = hubd_cache_finalize;
}

static void
hubd_cache_init(HubdCache *self)
{
}

/* "~" and "~/…" as Python's os.path.expanduser */
static gchar *
hubd_cache_expand_user(const gchar *path)
{
	if (g_strcmp0(path, "~") == 0)
		return g_strdup(g_get_home_dir());
	if (g_str_has_prefix(path, "~/"))
		return g_build_filename(g_get_home_dir(), path + 2, NULL);
	return g_strdup(path);
}

static gchar *
hubd_cache_default_root(void)
{
	const gchar *value;

	value = g_getenv("HF_HUB_CACHE");
	if (value != NULL && value[0] != '\0')
		return hubd_cache_expand_user(value);
	value = g_getenv("HUGGINGFACE_HUB_CACHE");
	if (value != NULL && value[0] != '\0')
		return hubd_cache_expand_user(value);
	value = g_getenv("HF_HOME");
	if (value != NULL && value[0] != '\0') {
		g_autofree gchar *home = hubd_cache_expand_user(value);
		return g_build_filename(home, "hub", NULL);
	}
	/* not g_get_user_cache_dir(): it is computed once per process */
	value = g_getenv("XDG_CACHE_HOME");
	if (value != NULL && value[0] != '\0') {
		g_autofree gchar *xdg = hubd_cache_expand_user(value);
		return g_build_filename(xdg, "huggingface", "hub", NULL);
	}
	return g_build_filename(g_get_home_dir(), ".cache", "huggingface", "hub", NULL);
}

HubdCache *
hubd_cache_new(const gchar *root)
{
	HubdCache *self = g_object_new(HUBD_TYPE_CACHE, NULL);

	self->root = root != NULL ? hubd_cache_expand_user(root) : hubd_cache_default_root();
	return self;
}

/**
 * hubd_cache_get_root:
 * @self: the cache
 *
 * Returns: the cache's folder (huggingface_hub's `HF_HUB_CACHE`)
 *
 * Since: 0.1
 */
const gchar *
hubd_cache_get_root(HubdCache *self)
{
	g_return_val_if_fail(HUBD_IS_CACHE(self), NULL);
	return self->root;
}

/* ---- names and paths ---- */

/**
 * hubd_cache_repo_folder_name:
 * @type: the repo type
 * @repo_id: the repo id
 *
 * Returns: (transfer full): the repo's folder name, e.g. `models--alice--demo`
 *
 * Since: 0.1
 */
gchar *
hubd_cache_repo_folder_name(HubdRepoType type, const gchar *repo_id)
{
	g_autoptr(GString) s = g_string_new(hubd_repo_type_to_string(type));

	g_return_val_if_fail(repo_id != NULL, NULL);
	g_string_append_c(s, 's');
	g_string_append(s, "--");
	g_string_append(s, repo_id);
	/* '--' cannot appear in a valid id, so the name parses back unambiguously */
	g_string_replace(s, "/", "--", 0);
	return g_string_free(g_steal_pointer(&s), FALSE);
}

/**
 * hubd_cache_repo_path:
 * @self: the cache
 * @type: the repo type
 * @repo_id: the repo id
 *
 * Returns: (transfer full): the repo's folder in the cache
 *
 * Since: 0.1
 */
gchar *
hubd_cache_repo_path(HubdCache *self, HubdRepoType type, const gchar *repo_id)
{
	g_autofree gchar *folder = hubd_cache_repo_folder_name(type, repo_id);

	g_return_val_if_fail(HUBD_IS_CACHE(self), NULL);
	return g_build_filename(self->root, folder, NULL);
}

/**
 * hubd_cache_blob_path:
 * @self: the cache
 * @type: the repo type
 * @repo_id: the repo id
 * @etag: the blob's ETag (SHA-256 for LFS files, git blob SHA-1 otherwise)
 *
 * Returns: (transfer full): `{repo}/blobs/{etag}`
 *
 * Since: 0.1
 */
gchar *
hubd_cache_blob_path(HubdCache *self, HubdRepoType type, const gchar *repo_id, const gchar *etag)
{
	g_autofree gchar *repo = hubd_cache_repo_path(self, type, repo_id);

	return g_build_filename(repo, "blobs", etag, NULL);
}

/**
 * hubd_cache_snapshot_path:
 * @self: the cache
 * @type: the repo type
 * @repo_id: the repo id
 * @commit: a commit id
 * @filename: (nullable): a path in the repo
 *
 * Returns: (transfer full): `{repo}/snapshots/{commit}[/{filename}]`: the
 *   link to read a file by
 *
 * Since: 0.1
 */
gchar *
hubd_cache_snapshot_path(HubdCache *self,
			 HubdRepoType type,
			 const gchar *repo_id,
			 const gchar *commit,
			 const gchar *filename)
{
	g_autofree gchar *repo = hubd_cache_repo_path(self, type, repo_id);

	return g_build_filename(repo, "snapshots", commit, filename, NULL);
}

gchar *
hubd_cache_incomplete_path(HubdCache *self,
			   HubdRepoType type,
			   const gchar *repo_id,
			   const gchar *etag)
{
	g_autofree gchar *blob = hubd_cache_blob_path(self, type, repo_id, etag);

	return g_strconcat(blob, ".hubd.incomplete", NULL);
}

/* An etag or commit becomes one file name: refuse anything that could leave
 * its folder. */
static gboolean
hubd_cache_check_segment(const gchar *what, const gchar *value, GError **error)
{
	if (value == NULL || value[0] == '\0' || strchr(value, '/') != NULL ||
	    g_strcmp0(value, ".") == 0 || g_strcmp0(value, "..") == 0 ||
	    strlen(value) > HUBD_PATH_SEGMENT_MAX) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    /* TRANSLATORS: %s is "etag" or "commit", then its value */
			    _("Invalid %s “%s”: it must be one non-empty path segment"),
			    what,
			    value != NULL ? value : "");
		return FALSE;
	}
	return TRUE;
}

static gboolean
hubd_cache_set_errno_error(GError **error, gint errsv, const gchar *action, const gchar *path)
{
	g_set_error(error,
		    G_IO_ERROR,
		    g_io_error_from_errno(errsv),
		    /* action (translated), path, reason */
		    "%s %s: %s",
		    action,
		    path,
		    g_strerror(errsv));
	hubd_error_convert(error);
	return FALSE;
}

static gboolean
hubd_cache_mkdir(const gchar *path, GError **error)
{
	/* 0777 & ~umask, as Python's os.makedirs */
	if (g_mkdir_with_parents(path, 0777) != 0)
		return hubd_cache_set_errno_error(error, errno, _("Cannot create"), path);
	return TRUE;
}

static gboolean
hubd_cache_ensure_root(HubdCache *self, GError **error)
{
	g_autofree gchar *tag = g_build_filename(self->root, "CACHEDIR.TAG", NULL);

	if (!hubd_cache_mkdir(self->root, error))
		return FALSE;
	if (!g_file_test(tag, G_FILE_TEST_EXISTS)) {
		g_autoptr(GError) error_local = NULL;
		/* best effort, as Python: a read-only cache still works */
		if (!g_file_set_contents_full(tag,
					      CACHEDIR_TAG_CONTENT,
					      -1,
					      G_FILE_SET_CONTENTS_CONSISTENT,
					      0666,
					      &error_local))
			g_debug("cannot write %s: %s", tag, error_local->message);
	}
	return TRUE;
}

gboolean
hubd_cache_ensure_repo(HubdCache *self, HubdRepoType type, const gchar *repo_id, GError **error)
{
	g_autofree gchar *repo = NULL;
	const gchar *subdirs[] = {"blobs", "refs", "snapshots"};

	g_return_val_if_fail(HUBD_IS_CACHE(self), FALSE);
	if (!hubd_repo_id_validate(repo_id, FALSE, error))
		return FALSE;
	if (!hubd_cache_ensure_root(self, error))
		return FALSE;
	repo = hubd_cache_repo_path(self, type, repo_id);
	for (guint i = 0; i < G_N_ELEMENTS(subdirs); i++) {
		g_autofree gchar *dir = g_build_filename(repo, subdirs[i], NULL);
		if (!hubd_cache_mkdir(dir, error))
			return FALSE;
	}
	return TRUE;
}

/* ---- refs ---- */

/**
 * hubd_cache_is_commit_hash:
 * @revision: a revision
 *
 * Returns: %TRUE for a full 40-character lowercase hex commit id
 *
 * Since: 0.1
 */
gboolean
hubd_cache_is_commit_hash(const gchar *revision)
{
	if (revision == NULL || strlen(revision) != 40)
		return FALSE;
	for (const gchar *p = revision; *p != '\0'; p++) {
		if (!g_ascii_isdigit(*p) && !(*p >= 'a' && *p <= 'f'))
			return FALSE;
	}
	return TRUE;
}

static gchar *
hubd_cache_ref_path(HubdCache *self, HubdRepoType type, const gchar *repo_id, const gchar *revision)
{
	g_autofree gchar *repo = hubd_cache_repo_path(self, type, repo_id);

	/* "refs/pr/1" nests: refs/refs/pr/1 */
	return g_build_filename(repo, "refs", revision, NULL);
}

/**
 * hubd_cache_read_ref:
 * @self: the cache
 * @type: the repo type
 * @repo_id: the repo id
 * @revision: a branch or tag
 *
 * Returns: (transfer full) (nullable): the commit `refs/{revision}` holds
 *
 * Since: 0.1
 */
gchar *
hubd_cache_read_ref(HubdCache *self, HubdRepoType type, const gchar *repo_id, const gchar *revision)
{
	g_autofree gchar *path = NULL;
	g_autofree gchar *contents = NULL;

	g_return_val_if_fail(HUBD_IS_CACHE(self), NULL);
	if (!hubd_revision_validate(revision, NULL) || !hubd_repo_id_validate(repo_id, FALSE, NULL))
		return NULL;
	path = hubd_cache_ref_path(self, type, repo_id, revision);
	if (!g_file_get_contents(path, &contents, NULL, NULL))
		return NULL;
	/* Python writes no newline; a hand-edited ref may have one */
	g_strstrip(contents);
	if (contents[0] == '\0')
		return NULL;
	return g_steal_pointer(&contents);
}

gboolean
hubd_cache_write_ref(HubdCache *self,
		     HubdRepoType type,
		     const gchar *repo_id,
		     const gchar *revision,
		     const gchar *commit,
		     GError **error)
{
	g_autofree gchar *path = NULL;
	g_autofree gchar *dir = NULL;
	g_autofree gchar *old = NULL;
	g_autofree gchar *tmp = NULL;
	gint fd;
	gsize len;

	g_return_val_if_fail(HUBD_IS_CACHE(self), FALSE);
	if (g_strcmp0(revision, commit) == 0)
		return TRUE;
	if (!hubd_repo_id_validate(repo_id, FALSE, error) ||
	    !hubd_revision_validate(revision, error) ||
	    !hubd_cache_check_segment("commit", commit, error))
		return FALSE;
	path = hubd_cache_ref_path(self, type, repo_id, revision);
	/* unchanged refs are not rewritten, so read-only caches keep working */
	if (g_file_get_contents(path, &old, NULL, NULL) && g_strcmp0(old, commit) == 0)
		return TRUE;
	dir = g_path_get_dirname(path);
	if (!hubd_cache_mkdir(dir, error))
		return FALSE;
	tmp = g_strdup_printf("%s.%08x.tmp", path, g_random_int());
	fd = g_open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0)
		return hubd_cache_set_errno_error(error, errno, _("Cannot create"), tmp);
	len = strlen(commit);
	if (write(fd, commit, len) != (gssize)len) {
		gint errsv = errno != 0 ? errno : EIO;
		close(fd);
		g_unlink(tmp);
		return hubd_cache_set_errno_error(error, errsv, _("Cannot write"), tmp);
	}
	if (close(fd) != 0 || g_rename(tmp, path) != 0) {
		gint errsv = errno;
		g_unlink(tmp);
		return hubd_cache_set_errno_error(error, errsv, _("Cannot write"), path);
	}
	return TRUE;
}

/**
 * hubd_cache_resolve_revision:
 * @self: the cache
 * @type: the repo type
 * @repo_id: the repo id
 * @revision: a branch, tag or commit
 *
 * Returns: (transfer full) (nullable): @revision itself when it is a commit
 *   id, else the commit its ref holds, else %NULL
 *
 * Since: 0.1
 */
gchar *
hubd_cache_resolve_revision(HubdCache *self,
			    HubdRepoType type,
			    const gchar *repo_id,
			    const gchar *revision)
{
	g_return_val_if_fail(HUBD_IS_CACHE(self), NULL);
	if (hubd_cache_is_commit_hash(revision))
		return g_strdup(revision);
	return hubd_cache_read_ref(self, type, repo_id, revision);
}

/* ---- .no_exist ---- */

static gchar *
hubd_cache_no_exist_path(HubdCache *self,
			 HubdRepoType type,
			 const gchar *repo_id,
			 const gchar *commit,
			 const gchar *filename,
			 GError **error)
{
	g_autofree gchar *repo = NULL;

	if (!hubd_repo_id_validate(repo_id, FALSE, error) ||
	    !hubd_cache_check_segment("commit", commit, error) ||
	    !hubd_path_is_safe_relative(filename, error))
		return NULL;
	repo = hubd_cache_repo_path(self, type, repo_id);
	return g_build_filename(repo, ".no_exist", commit, filename, NULL);
}

gboolean
hubd_cache_mark_no_exist(HubdCache *self,
			 HubdRepoType type,
			 const gchar *repo_id,
			 const gchar *commit,
			 const gchar *filename,
			 GError **error)
{
	g_autofree gchar *path = NULL;
	g_autofree gchar *dir = NULL;
	gint fd;

	g_return_val_if_fail(HUBD_IS_CACHE(self), FALSE);
	path = hubd_cache_no_exist_path(self, type, repo_id, commit, filename, error);
	if (path == NULL)
		return FALSE;
	dir = g_path_get_dirname(path);
	if (!hubd_cache_mkdir(dir, error))
		return FALSE;
	fd = g_open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0)
		return hubd_cache_set_errno_error(error, errno, _("Cannot create"), path);
	close(fd);
	return TRUE;
}

gboolean
hubd_cache_is_no_exist(HubdCache *self,
		       HubdRepoType type,
		       const gchar *repo_id,
		       const gchar *commit,
		       const gchar *filename)
{
	g_autofree gchar *path = NULL;

	g_return_val_if_fail(HUBD_IS_CACHE(self), FALSE);
	path = hubd_cache_no_exist_path(self, type, repo_id, commit, filename, NULL);
	return path != NULL && g_file_test(path, G_FILE_TEST_IS_REGULAR);
}

/* ---- locks ---- */

HubdCacheLock *
hubd_cache_lock_blob(HubdCache *self,
		     HubdRepoType type,
		     const gchar *repo_id,
		     const gchar *etag,
		     GCancellable *cancellable,
		     GError **error)
{
	g_autofree gchar *folder = NULL;
	g_autofree gchar *dir = NULL;
	g_autofree gchar *name = NULL;
	g_autofree gchar *path = NULL;
	HubdCacheLock *lock;
	gint fd;

	g_return_val_if_fail(HUBD_IS_CACHE(self), NULL);
	if (!hubd_repo_id_validate(repo_id, FALSE, error) ||
	    !hubd_cache_check_segment("etag", etag, error))
		return NULL;
	if (!hubd_cache_ensure_root(self, error))
		return NULL;
	folder = hubd_cache_repo_folder_name(type, repo_id);
	dir = g_build_filename(self->root, ".locks", folder, NULL);
	if (!hubd_cache_mkdir(dir, error))
		return NULL;
	name = g_strconcat(etag, ".lock", NULL);
	path = g_build_filename(dir, name, NULL);
	fd = g_open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0664);
	if (fd < 0) {
		hubd_cache_set_errno_error(error, errno, _("Cannot open the lock file"), path);
		return NULL;
	}
	/* filelock's mode=0o664 is set regardless of the umask, so that users
	 * sharing a cache can all lock; not ours to change: ignore EPERM */
	(void)fchmod(fd, 0664);
	/* the lock files stay (huggingface_hub#1659): deleting one lets a third
	 * process lock a different inode */
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			gint errsv = errno;
			close(fd);
			hubd_cache_set_errno_error(error, errsv, _("Cannot lock"), path);
			return NULL;
		}
		if (g_cancellable_set_error_if_cancelled(cancellable, error)) {
			close(fd);
			hubd_error_convert(error);
			return NULL;
		}
		g_usleep(LOCK_POLL_US);
	}
	lock = g_new0(HubdCacheLock, 1);
	lock->fd = fd;
	lock->path = g_steal_pointer(&path);
	g_debug("locked %s", lock->path);
	return lock;
}

void
hubd_cache_lock_release(HubdCacheLock *lock)
{
	if (lock == NULL)
		return;
	flock(lock->fd, LOCK_UN);
	close(lock->fd);
	g_free(lock->path);
	g_free(lock);
}

/* ---- files into place ---- */

gboolean
hubd_cache_move_into_place(const gchar *tmp_path, const gchar *final_path, GError **error)
{
	g_autofree gchar *parent = g_path_get_dirname(final_path);
	g_autofree gchar *grandparent = g_path_get_dirname(parent);
	g_autofree gchar *uuid = g_uuid_string_random();
	g_autofree gchar *probe_name = g_strconcat("tmp_", uuid, NULL);
	g_autofree gchar *probe = g_build_filename(grandparent, probe_name, NULL);
	gint fd;

	/* Python's _chmod_and_move: the mode a freshly created file gets (the
	 * umask applied to 0666) replaces the temp file's restrictive one; then
	 * without write bits, so that an app writing through a snapshot link
	 * cannot change the blob every app shares (huggingface_hub#3643).
	 * Replacing or deleting it needs only the folder's write permission. */
	fd = g_open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd >= 0) {
		struct stat st;
		if (fstat(fd, &st) == 0 && g_chmod(tmp_path, st.st_mode & 07555) != 0)
			g_debug("cannot chmod %s: %s", tmp_path, g_strerror(errno));
		close(fd);
		g_unlink(probe);
	} else {
		g_debug("cannot probe the mode in %s: %s", grandparent, g_strerror(errno));
	}
	if (g_rename(tmp_path, final_path) != 0)
		return hubd_cache_set_errno_error(error,
						  errno,
						  _("Cannot move into place"),
						  final_path);
	return TRUE;
}

gboolean
hubd_cache_link_snapshot(HubdCache *self,
			 HubdRepoType type,
			 const gchar *repo_id,
			 const gchar *commit,
			 const gchar *filename,
			 const gchar *etag,
			 GError **error)
{
	g_autofree gchar *link_path = NULL;
	g_autofree gchar *dir = NULL;
	g_autofree gchar *tmp = NULL;
	g_autoptr(GString) target = g_string_new("../../");

	g_return_val_if_fail(HUBD_IS_CACHE(self), FALSE);
	if (!hubd_repo_id_validate(repo_id, FALSE, error) ||
	    !hubd_cache_check_segment("commit", commit, error) ||
	    !hubd_cache_check_segment("etag", etag, error) ||
	    !hubd_path_is_safe_relative(filename, error))
		return FALSE;
	link_path = hubd_cache_snapshot_path(self, type, repo_id, commit, filename);
	dir = g_path_get_dirname(link_path);
	if (!hubd_cache_mkdir(dir, error))
		return FALSE;
	/* os.path.relpath(blob, dirname(link)): one more ../ per folder level,
	 * relative so the cache survives being moved */
	for (const gchar *p = filename; *p != '\0'; p++) {
		if (*p == '/')
			g_string_append(target, "../");
	}
	g_string_append_printf(target, "blobs/%s", etag);
	tmp = g_strdup_printf("%s.%08x.tmp", link_path, g_random_int());
	if (symlink(target->str, tmp) != 0)
		return hubd_cache_set_errno_error(error, errno, _("Cannot create"), tmp);
	if (g_rename(tmp, link_path) != 0) {
		gint errsv = errno;
		g_unlink(tmp);
		return hubd_cache_set_errno_error(error, errsv, _("Cannot create"), link_path);
	}
	return TRUE;
}
