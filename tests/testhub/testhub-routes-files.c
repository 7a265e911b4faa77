/* testhub-routes-files.c: file downloads of the local Hub: resolve and raw on
 * the Hub origin (LFS objects redirect to the CDN origin) and the CDN's LFS
 * bytes. File contents are memory-mapped, never read into memory.
 */
#include <string.h>

#include "testhub-community.h"
#include "testhub-faults.h"
#include "testhub-routes.h"

static void
set_header(SoupServerMessage *msg, const gchar *name, const gchar *value)
{
	soup_message_headers_replace(soup_server_message_get_response_headers(msg), name, value);
}

static GBytes *
map_file(const gchar *path, GError **error)
{
	g_autoptr(GMappedFile) mf = g_mapped_file_new(path, FALSE, error);

	if (mf == NULL)
		return NULL;
	return g_mapped_file_get_bytes(mf);
}

static const gchar *
content_type_for(GBytes *content)
{
	gsize len = 0;
	const gchar *data = g_bytes_get_data(content, &len);
	gsize sample = MIN(len, 8000);

	if (len == 0)
		return "text/plain; charset=utf-8"; /* and no data pointer to look at */
	if (memchr(data, '\0', sample) != NULL)
		return "application/octet-stream";
	/* a cut multi-byte character at the sample end is still text */
	if (!g_utf8_validate_len(data, sample, NULL) && sample == len)
		return "application/octet-stream";
	return "text/plain; charset=utf-8";
}

static void
set_content_disposition(SoupServerMessage *msg, const gchar *path)
{
	const gchar *slash = strrchr(path, '/');
	const gchar *base = slash != NULL ? slash + 1 : path;
	g_autofree gchar *escaped = g_uri_escape_string(base, NULL, FALSE);
	g_autofree gchar *ascii = g_str_to_ascii(base, "C");
	g_autofree gchar *value = NULL;

	g_strdelimit(ascii, "\"\\\r\n", '_');
	value = g_strdup_printf("inline; filename*=UTF-8''%s; filename=\"%s\";", escaped, ascii);
	set_header(msg, "Content-Disposition", value);
}

/* 200 / 206 / 416 for `content`, honouring a Range header. */
static void
reply_content(SoupServerMessage *msg, GBytes *content, const gchar *content_type)
{
	guint64 total = g_bytes_get_size(content);
	guint64 start = 0;
	guint64 end = 0;
	g_autofree gchar *cr = NULL;
	g_autoptr(GBytes) part = NULL;

	set_header(msg, "Accept-Ranges", "bytes");
	switch (testhub_parse_range(testhub_request_range(msg), total, &start, &end)) {
	case TESTHUB_RANGE_OK:
		cr = g_strdup_printf("bytes %" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT
				     "/%" G_GUINT64_FORMAT,
				     start,
				     end,
				     total);
		set_header(msg, "Content-Range", cr);
		part = g_bytes_new_from_bytes(content, (gsize)start, (gsize)(end - start + 1));
		testhub_reply_bytes(msg, SOUP_STATUS_PARTIAL_CONTENT, content_type, part);
		return;
	case TESTHUB_RANGE_UNSATISFIABLE:
		cr = g_strdup_printf("bytes */%" G_GUINT64_FORMAT, total);
		set_header(msg, "Content-Range", cr);
		testhub_reply_error(msg,
				    SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE,
				    NULL,
				    "Requested Range Not Satisfiable");
		return;
	case TESTHUB_RANGE_NONE:
	default:
		testhub_reply_bytes(msg, SOUP_STATUS_OK, content_type, content);
		return;
	}
}

/* Gated repos: files only for the owner (and org members) and the users
 * whose access request was accepted (or who were granted access). */
static gboolean
check_gate(TesthubContext *ctx, SoupServerMessage *msg, TesthubRepo *repo, const TesthubUser *user)
{
	g_autofree gchar *m = NULL;
	g_autofree gchar *url = NULL;
	const gchar *status;

	if (repo->gated == NULL || testhub_users_can_write_namespace(ctx->users, user, repo->ns))
		return TRUE;
	status = testhub_access_status(ctx, repo, user);
	if (g_strcmp0(status, "accepted") == 0)
		return TRUE;
	url = testhub_repo_url(ctx, repo);
	if (g_strcmp0(status, "pending") == 0 || g_strcmp0(status, "rejected") == 0)
		m = g_strdup_printf(g_strcmp0(status, "pending") == 0
					    ? "Access to %s %s is restricted and you are not in "
					      "the authorized list. Your request to access this "
					      "repo is awaiting a review from the repo authors."
					    : "Access to %s %s is restricted and you are not in "
					      "the authorized list. Your request to access this "
					      "repo has been rejected by the repo's authors.",
				    testhub_repo_type_to_string(repo->type),
				    repo->id);
	else if (user == NULL)
		m = g_strdup_printf(
			"Access to %s %s is restricted. You must have access to it and be "
			"authenticated to access it. Please log in.",
			testhub_repo_type_to_string(repo->type),
			repo->id);
	else
		m = g_strdup_printf(
			"Access to %s %s is restricted and you are not in the authorized "
			"list. Visit %s to ask for access.",
			testhub_repo_type_to_string(repo->type),
			repo->id,
			url);
	testhub_reply_error(msg,
			    user == NULL ? SOUP_STATUS_UNAUTHORIZED : SOUP_STATUS_FORBIDDEN,
			    "GatedRepo",
			    m);
	return FALSE;
}

static void
reply_lfs_redirect(TesthubContext *ctx, SoupServerMessage *msg, TesthubEntry *e)
{
	const gchar *slash = strrchr(e->path, '/');
	g_autofree gchar *name =
		g_uri_escape_string(slash != NULL ? slash + 1 : e->path, NULL, FALSE);
	g_autofree gchar *url = NULL;
	g_autofree gchar *etag = g_strdup_printf("\"%s\"", e->lfs_sha256);
	g_autofree gchar *size = g_strdup_printf("%" G_GUINT64_FORMAT, e->size);
	g_autofree gchar *body = NULL;
	g_autoptr(GBytes) bytes = NULL;

	url = g_strdup_printf("%s/lfs/%s?filename=%s&expires=%" G_GINT64_FORMAT,
			      ctx->cdn_url,
			      e->lfs_sha256,
			      name,
			      g_get_real_time() / G_USEC_PER_SEC + 3600);
	body = g_strdup_printf("Found. Redirecting to %s", url);
	bytes = g_bytes_new(body, strlen(body));
	set_header(msg, "Location", url);
	set_header(msg, "X-Linked-Etag", etag);
	set_header(msg, "X-Linked-Size", size);
	set_header(msg, "Cache-Control", "no-store");
	testhub_reply_bytes(msg, SOUP_STATUS_FOUND, "text/plain; charset=utf-8", bytes);
}

void
testhub_route_file(TesthubContext *ctx,
		   SoupServerMessage *msg,
		   TesthubRepoType type,
		   const gchar *repo_id,
		   gboolean raw,
		   const gchar *rev,
		   const gchar *path)
{
	const TesthubUser *user = NULL;
	TesthubRepo *repo = testhub_request_repo(ctx, msg, type, repo_id, FALSE, &user);
	g_autoptr(TesthubCommit) c = NULL;
	g_autoptr(GBytes) content = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *etag = NULL;
	g_autofree gchar *blob = NULL;
	g_autoptr(TesthubQuery) q = NULL;
	TesthubEntry *e;

	if (repo == NULL || !check_gate(ctx, msg, repo, user))
		return;
	c = testhub_route_load_revision(ctx, msg, repo, rev);
	if (c == NULL)
		return;
	set_header(msg, "X-Repo-Commit", c->id);
	if (!testhub_path_is_valid(path)) {
		testhub_reply_error(msg, SOUP_STATUS_BAD_REQUEST, NULL, "Invalid path");
		return;
	}
	e = g_hash_table_lookup(c->tree, path);
	if (e == NULL) {
		testhub_reply_error(msg, SOUP_STATUS_NOT_FOUND, "EntryNotFound", "Entry not found");
		return;
	}
	if (e->lfs_sha256 != NULL && !raw) {
		reply_lfs_redirect(ctx, msg, e);
		return;
	}
	if (e->lfs_sha256 != NULL) {
		gchar *pointer = testhub_lfs_pointer_text(e->lfs_sha256, e->size);

		content = g_bytes_new_take(pointer, strlen(pointer));
	} else {
		blob = testhub_store_blob_path(ctx->store, e->blob_sha1);
		content = map_file(blob, &error);
		if (content == NULL) {
			g_warning("blob of %s in %s: %s", path, repo->id, error->message);
			testhub_reply_error(msg,
					    SOUP_STATUS_INTERNAL_SERVER_ERROR,
					    NULL,
					    "Internal Error");
			return;
		}
	}
	etag = g_strdup_printf("\"%s\"", e->blob_sha1);
	set_header(msg, "ETag", etag);
	q = testhub_query_parse(g_uri_get_query(soup_server_message_get_uri(msg)));
	if (!testhub_query_bool(testhub_query_get(q, "noContentDisposition"), FALSE))
		set_content_disposition(msg, path);
	reply_content(msg, content, content_type_for(content));
}

void
testhub_route_cdn_lfs(TesthubContext *ctx, SoupServerMessage *msg, const gchar *sha256)
{
	g_autoptr(TesthubQuery) q =
		testhub_query_parse(g_uri_get_query(soup_server_message_get_uri(msg)));
	g_autofree gchar *path = NULL;
	g_autofree gchar *etag = NULL;
	g_autoptr(GBytes) content = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *filename = testhub_query_get(q, "filename");

	/* the CDN ignores Authorization: the URL itself is the credential */
	if (!testhub_store_has_lfs(ctx->store, sha256, NULL)) {
		testhub_reply_error(msg, SOUP_STATUS_NOT_FOUND, NULL, "Not Found");
		return;
	}
	path = testhub_store_lfs_path(ctx->store, sha256);
	content = map_file(path, &error);
	if (content == NULL) {
		g_warning("LFS object %s: %s", sha256, error->message);
		testhub_reply_error(msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL, "Internal Error");
		return;
	}
	etag = g_strdup_printf("\"%s\"", sha256);
	set_header(msg, "ETag", etag);
	if (filename != NULL && testhub_path_is_valid(filename))
		set_content_disposition(msg, filename);
	reply_content(msg, content, "application/octet-stream");
}
