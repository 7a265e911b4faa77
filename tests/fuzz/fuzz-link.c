/* fuzz-link.c: libFuzzer target for the Link header parser of every paged listing (hubd-hub-link)
 *
 * Input: "BASE_URL\nLINK_HEADER", or a header alone (no base URL). */
#define G_LOG_DOMAIN "HubdFuzzLink"

#include <stdint.h>
#include <string.h>

#include "fuzz-common.h"

#include "hubd-hub-link.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree gchar *s = g_strndup((const gchar *)data, size);
	gchar *nl = strchr(s, '\n');
	const gchar *base = NULL;
	const gchar *header = s;
	g_autofree gchar *next = NULL;
	g_autofree gchar *again = NULL;
	g_autofree gchar *prefixed_header = NULL;
	g_autofree gchar *prefixed = NULL;

	hubd_fuzz_abort_on_critical();
	if (nl != NULL) {
		*nl = '\0';
		base = s[0] != '\0' ? s : NULL;
		header = nl + 1;
	}
	next = hubd_hub_link_next(header, base);
	again = hubd_hub_link_next(header, base);
	g_assert_cmpstr(next, ==, again);
	if (next != NULL) {
		/* a URL to send: nothing a request line could be split on */
		for (const gchar *c = next; *c != '\0'; c++)
			g_assert_true((guchar)*c > 0x20 && *c != 0x7f);
		/* with no base, the target is taken as written */
		if (base == NULL)
			g_assert_nonnull(strstr(header, next));
	}
	/* a link that is not "next", before the others, never changes the answer */
	prefixed_header =
		g_strconcat("<https://hub.invalid/prev>; rel=\"prev first\", ", header, NULL);
	if (strlen(prefixed_header) <= 64 * 1024) {
		prefixed = hubd_hub_link_next(prefixed_header, base);
		g_assert_cmpstr(prefixed, ==, next);
	}
	return 0;
}
