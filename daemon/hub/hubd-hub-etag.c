/* hubd-hub-etag.c: the ETag of a file on the Hub, as the name of its cache blob */
#define G_LOG_DOMAIN "HubdHubEtag"

#include "hubd-hub-etag.h"

gchar *
hubd_hub_etag_normalize(const gchar *etag)
{
	g_autofree gchar *s = NULL;
	gsize len;

	if (etag == NULL)
		return NULL;
	if (g_str_has_prefix(etag, "W/"))
		etag += 2;
	s = g_strdup(etag);
	len = strlen(s);
	if (len >= 2 && s[0] == '"' && s[len - 1] == '"') {
		s[len - 1] = '\0';
		memmove(s, s + 1, len - 1);
		len -= 2;
	}
	if (len == 0 || len > 128)
		return NULL;
	for (gsize i = 0; i < len; i++)
		if (!g_ascii_isxdigit(s[i]))
			return NULL;
	return g_steal_pointer(&s);
}

gchar *
hubd_hub_etag_from_headers(SoupMessageHeaders *headers)
{
	const gchar *linked = soup_message_headers_get_one(headers, "X-Linked-Etag");

	return hubd_hub_etag_normalize(
		linked != NULL ? linked : soup_message_headers_get_one(headers, "ETag"));
}
