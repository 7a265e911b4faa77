/* testhub-lfs.c: LFS batch API, CDN upload targets (basic + multipart parts),
 * multipart completion and verify (docs/hub-upload.md §3).
 *
 * Request bodies of CDN PUTs are streamed to temp files from "got-chunk", so a
 * multi-GiB upload never sits in memory. In-flight uploads (upload id → oid,
 * size, part files) live in memory, attached to the store object.
 */
#include "testhub-lfs.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "testhub-commit.h"
#include "testhub-http.h"
#include "testhub.h"

#define UPLOADS_KEY "testhub-lfs-uploads"
#define PUT_KEY     "testhub-lfs-put"
#define LFS_JSON    "application/vnd.git-lfs+json"
#define COPY_BUFFER (1024 * 1024)

/* ---- pure helpers ---- */

/* a string member, NULL when absent or of another type */
static const gchar *
string_member(JsonObject *obj, const gchar *name)
{
	JsonNode *node = obj != NULL ? json_object_get_member(obj, name) : NULL;

	if (node == NULL || !JSON_NODE_HOLDS_VALUE(node) ||
	    json_node_get_value_type(node) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(node);
}

guint64
testhub_lfs_part_count(guint64 size, guint64 chunk_size)
{
	if (size == 0 || chunk_size == 0)
		return 0;
	return size / chunk_size + (size % chunk_size != 0 ? 1 : 0);
}

guint64
testhub_lfs_effective_chunk(guint64 size, guint64 chunk_size)
{
	guint64 min_chunk = size / TESTHUB_LFS_MAX_PARTS + (size % TESTHUB_LFS_MAX_PARTS != 0);

	return MAX(chunk_size, MAX(min_chunk, 1));
}

static const gchar *
etag_core(const gchar *etag, gsize *len)
{
	if (g_str_has_prefix(etag, "W/"))
		etag += 2;
	*len = strlen(etag);
	if (*len >= 2 && etag[0] == '"' && etag[*len - 1] == '"') {
		*len -= 2;
		return etag + 1;
	}
	return etag;
}

gboolean
testhub_etag_equal(const gchar *a, const gchar *b)
{
	gsize la = 0;
	gsize lb = 0;
	const gchar *ca;
	const gchar *cb;

	if (a == NULL || b == NULL)
		return FALSE;
	ca = etag_core(a, &la);
	cb = etag_core(b, &lb);
	return la == lb && la > 0 && memcmp(ca, cb, la) == 0;
}

gboolean
testhub_lfs_check_completion(JsonArray *parts,
			     guint n_parts,
			     gchar *const *received_etags,
			     GError **error)
{
	if (parts == NULL || json_array_get_length(parts) != n_parts) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_DATA,
			    "Expected %u parts, got %u",
			    n_parts,
			    parts != NULL ? json_array_get_length(parts) : 0);
		return FALSE;
	}
	for (guint i = 0; i < n_parts; i++) {
		JsonNode *node = json_array_get_element(parts, i);
		JsonObject *part;
		JsonNode *number;
		const gchar *etag;

		if (!JSON_NODE_HOLDS_OBJECT(node)) {
			g_set_error(error,
				    G_IO_ERROR,
				    G_IO_ERROR_INVALID_DATA,
				    "Invalid part %u",
				    i + 1);
			return FALSE;
		}
		part = json_node_get_object(node);
		number = json_object_get_member(part, "partNumber");
		if (number == NULL || !JSON_NODE_HOLDS_VALUE(number) ||
		    json_node_get_value_type(number) != G_TYPE_INT64 ||
		    json_node_get_int(number) != (gint64)i + 1) {
			g_set_error(error,
				    G_IO_ERROR,
				    G_IO_ERROR_INVALID_DATA,
				    "Parts must be listed in order: expected partNumber %u",
				    i + 1);
			return FALSE;
		}
		if (received_etags[i] == NULL) {
			g_set_error(error,
				    G_IO_ERROR,
				    G_IO_ERROR_INVALID_DATA,
				    "Part %u was not uploaded",
				    i + 1);
			return FALSE;
		}
		etag = string_member(part, "etag");
		if (!testhub_etag_equal(etag, received_etags[i])) {
			g_set_error(error,
				    G_IO_ERROR,
				    G_IO_ERROR_INVALID_DATA,
				    "Invalid etag for part %u",
				    i + 1);
			return FALSE;
		}
	}
	return TRUE;
}

/* ---- in-flight uploads ---- */

typedef struct {
	gchar *oid;
	guint64 size;
	guint64 chunk_size; /* 0: basic upload */
	guint n_parts;
	/* multipart: every part is written at its offset in this one file, so
	 * completion has nothing to copy (a copy doubled the disk writes) */
	gchar *data_path;
	gchar **part_etags; /* n_parts + 1, NULL = not received */
} LfsUpload;

static void
lfs_upload_free(gpointer data)
{
	LfsUpload *up = data;

	if (up->data_path != NULL)
		g_unlink(up->data_path);
	g_free(up->data_path);
	g_strfreev(up->part_etags);
	g_free(up->oid);
	g_free(up);
}

static GHashTable *
uploads(TesthubContext *ctx)
{
	GHashTable *table = g_object_get_data(G_OBJECT(ctx->store), UPLOADS_KEY);

	if (table == NULL) {
		table = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, lfs_upload_free);
		g_object_set_data_full(G_OBJECT(ctx->store),
				       UPLOADS_KEY,
				       table,
				       (GDestroyNotify)g_hash_table_unref);
	}
	return table;
}

/* registers an upload and returns its id */
static gchar *
register_upload(TesthubContext *ctx, const gchar *oid, guint64 size, guint64 chunk_size)
{
	LfsUpload *up = g_new0(LfsUpload, 1);
	g_autofree gchar *uuid = g_uuid_string_random();
	g_auto(GStrv) pieces = g_strsplit(uuid, "-", -1);
	gchar *id = g_strjoinv("", pieces);

	up->oid = g_strdup(oid);
	up->size = size;
	up->chunk_size = chunk_size;
	up->n_parts = (guint)testhub_lfs_part_count(size, chunk_size);
	up->part_etags = g_new0(gchar *, up->n_parts + 1);
	g_hash_table_insert(uploads(ctx), g_strdup(id), up);
	return id;
}

/* ---- batch ---- */

static gboolean
transfers_include(JsonObject *body, const gchar *name)
{
	JsonNode *node = json_object_get_member(body, "transfers");
	JsonArray *array;

	if (node == NULL || !JSON_NODE_HOLDS_ARRAY(node))
		return g_strcmp0(name, "basic") == 0; /* "basic" is implied */
	array = json_node_get_array(node);
	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonNode *item = json_array_get_element(array, i);

		if (JSON_NODE_HOLDS_VALUE(item) &&
		    json_node_get_value_type(item) == G_TYPE_STRING &&
		    g_strcmp0(json_node_get_string(item), name) == 0)
			return TRUE;
	}
	return g_strcmp0(name, "basic") == 0;
}

static void
add_error(JsonBuilder *b, gint code, const gchar *message)
{
	json_builder_set_member_name(b, "error");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "code");
	json_builder_add_int_value(b, code);
	json_builder_set_member_name(b, "message");
	json_builder_add_string_value(b, message);
	json_builder_end_object(b);
}

static void
add_verify(TesthubContext *ctx, JsonBuilder *b, TesthubRepo *repo)
{
	g_autofree gchar *href = g_strdup_printf("%s/_lfs/verify/%s/%s",
						 ctx->base_url,
						 testhub_repo_type_to_plural(repo->type),
						 repo->id);

	json_builder_set_member_name(b, "verify");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "href");
	json_builder_add_string_value(b, href);
	json_builder_end_object(b);
}

/* the upload action of one object; returns TRUE when it went multipart */
static gboolean
add_upload_actions(TesthubContext *ctx,
		   JsonBuilder *b,
		   TesthubRepo *repo,
		   const gchar *oid,
		   guint64 size,
		   gboolean multipart_ok)
{
	gboolean multipart = multipart_ok && ctx->lfs_chunk_size > 0 && size > ctx->lfs_chunk_size;
	guint64 chunk = multipart ? testhub_lfs_effective_chunk(size, ctx->lfs_chunk_size) : 0;
	g_autofree gchar *id = register_upload(ctx, oid, size, chunk);

	json_builder_set_member_name(b, "actions");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "upload");
	json_builder_begin_object(b);
	if (multipart) {
		/* href = the Hub-origin completion URL, parts as numbered headers */
		g_autofree gchar *href =
			g_strdup_printf("%s/_lfs/complete/%s?upload_id=%s", ctx->base_url, oid, id);
		g_autofree gchar *chunk_text = g_strdup_printf("%" G_GUINT64_FORMAT, chunk);
		guint64 n = testhub_lfs_part_count(size, chunk);

		json_builder_set_member_name(b, "href");
		json_builder_add_string_value(b, href);
		json_builder_set_member_name(b, "header");
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "chunk_size");
		json_builder_add_string_value(b, chunk_text);
		for (guint64 i = 1; i <= n; i++) {
			g_autofree gchar *key = g_strdup_printf("%05" G_GUINT64_FORMAT, i);
			g_autofree gchar *url =
				g_strdup_printf("%s/upload/%s/%s/%" G_GUINT64_FORMAT,
						ctx->cdn_url,
						oid,
						id,
						i);

			json_builder_set_member_name(b, key);
			json_builder_add_string_value(b, url);
		}
		json_builder_end_object(b);
	} else {
		g_autofree gchar *href = g_strdup_printf("%s/upload/%s/%s", ctx->cdn_url, oid, id);

		json_builder_set_member_name(b, "href");
		json_builder_add_string_value(b, href);
	}
	json_builder_set_member_name(b, "expires_in");
	json_builder_add_int_value(b, 86400);
	json_builder_end_object(b);
	add_verify(ctx, b, repo);
	json_builder_end_object(b);
	return multipart;
}

static void
add_download_action(TesthubContext *ctx, JsonBuilder *b, const gchar *oid)
{
	g_autofree gchar *href = g_strdup_printf("%s/lfs/%s", ctx->cdn_url, oid);

	json_builder_set_member_name(b, "actions");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "download");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "href");
	json_builder_add_string_value(b, href);
	json_builder_set_member_name(b, "expires_in");
	json_builder_add_int_value(b, 86400);
	json_builder_end_object(b);
	json_builder_end_object(b);
}

/* one answer object; returns TRUE when it went multipart */
static gboolean
batch_object(TesthubContext *ctx,
	     JsonBuilder *b,
	     TesthubRepo *repo,
	     JsonNode *item,
	     gboolean upload,
	     gboolean multipart_ok)
{
	JsonObject *obj = JSON_NODE_HOLDS_OBJECT(item) ? json_node_get_object(item) : NULL;
	JsonNode *oid_node = obj != NULL ? json_object_get_member(obj, "oid") : NULL;
	JsonNode *size_node = obj != NULL ? json_object_get_member(obj, "size") : NULL;
	const gchar *oid = NULL;
	gint64 size = -1;
	g_autofree gchar *lower = NULL;
	guint64 stored = 0;
	gboolean present;
	gboolean multipart = FALSE;

	if (oid_node != NULL && JSON_NODE_HOLDS_VALUE(oid_node) &&
	    json_node_get_value_type(oid_node) == G_TYPE_STRING)
		oid = json_node_get_string(oid_node);
	if (size_node != NULL && JSON_NODE_HOLDS_VALUE(size_node) &&
	    json_node_get_value_type(size_node) == G_TYPE_INT64)
		size = json_node_get_int(size_node);

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "oid");
	json_builder_add_string_value(b, oid != NULL ? oid : "");
	json_builder_set_member_name(b, "size");
	json_builder_add_int_value(b, size);
	if (!testhub_is_sha256_hex(oid)) {
		add_error(b, 422, "Invalid oid: expected a sha256 hex digest");
		json_builder_end_object(b);
		return FALSE;
	}
	if (size < 0) {
		add_error(b, 422, "Invalid size: must be a non-negative integer");
		json_builder_end_object(b);
		return FALSE;
	}
	lower = g_ascii_strdown(oid, -1);
	present = testhub_store_has_lfs(ctx->store, lower, &stored) && stored == (guint64)size;
	/* an upload's verify needs the caller's credentials: "authenticated"
	 * false makes git-lfs send its own with it (docs/git.md §3); download
	 * URLs carry their own (presigned) */
	json_builder_set_member_name(b, "authenticated");
	json_builder_add_boolean_value(b, !(upload && !present));
	if (upload && !present)
		multipart = add_upload_actions(ctx, b, repo, lower, (guint64)size, multipart_ok);
	else if (!upload && present)
		add_download_action(ctx, b, lower);
	else if (!upload)
		add_error(b, 404, "Object does not exist");
	/* upload of a stored object: no actions, the client skips it */
	json_builder_end_object(b);
	return multipart;
}

/* like testhub_reply_json, with the git-lfs media type */
static void
reply_lfs_json(SoupServerMessage *msg, JsonNode *root)
{
	g_autoptr(JsonNode) owned = root;
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autoptr(GBytes) bytes = NULL;
	gsize len = 0;
	gchar *text;

	json_generator_set_root(gen, owned);
	text = json_generator_to_data(gen, &len);
	bytes = g_bytes_new_take(text, len);
	testhub_reply_bytes(msg, SOUP_STATUS_OK, LFS_JSON, bytes);
}

void
testhub_handle_lfs_batch(TesthubContext *ctx, SoupServerMessage *msg, TesthubRepo *repo)
{
	g_autoptr(JsonObject) body = testhub_request_json_object(msg);
	g_autoptr(JsonBuilder) b = json_builder_new();
	JsonNode *objects_node;
	JsonArray *objects;
	const gchar *operation;
	const gchar *algo;
	gboolean upload;
	gboolean multipart_ok;
	gboolean any_multipart = FALSE;

	if (body == NULL)
		return;
	operation = string_member(body, "operation");
	if (g_strcmp0(operation, "upload") != 0 && g_strcmp0(operation, "download") != 0) {
		testhub_reply_error(msg,
				    422,
				    NULL,
				    "Invalid operation: expected upload or download");
		return;
	}
	upload = g_strcmp0(operation, "upload") == 0;
	algo = string_member(body, "hash_algo");
	if (algo != NULL && g_strcmp0(algo, "sha256") != 0 && g_strcmp0(algo, "sha_256") != 0) {
		testhub_reply_error(msg, SOUP_STATUS_CONFLICT, NULL, "Unsupported hash algorithm");
		return;
	}
	objects_node = json_object_get_member(body, "objects");
	if (objects_node == NULL || !JSON_NODE_HOLDS_ARRAY(objects_node)) {
		testhub_reply_error(msg, 422, NULL, "\"objects\" must be an array");
		return;
	}
	objects = json_node_get_array(objects_node);
	if (json_array_get_length(objects) > TESTHUB_LFS_MAX_OBJECTS) {
		testhub_reply_error(msg, 422, NULL, "Too many objects in one batch request");
		return;
	}
	multipart_ok = transfers_include(body, "multipart");

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "objects");
	json_builder_begin_array(b);
	for (guint i = 0; i < json_array_get_length(objects); i++) {
		if (batch_object(ctx,
				 b,
				 repo,
				 json_array_get_element(objects, i),
				 upload,
				 multipart_ok))
			any_multipart = TRUE;
	}
	json_builder_end_array(b);
	/* "multipart" only when it was offered and is used (both clients also
	 * detect it per object from header.chunk_size) */
	json_builder_set_member_name(b, "transfer");
	json_builder_add_string_value(b, any_multipart ? "multipart" : "basic");
	json_builder_end_object(b);
	reply_lfs_json(msg, json_builder_get_root(b));
}

/* ---- CDN PUTs, streamed ---- */

typedef struct {
	TesthubContext *ctx;
	gchar *upload_id;
	guint part; /* 0: the whole object (basic) */
	gchar *tmp_path;
	FILE *fp;
	guint8 *fp_buffer; /* large writes: the body arrives in small chunks */
	guint64 received;
	guint64 limit;
	gboolean failed;    /* more bytes than announced */
	gboolean not_saved; /* the store could not write them (a full disk) */
} PutState;

static void
put_state_free(gpointer data)
{
	PutState *st = data;

	if (st->fp != NULL)
		fclose(st->fp);
	g_free(st->fp_buffer);
	if (st->tmp_path != NULL)
		g_unlink(st->tmp_path); /* an interrupted or rejected upload */
	g_free(st->tmp_path);
	g_free(st->upload_id);
	g_free(st);
}

static void
put_got_chunk(SoupServerMessage *msg, GBytes *chunk, gpointer user_data)
{
	PutState *st = user_data;
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(chunk, &len);

	if (st->failed || st->not_saved)
		return;
	st->received += len;
	if (st->received > st->limit)
		st->failed = TRUE;
	else if (fwrite(data, 1, len, st->fp) != len)
		st->not_saved = TRUE; /* the rest is read and dropped: the client gets the answer */
}

/* /upload/<oid>/<upload_id>[/<part>] → its pieces; FALSE when malformed */
static gboolean
parse_upload_path(const gchar *path, gchar **oid, gchar **upload_id, guint *part)
{
	g_auto(GStrv) seg = g_strsplit(path, "/", -1);
	guint n = g_strv_length(seg);
	guint64 number = 0;

	/* "", "upload", oid, id[, part] */
	if ((n != 4 && n != 5) || g_strcmp0(seg[1], "upload") != 0 ||
	    !testhub_is_sha256_hex(seg[2]) || *seg[3] == '\0')
		return FALSE;
	*part = 0;
	if (n == 5) {
		if (!g_ascii_string_to_unsigned(seg[4],
						10,
						1,
						TESTHUB_LFS_MAX_PARTS,
						&number,
						NULL))
			return FALSE;
		*part = (guint)number;
	}
	*oid = g_strdup(seg[2]);
	*upload_id = g_strdup(seg[3]);
	return TRUE;
}

/* the upload's data file, positioned at the start of `part` */
static FILE *
open_part(TesthubContext *ctx, LfsUpload *up, guint part)
{
	FILE *fp;

	if (up->data_path == NULL) {
		up->data_path = testhub_store_new_tmp_path(ctx->store);
		fp = fopen(up->data_path, "wb");
		if (fp == NULL || fclose(fp) != 0)
			return NULL;
	}
	fp = fopen(up->data_path, "r+b");
	if (fp != NULL && fseeko(fp, (off_t)((part - 1) * up->chunk_size), SEEK_SET) != 0) {
		fclose(fp);
		return NULL;
	}
	return fp;
}

static void
cdn_early_handler(SoupServer *server,
		  SoupServerMessage *msg,
		  const char *path,
		  GHashTable *query,
		  gpointer user_data)
{
	TesthubContext *ctx = user_data;
	g_autofree gchar *oid = NULL;
	g_autofree gchar *upload_id = NULL;
	LfsUpload *up;
	PutState *st;
	guint part = 0;

	if (g_strcmp0(soup_server_message_get_method(msg), SOUP_METHOD_PUT) != 0) {
		soup_server_message_set_status(msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
		return;
	}
	if (!parse_upload_path(path, &oid, &upload_id, &part)) {
		soup_server_message_set_status(msg, SOUP_STATUS_NOT_FOUND, NULL);
		return;
	}
	up = g_hash_table_lookup(uploads(ctx), upload_id);
	if (up == NULL || g_ascii_strcasecmp(up->oid, oid) != 0 ||
	    (part == 0) != (up->chunk_size == 0) || part > up->n_parts) {
		soup_server_message_set_status(msg, SOUP_STATUS_NOT_FOUND, NULL);
		return;
	}
	st = g_new0(PutState, 1);
	st->ctx = ctx;
	st->upload_id = g_steal_pointer(&upload_id);
	st->part = part;
	st->limit = part == 0 ? up->size : up->chunk_size;
	if (part == 0) {
		st->tmp_path = testhub_store_new_tmp_path(ctx->store);
		st->fp = fopen(st->tmp_path, "wb");
	} else {
		st->fp = open_part(ctx, up, part);
	}
	st->failed = st->fp == NULL;
	if (st->fp != NULL) {
		st->fp_buffer = g_malloc(COPY_BUFFER);
		setvbuf(st->fp, (char *)st->fp_buffer, _IOFBF, COPY_BUFFER);
	}
	g_object_set_data_full(G_OBJECT(msg), PUT_KEY, st, put_state_free);
	if (st->fp == NULL) {
		soup_server_message_set_status(msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
		return;
	}
	soup_message_body_set_accumulate(soup_server_message_get_request_body(msg), FALSE);
	g_signal_connect(msg, "got-chunk", G_CALLBACK(put_got_chunk), st);
}

/* docs/hub-upload.md §3.9: S3's answer to a PUT it could not store */
#define S3_INTERNAL_ERROR                                                               \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InternalError</Code>" \
	"<Message>We encountered an internal error. Please try again.</Message></Error>"

static void
reply_text(SoupServerMessage *msg, guint status, const gchar *text)
{
	g_autoptr(GBytes) bytes = g_bytes_new(text, strlen(text));

	testhub_reply_bytes(msg, status, "text/plain; charset=utf-8", bytes);
}

static void
finish_part(SoupServerMessage *msg, PutState *st, LfsUpload *up)
{
	static guint serial;
	g_autofree gchar *etag = NULL;
	guint i = st->part - 1;

	/* ETags are opaque to clients (S3's are not an MD5 for encrypted or
	 * multipart objects): a unique one per received part costs nothing,
	 * where an MD5 of every byte on the main loop set the upload speed */
	etag = g_strdup_printf("\"%s-%u-%u\"", st->upload_id, st->part, ++serial);
	/* a re-uploaded part replaces the previous one (same bytes of the file) */
	g_free(up->part_etags[i]);
	up->part_etags[i] = g_strdup(etag);
	soup_message_headers_replace(soup_server_message_get_response_headers(msg), "ETag", etag);
	soup_server_message_set_status(msg, SOUP_STATUS_OK, NULL);
}

static void
cdn_upload_handler(SoupServer *server,
		   SoupServerMessage *msg,
		   const char *path,
		   GHashTable *query,
		   gpointer user_data)
{
	TesthubContext *ctx = user_data;
	PutState *st = g_object_get_data(G_OBJECT(msg), PUT_KEY);
	g_autoptr(GError) error = NULL;
	LfsUpload *up;

	if (soup_server_message_get_status(msg) != 0)
		return; /* answered by the early handler */
	if (st == NULL) {
		soup_server_message_set_status(msg, SOUP_STATUS_NOT_FOUND, NULL);
		return;
	}
	if (st->fp != NULL && fclose(st->fp) != 0)
		st->not_saved = TRUE;
	st->fp = NULL;
	up = g_hash_table_lookup(uploads(ctx), st->upload_id);
	if (up == NULL) {
		soup_server_message_set_status(msg, SOUP_STATUS_NOT_FOUND, NULL);
		return;
	}
	if (st->failed) {
		reply_text(msg,
			   SOUP_STATUS_BAD_REQUEST,
			   "The uploaded body is larger than expected");
		return;
	}
	if (st->not_saved) {
		/* what S3 answers when it cannot store an object; the temp file
		 * goes with the request (put_state_free), a part's bytes stay
		 * unrecorded */
		g_autoptr(GBytes) xml =
			g_bytes_new_static(S3_INTERNAL_ERROR, strlen(S3_INTERNAL_ERROR));

		testhub_reply_bytes(msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "application/xml", xml);
		return;
	}
	if (st->part > 0) {
		finish_part(msg, st, up);
		return;
	}
	/* the store checks sha256 + size and removes the temp file on mismatch */
	if (!testhub_store_commit_lfs_file(ctx->store, st->tmp_path, up->oid, up->size, &error)) {
		g_clear_pointer(&st->tmp_path, g_free);
		reply_text(msg, SOUP_STATUS_BAD_REQUEST, error->message);
		return;
	}
	g_clear_pointer(&st->tmp_path, g_free);
	soup_server_message_set_status(msg, SOUP_STATUS_OK, NULL);
}

void
testhub_lfs_setup_cdn(TesthubContext *ctx, SoupServer *cdn)
{
	soup_server_add_early_handler(cdn, "/upload", cdn_early_handler, ctx, NULL);
	soup_server_add_handler(cdn, "/upload", cdn_upload_handler, ctx, NULL);
}

/* ---- Hub-origin /_lfs/ paths ---- */

static void
handle_complete(TesthubContext *ctx, SoupServerMessage *msg, const gchar *oid)
{
	GUri *uri = soup_server_message_get_uri(msg);
	g_autoptr(GHashTable) params = NULL;
	g_autoptr(JsonObject) body = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *tmp = NULL;
	const gchar *upload_id = NULL;
	const gchar *body_oid;
	JsonNode *parts;
	LfsUpload *up;
	JsonObject *ok;
	JsonNode *root;

	if (g_uri_get_query(uri) != NULL)
		params = g_uri_parse_params(g_uri_get_query(uri), -1, "&", G_URI_PARAMS_NONE, NULL);
	if (params != NULL)
		upload_id = g_hash_table_lookup(params, "upload_id");
	up = upload_id != NULL ? g_hash_table_lookup(uploads(ctx), upload_id) : NULL;
	if (up == NULL || up->chunk_size == 0 || g_ascii_strcasecmp(up->oid, oid) != 0) {
		testhub_reply_error(msg, SOUP_STATUS_NOT_FOUND, NULL, "Unknown multipart upload");
		return;
	}
	body = testhub_request_json_object(msg);
	if (body == NULL)
		return;
	body_oid = string_member(body, "oid");
	if (body_oid == NULL || g_ascii_strcasecmp(body_oid, up->oid) != 0) {
		testhub_reply_error(msg,
				    SOUP_STATUS_BAD_REQUEST,
				    NULL,
				    "oid does not match the upload");
		return;
	}
	parts = json_object_get_member(body, "parts");
	if (!testhub_lfs_check_completion(parts != NULL && JSON_NODE_HOLDS_ARRAY(parts)
						  ? json_node_get_array(parts)
						  : NULL,
					  up->n_parts,
					  up->part_etags,
					  &error)) {
		testhub_reply_error(msg, SOUP_STATUS_BAD_REQUEST, NULL, error->message);
		return;
	}
	/* the store checks sha256 + size, then moves the file or removes it */
	tmp = g_steal_pointer(&up->data_path);
	if (tmp == NULL ||
	    !testhub_store_commit_lfs_file(ctx->store, tmp, up->oid, up->size, &error)) {
		testhub_reply_error(msg,
				    SOUP_STATUS_BAD_REQUEST,
				    NULL,
				    error != NULL ? error->message : "No part was uploaded");
		/* its bytes are gone: the client starts again from the batch API */
		g_hash_table_remove(uploads(ctx), upload_id);
		return;
	}
	g_hash_table_remove(uploads(ctx), upload_id);
	ok = json_object_new();
	json_object_set_boolean_member(ok, "success", TRUE);
	root = json_node_new(JSON_NODE_OBJECT);
	json_node_take_object(root, ok);
	testhub_reply_json(msg, SOUP_STATUS_OK, root);
}

/* /_lfs/verify/<models|datasets|spaces>/<ns>/<name>, with auth */
static void
handle_verify(TesthubContext *ctx, SoupServerMessage *msg, const gchar *rest)
{
	g_auto(GStrv) seg = g_strsplit(rest, "/", -1);
	g_autoptr(JsonObject) body = NULL;
	g_autofree gchar *repo_id = NULL;
	g_autofree gchar *oid = NULL;
	const TesthubUser *user;
	TesthubRepoType type;
	gboolean replied = FALSE;
	guint64 stored = 0;
	JsonNode *size;
	JsonObject *ok;
	JsonNode *root;

	if (g_strv_length(seg) != 3 || !testhub_repo_type_from_plural(seg[0], &type)) {
		testhub_reply_error(msg, SOUP_STATUS_NOT_FOUND, NULL, "Not Found");
		return;
	}
	user = testhub_request_user(ctx, msg, NULL, &replied);
	if (replied)
		return;
	if (user == NULL) {
		testhub_reply_error(msg,
				    SOUP_STATUS_UNAUTHORIZED,
				    NULL,
				    "Invalid username or password.");
		return;
	}
	repo_id = g_strdup_printf("%s/%s", seg[1], seg[2]);
	if (testhub_request_repo(ctx, msg, type, repo_id, FALSE, NULL) == NULL)
		return;
	body = testhub_request_json_object(msg);
	if (body == NULL)
		return;
	oid = g_ascii_strdown(string_member(body, "oid") != NULL ? string_member(body, "oid") : "",
			      -1);
	size = json_object_get_member(body, "size");
	if (!testhub_is_sha256_hex(oid) || size == NULL || !JSON_NODE_HOLDS_VALUE(size) ||
	    json_node_get_value_type(size) != G_TYPE_INT64) {
		testhub_reply_error(msg, 422, NULL, "Invalid oid or size");
		return;
	}
	if (!testhub_store_has_lfs(ctx->store, oid, &stored)) {
		testhub_reply_error(msg, SOUP_STATUS_NOT_FOUND, NULL, "Object does not exist");
		return;
	}
	if (stored != (guint64)json_node_get_int(size)) {
		testhub_reply_error(msg, 422, NULL, "Object size does not match");
		return;
	}
	ok = json_object_new();
	json_object_set_boolean_member(ok, "success", TRUE);
	root = json_node_new(JSON_NODE_OBJECT);
	json_node_take_object(root, ok);
	testhub_reply_json(msg, SOUP_STATUS_OK, root);
}

void
testhub_handle_lfs_hub_path(TesthubContext *ctx, SoupServerMessage *msg, const gchar *path)
{
	const gchar *rest = path;

	if (g_str_has_prefix(rest, "/"))
		rest++;
	if (g_str_has_prefix(rest, "_lfs/"))
		rest += strlen("_lfs/");
	if (g_strcmp0(soup_server_message_get_method(msg), SOUP_METHOD_POST) != 0) {
		testhub_reply_error(msg,
				    SOUP_STATUS_METHOD_NOT_ALLOWED,
				    NULL,
				    "Method not allowed");
		return;
	}
	/* completion is called without auth by both clients */
	if (g_str_has_prefix(rest, "complete/") &&
	    testhub_is_sha256_hex(rest + strlen("complete/")))
		handle_complete(ctx, msg, rest + strlen("complete/"));
	else if (g_str_has_prefix(rest, "verify/"))
		handle_verify(ctx, msg, rest + strlen("verify/"));
	else
		testhub_reply_error(msg, SOUP_STATUS_NOT_FOUND, NULL, "Not Found");
}
