/* hubd-webhooks-test-common.h: what the parts of hubd-webhooks-test share — the
 * fixture (a local Hub with alice/w, the daemon with its listener on), POSTs to
 * the listener and Webhooks calls, and the function each part adds its cases with */
#pragma once

#include <glib/gstdio.h>
#include <string.h>

#include "hubd-test-common.h"
#include "hubd-test-hub-admin.h"

#define ALICE_WRITE "hf_alice_write_0000000000000000000000"
#define REPO        "alice/w"
#define IFACE       "org.hubd.Hub1.Webhooks"
/* test data: the listener with a self-signed certificate (made in the
 * fixture's own folder, so that runs side by side do not share one) */
#define WITH_TLS "tls"

typedef struct {
	HubdTestHub *hub;
	HubdTestDaemon *daemon;
	GDBusConnection *bus;
	gchar *listener;
	gchar *tmp;
} Fixture;

void
fixture_setup(Fixture *f, gconstpointer data);
void
fixture_teardown(Fixture *f, gconstpointer data);
guint
post(Fixture *f, const gchar *method, const gchar *secret, const gchar *body, gsize len);
/* org.hubd.Hub1.Webhooks.<method> on the fixture's bus */
GVariant *
call(Fixture *f, const gchar *method, GVariant *params, const gchar *reply, GError **error);

/* each part's cases, added by main() in this order */
void
hubd_webhooks_test_add_receive_tests(void);
void
hubd_webhooks_test_add_management_tests(void);
void
hubd_webhooks_test_add_transport_tests(void);
