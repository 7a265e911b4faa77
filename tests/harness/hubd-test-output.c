/* hubd-test-output.c: checks on what a command printed and wrote — its one
 * line of stdout, a file's exact bytes */
#include <string.h>

#include "hubd-test-common.h"

gchar *
hubd_test_one_line(const gchar *out)
{
	g_assert_nonnull(out);
	g_assert_true(g_str_has_suffix(out, "\n"));
	g_assert_true(strchr(out, '\n') == out + strlen(out) - 1);
	return g_strndup(out, strlen(out) - 1);
}

void
hubd_test_assert_file_equals(const gchar *path, const gchar *expected)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *contents = NULL;
	gsize len = 0;

	g_file_get_contents(path, &contents, &len, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(len, ==, strlen(expected));
	g_assert_true(memcmp(contents, expected, len) == 0);
}
