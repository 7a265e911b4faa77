/* hubd-lfs.c: Git LFS uploads through the legacy batch API (hub-protocol
 * §4.3): one batch call per 256 objects, then the PUTs — a whole object for
 * "basic", slices for "multipart" — at most HUBD_LFS_MAX_PARALLEL at once,
 * each retried by HubdHubClient (PUT is idempotent) with a fresh stream from
 * the file, then the completion POST and the verify POST per object. */
#define G_LOG_DOMAIN "HubdLfs"

#include "hubd-lfs.h"

#include <glib/gi18n.h>

#include "hubd-error.h"
#include "hubd-json.h"
#include "hubd-upload-stream.h"

#define LFS_JSON "application/vnd.git-lfs+json"

typedef struct _LfsRun LfsRun;

typedef struct {
	gchar *oid;
	guint64 size;
	gchar *path;
	gchar *href;
	gchar *verify_href;
	guint64 chunk;    /* 0: basic */
	GPtrArray *urls;  /* part URLs, in part order (multipart) */
	GPtrArray *etags; /* per part */
	guint parts_left;
	HubdFileProgress *progress; /* or NULL */
	gboolean marked;            /* progress->active taken by this object */
} ObjUp;

typedef struct {
	ObjUp *obj;
	guint part; /* 0: the whole object (basic), else 1..n */
} PutJob;

struct _LfsRun {
	HubdHubClient *client;
	gchar *batch_path;
	gchar *revision;
	HubdLfsObject *objects;
	guint n_objects;
	guint next_batch;
	gboolean batch_in_flight;
	GQueue queue;   /* PutJob */
	guint busy;     /* async operations in flight */
	GPtrArray *ups; /* ObjUp */
	guint n_transferred;
	GError *error;
	gint64 *counter;
	GCancellable *cancellable;
	gulong cancel_id;
	GCancellable *caller;
};

/* the object is being sent (TRUE) or stored or given up (FALSE) */
static void
obj_up_mark(ObjUp *up, gboolean on)
{
	if (up->progress == NULL || up->marked == on)
		return;
	if (on)
		__atomic_add_fetch(&up->progress->active, 1, __ATOMIC_RELAXED);
	else
		__atomic_sub_fetch(&up->progress->active, 1, __ATOMIC_RELAXED);
	up->marked = on;
}

static void
obj_up_free(ObjUp *up)
{
	obj_up_mark(up, FALSE);
	g_clear_pointer(&up->progress, hubd_file_progress_unref);
	g_free(up->oid);
	g_free(up->path);
	g_free(up->href);
	g_free(up->verify_href);
	g_clear_pointer(&up->urls, g_ptr_array_unref);
	g_clear_pointer(&up->etags, g_ptr_array_unref);
	g_free(up);
}

static void
lfs_run_free(LfsRun *run)
{
	if (run->cancel_id != 0)
		g_cancellable_disconnect(run->caller, run->cancel_id);
	g_clear_object(&run->caller);
	g_object_unref(run->client);
	g_free(run->batch_path);
	g_free(run->revision);
	for (guint i = 0; i < run->n_objects; i++) {
		g_free(run->objects[i].local_path);
		g_clear_pointer(&run->objects[i].progress, hubd_file_progress_unref);
	}
	g_free(run->objects);
	g_queue_clear_full(&run->queue, g_free);
	g_ptr_array_unref(run->ups);
	g_clear_error(&run->error);
	g_object_unref(run->cancellable);
	g_free(run);
}

JsonNode *
hubd_lfs_parse_response(HubdHubResponse *resp, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	GBytes *body = hubd_hub_response_get_body(resp);
	gsize len = 0;
	const gchar *data = body != NULL ? g_bytes_get_data(body, &len) : NULL;
	g_autoptr(GError) error_local = NULL;

	if (data == NULL || !json_parser_load_from_data(parser, data, (gssize)len, &error_local)) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_SERVER,
			    _("The Hub's answer from %s is not JSON: %s"),
			    g_uri_get_path(hubd_hub_response_get_uri(resp)),
			    error_local != NULL ? error_local->message : _("empty body"));
		return NULL;
	}
	return json_parser_steal_root(parser);
}

static void
lfs_pump(GTask *task);

/* the end of one async operation: record the error, start more, or finish */
static void
lfs_op_done(GTask *task, GError *error)
{
	LfsRun *run = g_task_get_task_data(task);

	run->busy--;
	if (error != NULL) {
		if (run->error == NULL)
			run->error = error;
		else
			g_error_free(error);
		g_cancellable_cancel(run->cancellable);
	}
	lfs_pump(task);
	g_object_unref(task);
}

/* ---- verify and completion ---- */

static void
lfs_verify_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	GError *error = NULL;
	g_autoptr(HubdHubResponse) resp =
		hubd_hub_client_request_finish(HUBD_HUB_CLIENT(source), res, &error);

	lfs_op_done(task, resp == NULL ? error : NULL);
}

static HubdHubRequest *
lfs_json_request(const gchar *url, JsonBuilder *b)
{
	HubdHubRequest *req = hubd_hub_request_new("POST", url);
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	g_autofree gchar *text = json_to_string(root, FALSE);
	g_autoptr(GBytes) body = g_bytes_new(text, strlen(text));

	hubd_hub_request_set_body(req, LFS_JSON, body);
	hubd_hub_request_set_header(req, "Accept", LFS_JSON);
	return req;
}

/* the object is stored: verify it if the Hub asked, else it is done */
static void
lfs_object_stored(GTask *task, ObjUp *up)
{
	LfsRun *run = g_task_get_task_data(task);
	g_autoptr(JsonBuilder) b = NULL;
	g_autoptr(HubdHubRequest) req = NULL;

	run->n_transferred++;
	obj_up_mark(up, FALSE);
	if (up->verify_href == NULL)
		return;
	b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "oid");
	json_builder_add_string_value(b, up->oid);
	json_builder_set_member_name(b, "size");
	json_builder_add_int_value(b, (gint64)up->size);
	json_builder_end_object(b);
	req = lfs_json_request(up->verify_href, b);
	hubd_hub_request_set_flags(req, HUBD_HUB_REQUEST_FLAG_RETRY);
	run->busy++;
	hubd_hub_client_request_async(run->client,
				      req,
				      run->cancellable,
				      lfs_verify_cb,
				      g_object_ref(task));
}

typedef struct {
	GTask *task;
	ObjUp *up;
} CompleteData;

static void
lfs_complete_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	CompleteData *cd = user_data;
	GError *error = NULL;
	g_autoptr(HubdHubResponse) resp =
		hubd_hub_client_request_finish(HUBD_HUB_CLIENT(source), res, &error);

	if (resp != NULL)
		lfs_object_stored(cd->task, cd->up);
	lfs_op_done(cd->task, error);
	g_free(cd);
}

static void
lfs_complete(GTask *task, ObjUp *up)
{
	LfsRun *run = g_task_get_task_data(task);
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(HubdHubRequest) req = NULL;
	CompleteData *cd = g_new0(CompleteData, 1);

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "oid");
	json_builder_add_string_value(b, up->oid);
	json_builder_set_member_name(b, "parts");
	json_builder_begin_array(b);
	for (guint i = 0; i < up->etags->len; i++) {
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "partNumber");
		json_builder_add_int_value(b, i + 1);
		json_builder_set_member_name(b, "etag");
		json_builder_add_string_value(b, g_ptr_array_index(up->etags, i));
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	req = lfs_json_request(up->href, b);
	/* both official clients complete without auth */
	hubd_hub_request_set_flags(req,
				   HUBD_HUB_REQUEST_FLAG_ANONYMOUS | HUBD_HUB_REQUEST_FLAG_RETRY);
	cd->task = task;
	cd->up = up;
	run->busy++;
	hubd_hub_client_request_async(run->client, req, run->cancellable, lfs_complete_cb, cd);
	g_object_ref(task);
}

/* ---- PUTs ---- */

typedef struct {
	gchar *path;
	guint64 offset;
	guint64 length;
	gint64 *counter;
	HubdFileProgress *progress;
	HubdUploadStream *last;
} PutBody;

static void
put_body_free(PutBody *body)
{
	g_clear_pointer(&body->progress, hubd_file_progress_unref);
	g_free(body->path);
	g_clear_object(&body->last);
	g_free(body);
}

static GInputStream *
put_body_factory(gpointer user_data)
{
	PutBody *body = user_data;

	/* a retry sends the bytes again: take back what the last try counted */
	if (body->last != NULL)
		hubd_upload_stream_uncount(body->last);
	g_clear_object(&body->last);
	body->last = hubd_upload_stream_new(body->counter);
	hubd_upload_stream_add_file_range(body->last,
					  body->path,
					  body->offset,
					  body->length,
					  body->progress);
	return G_INPUT_STREAM(g_object_ref(body->last));
}

typedef struct {
	GTask *task;
	PutJob job;
} PutData;

static void
lfs_put_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	PutData *pd = user_data;
	GTask *task = pd->task;
	ObjUp *up = pd->job.obj;
	GError *error = NULL;
	g_autoptr(HubdHubResponse) resp =
		hubd_hub_client_request_finish(HUBD_HUB_CLIENT(source), res, &error);

	if (resp != NULL && pd->job.part > 0) {
		const gchar *etag =
			soup_message_headers_get_one(hubd_hub_response_get_headers(resp), "ETag");
		if (etag == NULL)
			error = g_error_new(HUBD_ERROR,
					    HUBD_ERROR_SERVER,
					    _("The upload of part %u of %s got no ETag"),
					    pd->job.part,
					    up->path);
		else
			g_ptr_array_index(up->etags, pd->job.part - 1) = g_strdup(etag);
	}
	if (error == NULL && --up->parts_left == 0) {
		if (up->chunk > 0)
			lfs_complete(task, up);
		else
			lfs_object_stored(task, up);
	}
	g_free(pd);
	lfs_op_done(task, error);
}

static void
lfs_start_put(GTask *task, PutJob *job)
{
	LfsRun *run = g_task_get_task_data(task);
	ObjUp *up = job->obj;
	PutBody *body = g_new0(PutBody, 1);
	PutData *pd = g_new0(PutData, 1);
	const gchar *url = job->part == 0 ? up->href : g_ptr_array_index(up->urls, job->part - 1);
	g_autoptr(HubdHubRequest) req = hubd_hub_request_new("PUT", url);

	body->path = g_strdup(up->path);
	body->counter = run->counter;
	if (up->progress != NULL)
		body->progress = hubd_file_progress_ref(up->progress);
	obj_up_mark(up, TRUE);
	if (job->part == 0) {
		body->length = up->size;
	} else {
		body->offset = (guint64)(job->part - 1) * up->chunk;
		body->length = MIN(up->chunk, up->size - body->offset);
	}
	hubd_hub_request_set_body_stream(req,
					 NULL,
					 put_body_factory,
					 body,
					 (GDestroyNotify)put_body_free,
					 (goffset)body->length);
	/* upload targets are presigned: never any token */
	hubd_hub_request_set_flags(req, HUBD_HUB_REQUEST_FLAG_ANONYMOUS);
	pd->task = g_object_ref(task);
	pd->job = *job;
	run->busy++;
	hubd_hub_client_request_async(run->client, req, run->cancellable, lfs_put_cb, pd);
}

/* ---- batch ---- */

static gint
part_key_cmp(gconstpointer a, gconstpointer b)
{
	guint64 x = g_ascii_strtoull(*(const gchar *const *)a, NULL, 10);
	guint64 y = g_ascii_strtoull(*(const gchar *const *)b, NULL, 10);

	return x < y ? -1 : x > y;
}

static gboolean
lfs_is_digits(const gchar *s)
{
	if (*s == '\0')
		return FALSE;
	for (; *s != '\0'; s++)
		if (!g_ascii_isdigit(*s))
			return FALSE;
	return TRUE;
}

/* one answer object: queue its PUTs, or nothing if the Hub has it */
static gboolean
lfs_take_object(GTask *task, JsonObject *obj, GError **error)
{
	LfsRun *run = g_task_get_task_data(task);
	const gchar *oid = json_object_get_string_member_with_default(obj, "oid", "");
	JsonObject *actions = hubd_json_get_object(obj, "actions");
	JsonObject *upload = NULL;
	JsonObject *verify = NULL;
	JsonObject *header = NULL;
	const HubdLfsObject *src = NULL;
	ObjUp *up;

	if (json_object_has_member(obj, "error")) {
		JsonObject *e = hubd_json_get_object(obj, "error");
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_SERVER,
			    _("The LFS batch API refused %s: %s"),
			    oid,
			    e != NULL ? json_object_get_string_member_with_default(e, "message", "")
				      : "");
		return FALSE;
	}
	for (guint i = 0; i < run->n_objects && src == NULL; i++)
		if (g_ascii_strcasecmp(run->objects[i].sha256, oid) == 0)
			src = &run->objects[i];
	if (src == NULL) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_SERVER,
			    _("The LFS batch API answered for an object not asked for"));
		return FALSE;
	}
	if (actions != NULL) {
		upload = hubd_json_get_object(actions, "upload");
		verify = hubd_json_get_object(actions, "verify");
	}
	if (upload == NULL)
		return TRUE; /* already stored */
	up = g_new0(ObjUp, 1);
	g_ptr_array_add(run->ups, up);
	up->oid = g_strdup(src->sha256);
	up->size = src->size;
	up->path = g_strdup(src->local_path);
	if (src->progress != NULL)
		up->progress = hubd_file_progress_ref(src->progress);
	up->href = g_strdup(json_object_get_string_member_with_default(upload, "href", ""));
	if (verify != NULL)
		up->verify_href =
			g_strdup(json_object_get_string_member_with_default(verify, "href", ""));
	header = hubd_json_get_object(upload, "header");
	if (header != NULL && json_object_has_member(header, "chunk_size")) {
		const gchar *cs =
			json_object_get_string_member_with_default(header, "chunk_size", "");
		g_autoptr(GList) members = json_object_get_members(header);
		g_autoptr(GPtrArray) keys = g_ptr_array_new();
		guint64 expected;

		up->chunk = g_ascii_strtoull(cs, NULL, 10);
		for (GList *l = members; l != NULL; l = l->next)
			if (lfs_is_digits(l->data))
				g_ptr_array_add(keys, l->data);
		g_ptr_array_sort(keys, part_key_cmp);
		expected = up->chunk > 0 ? (up->size + up->chunk - 1) / up->chunk : 0;
		if (up->chunk == 0 || keys->len != expected || expected == 0) {
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_SERVER,
				    _("The LFS batch API gave %u parts for %s, expected %u"),
				    keys->len,
				    src->local_path,
				    (guint)MIN(expected, (guint64)G_MAXUINT));
			return FALSE;
		}
		up->urls = g_ptr_array_new_with_free_func(g_free);
		up->etags = g_ptr_array_new_with_free_func(g_free);
		for (guint i = 0; i < keys->len; i++) {
			g_ptr_array_add(up->urls,
					g_strdup(json_object_get_string_member_with_default(
						header,
						g_ptr_array_index(keys, i),
						"")));
			g_ptr_array_add(up->etags, NULL);
		}
		up->parts_left = keys->len;
		for (guint i = 0; i < keys->len; i++) {
			PutJob *job = g_new0(PutJob, 1);
			job->obj = up;
			job->part = i + 1;
			g_queue_push_tail(&run->queue, job);
		}
	} else {
		PutJob *job = g_new0(PutJob, 1);
		job->obj = up;
		up->parts_left = 1;
		g_queue_push_tail(&run->queue, job);
	}
	return TRUE;
}

static void
lfs_batch_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	LfsRun *run = g_task_get_task_data(task);
	GError *error = NULL;
	g_autoptr(HubdHubResponse) resp =
		hubd_hub_client_request_finish(HUBD_HUB_CLIENT(source), res, &error);
	g_autoptr(JsonNode) root = NULL;
	JsonArray *objects = NULL;

	run->batch_in_flight = FALSE;
	if (resp != NULL)
		root = hubd_lfs_parse_response(resp, &error);
	if (root != NULL && JSON_NODE_HOLDS_OBJECT(root))
		objects = hubd_json_get_array(json_node_get_object(root), "objects");
	if (root != NULL && objects == NULL)
		error = g_error_new(HUBD_ERROR,
				    HUBD_ERROR_SERVER,
				    _("The LFS batch API's answer has no objects"));
	for (guint i = 0; objects != NULL && error == NULL && i < json_array_get_length(objects);
	     i++) {
		JsonNode *node = json_array_get_element(objects, i);
		if (!JSON_NODE_HOLDS_OBJECT(node))
			continue;
		lfs_take_object(task, json_node_get_object(node), &error);
	}
	lfs_op_done(task, error);
}

static void
lfs_send_batch(GTask *task)
{
	LfsRun *run = g_task_get_task_data(task);
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(HubdHubRequest) req = NULL;
	guint end = MIN(run->next_batch + HUBD_LFS_BATCH_SIZE, run->n_objects);

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "operation");
	json_builder_add_string_value(b, "upload");
	json_builder_set_member_name(b, "transfers");
	json_builder_begin_array(b);
	json_builder_add_string_value(b, "basic");
	json_builder_add_string_value(b, "multipart");
	json_builder_end_array(b);
	json_builder_set_member_name(b, "objects");
	json_builder_begin_array(b);
	for (guint i = run->next_batch; i < end; i++) {
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "oid");
		json_builder_add_string_value(b, run->objects[i].sha256);
		json_builder_set_member_name(b, "size");
		json_builder_add_int_value(b, (gint64)run->objects[i].size);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "hash_algo");
	json_builder_add_string_value(b, "sha256");
	if (run->revision != NULL) {
		json_builder_set_member_name(b, "ref");
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "name");
		json_builder_add_string_value(b, run->revision);
		json_builder_end_object(b);
	}
	json_builder_end_object(b);
	run->next_batch = end;
	req = lfs_json_request(run->batch_path, b);
	hubd_hub_request_set_flags(req,
				   HUBD_HUB_REQUEST_FLAG_RETRY |
					   HUBD_HUB_REQUEST_FLAG_REQUIRE_TOKEN);
	run->batch_in_flight = TRUE;
	run->busy++;
	hubd_hub_client_request_async(run->client,
				      req,
				      run->cancellable,
				      lfs_batch_cb,
				      g_object_ref(task));
}

/* starts what can start; returns the task once nothing is left in flight */
static void
lfs_pump(GTask *task)
{
	LfsRun *run = g_task_get_task_data(task);

	if (run->error == NULL && !run->batch_in_flight && run->next_batch < run->n_objects)
		lfs_send_batch(task);
	while (run->error == NULL && run->busy < HUBD_LFS_MAX_PARALLEL + 1 &&
	       !g_queue_is_empty(&run->queue)) {
		g_autofree PutJob *job = g_queue_pop_head(&run->queue);
		lfs_start_put(task, job);
	}
	if (run->busy > 0)
		return;
	if (run->error != NULL) {
		g_task_return_error(task, g_steal_pointer(&run->error));
		return;
	}
	if (g_queue_is_empty(&run->queue) && run->next_batch >= run->n_objects)
		g_task_return_boolean(task, TRUE);
}

static void
lfs_caller_cancelled_cb(GCancellable *caller, gpointer user_data)
{
	g_cancellable_cancel(G_CANCELLABLE(user_data));
}

void
hubd_lfs_upload_async(HubdHubClient *client,
		      HubdRepoType type,
		      const gchar *repo_id,
		      const gchar *revision,
		      const HubdLfsObject *objects,
		      guint n_objects,
		      gint64 *counter,
		      GCancellable *cancellable,
		      GAsyncReadyCallback callback,
		      gpointer user_data)
{
	GTask *task = g_task_new(client, cancellable, callback, user_data);
	LfsRun *run = g_new0(LfsRun, 1);

	g_task_set_source_tag(task, hubd_lfs_upload_async);
	run->client = g_object_ref(client);
	run->batch_path = g_strdup_printf("/%s%s.git/info/lfs/objects/batch",
					  hubd_repo_type_to_url_prefix(type),
					  repo_id);
	run->revision = g_strdup(revision);
	run->objects = g_new0(HubdLfsObject, MAX(n_objects, 1));
	for (guint i = 0; i < n_objects; i++) {
		run->objects[i] = objects[i];
		run->objects[i].local_path = g_strdup(objects[i].local_path);
		if (objects[i].progress != NULL)
			run->objects[i].progress = hubd_file_progress_ref(objects[i].progress);
	}
	run->n_objects = n_objects;
	run->counter = counter;
	run->ups = g_ptr_array_new_with_free_func((GDestroyNotify)obj_up_free);
	g_queue_init(&run->queue);
	run->cancellable = g_cancellable_new();
	if (cancellable != NULL) {
		run->caller = g_object_ref(cancellable);
		run->cancel_id = g_cancellable_connect(cancellable,
						       G_CALLBACK(lfs_caller_cancelled_cb),
						       run->cancellable,
						       NULL);
	}
	g_task_set_task_data(task, run, (GDestroyNotify)lfs_run_free);
	/* the pump holds the task until every operation is back */
	run->busy++;
	lfs_op_done(task, NULL);
}

gboolean
hubd_lfs_upload_finish(GAsyncResult *result, guint *n_transferred, GError **error)
{
	LfsRun *run = g_task_get_task_data(G_TASK(result));

	if (!g_task_propagate_boolean(G_TASK(result), error))
		return FALSE;
	if (n_transferred != NULL)
		*n_transferred = run->n_transferred;
	return TRUE;
}
