/* hubd-test-job.h: waiting for org.hubd.Hub1.Job objects in tests */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
	gboolean ok;
	gchar *state;      /* final State property */
	gchar *error_name; /* "" on success, e.g. "org.hubd.Hub1.Error.Offline" */
	gchar *message;
	GVariant *result;          /* a{sv}, never NULL */
	guint n_progress_signals;  /* PropertiesChanged seen while waiting */
	guint64 max_bytes_done;    /* largest BytesDone seen */
	guint64 max_waiting_until; /* largest WaitingUntil seen (rate limit) */
	GVariant *properties;      /* the final a{sv} of every property; NULL when
				    * the job was gone already */
} HubdTestJobResult;

/* The (type, id, revision) entries of a job's Repos, "type:id@revision"
 * joined by ","; "" when there are none. */
gchar *
hubd_test_job_repos(HubdTestJobResult *r);

/* Subscribes to the job's Completed and PropertiesChanged, then reads its
 * properties (it may have ended already), and iterates a private main
 * context until it ends. Asserts if it does not end within timeout_ms. */
HubdTestJobResult *
hubd_test_job_wait(GDBusConnection *connection, const gchar *job_path, guint timeout_ms);
void
hubd_test_job_result_free(HubdTestJobResult *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdTestJobResult, hubd_test_job_result_free)

/* Calls a Transfers method (e.g. "Download" with its parameters; a dotted
 * name such as "org.hubd.Hub1.TestPlugin.StartJob" names another interface's
 * method) on the daemon's well-known name (connection is the bus) or peer
 * (socket), and
 * returns the job path; asserts on a D-Bus error unless error is non-NULL. */
gchar *
hubd_test_start_job(GDBusConnection *connection,
		    const gchar *method,
		    GVariant *parameters,
		    GError **error);

/* Start + wait in one. */
HubdTestJobResult *
hubd_test_run_job(GDBusConnection *connection,
		  const gchar *method,
		  GVariant *parameters,
		  guint timeout_ms);

G_END_DECLS
