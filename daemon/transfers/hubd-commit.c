/* hubd-commit.c: the NDJSON commit payload, sent by HubdHubApi (docs/hub-upload.md §4).
 * The payload is a list of pieces — JSON text, or a local file to encode —
 * and every send attempt gets a fresh HubdUploadStream over them, so memory
 * stays flat whatever the size of the regular files. */
#define G_LOG_DOMAIN "HubdCommit"

#include "hubd-commit.h"

#include "hubd-upload-stream.h"

typedef struct {
	gchar *text;              /* JSON text, or NULL */
	HubdUploadSource *source; /* a file to base64-encode, or NULL */
	guint64 size;
	HubdFileProgress *progress; /* or NULL */
} Piece;

struct _HubdCommitPayload {
	GPtrArray *pieces; /* Piece */
	guint n_ops;
};

static void
piece_free(Piece *p)
{
	g_free(p->text);
	g_clear_pointer(&p->source, hubd_upload_source_unref);
	g_clear_pointer(&p->progress, hubd_file_progress_unref);
	g_free(p);
}

static void
hubd_commit_payload_add_text(HubdCommitPayload *self, gchar *text)
{
	Piece *p = g_new0(Piece, 1);

	p->text = text;
	g_ptr_array_add(self->pieces, p);
}

/* one NDJSON line {"key": key, "value": value} (value taken) */
static void
hubd_commit_payload_add_line(HubdCommitPayload *self, const gchar *key, JsonNode *value)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	gchar *text;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "key");
	json_builder_add_string_value(b, key);
	json_builder_set_member_name(b, "value");
	json_builder_add_value(b, value);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	text = json_to_string(root, FALSE);
	hubd_commit_payload_add_text(self, g_strconcat(text, "\n", NULL));
	g_free(text);
}

static gchar *
json_quote(const gchar *s)
{
	g_autoptr(JsonNode) node = json_node_new(JSON_NODE_VALUE);

	json_node_set_string(node, s);
	return json_to_string(node, FALSE);
}

HubdCommitPayload *
hubd_commit_payload_new(const gchar *summary, const gchar *description, const gchar *parent_commit)
{
	HubdCommitPayload *self = g_atomic_rc_box_new0(HubdCommitPayload);
	JsonObject *header = json_object_new();
	JsonNode *value = json_node_new(JSON_NODE_OBJECT);

	self->pieces = g_ptr_array_new_with_free_func((GDestroyNotify)piece_free);
	json_object_set_string_member(header, "summary", summary);
	json_object_set_string_member(header,
				      "description",
				      description != NULL ? description : "");
	if (parent_commit != NULL && parent_commit[0] != '\0')
		json_object_set_string_member(header, "parentCommit", parent_commit);
	json_node_take_object(value, header);
	hubd_commit_payload_add_line(self, "header", value);
	return self;
}

HubdCommitPayload *
hubd_commit_payload_ref(HubdCommitPayload *self)
{
	return g_atomic_rc_box_acquire(self);
}

static void
hubd_commit_payload_clear(HubdCommitPayload *self)
{
	g_ptr_array_unref(self->pieces);
}

void
hubd_commit_payload_unref(HubdCommitPayload *self)
{
	g_atomic_rc_box_release_full(self, (GDestroyNotify)hubd_commit_payload_clear);
}

void
hubd_commit_payload_add_file(HubdCommitPayload *self,
			     const gchar *path,
			     const gchar *local_path,
			     guint64 size,
			     HubdFileProgress *progress)
{
	g_autoptr(HubdUploadSource) source = hubd_upload_source_new_local(local_path);

	hubd_commit_payload_add_source(self, path, source, size, progress);
}

void
hubd_commit_payload_add_source(HubdCommitPayload *self,
			       const gchar *path,
			       HubdUploadSource *source,
			       guint64 size,
			       HubdFileProgress *progress)
{
	g_autofree gchar *quoted = json_quote(path);
	Piece *p = g_new0(Piece, 1);

	hubd_commit_payload_add_text(
		self,
		g_strdup_printf("{\"key\":\"file\",\"value\":{\"path\":%s,\"content\":\"", quoted));
	p->source = hubd_upload_source_ref(source);
	p->size = size;
	if (progress != NULL)
		p->progress = hubd_file_progress_ref(progress);
	g_ptr_array_add(self->pieces, p);
	hubd_commit_payload_add_text(self, g_strdup("\",\"encoding\":\"base64\"}}\n"));
	self->n_ops++;
}

void
hubd_commit_payload_add_file_bytes(HubdCommitPayload *self, const gchar *path, GBytes *content)
{
	JsonObject *obj = json_object_new();
	JsonNode *value = json_node_new(JSON_NODE_OBJECT);
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(content, &len);
	g_autofree gchar *b64 = g_base64_encode(data, len);

	json_object_set_string_member(obj, "path", path);
	json_object_set_string_member(obj, "content", b64);
	json_object_set_string_member(obj, "encoding", "base64");
	json_node_take_object(value, obj);
	hubd_commit_payload_add_line(self, "file", value);
	self->n_ops++;
}

void
hubd_commit_payload_add_lfs(HubdCommitPayload *self,
			    const gchar *path,
			    const gchar *sha256,
			    guint64 size)
{
	JsonObject *obj = json_object_new();
	JsonNode *value = json_node_new(JSON_NODE_OBJECT);

	json_object_set_string_member(obj, "path", path);
	json_object_set_string_member(obj, "algo", "sha256");
	json_object_set_string_member(obj, "oid", sha256);
	json_object_set_int_member(obj, "size", (gint64)size);
	json_node_take_object(value, obj);
	hubd_commit_payload_add_line(self, "lfsFile", value);
	self->n_ops++;
}

void
hubd_commit_payload_add_delete(HubdCommitPayload *self, const gchar *path, gboolean is_folder)
{
	JsonObject *obj = json_object_new();
	JsonNode *value = json_node_new(JSON_NODE_OBJECT);
	g_autofree gchar *folder =
		is_folder && !g_str_has_suffix(path, "/") ? g_strconcat(path, "/", NULL) : NULL;

	json_object_set_string_member(obj, "path", folder != NULL ? folder : path);
	json_node_take_object(value, obj);
	hubd_commit_payload_add_line(self, is_folder ? "deletedFolder" : "deletedFile", value);
	self->n_ops++;
}

guint
hubd_commit_payload_get_n_operations(HubdCommitPayload *self)
{
	return self->n_ops;
}

typedef struct {
	HubdCommitPayload *payload;
	gint64 *counter;
	HubdUploadStream *last;
} BodyData;

static void
body_data_free(BodyData *bd)
{
	hubd_commit_payload_unref(bd->payload);
	g_clear_object(&bd->last);
	g_free(bd);
}

/* `counting`: the stream sends the commit (progress is counted) */
static HubdUploadStream *
hubd_commit_payload_stream(HubdCommitPayload *self, gboolean counting, gint64 *counter)
{
	HubdUploadStream *stream = hubd_upload_stream_new(counter);

	for (guint i = 0; i < self->pieces->len; i++) {
		Piece *p = g_ptr_array_index(self->pieces, i);

		if (p->text != NULL)
			hubd_upload_stream_add_string(stream, p->text);
		else
			hubd_upload_stream_add_source_base64(stream,
							     p->source,
							     p->size,
							     counting ? p->progress : NULL);
	}
	return stream;
}

static GInputStream *
body_factory(gpointer user_data)
{
	BodyData *bd = user_data;

	if (bd->last != NULL)
		hubd_upload_stream_uncount(bd->last);
	g_clear_object(&bd->last);
	bd->last = hubd_commit_payload_stream(bd->payload, TRUE, bd->counter);
	return G_INPUT_STREAM(g_object_ref(bd->last));
}

GBytes *
hubd_commit_payload_to_bytes(HubdCommitPayload *self, GError **error)
{
	g_autoptr(HubdUploadStream) stream = hubd_commit_payload_stream(self, FALSE, NULL);
	g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable();

	if (g_output_stream_splice(out,
				   G_INPUT_STREAM(stream),
				   G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
					   G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
				   NULL,
				   error) < 0)
		return NULL;
	return g_memory_output_stream_steal_as_bytes(G_MEMORY_OUTPUT_STREAM(out));
}

static void
hubd_commit_sent_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	GError *error = NULL;
	HubdHubCommitInfo *info = hubd_hub_api_commit_finish(HUBD_HUB_API(source), res, &error);

	if (info == NULL)
		g_task_return_error(task, error);
	else
		g_task_return_pointer(task, info, (GDestroyNotify)hubd_hub_commit_info_unref);
}

void
hubd_commit_send_async(HubdHubApi *api,
		       HubdRepoType type,
		       const gchar *repo_id,
		       const gchar *revision,
		       gboolean create_pr,
		       HubdCommitPayload *payload,
		       gint64 *counter,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data)
{
	GTask *task = g_task_new(api, cancellable, callback, user_data);
	g_autoptr(HubdUploadStream) probe = hubd_commit_payload_stream(payload, FALSE, NULL);
	BodyData *bd = g_new0(BodyData, 1);

	g_task_set_source_tag(task, hubd_commit_send_async);
	bd->payload = hubd_commit_payload_ref(payload);
	bd->counter = counter;
	hubd_hub_api_commit_async(api,
				  type,
				  repo_id,
				  revision,
				  create_pr ? HUBD_HUB_API_FLAG_CREATE_PR : HUBD_HUB_API_FLAG_NONE,
				  body_factory,
				  bd,
				  (GDestroyNotify)body_data_free,
				  (goffset)hubd_upload_stream_get_length(probe),
				  cancellable,
				  hubd_commit_sent_cb,
				  task);
}

HubdHubCommitInfo *
hubd_commit_send_finish(GAsyncResult *result, GError **error)
{
	return g_task_propagate_pointer(G_TASK(result), error);
}
