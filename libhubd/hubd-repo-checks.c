/* hubd-repo-checks.c: repo id / type / revision / path validation (pure; fuzzed)
 *
 * Shared by the daemon (which checks every argument with it) and hubctl
 * (which checks hf:// addresses before sending anything); private to libhubd. */
#define G_LOG_DOMAIN "HubdRepoId"

#include "hubd-repo-checks.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "hubd-error.h"

/* Inputs end up in error messages sent over D-Bus, which must be UTF-8 and
 * had better be readable: escape control chars and bytes of invalid UTF-8,
 * and cut very long inputs short. */
static gchar *
hubd_repo_id_quote(const gchar *s)
{
	GString *str = g_string_new(NULL);
	gboolean valid = g_utf8_validate(s, -1, NULL);
	const gchar *p = s;

	while (*p != '\0' && str->len < 200) {
		if (valid) {
			gunichar c = g_utf8_get_char(p);
			const gchar *next = g_utf8_next_char(p);
			if (c < 0x80 && g_unichar_iscntrl(c))
				g_string_append_printf(str, "\\x%02X", c);
			else if (g_unichar_iscntrl(c))
				g_string_append_printf(str, "\\u%04X", c);
			else
				g_string_append_len(str, p, next - p);
			p = next;
		} else {
			guchar c = (guchar)*p++;
			if (c < 0x20 || c >= 0x7f)
				g_string_append_printf(str, "\\x%02X", c);
			else
				g_string_append_c(str, (gchar)c);
		}
	}
	if (*p != '\0')
		g_string_append(str, "…");
	return g_string_free(str, FALSE);
}

static void
hubd_repo_id_set_error(GError **error, const gchar *format, const gchar *input, const gchar *rule)
{
	g_autofree gchar *quoted = hubd_repo_id_quote(input);

	/* format is one of the translated "Invalid … “%s”: %s" strings below */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	g_set_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT, format, quoted, rule);
#pragma GCC diagnostic pop
}

/**
 * hubd_repo_type_from_string:
 * @s: (nullable): `model`, `dataset` or `space`; %NULL or `""` mean model
 * @out: (out): the type
 * @error: return location for a #GError
 *
 * Plural forms (`models`) are refused with a hint.
 *
 * Returns: %TRUE, or %FALSE with %HUBD_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
gboolean
hubd_repo_type_from_string(const gchar *s, HubdRepoType *out, GError **error)
{
	static const struct {
		const gchar *singular;
		const gchar *plural;
		HubdRepoType type;
	} types[] = {
		{"model", "models", HUBD_REPO_TYPE_MODEL},
		{"dataset", "datasets", HUBD_REPO_TYPE_DATASET},
		{"space", "spaces", HUBD_REPO_TYPE_SPACE},
	};

	/* huggingface_hub: repo_type=None means a model */
	if (s == NULL || s[0] == '\0') {
		if (out != NULL)
			*out = HUBD_REPO_TYPE_MODEL;
		return TRUE;
	}
	for (guint i = 0; i < G_N_ELEMENTS(types); i++) {
		if (g_strcmp0(s, types[i].singular) == 0) {
			if (out != NULL)
				*out = types[i].type;
			return TRUE;
		}
		if (g_strcmp0(s, types[i].plural) == 0) {
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("Invalid repo type “%s”: the type is singular, use “%s”"),
				    s,
				    types[i].singular);
			return FALSE;
		}
	}
	hubd_repo_id_set_error(error,
			       _("Invalid repo type “%s”: %s"),
			       s,
			       _("it must be “model”, “dataset” or “space”"));
	return FALSE;
}

/**
 * hubd_repo_type_to_string:
 * @type: a #HubdRepoType
 *
 * Returns: `model`, `dataset` or `space`
 *
 * Since: 0.1
 */
const gchar *
hubd_repo_type_to_string(HubdRepoType type)
{
	switch (type) {
	case HUBD_REPO_TYPE_MODEL:
		return "model";
	case HUBD_REPO_TYPE_DATASET:
		return "dataset";
	case HUBD_REPO_TYPE_SPACE:
		return "space";
	default:
		g_return_val_if_reached(NULL);
	}
}

/* \w of huggingface_hub's regex, restricted to ASCII as the Hub is */
static gboolean
hubd_repo_id_is_word_char(gchar c)
{
	return g_ascii_isalnum(c) || c == '_';
}

/* The rule the namespace or name `part` (`len` bytes) breaks, or NULL */
static const gchar *
hubd_repo_id_part_rule(const gchar *part, gsize len, gboolean is_namespace)
{
	if (len == 0)
		return is_namespace ? _("the namespace must not be empty")
				    : _("the name must not be empty");
	for (gsize i = 0; i < len; i++) {
		if (!hubd_repo_id_is_word_char(part[i]) && part[i] != '-' && part[i] != '.')
			return _("only letters, digits, “-”, “_” and “.” are allowed");
	}
	if (len > HUBD_REPO_ID_NAME_MAX)
		return is_namespace ? _("the namespace is longer than 96 characters")
				    : _("the name is longer than 96 characters");
	if (!hubd_repo_id_is_word_char(part[0]) || !hubd_repo_id_is_word_char(part[len - 1]))
		return is_namespace
			       ? _("the namespace must start and end with a letter, a digit or “_”")
			       : _("the name must start and end with a letter, a digit or “_”");
	return NULL;
}

/**
 * hubd_repo_id_validate:
 * @repo_id: a repo id, e.g. `alice/demo`
 * @require_namespace: refuse a bare name (when creating)
 * @error: return location for a #GError
 *
 * huggingface_hub's validation of repo ids, plus the refusal of type
 * prefixes (`datasets/…`). The message names the rule broken.
 *
 * Returns: %TRUE, or %FALSE with %HUBD_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
gboolean
hubd_repo_id_validate(const gchar *repo_id, gboolean require_namespace, GError **error)
{
	/* hfjs refuses these; the type is a separate argument here */
	static const struct {
		const gchar *prefix;
		const gchar *type;
	} type_prefixes[] = {
		{"models/", "model"},
		{"model/", "model"},
		{"datasets/", "dataset"},
		{"dataset/", "dataset"},
		{"spaces/", "space"},
		{"space/", "space"},
	};
	const gchar *invalid = _("Invalid repo id “%s”: %s");
	const gchar *rule = NULL;
	const gchar *slash;

	if (repo_id == NULL || repo_id[0] == '\0') {
		hubd_repo_id_set_error(error, invalid, "", _("it must not be empty"));
		return FALSE;
	}
	for (guint i = 0; i < G_N_ELEMENTS(type_prefixes); i++) {
		gsize plen = strlen(type_prefixes[i].prefix);
		if (g_ascii_strncasecmp(repo_id, type_prefixes[i].prefix, plen) == 0) {
			g_autofree gchar *quoted = hubd_repo_id_quote(repo_id);
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("Invalid repo id “%s”: it must not start with a type prefix "
				      "like “%s”; use --type %s instead"),
				    quoted,
				    type_prefixes[i].prefix,
				    type_prefixes[i].type);
			return FALSE;
		}
	}
	slash = strchr(repo_id, '/');
	if (slash != NULL && strchr(slash + 1, '/') != NULL)
		rule = _("it must be “name” or “namespace/name”, with at most one “/”");
	else if (slash == NULL && require_namespace)
		rule = _("a namespace is required, as in “namespace/name”");
	else if (slash != NULL)
		rule = hubd_repo_id_part_rule(repo_id, slash - repo_id, TRUE);
	if (rule == NULL) {
		const gchar *name = slash != NULL ? slash + 1 : repo_id;
		rule = hubd_repo_id_part_rule(name, strlen(name), FALSE);
	}
	if (rule == NULL && (strstr(repo_id, "--") != NULL || strstr(repo_id, "..") != NULL))
		rule = _("“--” and “..” are not allowed");
	if (rule == NULL && g_str_has_suffix(repo_id, ".git"))
		rule = _("it must not end with “.git”");
	if (rule != NULL) {
		hubd_repo_id_set_error(error, invalid, repo_id, rule);
		return FALSE;
	}
	return TRUE;
}

/* The first rule a '/'-separated path (or revision) breaks, or NULL.
 * `segment_max` 0 means no limit on a segment's length. */
static const gchar *
hubd_repo_id_path_rule(const gchar *path, gsize segment_max)
{
	const gchar *seg = path;

	if (path[0] == '\0')
		return _("it must not be empty");
	if (!g_utf8_validate(path, -1, NULL))
		return _("it must be valid UTF-8");
	for (const gchar *p = path; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_iscntrl(c))
			return _("control characters are not allowed");
		/* a directory separator on Windows, never valid in a git ref */
		if (c == '\\')
			return _("backslashes are not allowed");
	}
	if (path[0] == '/')
		return _("it must be relative, not start with “/”");
	while (TRUE) {
		const gchar *end = strchrnul(seg, '/');
		gsize len = end - seg;
		if (len == 0)
			return _("empty segments (“//” or a trailing “/”) are not allowed");
		if ((len == 1 && seg[0] == '.') || (len == 2 && seg[0] == '.' && seg[1] == '.'))
			return _("“.” and “..” segments are not allowed");
		if (segment_max > 0 && len > segment_max)
			return _("a segment is longer than 255 bytes");
		if (*end == '\0')
			break;
		seg = end + 1;
	}
	return NULL;
}

/**
 * hubd_revision_validate:
 * @rev: a branch, tag, `refs/pr/N`, `refs/convert/…` or commit id
 * @error: return location for a #GError
 *
 * Non-empty UTF-8 of at most 255 bytes, no control
 * characters, no leading `/`, no empty, `.` or `..` segment.
 *
 * Returns: %TRUE, or %FALSE with %HUBD_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
gboolean
hubd_revision_validate(const gchar *rev, GError **error)
{
	const gchar *rule;

	g_return_val_if_fail(rev != NULL, FALSE);

	if (strlen(rev) > HUBD_REVISION_MAX)
		rule = _("it is longer than 255 bytes");
	else
		rule = hubd_repo_id_path_rule(rev, 0);
	if (rule != NULL) {
		hubd_repo_id_set_error(error, _("Invalid revision “%s”: %s"), rev, rule);
		return FALSE;
	}
	return TRUE;
}

/**
 * hubd_path_in_repo_normalize:
 * @path: a path in a repo to upload to
 * @error: return location for a #GError
 *
 * huggingface_hub's rule for paths in a commit: leading `/` and `./` are
 * stripped; `.`, `..` and empty segments, backslashes, control characters,
 * invalid UTF-8 and any `.git` or `.cache` segment are refused.
 *
 * Returns: (transfer full) (nullable): the cleaned path (which passes again
 *   unchanged), or %NULL with %HUBD_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
gchar *
hubd_path_in_repo_normalize(const gchar *path, GError **error)
{
	const gchar *p = path;
	const gchar *rule;

	g_return_val_if_fail(path != NULL, NULL);

	/* as huggingface_hub's _validate_path_in_repo, but for any repetition */
	while (TRUE) {
		if (p[0] == '/')
			p++;
		else if (p[0] == '.' && p[1] == '/')
			p += 2;
		else
			break;
	}
	rule = hubd_repo_id_path_rule(p, 0);
	if (rule == NULL) {
		g_auto(GStrv) segments = g_strsplit(p, "/", -1);
		for (guint i = 0; segments[i] != NULL; i++) {
			/* the Hub stores git metadata and huggingface_hub its cache there */
			if (g_strcmp0(segments[i], ".git") == 0 ||
			    g_strcmp0(segments[i], ".cache") == 0) {
				rule = _("a “.git” or “.cache” segment is not allowed");
				break;
			}
		}
	}
	if (rule != NULL) {
		hubd_repo_id_set_error(error, _("Invalid path in repo “%s”: %s"), path, rule);
		return NULL;
	}
	return g_strdup(p);
}

/**
 * hubd_path_is_safe_relative:
 * @path: a path that came from the Hub (a listing, a header)
 * @error: return location for a #GError
 *
 * Call it before joining @path to a local folder: relative, no empty, `.`
 * or `..` segment, no backslash, no control character, valid UTF-8, each
 * segment at most %HUBD_PATH_SEGMENT_MAX bytes and the whole at most
 * %HUBD_PATH_MAX.
 *
 * Returns: %TRUE when safe, or %FALSE with %HUBD_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.1
 */
gboolean
hubd_path_is_safe_relative(const gchar *path, GError **error)
{
	const gchar *rule;

	g_return_val_if_fail(path != NULL, FALSE);

	if (strlen(path) > HUBD_PATH_MAX)
		rule = _("it is longer than 4096 bytes");
	else
		rule = hubd_repo_id_path_rule(path, HUBD_PATH_SEGMENT_MAX);
	if (rule != NULL) {
		hubd_repo_id_set_error(error, _("Unsafe path “%s” from the Hub: %s"), path, rule);
		return FALSE;
	}
	return TRUE;
}
