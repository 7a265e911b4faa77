/* hubd-community-test-util.h: what the Access and Discussions tests share —
 * the Repos fixture (alice's daemon on the bus, a local Hub with pages of 2)
 * plus bob's daemon on its own socket, and calls on any interface */
#pragma once

#include "hubd-repos-test-util.h"

typedef struct {
	Fixture base;
	HubdTestDaemon *bob;
	GDBusConnection *bob_c;
} Two;

void
two_setup(Two *t, gconstpointer data);
void
two_teardown(Two *t, gconstpointer data);

/* `iface`.`method` on a connection (bounded); NULL + error on failure */
GVariant *
icall(GDBusConnection *c,
      const gchar *iface,
      const gchar *method,
      GVariant *params,
      const gchar *reply,
      GError **error);
/* a call that must succeed: its first out value, or NULL when it has none */
GVariant *
icall_ok(GDBusConnection *c,
	 const gchar *iface,
	 const gchar *method,
	 GVariant *params,
	 const gchar *reply);
/* a call that must fail with the D-Bus error `name` */
void
icall_fails(GDBusConnection *c,
	    const gchar *iface,
	    const gchar *method,
	    GVariant *params,
	    const gchar *name);
