/* fuzz-hub-error.c: libFuzzer target for the Hub's error answers (hubd-hub-error-map)
 *
 * Input, one field a line, the rest the body:
 *   STATUS \n X-Error-Code \n X-Error-Message \n X-Request-Id \n URL-PATH \n BODY
 * An empty line leaves its header out; a short input leaves the rest out. */
#define G_LOG_DOMAIN "HubdFuzzHubError"

#include <stdint.h>
#include <string.h>

#include "fuzz-common.h"

#include "hubd-error.h"
#include "hubd-hub-error-map.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* what reaches a D-Bus client must be a string GVariant takes, one line of a
 * size a person reads */
static void
check_text(const gchar *text, gsize max)
{
	g_assert_true(g_utf8_validate(text, -1, NULL));
	g_assert_cmpuint(strlen(text), <=, max);
	/* one line */
	for (const gchar *p = text; *p != '\0'; p = g_utf8_next_char(p))
		g_assert_false(g_unichar_iscntrl(g_utf8_get_char(p)));
}

/* the next line of `*p` (up to `end`), as libsoup's parser would hand a
 * header over: no CR or NUL; NULL at the end of the input */
static gchar *
next_line(const gchar **p, const gchar *end)
{
	const gchar *nl;
	gchar *line;

	if (*p >= end)
		return NULL;
	nl = memchr(*p, '\n', (gsize)(end - *p));
	if (nl == NULL)
		nl = end;
	line = g_strndup(*p, (gsize)(nl - *p));
	line[strcspn(line, "\r")] = '\0';
	*p = nl < end ? nl + 1 : end;
	return line;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const gchar *const names[] = {"X-Error-Code", "X-Error-Message", "X-Request-Id"};
	const gchar *p = (const gchar *)data;
	const gchar *end = p + size;
	g_autoptr(SoupMessageHeaders) headers =
		soup_message_headers_new(SOUP_MESSAGE_HEADERS_RESPONSE);
	g_autofree gchar *status_line = NULL;
	g_autofree gchar *path = NULL;
	g_autoptr(GUri) uri = NULL;
	g_autoptr(GBytes) body = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *detail = NULL;
	guint64 status = 500;

	hubd_fuzz_abort_on_critical();
	status_line = next_line(&p, end);
	if (status_line != NULL)
		g_ascii_string_to_unsigned(status_line, 10, 0, 999, &status, NULL);
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree gchar *value = next_line(&p, end);

		if (value != NULL && value[0] != '\0')
			soup_message_headers_append(headers, names[i], value);
	}
	path = next_line(&p, end);
	if (path != NULL) {
		g_autofree gchar *url = g_strconcat("https://hub.test/", path, NULL);

		uri = g_uri_parse(url, G_URI_FLAGS_ENCODED, NULL);
	}
	/* the body exactly as received: not NUL-terminated */
	if (p < end)
		body = g_bytes_new(p, (gsize)(end - p));

	detail = hubd_hub_error_map_detail(headers, body);
	if (detail != NULL) {
		check_text(detail, 1024);
		g_assert_cmpstr(detail, !=, "");
	}

	if (hubd_hub_client_error_from_response((guint)status, headers, body, uri, &error)) {
		g_assert_cmpuint(status, >=, 400);
		g_assert_nonnull(error);
		g_assert_true(error->domain == HUBD_ERROR);
		check_text(error->message, 2048);
		/* the detail is there for the user to read */
		if (detail != NULL)
			g_assert_nonnull(strstr(error->message, detail));
	} else {
		g_assert_cmpuint(status, <, 400);
		g_assert_null(error);
	}
	return 0;
}
