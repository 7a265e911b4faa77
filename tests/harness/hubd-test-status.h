/* hubd-test-status.h: GetStatus/variant assertions shared by the daemon and socket tests */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HUBD_TEST_DEFAULT_ENDPOINT "https://huggingface.co"
#define HUBD_TEST_PLUGIN_IFACE     "org.hubd.Hub1.TestPlugin"

/* g_test_message()s `value`, printed, after `label`. */
void
hubd_test_message_variant(const gchar *label, GVariant *value);
/* `key` of type `type` in a GetStatus a{sv}; asserts (showing it) if missing. */
GVariant *
hubd_test_status_lookup(GVariant *status, const gchar *key, const gchar *type);
/* Asserts two NULL-terminated string arrays are equal, in order. */
void
hubd_test_assert_strv_equal(const gchar *const *got, const gchar *const *want);
/* TRUE if the "as" variant `strv` holds `s`. */
gboolean
hubd_test_strv_contains(GVariant *strv, const gchar *s);
/* TRUE while someone owns org.hubd.Hub1 on the session bus. */
gboolean
hubd_test_bus_name_has_owner(void);

G_END_DECLS
