/* hubctl-address.c: parsing `hf://` addresses as huggingface_hub's parse_hf_uri
 * and `hf download` do (docs/hub-repos.md §1.7), with the repo id, revision
 * and path checked by the daemon's own rules (libhubd's public hubd-repo-id.h). */
#include "hubctl-address.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hubd.h"

gboolean
hubctl_address_is_address(const gchar *arg)
{
	return arg != NULL && g_str_has_prefix(arg, HUBCTL_ADDRESS_SCHEME);
}

void
hubctl_address_free(HubctlAddress *address)
{
	if (address == NULL)
		return;
	g_free(address->type);
	g_free(address->repo_id);
	g_free(address->revision);
	g_free(address->path);
	g_free(address);
}

/* The address as it can go into a message: valid UTF-8, control characters
 * escaped. */
static gchar *
hubctl_address_quote(const gchar *arg)
{
	g_autofree gchar *valid = g_utf8_make_valid(arg, -1);
	GString *out = g_string_new(NULL);

	for (const gchar *p = valid; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_iscntrl(c))
			g_string_append_printf(out, "\\x%02X", c);
		else
			g_string_append_unichar(out, c);
	}
	return g_string_free(out, FALSE);
}

static gpointer
hubctl_address_fail(GError **error, const gchar *arg, const gchar *reason)
{
	g_autofree gchar *quoted = hubctl_address_quote(arg);

	/* TRANSLATORS: the hf:// address given, then what is wrong with it */
	g_set_error(error,
		    HUBD_ERROR,
		    HUBD_ERROR_INVALID_ARGUMENT,
		    _("Invalid address “%s”: %s"),
		    quoted,
		    reason);
	return NULL;
}

/* The type prefixes of hf:// addresses: always plural; kernels and buckets
 * exist on the Hub but hubd does not handle them (docs/hub-repos.md §1.7). */
static const struct {
	const gchar *plural;
	const gchar *singular;
	const gchar *type; /* NULL: not handled by hubd */
} hubctl_address_types[] = {
	{"models", "model", "model"},
	{"datasets", "dataset", "dataset"},
	{"spaces", "space", "space"},
	{"kernels", "kernel", NULL},
	{"buckets", "bucket", NULL},
};

/* Reads the type prefix off `*location` (the first `len` bytes of it are
 * the first segment; `last` when nothing follows). Sets *type; FALSE and an
 * error for a singular, bare or unhandled prefix. */
static gboolean
hubctl_address_split_type(const gchar *arg,
			  const gchar **location,
			  gboolean last,
			  const gchar **type,
			  GError **error)
{
	gsize len = strcspn(*location, "/");

	*type = "model"; /* no prefix: a model, as hf */
	for (guint i = 0; i < G_N_ELEMENTS(hubctl_address_types); i++) {
		g_autofree gchar *reason = NULL;

		if (strlen(hubctl_address_types[i].plural) == len &&
		    strncmp(*location, hubctl_address_types[i].plural, len) == 0) {
			if (last)
				/* TRANSLATORS: %s is a type prefix such as "datasets" */
				reason = g_strdup_printf(_("a repo id must follow “%s/”"),
							 hubctl_address_types[i].plural);
			else if (hubctl_address_types[i].type == NULL)
				reason = g_strdup_printf(_("hubd does not handle “%s/”"),
							 hubctl_address_types[i].plural);
			if (reason != NULL) {
				hubctl_address_fail(error, arg, reason);
				return FALSE;
			}
			*type = hubctl_address_types[i].type;
			*location += len + 1;
			return TRUE;
		}
		if (strlen(hubctl_address_types[i].singular) == len &&
		    strncmp(*location, hubctl_address_types[i].singular, len) == 0) {
			/* TRANSLATORS: a singular type prefix, then its plural */
			reason = g_strdup_printf(_("the type prefix is plural: “%s/” for “%s/”"),
						 hubctl_address_types[i].plural,
						 hubctl_address_types[i].singular);
			hubctl_address_fail(error, arg, reason);
			return FALSE;
		}
	}
	return TRUE;
}

/* Length of a special ref at the start of `s` that contains "/" (refs/pr/N,
 * refs/convert/NAME) and ends at a "/" or the end, else 0. */
static gsize
hubctl_address_special_ref(const gchar *s)
{
	const gchar *p;

	if (g_str_has_prefix(s, "refs/pr/")) {
		p = s + strlen("refs/pr/");
		while (g_ascii_isdigit(*p))
			p++;
		if (p == s + strlen("refs/pr/"))
			return 0;
	} else if (g_str_has_prefix(s, "refs/convert/")) {
		p = s + strlen("refs/convert/");
		while (g_ascii_isalnum(*p) || *p == '_' || *p == '.' || *p == '-')
			p++;
		if (p == s + strlen("refs/convert/"))
			return 0;
	} else {
		return 0;
	}
	return *p == '\0' || *p == '/' ? (gsize)(p - s) : 0;
}

/* Splits "REPO_ID@REVISION[/PATH]": the revision is percent-decoded. */
static gboolean
hubctl_address_split_revision(const gchar *arg,
			      const gchar *location,
			      const gchar *at,
			      HubctlAddress *address,
			      GError **error)
{
	const gchar *rest = at + 1;
	gsize rev_len = hubctl_address_special_ref(rest);
	g_autofree gchar *raw = NULL;
	g_autoptr(GError) local = NULL;

	address->repo_id = g_strndup(location, at - location);
	if (address->repo_id[0] == '\0') {
		hubctl_address_fail(error, arg, _("the repo id before “@” is missing"));
		return FALSE;
	}
	if (rev_len == 0)
		rev_len = strcspn(rest, "/");
	raw = g_strndup(rest, rev_len);
	if (rest[rev_len] == '/')
		address->path = g_strdup(rest + rev_len + 1);
	if (raw[0] == '\0') {
		hubctl_address_fail(error, arg, _("the revision after “@” is empty"));
		return FALSE;
	}
	/* "%2F" stands for a "/" in a branch name, as in hf */
	address->revision = g_uri_unescape_string(raw, NULL);
	if (address->revision == NULL) {
		hubctl_address_fail(error,
				    arg,
				    _("the revision has a bad percent-encoding (“%” must be "
				      "followed by two hex digits, and not encode NUL)"));
		return FALSE;
	}
	if (!hubd_revision_validate(address->revision, &local)) {
		hubctl_address_fail(error, arg, local->message);
		return FALSE;
	}
	return TRUE;
}

HubctlAddress *
hubctl_address_parse(const gchar *arg, GError **error)
{
	g_autoptr(HubctlAddress) address = g_new0(HubctlAddress, 1);
	g_autoptr(GError) local = NULL;
	g_autofree gchar *body = NULL;
	const gchar *location;
	const gchar *type = NULL;
	const gchar *at;
	gboolean trailing_slash = FALSE;
	gsize len;

	g_return_val_if_fail(arg != NULL, NULL);

	if (!hubctl_address_is_address(arg))
		return hubctl_address_fail(error, arg, _("it must start with “hf://”"));
	body = g_strdup(arg + strlen(HUBCTL_ADDRESS_SCHEME));
	if (body[0] == '\0')
		return hubctl_address_fail(error, arg, _("nothing follows “hf://”"));
	if (!g_utf8_validate(body, -1, NULL))
		return hubctl_address_fail(error, arg, _("it must be valid UTF-8"));
	/* hf reads these as a Space or Job volume to mount */
	if (strstr(body, ":/") != NULL || g_str_has_suffix(body, ":ro") ||
	    g_str_has_suffix(body, ":rw"))
		return hubctl_address_fail(error,
					   arg,
					   _("a mount path (“:/…”, “:ro”, “:rw”) is for Space and "
					     "Job volumes, not for hubctl"));
	/* hf strips every "/" at both ends; hubctl refuses empty segments, and a
	 * last "/" marks a folder, as for `hf download` */
	len = strlen(body);
	if (body[len - 1] == '/') {
		trailing_slash = TRUE;
		body[--len] = '\0';
	}
	if (body[0] == '/' || strstr(body, "//") != NULL || (len > 0 && body[len - 1] == '/'))
		return hubctl_address_fail(error,
					   arg,
					   _("empty segments (“//”, or “/” right after “hf://”) "
					     "are not allowed"));
	if (body[0] == '\0')
		return hubctl_address_fail(error, arg, _("nothing follows “hf://”"));

	location = body;
	if (!hubctl_address_split_type(arg, &location, strchr(location, '/') == NULL, &type, error))
		return NULL;
	address->type = g_strdup(type);

	at = strchr(location, '@');
	if (at != NULL) {
		if (!hubctl_address_split_revision(arg, location, at, address, error))
			return NULL;
	} else {
		/* no revision: the first one or two segments are the repo id */
		const gchar *slash = strchr(location, '/');
		const gchar *end = slash != NULL ? strchr(slash + 1, '/') : NULL;

		address->repo_id =
			end != NULL ? g_strndup(location, end - location) : g_strdup(location);
		if (end != NULL)
			address->path = g_strdup(end + 1);
	}
	if (strchr(address->repo_id, '/') != NULL &&
	    strchr(strchr(address->repo_id, '/') + 1, '/') != NULL)
		return hubctl_address_fail(error,
					   arg,
					   _("a repo id is NAME or NAMESPACE/NAME; what follows is "
					     "a path, after the revision"));
	if (!hubd_repo_id_validate(address->repo_id, FALSE, &local))
		return hubctl_address_fail(error, arg, local->message);

	if (address->path != NULL && address->path[0] == '\0')
		g_clear_pointer(&address->path, g_free);
	if (address->path != NULL) {
		g_autofree gchar *clean = hubd_path_in_repo_normalize(address->path, &local);
		if (clean == NULL)
			return hubctl_address_fail(error, arg, local->message);
		/* normalize strips a leading "./"; an address must say what it means */
		if (strcmp(clean, address->path) != 0)
			return hubctl_address_fail(error,
						   arg,
						   _("“.” and “..” segments are not allowed"));
	}
	address->is_folder = trailing_slash && address->path != NULL;
	return g_steal_pointer(&address);
}
