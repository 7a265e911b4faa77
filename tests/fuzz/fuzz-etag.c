/* fuzz-etag.c: libFuzzer target for the Hub's ETag normalisation (hubd-hub-etag)
 *
 * Input: "ETAG", or "X-LINKED-ETAG\nETAG". */
#define G_LOG_DOMAIN "HubdFuzzEtag"

#include <stdint.h>
#include <string.h>

#include "fuzz-common.h"

#include "hubd-hub-etag.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* what the rules say `etag` becomes, written independently of the code */
static gchar *
expected_etag(const gchar *etag)
{
	const gchar *p = g_str_has_prefix(etag, "W/") ? etag + 2 : etag;
	gsize len = strlen(p);

	if (len >= 2 && p[0] == '"' && p[len - 1] == '"') {
		p++;
		len -= 2;
	}
	if (len < 1 || len > 128 || strspn(p, "0123456789abcdefABCDEF") < len)
		return NULL;
	return g_strndup(p, len);
}

/* a header value as libsoup's parser hands it over: no CR, LF or NUL */
static gchar *
header_value(const gchar *start, gsize len)
{
	gchar *s = g_strndup(start, len);

	s[strcspn(s, "\r\n")] = '\0';
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree gchar *s = g_strndup((const gchar *)data, size);
	g_autofree gchar *got = NULL;
	g_autofree gchar *want = expected_etag(s);
	const gchar *nl = memchr(data, '\n', size);

	hubd_fuzz_abort_on_critical();
	got = hubd_hub_etag_normalize(s);
	g_assert_cmpstr(got, ==, want);
	if (got != NULL) {
		g_autofree gchar *again = hubd_hub_etag_normalize(got);

		/* a blob name: one safe path segment, stable when read back */
		g_assert_cmpstr(again, ==, got);
		g_assert_null(strchr(got, '/'));
		g_assert_cmpstr(got, !=, ".");
		g_assert_cmpstr(got, !=, "..");
	}

	{
		g_autoptr(SoupMessageHeaders) h =
			soup_message_headers_new(SOUP_MESSAGE_HEADERS_RESPONSE);
		g_autofree gchar *linked = NULL;
		g_autofree gchar *etag = NULL;
		g_autofree gchar *from = NULL;
		g_autofree gchar *want_from = NULL;

		if (nl != NULL) {
			linked =
				header_value((const gchar *)data, (gsize)(nl - (const char *)data));
			etag = header_value(nl + 1, size - (gsize)(nl + 1 - (const char *)data));
			soup_message_headers_append(h, "X-Linked-Etag", linked);
		} else {
			etag = header_value((const gchar *)data, size);
		}
		soup_message_headers_append(h, "ETag", etag);
		from = hubd_hub_etag_from_headers(h);
		/* X-Linked-Etag wins whenever it is there, usable or not */
		want_from = expected_etag(linked != NULL ? linked : etag);
		g_assert_cmpstr(from, ==, want_from);
	}
	return 0;
}
