/* testhub-upload.h: the preupload decision (upload mode, ignore) as pure functions.
 *
 * The Hub's server code is not public; the rule follows docs/hub-upload.md §2.3,
 * §2.4 and §5.1: empty → regular; LFS rule in .gitattributes → lfs;
 * > 10 MiB → lfs; binary sample (NUL byte) and > 1 MB → lfs; else regular.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* regular (non-LFS) files above this are rejected at commit time */
#define TESTHUB_REGULAR_MAX_SIZE (10 * 1024 * 1024)
/* binary regular files above this are rejected at commit time ("1MB", PR #657) */
#define TESTHUB_BINARY_MAX_SIZE 1000000
/* the preupload sample is the first 512 bytes */
#define TESTHUB_SAMPLE_SIZE 512
/* bound on files per preupload call (clients send 256 or 100) */
#define TESTHUB_PREUPLOAD_MAX_FILES 1000

typedef enum {
	TESTHUB_UPLOAD_REGULAR,
	TESTHUB_UPLOAD_LFS,
} TesthubUploadMode;

/* git wildmatch subset: `*` and `?` stop at '/', `**` crosses it, `[...]` classes */
gboolean
testhub_glob_match(const gchar *pattern, const gchar *path);

/* TRUE when the last .gitattributes line matching `path` sets filter=lfs
 * (a later `-filter`, `!filter` or other filter value unsets it). */
gboolean
testhub_gitattributes_is_lfs(const gchar *gitattributes, const gchar *path);

/* TRUE when `path` (or one of its parent folders) is ignored by the .gitignore text. */
gboolean
testhub_gitignore_matches(const gchar *gitignore, const gchar *path);

/* TRUE when the sample looks binary (contains a NUL byte). */
gboolean
testhub_sample_is_binary(const guint8 *sample, gsize len);

/* The whole rule. `gitattributes` may be NULL. */
TesthubUploadMode
testhub_upload_mode(const gchar *path,
		    guint64 size,
		    const guint8 *sample,
		    gsize sample_len,
		    const gchar *gitattributes);

G_END_DECLS
