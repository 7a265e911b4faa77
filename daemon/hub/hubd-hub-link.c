/* hubd-hub-link.c: the RFC 8288 Link parser of every paged listing (pure; untrusted input)
 *
 * The Hub pages its listings as GitHub does: `Link: <URL>; rel="next"`, the
 * next URL carrying every query parameter (huggingface_hub's
 * utils/_pagination.py, huggingface.js's utils/parseLinkHeader.ts). This
 * reads the whole grammar of RFC 8288 §3 rather than that one shape, so a
 * header with several links, parameters in another order or quoted commas
 * does not make hubd follow the wrong link. */
#define G_LOG_DOMAIN "HubdHubLink"

#include "hubd-hub-link.h"

#include <string.h>

/* Longer headers are not a Hub's paging: ignored rather than scanned. */
#define LINK_HEADER_MAX (64 * 1024)

static const gchar *
link_skip_ows(const gchar *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* RFC 9110 §5.6.2 tchar */
static gboolean
link_is_tchar(gchar c)
{
	return c != '\0' && (g_ascii_isalnum(c) || strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* A quoted-string at `*p` (on the opening quote), unescaped; `*p` moves past
 * the closing quote, or to the end when there is none. */
static gchar *
link_read_quoted(const gchar **p)
{
	GString *value = g_string_new(NULL);
	const gchar *s = *p + 1;

	while (*s != '\0' && *s != '"') {
		if (*s == '\\' && s[1] != '\0')
			s++;
		g_string_append_c(value, *s++);
	}
	*p = *s == '"' ? s + 1 : s;
	return g_string_free(value, FALSE);
}

/* Skips what cannot be parsed up to the next ';' or ',' outside quotes. */
static const gchar *
link_skip_garbage(const gchar *p)
{
	while (*p != '\0' && *p != ';' && *p != ',') {
		if (*p == '"') {
			g_autofree gchar *ignored = link_read_quoted(&p);
			continue;
		}
		p++;
	}
	return p;
}

/* A rel value is a space-separated list of relation types (RFC 8288 §3.3), compared
 * case-insensitively. */
static gboolean
link_rel_has_next(const gchar *rel)
{
	g_auto(GStrv) types = g_strsplit_set(rel, " \t", -1);

	for (guint i = 0; types[i] != NULL; i++) {
		if (g_ascii_strcasecmp(types[i], "next") == 0)
			return TRUE;
	}
	return FALSE;
}

/* Nothing a request line could be split on: no space, no control byte. */
static gboolean
link_is_sendable(const gchar *url)
{
	for (const gchar *c = url; *c != '\0'; c++) {
		if ((guchar)*c <= 0x20 || *c == 0x7f)
			return FALSE;
	}
	return TRUE;
}

/* The target as sent, or resolved against `base_url`; NULL if unusable. */
static gchar *
link_target(const gchar *start, gsize len, const gchar *base_url)
{
	g_autofree gchar *target = g_strndup(start, len);
	g_autofree gchar *resolved = NULL;
	g_autoptr(GUri) base = NULL;
	g_autoptr(GUri) next = NULL;

	g_strstrip(target);
	if (!link_is_sendable(target))
		return NULL;
	if (base_url == NULL)
		return g_steal_pointer(&target);
	/* percent-escapes stay as they are: a cursor may hold %2F; the base's
	 * own bytes are checked too (it may come from anywhere) */
	base = g_uri_parse(base_url, G_URI_FLAGS_ENCODED, NULL);
	/* an http(s) base with a host: GLib 2.74 trips on a host-less base
	 * whose path starts with "//" */
	if (base == NULL || g_uri_get_host(base) == NULL ||
	    (g_strcmp0(g_uri_get_scheme(base), "https") != 0 &&
	     g_strcmp0(g_uri_get_scheme(base), "http") != 0))
		return NULL;
	next = g_uri_parse_relative(base, target, G_URI_FLAGS_ENCODED, NULL);
	/* a next page on no host is no page (and GLib cannot print it) */
	if (next == NULL || g_uri_get_host(next) == NULL)
		return NULL;
	resolved = g_uri_to_string(next);
	if (!link_is_sendable(resolved))
		return NULL;
	return g_steal_pointer(&resolved);
}

/**
 * hubd_hub_link_next:
 * @header: (nullable): the value of a `Link` response header (several
 *   headers joined with ", ", as libsoup does)
 * @base_url: (nullable): the URL of the answer (http or https), to resolve a
 *   relative target against; %NULL returns the target as written
 *
 * Finds the link whose `rel` includes `next` (RFC 8288: link-values
 * separated by commas, parameters in any order, quoted strings that may hold
 * commas and semicolons, `rel` lists such as `"prev next"`, relation types
 * case-insensitive, only the first `rel` of a link counts).
 *
 * Returns: (transfer full) (nullable): the next page's URL, or %NULL when
 *   there is none or the header cannot be read
 *
 * Since: 0.1
 */
gchar *
hubd_hub_link_next(const gchar *header, const gchar *base_url)
{
	const gchar *p = header;

	if (header == NULL || strlen(header) > LINK_HEADER_MAX)
		return NULL;
	while (*p != '\0') {
		const gchar *target_start;
		const gchar *target_end;
		g_autofree gchar *rel = NULL;
		gboolean rel_seen = FALSE;

		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		if (*p != '<') {
			/* not a link-value: skip to the next one */
			p = link_skip_garbage(p);
			if (*p == ';')
				p++;
			continue;
		}
		target_start = p + 1;
		target_end = strchr(target_start, '>');
		if (target_end == NULL)
			return NULL;
		p = target_end + 1;
		while (TRUE) {
			g_autofree gchar *name = NULL;
			g_autofree gchar *value = NULL;
			const gchar *name_start;

			p = link_skip_ows(p);
			if (*p == '\0' || *p == ',')
				break;
			if (*p != ';') {
				p = link_skip_garbage(p);
				continue;
			}
			p = link_skip_ows(p + 1);
			name_start = p;
			while (link_is_tchar(*p))
				p++;
			name = g_ascii_strdown(name_start, p - name_start);
			p = link_skip_ows(p);
			if (*p == '=') {
				p = link_skip_ows(p + 1);
				if (*p == '"') {
					value = link_read_quoted(&p);
				} else {
					const gchar *value_start = p;
					while (*p != '\0' && *p != ';' && *p != ',' && *p != ' ' &&
					       *p != '\t')
						p++;
					value = g_strndup(value_start, p - value_start);
				}
			}
			/* RFC 8288 §3.3: occurrences after the first are ignored */
			if (!rel_seen && g_strcmp0(name, "rel") == 0) {
				rel_seen = TRUE;
				rel = g_steal_pointer(&value);
			}
		}
		if (rel != NULL && link_rel_has_next(rel)) {
			gchar *next =
				link_target(target_start, target_end - target_start, base_url);
			if (next != NULL)
				return next;
		}
	}
	return NULL;
}
