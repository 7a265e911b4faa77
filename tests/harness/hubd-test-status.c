/* hubd-test-status.c: GetStatus/variant assertions shared by the daemon and socket tests */
#define G_LOG_DOMAIN "HubdTestStatus"

#include "hubd-test-status.h"

#include "hubd-test-common.h"

void
hubd_test_message_variant(const gchar *label, GVariant *value)
{
	g_autofree gchar *text = g_variant_print(value, TRUE);

	g_test_message("%s: %s", label, text);
}

GVariant *
hubd_test_status_lookup(GVariant *status, const gchar *key, const gchar *type)
{
	GVariant *value = g_variant_lookup_value(status, key, G_VARIANT_TYPE(type));

	if (value == NULL) {
		g_test_message("GetStatus has no “%s” of type %s", key, type);
		hubd_test_message_variant("status", status);
	}
	g_assert_nonnull(value);
	return value;
}

void
hubd_test_assert_strv_equal(const gchar *const *got, const gchar *const *want)
{
	g_autofree gchar *got_s = g_strjoinv(",", (gchar **)got);
	g_autofree gchar *want_s = g_strjoinv(",", (gchar **)want);

	g_assert_cmpstr(got_s, ==, want_s);
}

gboolean
hubd_test_strv_contains(GVariant *strv, const gchar *s)
{
	g_autofree const gchar **v = g_variant_get_strv(strv, NULL);

	return g_strv_contains(v, s);
}

gboolean
hubd_test_bus_name_has_owner(void)
{
	return hubd_test_bus_name_owner_pid(HUBD_TEST_BUS_NAME) != 0;
}
