/* hubctl-lfs-agent.c: `hubctl lfs-multipart-upload`, git-lfs's custom
 * transfer agent for the "multipart" transfer (docs/git.md §3).
 *
 * git-lfs writes one JSON message a line on stdin (init, then upload or
 * download requests one at a time, then terminate) and reads the answers on
 * stdout: {} after init, progress events, then one complete per request. Each
 * upload becomes an org.hubd.Hub1.Git.LfsUpload job; its BytesDone turns into
 * progress events. stdout carries the protocol only; messages go to stderr. */
#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hubctl-git.h"

/* git-lfs's error codes are free; these follow its custom-transfers doc's
 * examples (32 for init, 2 for a transfer) */
#define AGENT_INIT_ERROR     32
#define AGENT_TRANSFER_ERROR 2

static void
agent_write(JsonBuilder *b)
{
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	g_autofree gchar *text = NULL;

	json_generator_set_root(gen, root);
	text = json_generator_to_data(gen, NULL);
	/* one line: the generator does not indent unless asked */
	fprintf(stdout, "%s\n", text);
	fflush(stdout);
}

static void
agent_add_error(JsonBuilder *b, gint code, const gchar *message)
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
agent_complete(const gchar *oid, const gchar *error_message)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "event");
	json_builder_add_string_value(b, "complete");
	json_builder_set_member_name(b, "oid");
	json_builder_add_string_value(b, oid);
	if (error_message != NULL)
		agent_add_error(b, AGENT_TRANSFER_ERROR, error_message);
	json_builder_end_object(b);
	agent_write(b);
}

/* ---- input ---- */

/* What was read from stdin and not handed out yet: read(2) rather than
 * stdio, so that the agent knows whether a message is waiting */
static GString *agent_input;

/* The next line without its newline, or NULL at the end of input. */
static gchar *
agent_read_line(void)
{
	gchar buffer[8192];

	if (agent_input == NULL)
		agent_input = g_string_new(NULL);
	for (;;) {
		const gchar *nl = memchr(agent_input->str, '\n', agent_input->len);
		gssize n;

		if (nl != NULL) {
			gchar *line = g_strndup(agent_input->str, nl - agent_input->str);

			g_string_erase(agent_input, 0, nl - agent_input->str + 1);
			return line;
		}
		n = read(STDIN_FILENO, buffer, sizeof buffer);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			gchar *rest = agent_input->len > 0 ? g_strdup(agent_input->str) : NULL;

			g_string_truncate(agent_input, 0);
			return rest;
		}
		g_string_append_len(agent_input, buffer, n);
	}
}

/* ---- one upload ---- */

typedef struct {
	const gchar *oid;
	HubdJob *job;
	guint64 reported;
	guint stdin_id;
} AgentUpload;

static void
agent_progress(AgentUpload *up, guint64 done)
{
	g_autoptr(JsonBuilder) b = NULL;

	if (done <= up->reported)
		return;
	b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "event");
	json_builder_add_string_value(b, "progress");
	json_builder_set_member_name(b, "oid");
	json_builder_add_string_value(b, up->oid);
	json_builder_set_member_name(b, "bytesSoFar");
	json_builder_add_int_value(b, (gint64)done);
	json_builder_set_member_name(b, "bytesSinceLast");
	json_builder_add_int_value(b, (gint64)(done - up->reported));
	json_builder_end_object(b);
	agent_write(b);
	up->reported = done;
}

static void
agent_job_progress_cb(HubdJob *job, gpointer user_data)
{
	agent_progress(user_data, hubd_job_get_bytes_done(job));
}

/* git-lfs sends nothing while it waits for a transfer: stdin closing means
 * it has gone, so the job is cancelled (unless messages are already waiting:
 * a script that wrote them all and closed) */
static gboolean
agent_stdin_cb(gint fd, GIOCondition condition, gpointer user_data)
{
	AgentUpload *up = user_data;

	up->stdin_id = 0;
	if (agent_input != NULL && memchr(agent_input->str, '\n', agent_input->len) != NULL)
		return G_SOURCE_REMOVE;
	g_printerr("hubctl: %s\n", _("git-lfs went away; cancelling the upload"));
	hubd_job_cancel(up->job, NULL, NULL, NULL);
	return G_SOURCE_REMOVE;
}

/* `header`: the action's header object, its string members → a{ss} */
static GVariant *
agent_header_variant(JsonObject *header)
{
	GVariantBuilder b;
	g_autoptr(GList) members = header != NULL ? json_object_get_members(header) : NULL;

	g_variant_builder_init(&b, G_VARIANT_TYPE("a{ss}"));
	for (GList *l = members; l != NULL; l = l->next) {
		JsonNode *node = json_object_get_member(header, l->data);

		if (JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_STRING)
			g_variant_builder_add(&b, "{ss}", l->data, json_node_get_string(node));
	}
	return g_variant_builder_end(&b);
}

/* One upload request; returns an exit code only when the agent must stop
 * (interrupted), else -1. */
static gint
agent_upload(HubctlContext *ctx, JsonObject *msg)
{
	const gchar *oid = json_object_get_string_member_with_default(msg, "oid", "");
	const gchar *path = json_object_get_string_member_with_default(msg, "path", "");
	gint64 size = json_object_get_int_member_with_default(msg, "size", -1);
	JsonObject *action = json_object_get_object_member(msg, "action");
	JsonObject *header = NULL;
	HubdClient *proxy = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *job_path = NULL;
	AgentUpload up = {oid, NULL, 0, 0};
	g_autofree gchar *why = NULL;
	gint exit_code;

	if (action != NULL && json_object_has_member(action, "header") &&
	    JSON_NODE_HOLDS_OBJECT(json_object_get_member(action, "header")))
		header = json_object_get_object_member(action, "header");
	if (action == NULL || size < 0 || path[0] == '\0') {
		agent_complete(oid, _("git-lfs sent an upload without path, size or action"));
		return -1;
	}
	proxy = hubctl_git_proxy(ctx);
	if (proxy == NULL) {
		agent_complete(oid, _("hubd could not be reached"));
		return -1;
	}
	if (!hubctl_call(
		    proxy,
		    HUBD_INTERFACE_GIT,
		    "LfsUpload",
		    g_variant_new("(ssts@a{ss}@a{sv})",
				  path,
				  oid,
				  (guint64)size,
				  json_object_get_string_member_with_default(action, "href", ""),
				  agent_header_variant(header),
				  g_variant_new("a{sv}", NULL)),
		    -1,
		    &error,
		    "(o)",
		    &job_path)) {
		g_dbus_error_strip_remote_error(error);
		g_printerr("hubctl: %s\n", error->message);
		agent_complete(oid, error->message);
		return -1;
	}
	/* the job, for its progress too */
	up.job = hubd_job_new_sync(proxy, job_path, NULL, &error);
	if (up.job == NULL) {
		g_printerr("hubctl: %s\n", error->message);
		agent_complete(oid, error->message);
		return -1;
	}
	g_signal_connect(up.job, "progress", G_CALLBACK(agent_job_progress_cb), &up);
	up.stdin_id = g_unix_fd_add(STDIN_FILENO, G_IO_HUP | G_IO_ERR, agent_stdin_cb, &up);
	/* the job's own words go to git-lfs, which shows them to the user */
	exit_code = hubctl_job_wait_job(ctx, up.job, TRUE, NULL, &why);
	if (up.stdin_id != 0)
		g_source_remove(up.stdin_id);
	g_signal_handlers_disconnect_by_data(up.job, &up);
	g_clear_object(&up.job);
	if (exit_code == HUBCTL_EXIT_OK) {
		agent_progress(&up, (guint64)size);
		agent_complete(oid, NULL);
		return -1;
	}
	/* hubctl_job_wait() printed why on stderr too */
	agent_complete(oid,
		       why != NULL && why[0] != '\0'
			       ? why
			       : _("the upload through hubd failed (see the messages above)"));
	return exit_code == HUBCTL_EXIT_CANCELLED ? exit_code : -1;
}

/* ---- the protocol loop ---- */

static gboolean
agent_init(JsonObject *msg)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	gboolean upload =
		g_strcmp0(json_object_get_string_member_with_default(msg, "operation", ""),
			  "upload") == 0;

	json_builder_begin_object(b);
	if (!upload)
		agent_add_error(b,
				AGENT_INIT_ERROR,
				_("hubctl lfs-multipart-upload only uploads; downloads use "
				  "git-lfs’s basic transfer"));
	json_builder_end_object(b);
	agent_write(b);
	return upload;
}

static gint
hubctl_lfs_multipart_upload(HubctlContext *ctx, gint argc, gchar **argv)
{
	gint exit_code = HUBCTL_EXIT_OK;
	gchar *line;

	if (!hubctl_parse_options("lfs-multipart-upload",
				  NULL,
				  _("git-lfs’s custom transfer agent for the Hub’s multipart "
				    "uploads; git-lfs runs it (see hubctl lfs-enable-largefiles)"),
				  NULL,
				  &argc,
				  &argv,
				  &exit_code))
		return exit_code;
	/* one message a line; nothing is read during an upload */
	while ((line = agent_read_line()) != NULL) {
		g_autoptr(JsonParser) parser = json_parser_new();
		g_autofree gchar *text = line;
		JsonNode *root;
		JsonObject *msg;
		const gchar *event;

		if (g_strstrip(text)[0] == '\0')
			continue;
		if (!json_parser_load_from_data(parser, text, -1, NULL) ||
		    (root = json_parser_get_root(parser)) == NULL ||
		    !JSON_NODE_HOLDS_OBJECT(root)) {
			g_printerr("hubctl: %s\n", _("git-lfs sent a line that is not JSON"));
			return HUBCTL_EXIT_FAILED;
		}
		msg = json_node_get_object(root);
		event = json_object_get_string_member_with_default(msg, "event", "");
		if (g_strcmp0(event, "init") == 0) {
			if (!agent_init(msg))
				return HUBCTL_EXIT_FAILED;
		} else if (g_strcmp0(event, "upload") == 0) {
			gint stop = agent_upload(ctx, msg);

			if (stop >= 0)
				return stop;
		} else if (g_strcmp0(event, "download") == 0) {
			agent_complete(json_object_get_string_member_with_default(msg, "oid", ""),
				       _("hubctl lfs-multipart-upload does not download"));
		} else if (g_strcmp0(event, "terminate") == 0) {
			return HUBCTL_EXIT_OK;
		}
	}
	return HUBCTL_EXIT_OK;
}

const HubctlCommand hubctl_lfs_multipart_upload_command = {
	"lfs-multipart-upload",
	N_("lfs-multipart-upload"),
	N_("git-lfs transfer agent for large uploads (run by git-lfs)"),
	hubctl_lfs_multipart_upload,
};
