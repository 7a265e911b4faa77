/* testhub-commit.h: parsing and validating the commit payload (docs/hub-upload.md §4).
 *
 * Pure functions, so that the unit tests can call them without a server. All
 * errors are G_IO_ERROR_INVALID_DATA with a message fit for a 400 answer.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TESTHUB_COMMIT_MAX_LINES 100000
#define TESTHUB_PATH_MAX         4096

typedef enum {
	TESTHUB_LINE_FILE,           /* "file": regular content (or a rename with oldPath) */
	TESTHUB_LINE_LFS_FILE,       /* "lfsFile": sha256 pointer (or a rename with oldPath) */
	TESTHUB_LINE_DELETED_FILE,   /* "deletedFile" */
	TESTHUB_LINE_DELETED_FOLDER, /* "deletedFolder" */
} TesthubCommitLineKind;

typedef struct {
	TesthubCommitLineKind kind;
	gchar *path;
	gchar *old_path; /* rename source (hfjs ApiCommitFile/ApiCommitLfsFile.oldPath) */
	GBytes *content; /* file: decoded bytes; NULL for a rename without content */
	gchar *oid;      /* lfsFile: lowercase sha256 hex; NULL for a rename without oid */
	gint64 size;     /* lfsFile: -1 when omitted (server-side copies) */
} TesthubCommitLine;

typedef struct {
	gchar *summary;
	gchar *description;   /* "" when absent */
	gchar *parent_commit; /* NULL when absent */
	GPtrArray *lines;     /* TesthubCommitLine* */
} TesthubCommitRequest;

void
testhub_commit_request_free(TesthubCommitRequest *req);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TesthubCommitRequest, testhub_commit_request_free)

/* application/x-ndjson: a "header" line first, then one operation per line. */
TesthubCommitRequest *
testhub_commit_parse_ndjson(const gchar *body, gsize len, GError **error);

/* The pre-NDJSON JSON body of old huggingface_hub versions:
 * {"summary","description","parentCommit"?,"files":[{path,content,encoding}],
 *  "lfsFiles":[{path,algo,oid,size?}],"deletedFiles":[{path}],"deletedFolders":[{path}]} */
TesthubCommitRequest *
testhub_commit_parse_json(JsonObject *body, GError **error);

/* A path inside the repo: not empty, relative, no empty / "." / ".." / ".git"
 * segments, no backslash or control characters, valid UTF-8. Folders may end
 * with one '/'. */
gboolean
testhub_commit_validate_path(const gchar *path, gboolean folder, GError **error);

/* 64 hex digits (either case) */
gboolean
testhub_is_sha256_hex(const gchar *s);

/* FALSE when a JSON text nests arrays/objects deeper than `max_depth`
 * (json-glib parses recursively, so this is checked before parsing). */
gboolean
testhub_json_depth_ok(const gchar *text, gsize len, guint max_depth);

G_END_DECLS
