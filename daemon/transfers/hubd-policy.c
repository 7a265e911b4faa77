/* hubd-policy.c: the publishing policy — no secrets in files, a card with a licence */
#define G_LOG_DOMAIN "HubdPolicy"

#include "hubd-policy.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "hubd-card-layout.h"
#include "hubd-card-validate.h"
#include "hubd-card.h"
#include "hubd-error.h"

/* A NUL in this prefix marks a binary file (git's heuristic). */
#define HUBD_POLICY_BINARY_PROBE 8192
#define HUBD_POLICY_CHUNK        (1024 * 1024)
/* Patterns are capped so that a match never needs more look-ahead than
 * this: a huge line can then be scanned through a bounded window. */
#define HUBD_POLICY_HF_MIN      30
#define HUBD_POLICY_HF_MAX      255
#define HUBD_POLICY_PEM_ALG_MAX 64
#define HUBD_POLICY_OVERLAP     1024

typedef enum {
	HUBD_POLICY_FIND_NONE,
	HUBD_POLICY_FIND_HF_TOKEN,
	HUBD_POLICY_FIND_AWS_KEY,
	HUBD_POLICY_FIND_PRIVATE_KEY,
} HubdPolicyFind;

static gboolean
hubd_policy_is_word(guchar c)
{
	return g_ascii_isalnum(c) || c == '_';
}

static gboolean
hubd_policy_is_upper_alnum(guchar c)
{
	return g_ascii_isupper(c) || g_ascii_isdigit(c);
}

/* hf_ + 30 or more alphanumerics, as a whole word */
static gboolean
hubd_policy_match_hf(const guchar *p, const guchar *end)
{
	gsize n = 0;

	if (end - p < 3 + HUBD_POLICY_HF_MIN || memcmp(p, "hf_", 3) != 0)
		return FALSE;
	for (p += 3; p < end && g_ascii_isalnum(*p); p++) {
		if (++n > HUBD_POLICY_HF_MAX)
			return FALSE;
	}
	return n >= HUBD_POLICY_HF_MIN && (p == end || !hubd_policy_is_word(*p));
}

/* AKIA or ASIA + 16 upper-case alphanumerics, as a whole word */
static gboolean
hubd_policy_match_aws(const guchar *p, const guchar *end)
{
	if (end - p < 20 || (memcmp(p, "AKIA", 4) != 0 && memcmp(p, "ASIA", 4) != 0))
		return FALSE;
	for (guint i = 4; i < 20; i++) {
		if (!hubd_policy_is_upper_alnum(p[i]))
			return FALSE;
	}
	return p + 20 == end || !hubd_policy_is_word(p[20]);
}

/* "-----BEGIN [ALG ]PRIVATE KEY-----" ending its line, or followed by a
 * literal "\n" as inside a JSON string (service account files): a quoted
 * marker in code that looks for keys is not a key. */
static gboolean
hubd_policy_match_pem(const guchar *p, const guchar *end)
{
	static const gchar begin[] = "-----BEGIN ";
	static const gchar tail[] = "PRIVATE KEY-----";
	const guchar *alg;

	if ((gsize)(end - p) < strlen(begin) + strlen(tail) || memcmp(p, begin, strlen(begin)) != 0)
		return FALSE;
	p += strlen(begin);
	alg = p;
	while (p < end && p - alg <= HUBD_POLICY_PEM_ALG_MAX &&
	       (g_ascii_isupper(*p) || *p == ' ')) {
		if ((gsize)(end - p) >= strlen(tail) && memcmp(p, tail, strlen(tail)) == 0)
			break;
		p++;
	}
	if ((gsize)(end - p) < strlen(tail) || memcmp(p, tail, strlen(tail)) != 0)
		return FALSE;
	p += strlen(tail);
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	return p == end || *p == '\n' || (end - p >= 2 && p[0] == '\\' && p[1] == 'n');
}

/* Scans data[from, before) for the start of a secret, looking ahead up to
 * `len`; `*line` is the line number at data[from] and is advanced past every
 * newline up to `before`. data[from - 1] is the byte before, if from > 0. */
static HubdPolicyFind
hubd_policy_scan_region(const guchar *data, gsize len, gsize from, gsize before, guint64 *line)
{
	const guchar *end = data + len;

	for (gsize i = from; i < before; i++) {
		const guchar *p = data + i;
		gboolean boundary;

		if (*p == '\n') {
			(*line)++;
			continue;
		}
		if (*p != 'h' && *p != 'A' && *p != '-')
			continue;
		boundary = i == 0 || !hubd_policy_is_word(p[-1]);
		if (!boundary && *p != '-')
			continue;
		if (*p == 'h' && hubd_policy_match_hf(p, end))
			return HUBD_POLICY_FIND_HF_TOKEN;
		if (*p == 'A' && hubd_policy_match_aws(p, end))
			return HUBD_POLICY_FIND_AWS_KEY;
		if (*p == '-' && hubd_policy_match_pem(p, end))
			return HUBD_POLICY_FIND_PRIVATE_KEY;
	}
	return HUBD_POLICY_FIND_NONE;
}

static gboolean
hubd_policy_set_found_error(GError **error,
			    const gchar *path_in_repo,
			    guint64 line,
			    HubdPolicyFind find)
{
	g_autofree gchar *path = g_utf8_make_valid(path_in_repo, -1);
	g_autofree gchar *where = g_strdup_printf("%s:%" G_GUINT64_FORMAT, path, line);
	const gchar *what;

	switch (find) {
	case HUBD_POLICY_FIND_HF_TOKEN:
		what = _("contains what looks like a Hugging Face access token");
		break;
	case HUBD_POLICY_FIND_AWS_KEY:
		what = _("contains what looks like an AWS access key id");
		break;
	case HUBD_POLICY_FIND_PRIVATE_KEY:
	default:
		what = _("contains what looks like a private key");
		break;
	}
	g_set_error(
		error,
		HUBD_ERROR,
		HUBD_ERROR_POLICY,
		/* TRANSLATORS: "config.json:12: contains what looks like …. Remove it…" */
		_("%s: %s. Remove it before publishing, or pass --no-policy to publish anyway."),
		where,
		what);
	return FALSE;
}

gboolean
hubd_policy_scan_buffer(const gchar *path_in_repo, const gchar *data, gsize len, GError **error)
{
	guint64 line = 1;
	HubdPolicyFind find;

	g_return_val_if_fail(path_in_repo != NULL, FALSE);
	g_return_val_if_fail(data != NULL || len == 0, FALSE);

	if (len == 0 || memchr(data, '\0', MIN(len, HUBD_POLICY_BINARY_PROBE)) != NULL)
		return TRUE;
	find = hubd_policy_scan_region((const guchar *)data, len, 0, len, &line);
	if (find != HUBD_POLICY_FIND_NONE)
		return hubd_policy_set_found_error(error, path_in_repo, line, find);
	return TRUE;
}

gboolean
hubd_policy_scan_stream(GInputStream *in,
			const gchar *name,
			const gchar *path_in_repo,
			GCancellable *cancellable,
			GError **error)
{
	/* carry (an unfinished line, or the window of a huge one) + a chunk */
	g_autoptr(GByteArray) buf = g_byte_array_sized_new(2 * HUBD_POLICY_CHUNK);
	g_autofree guchar *chunk = g_malloc(HUBD_POLICY_CHUNK);
	guint64 line = 1;
	gboolean first = TRUE;
	gsize from = 0; /* in buf: bytes before this were scanned already */

	for (;;) {
		gsize n = 0;
		g_autoptr(GError) read_error = NULL;
		gboolean eof;
		gsize before;
		HubdPolicyFind find;

		if (g_cancellable_set_error_if_cancelled(cancellable, error)) {
			g_clear_error(error);
			g_set_error_literal(error,
					    HUBD_ERROR,
					    HUBD_ERROR_CANCELLED,
					    _("Cancelled"));
			return FALSE;
		}
		/* fills the chunk unless the stream ends first */
		if (!g_input_stream_read_all(in,
					     chunk,
					     HUBD_POLICY_CHUNK,
					     &n,
					     cancellable,
					     &read_error)) {
			if (read_error->domain == HUBD_ERROR) {
				g_propagate_error(error, g_steal_pointer(&read_error));
				return FALSE;
			}
			if (g_error_matches(read_error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
				g_set_error_literal(error,
						    HUBD_ERROR,
						    HUBD_ERROR_CANCELLED,
						    _("Cancelled"));
				return FALSE;
			}
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    _("Cannot read “%s”: %s"),
				    name,
				    read_error->message);
			return FALSE;
		}
		/* the chunk is at least 8 KiB, so the first one holds the probe */
		if (first && memchr(chunk, '\0', MIN(n, HUBD_POLICY_BINARY_PROBE)) != NULL)
			return TRUE;
		first = FALSE;
		eof = n < HUBD_POLICY_CHUNK;
		g_byte_array_append(buf, chunk, (guint)n);

		if (eof) {
			before = buf->len;
		} else {
			/* defer the unfinished last line: a secret may continue in the next chunk
			 */
			gsize nl = buf->len;
			while (nl > from && buf->data[nl - 1] != '\n')
				nl--;
			if (nl > from)
				before = nl;
			else if (buf->len > HUBD_POLICY_CHUNK)
				before = buf->len - HUBD_POLICY_OVERLAP; /* a huge line */
			else
				before = from;
		}
		find = hubd_policy_scan_region(buf->data, buf->len, from, before, &line);
		if (find != HUBD_POLICY_FIND_NONE)
			return hubd_policy_set_found_error(error, path_in_repo, line, find);
		if (eof)
			return TRUE;
		/* lines counted up to `before` are done; keep one byte of context
		 * before the rest so word boundaries still see it */
		if (before > 0) {
			g_byte_array_remove_range(buf, 0, (guint)(before - 1));
			from = 1;
		}
	}
}

gboolean
hubd_policy_scan_file(const gchar *local_path,
		      const gchar *path_in_repo,
		      GCancellable *cancellable,
		      GError **error)
{
	g_autoptr(GInputStream) in = NULL;
	gint fd;

	g_return_val_if_fail(local_path != NULL, FALSE);
	g_return_val_if_fail(path_in_repo != NULL, FALSE);

	fd = g_open(local_path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0) {
		gint errsv = errno;
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_INVALID_ARGUMENT,
			    _("Cannot read “%s”: %s"),
			    local_path,
			    g_strerror(errsv));
		return FALSE;
	}
#ifdef POSIX_FADV_SEQUENTIAL
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	in = g_unix_input_stream_new(fd, TRUE);
	return hubd_policy_scan_stream(in, local_path, path_in_repo, cancellable, error);
}

static const gchar *
hubd_policy_card_docs(HubdRepoType type)
{
	return type == HUBD_REPO_TYPE_DATASET ? "https://huggingface.co/docs/hub/datasets-cards"
					      : "https://huggingface.co/docs/hub/model-cards";
}

/* the first problem of the rules the policy refuses for */
static const HubdCardProblem *
hubd_policy_card_problem(HubdRepoType type, GPtrArray *problems)
{
	static const gchar *const model_rules[] = {"license-unknown", "license-name-missing", NULL};
	static const gchar *const dataset_rules[] = {"license-unknown",
						     "license-name-missing",
						     "undocumented",
						     NULL};

	return hubd_card_problems_find(problems,
				       type == HUBD_REPO_TYPE_DATASET ? dataset_rules
								      : model_rules);
}

gboolean
hubd_policy_check_card(HubdRepoType type, const gchar *readme, gsize readme_len, GError **error)
{
	g_autoptr(JsonNode) front_matter = NULL;
	g_autoptr(GError) parse_error = NULL;
	g_autoptr(GPtrArray) problems = NULL;
	g_autofree gchar *license = NULL;
	const HubdCardProblem *problem;
	const gchar *kind = type == HUBD_REPO_TYPE_DATASET ? _("dataset") : _("model");

	/* a Space's README configures the app; the card rule is about reuse */
	if (type == HUBD_REPO_TYPE_SPACE)
		return TRUE;
	if (readme == NULL) {
		g_set_error(
			error,
			HUBD_ERROR,
			HUBD_ERROR_POLICY,
			/* TRANSLATORS: %s is "model" or "dataset", then a URL */
			_("A %s repo needs a card: add a README.md that starts with front matter "
			  "naming its licence, such as\n---\nlicense: apache-2.0\n---\n(see %s), "
			  "or pass --no-policy to publish anyway."),
			kind,
			hubd_policy_card_docs(type));
		return FALSE;
	}
	front_matter = hubd_card_parse_front_matter(readme, readme_len, &parse_error);
	if (parse_error != NULL) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_POLICY,
			    /* TRANSLATORS: %s is the YAML parser's message */
			    _("README.md: %s. Fix the front matter, or pass --no-policy to publish "
			      "anyway."),
			    parse_error->message);
		return FALSE;
	}
	if (front_matter == NULL) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_POLICY,
			    _("README.md has no metadata: start it with front matter naming the "
			      "licence, such as\n---\nlicense: apache-2.0\n---\n(see %s), or pass "
			      "--no-policy to publish anyway."),
			    hubd_policy_card_docs(type));
		return FALSE;
	}
	license = hubd_card_dup_license(front_matter);
	if (license == NULL) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_POLICY,
			    _("README.md's front matter has no licence: add a line such as "
			      "“license: apache-2.0” between its --- lines (see %s), or pass "
			      "--no-policy to publish anyway."),
			    hubd_policy_card_docs(type));
		return FALSE;
	}
	/* ValidateCard's rules the seed's red lines ask for: a licence the Hub
	 * knows, and a dataset card that documents its data */
	problems = hubd_card_validate(type, readme, readme_len);
	problem = hubd_policy_card_problem(type, problems);
	if (problem != NULL && g_strcmp0(problem->rule, "undocumented") == 0) {
		g_set_error(
			error,
			HUBD_ERROR,
			HUBD_ERROR_POLICY,
			/* TRANSLATORS: %u is a line number, %s a URL */
			_("README.md:%u: the dataset card does not document the data: add a "
			  "“## Dataset Structure” section saying what the files hold, their "
			  "fields and splits, and a “### Dataset Description” saying where "
			  "the data comes from (“hubctl card create REPO_ID --template dataset” "
			  "writes the template; see %s), or pass --no-policy to publish anyway."),
			problem->line,
			hubd_policy_card_docs(type));
		return FALSE;
	}
	if (problem != NULL) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_POLICY,
			    /* TRANSLATORS: "README.md:3: <what is wrong>. Fix it…" */
			    _("README.md:%u: %s. Fix it, or pass --no-policy to publish anyway."),
			    problem->line,
			    problem->message);
		return FALSE;
	}
	return TRUE;
}

/* the first extra_gated_* key of the front matter, or NULL */
static const gchar *
hubd_policy_gating_key(JsonNode *front_matter)
{
	g_autoptr(GList) members = NULL;

	if (front_matter == NULL || !JSON_NODE_HOLDS_OBJECT(front_matter))
		return NULL;
	members = json_object_get_members(json_node_get_object(front_matter));
	for (GList *l = members; l != NULL; l = l->next) {
		if (g_str_has_prefix(l->data, "extra_gated_"))
			return l->data;
	}
	return NULL;
}

gboolean
hubd_policy_card_asks_for_gating(const gchar *readme, gsize readme_len)
{
	g_autoptr(JsonNode) front_matter = NULL;

	if (readme == NULL)
		return FALSE;
	front_matter = hubd_card_parse_front_matter(readme, readme_len, NULL);
	return hubd_policy_gating_key(front_matter) != NULL;
}

gboolean
hubd_policy_check_access(HubdRepoType type,
			 const gchar *repo_id,
			 const gchar *readme,
			 gsize readme_len,
			 const gchar *gated,
			 gboolean is_private,
			 GError **error)
{
	g_autoptr(JsonNode) front_matter = NULL;
	g_autoptr(HubdCardLayout) layout = NULL;
	const gchar *key;
	guint line;

	g_return_val_if_fail(repo_id != NULL, FALSE);
	if (readme == NULL || type == HUBD_REPO_TYPE_SPACE)
		return TRUE;
	front_matter = hubd_card_parse_front_matter(readme, readme_len, NULL);
	key = hubd_policy_gating_key(front_matter);
	if (key == NULL || (gated != NULL && gated[0] != '\0' && g_strcmp0(gated, "false") != 0))
		return TRUE;
	layout = hubd_card_layout_new(readme, readme_len);
	line = hubd_card_layout_get_line(layout, key);
	if (is_private) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_POLICY,
			    /* TRANSLATORS: README.md:LINE, the key, the repo id (three times) */
			    _("README.md:%u: the card asks for gated access (%s) but %s is private "
			      "with gating off, so the gate will not exist when it is made public: "
			      "turn on the repo's “gated” setting first (hubctl repo settings %s "
			      "--gated manual, or auto), or pass --no-policy to publish anyway. "
			      "Only then change %s's visibility."),
			    line,
			    key,
			    repo_id,
			    repo_id,
			    repo_id);
		return FALSE;
	}
	g_set_error(error,
		    HUBD_ERROR,
		    HUBD_ERROR_POLICY,
		    /* TRANSLATORS: README.md:LINE, the key, the repo id (twice) */
		    _("README.md:%u: the card asks for gated access (%s) but %s is not gated, so "
		      "anyone can download it: turn on the repo's “gated” setting (hubctl repo "
		      "settings %s --gated manual, or auto), remove the extra_gated_* keys, or "
		      "pass --no-policy to publish anyway."),
		    line,
		    key,
		    repo_id,
		    repo_id);
	return FALSE;
}

gchar *
hubd_policy_commit_description(const gchar *description, gboolean no_policy)
{
	if (!no_policy)
		return g_strdup(description);
	if (description == NULL || description[0] == '\0')
		return g_strdup(HUBD_POLICY_OVERRIDE_NOTE);
	return g_strconcat(description, "\n\n", HUBD_POLICY_OVERRIDE_NOTE, NULL);
}
