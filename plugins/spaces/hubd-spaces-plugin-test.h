/* hubd-spaces-plugin-test.h: the fixture and helpers the Spaces plugin's
 * D-Bus tests share (hubd-spaces-plugin-test.c, -logs.c) */
#pragma once

#include <gio/gio.h>

#include "hubd-test-common.h"
#include "hubd-test-hub-admin.h"
#include "hubd-test-job.h"

#define IFACE       "org.hubd.Hub1.Spaces"
#define ALICE_WRITE "hf_alice_write_0000000000000000000000"
#define SECRET      "s3cr3t-value-never-logged-9431"

typedef struct {
	HubdTestHub *hub;
	HubdTestDaemon *daemon;
	GDBusConnection *bus;
	GPtrArray *lines;   /* LogLine texts */
	GPtrArray *stages;  /* RuntimeChanged stages */
	gchar *ended_error; /* LogsEnded error_name; NULL until it came */
	guint subscription;
} Fixture;

/* A text to look for in what a fixture collected. */
typedef struct {
	Fixture *f;
	const gchar *text;
} Needle;

void
signal_cb(GDBusConnection *connection,
	  const gchar *sender,
	  const gchar *path,
	  const gchar *iface,
	  const gchar *name,
	  GVariant *params,
	  gpointer user_data);
void
create_space(Fixture *f, const gchar *name, const gchar *sdk);
void
space_admin(Fixture *f, const gchar *space_id, const gchar *json);
void
fixture_setup(Fixture *f, gconstpointer data);
void
fixture_teardown(Fixture *f, gconstpointer data);
GVariant *
call(Fixture *f, const gchar *method, GVariant *params, const gchar *reply_type, GError **error);
gchar *
runtime_stage(GVariant *reply);
HubdTestJobResult *
wait_space(Fixture *f, const gchar *space_id, guint timeout_s);
gboolean
line_seen(gpointer user_data);
gboolean
logs_ended(gpointer user_data);
guint64
stream_logs(Fixture *f, const gchar *space_id, const gchar *kind, gboolean follow);
gboolean
stage_seen(gpointer user_data);

/* hubd-spaces-plugin-test-logs.c: the log, Watch and sleep tests */
void
hubd_spaces_test_add_logs_and_watch(void);
