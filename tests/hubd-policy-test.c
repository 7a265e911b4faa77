/* hubd-policy-test.c: the secret scanner, the card rule and the front-matter parser */
#define G_LOG_DOMAIN "HubdPolicyTest"

#include <glib/gstdio.h>
#include <string.h>

#include "hubd-card.h"
#include "hubd-error.h"
#include "hubd-policy.h"

/* not a real token: 34 alphanumerics like the Hub's */
#define HF_TOKEN   "hf_Fake00000000000000000000000000Token"
#define AWS_KEY_ID "AKIAIOSFODNN7EXAMPLE"
#define SCAN_CHUNK (1024 * 1024) /* hubd-policy.c's read size */

/* scans `text` both ways (buffer, and a file streamed in chunks): both must
 * agree; returns the error or NULL */
static GError *
scan(const gchar *path_in_repo, const gchar *text, gsize len)
{
	g_autoptr(GError) buf_error = NULL;
	g_autoptr(GError) file_error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("hubd-policy-test-XXXXXX", NULL);
	g_autofree gchar *path = g_build_filename(dir, "f", NULL);
	gboolean buf_ok = hubd_policy_scan_buffer(path_in_repo, text, len, &buf_error);
	gboolean file_ok;

	g_assert_true(g_file_set_contents(path, text, (gssize)len, NULL));
	file_ok = hubd_policy_scan_file(path, path_in_repo, NULL, &file_error);
	g_unlink(path);
	g_rmdir(dir);
	g_assert_cmpint(buf_ok, ==, file_ok);
	g_assert_true(buf_ok == (buf_error == NULL));
	if (buf_ok)
		return NULL;
	g_assert_cmpstr(buf_error->message, ==, file_error->message);
	return g_steal_pointer(&buf_error);
}

static void
assert_found(const gchar *text, const gchar *where, const gchar *what, const gchar *secret)
{
	g_autoptr(GError) error = scan("config.json", text, strlen(text));

	if (error == NULL)
		g_error("no secret found in “%s”", text);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_POLICY);
	if (!g_str_has_prefix(error->message, where) || strstr(error->message, what) == NULL)
		g_error("unexpected “%s” (want “%s” and “%s”)", error->message, where, what);
	g_assert_nonnull(strstr(error->message, "--no-policy"));
	/* the message never carries the secret, nor a good part of it */
	if (secret != NULL) {
		g_autofree gchar *part = g_strndup(secret + 4, 12);
		g_assert_null(strstr(error->message, part));
	}
}

static void
assert_clean(const gchar *text)
{
	g_autoptr(GError) error = scan("notes.md", text, strlen(text));

	if (error != NULL)
		g_error("false positive in “%s”: %s", text, error->message);
}

static void
test_scan_hf_token(void)
{
	g_autoptr(GString) config = g_string_new(NULL);

	for (guint i = 1; i < 12; i++)
		g_string_append_printf(config, "  \"key%u\": %u,\n", i, i);
	g_string_append(config, "  \"token\": \"" HF_TOKEN "\"\n}\n");
	assert_found(config->str,
		     "config.json:12: ",
		     "looks like a Hugging Face access token",
		     HF_TOKEN);
	assert_found(HF_TOKEN, "config.json:1: ", "Hugging Face", HF_TOKEN);
	assert_found("x\r\ny\r\nHF_TOKEN=" HF_TOKEN "\r\n", "config.json:3: ", "Hugging", HF_TOKEN);
	assert_found("https://user:" HF_TOKEN "@huggingface.co/x",
		     "config.json:1:",
		     "Hug",
		     HF_TOKEN);
	/* 30 alphanumerics is enough */
	assert_found("t = hf_abcdefghijklmnopqrstuvwxyz0123\n", "config.json:1:", "Hug", NULL);

	assert_clean("from huggingface_hub import hf_hub_download\nhf_hub_download(repo_id=x)\n");
	assert_clean("token = hf_abc\n");
	assert_clean("hf_abcdefghijklmnopqrstuvwxyz012\n");               /* 29 */
	assert_clean("xhf_abcdefghijklmnopqrstuvwxyz0123456789\n");       /* inside a word */
	assert_clean("hf_abcdefghijklmnopqrstuvwxyz0123456789_suffix\n"); /* same */
	assert_clean("HF_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789\n");        /* upper-case prefix */
	assert_clean("");
}

static void
test_scan_base64(void)
{
	g_autofree guint8 *bytes = g_malloc(200000);
	g_autofree gchar *b64 = NULL;
	g_autofree gchar *text = NULL;
	guint32 x = 12345;

	for (gsize i = 0; i < 200000; i++) {
		x = x * 1103515245u + 12345u;
		bytes[i] = (guint8)(x >> 16);
	}
	b64 = g_base64_encode(bytes, 200000);
	text = g_strdup_printf("data:image/png;base64,%s\n", b64);
	assert_clean(text);
}

static void
test_scan_aws(void)
{
	assert_found("[default]\nregion = x\naws_access_key_id = " AWS_KEY_ID "\n",
		     "config.json:3: ",
		     "AWS access key",
		     AWS_KEY_ID);
	assert_found("k=ASIAY34FZKBOKMUTVV7A", "config.json:1: ", "AWS", "ASIAY34FZKBOKMUTVV7A");
	assert_clean("AKIAIOSFODNN7EXAMPL\n");   /* 15 */
	assert_clean("AKIAIOSFODNN7EXAMPLEX\n"); /* 17 */
	assert_clean("AKIAiosfodnn7example\n");  /* lower case */
	assert_clean("XAKIAIOSFODNN7EXAMPLE\n"); /* inside a word */
	assert_clean("AKIDIOSFODNN7EXAMPLE\n");  /* other prefix */
}

static void
test_scan_pem(void)
{
	const gchar *key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n"
			   "-----END RSA PRIVATE KEY-----\n";
	g_autofree gchar *text = g_strconcat("# key\n\n", key, NULL);

	assert_found(text, "config.json:3: ", "private key", NULL);
	assert_found("-----BEGIN PRIVATE KEY-----\r\nMIIE\r\n", "config.json:1: ", "private", NULL);
	assert_found("-----BEGIN OPENSSH PRIVATE KEY-----", "config.json:1: ", "private", NULL);
	/* a service account file keeps its key in a JSON string */
	assert_found("{\n  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQ\\n\"\n}\n",
		     "config.json:2: ",
		     "private key",
		     NULL);
	assert_clean("-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n");
	assert_clean("-----BEGIN CERTIFICATE-----\nMIIB\n");
	/* code looking for keys is not a key */
	assert_clean("if line == \"-----BEGIN RSA PRIVATE KEY-----\":\n");
}

static void
test_scan_binary(void)
{
	g_autoptr(GString) bin = g_string_new("\x89PNG");

	/* a NUL in the first 8 KiB: binary, not scanned */
	g_string_append_c(bin, '\0');
	g_string_append(bin, "\n" HF_TOKEN "\n");
	g_assert_null(scan("weights.bin", bin->str, bin->len));

	/* a NUL after 8 KiB does not make a file binary */
	g_string_truncate(bin, 0);
	for (guint i = 0; i < 9000; i++)
		g_string_append_c(bin, 'a' + i % 26);
	g_string_append(bin, "\n" HF_TOKEN "\n");
	g_string_append_c(bin, '\0');
	{
		g_autoptr(GError) error = scan("log.txt", bin->str, bin->len);
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_POLICY);
		g_assert_true(g_str_has_prefix(error->message, "log.txt:2: "));
	}
}

/* where a token straddles read chunks or the window of a huge line
 * (buffer length - 1024, see hubd-policy.c) */
static const gsize offsets[] = {SCAN_CHUNK - 10,
				SCAN_CHUNK - 3,
				SCAN_CHUNK - 1,
				SCAN_CHUNK,
				2 * SCAN_CHUNK - 1025,
				2 * SCAN_CHUNK - 1024,
				2 * SCAN_CHUNK - 1023,
				2 * SCAN_CHUNK - 20,
				3 * SCAN_CHUNK - 2};

static void
append_filler(GString *text, gchar c, gsize n)
{
	gsize len = text->len;

	g_string_set_size(text, len + n);
	memset(text->str + len, c, n);
}

/* a token placed so that it straddles read chunks of scan_file */
static void
test_scan_chunk_boundaries(void)
{
	for (guint i = 0; i < G_N_ELEMENTS(offsets); i++) {
		for (guint short_lines = 0; short_lines < 2; short_lines++) {
			/* lines of 99 chars + '\n', or one huge line */
			g_autoptr(GString) text = g_string_sized_new(offsets[i] + 200);
			g_autoptr(GError) error = NULL;
			g_autofree gchar *where = NULL;
			guint64 line = 1;

			while (text->len < offsets[i]) {
				if (short_lines && text->len % 100 == 99) {
					g_string_append_c(text, '\n');
					line++;
				} else {
					g_string_append_c(text, 'a' + text->len % 26);
				}
			}
			/* the char before the token must not be a word char */
			if (text->str[text->len - 1] != '\n')
				text->str[text->len - 1] = ' ';
			/* a long tail without newlines keeps reads full and the window moving */
			g_string_append(text, HF_TOKEN " ");
			append_filler(text, 'z', SCAN_CHUNK + SCAN_CHUNK / 2);
			g_string_append(text, "\nmore\n");
			error = scan("big.txt", text->str, text->len);
			g_assert_error(error, HUBD_ERROR, HUBD_ERROR_POLICY);
			where = g_strdup_printf("big.txt:%" G_GUINT64_FORMAT ": ", line);
			if (!g_str_has_prefix(error->message, where))
				g_error("token at %" G_GSIZE_FORMAT ": “%s”, want “%s”",
					offsets[i],
					error->message,
					where);
		}
	}
}

/* a word char right before a token on a chunk or window boundary still counts */
static void
test_scan_chunk_word_boundary(void)
{
	for (guint i = 0; i < G_N_ELEMENTS(offsets); i++) {
		g_autoptr(GString) text = g_string_sized_new(offsets[i] + 100);

		while (text->len < offsets[i])
			g_string_append_c(text, 'x');
		g_string_append(text, HF_TOKEN " ");
		append_filler(text, 'z', SCAN_CHUNK + SCAN_CHUNK / 2);
		g_assert_null(scan("huge.txt", text->str, text->len));
	}
}

static void
test_scan_file_errors(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autofree gchar *dir = g_dir_make_tmp("hubd-policy-test-XXXXXX", NULL);
	g_autofree gchar *path = g_build_filename(dir, "f", NULL);

	g_assert_false(hubd_policy_scan_file("/nonexistent/x", "x", NULL, &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "/nonexistent/x"));
	g_clear_error(&error);

	g_assert_true(g_file_set_contents(path, "fine\n", -1, NULL));
	g_cancellable_cancel(cancellable);
	g_assert_false(hubd_policy_scan_file(path, "f", cancellable, &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_CANCELLED);
	g_assert_true(hubd_policy_scan_file(path, "f", NULL, NULL));
	g_unlink(path);
	g_rmdir(dir);
}

/* ---- the card rule ---- */

static void
assert_card_refused(HubdRepoType type, const gchar *readme, const gchar *needle)
{
	g_autoptr(GError) error = NULL;

	g_assert_false(
		hubd_policy_check_card(type, readme, readme != NULL ? strlen(readme) : 0, &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_POLICY);
	g_assert_nonnull(strstr(error->message, "--no-policy"));
	if (strstr(error->message, needle) == NULL)
		g_error("“%s” does not say “%s”", error->message, needle);
}

static void
assert_card_ok(HubdRepoType type, const gchar *readme)
{
	g_autoptr(GError) error = NULL;

	g_assert_true(
		hubd_policy_check_card(type, readme, readme != NULL ? strlen(readme) : 0, &error));
	g_assert_no_error(error);
}

static void
test_card_rule(void)
{
	assert_card_refused(HUBD_REPO_TYPE_MODEL, NULL, "license: apache-2.0");
	assert_card_refused(HUBD_REPO_TYPE_MODEL,
			    NULL,
			    "https://huggingface.co/docs/hub/model-cards");
	assert_card_refused(HUBD_REPO_TYPE_DATASET, NULL, "README.md");
	assert_card_refused(HUBD_REPO_TYPE_MODEL, "# My model\n\nIt is good.\n", "license: apache");
	assert_card_refused(HUBD_REPO_TYPE_MODEL, "---\ntags: [a]\n---\n# x\n", "license: apache");
	assert_card_refused(HUBD_REPO_TYPE_DATASET, "---\n---\n", "license");
	assert_card_refused(HUBD_REPO_TYPE_MODEL, "---\nlicense:\n---\n", "license");
	assert_card_refused(HUBD_REPO_TYPE_MODEL, "---\nlicense: ''\n---\n", "license");
	/* the parser's message, with the README's line */
	assert_card_refused(HUBD_REPO_TYPE_MODEL,
			    "---\nlicense: mit\ntags: [a\n---\n",
			    "README.md: ");
	assert_card_refused(HUBD_REPO_TYPE_MODEL,
			    "---\nlicense: mit\n  bad: indent\n---\n",
			    "line 3");

	assert_card_ok(HUBD_REPO_TYPE_MODEL, "---\nlicense: apache-2.0\n---\n# My model\n");
	assert_card_ok(HUBD_REPO_TYPE_MODEL, "---\nlicense: other\nlicense_name: mine\n---\n");
	assert_card_ok(
		HUBD_REPO_TYPE_DATASET,
		"---\nlicense:\n- cc-by-4.0\n- mit\n---\n## Dataset Structure\n\nOne CSV.\n");
	assert_card_ok(HUBD_REPO_TYPE_DATASET,
		       "\r\n---\r\nlicense: mit\r\n---\r\nNumbers, one per line.\r\n");
	/* a dataset card that documents nothing: the exact fix, with the line */
	assert_card_refused(HUBD_REPO_TYPE_DATASET,
			    "---\nlicense: mit\n---\n",
			    "## Dataset Structure");
	assert_card_refused(HUBD_REPO_TYPE_DATASET,
			    "---\nlicense: mit\n---\n# D\n\n## Dataset Structure\n\n"
			    "[More Information Needed]\n",
			    "README.md:4: the dataset card does not document the data");
	/* a licence the Hub does not know, and "other" without its name */
	assert_card_refused(HUBD_REPO_TYPE_MODEL,
			    "---\ntags: []\nlicense: apache2\n---\n",
			    "README.md:3: “apache2” is not one of the Hub's licence identifiers");
	assert_card_refused(HUBD_REPO_TYPE_MODEL, "---\nlicense: other\n---\n", "license_name");
	/* Spaces pass whatever their README */
	assert_card_ok(HUBD_REPO_TYPE_SPACE, NULL);
	assert_card_ok(HUBD_REPO_TYPE_SPACE, "---\ntitle: x\nsdk: gradio\n---\n");
	assert_card_ok(HUBD_REPO_TYPE_SPACE, "---\n: : bad\n---\n");
}

static void
assert_access_refused(const gchar *readme,
		      const gchar *gated,
		      gboolean is_private,
		      const gchar *needle)
{
	g_autoptr(GError) error = NULL;

	g_assert_true(hubd_policy_card_asks_for_gating(readme, strlen(readme)));
	g_assert_false(hubd_policy_check_access(HUBD_REPO_TYPE_MODEL,
						"me/m",
						readme,
						strlen(readme),
						gated,
						is_private,
						&error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_POLICY);
	g_assert_nonnull(strstr(error->message, "hubctl repo settings me/m --gated manual"));
	if (strstr(error->message, needle) == NULL)
		g_error("“%s” does not say “%s”", error->message, needle);
}

static void
test_access_rule(void)
{
	const gchar *gated = "---\nlicense: mit\nextra_gated_prompt: Agree?\n---\n# M\n";
	const gchar *plain = "---\nlicense: mit\n---\n# M\n";

	assert_access_refused(gated,
			      NULL,
			      FALSE,
			      "README.md:3: the card asks for gated access "
			      "(extra_gated_prompt) but me/m is not gated");
	assert_access_refused(gated, "false", FALSE, "“gated” setting");
	assert_access_refused(gated, NULL, TRUE, "is private with gating off");
	/* gated repos, and cards that ask for nothing, pass */
	g_assert_true(hubd_policy_check_access(HUBD_REPO_TYPE_MODEL,
					       "me/m",
					       gated,
					       strlen(gated),
					       "manual",
					       FALSE,
					       NULL));
	g_assert_true(hubd_policy_check_access(HUBD_REPO_TYPE_MODEL,
					       "me/m",
					       gated,
					       strlen(gated),
					       "auto",
					       TRUE,
					       NULL));
	g_assert_false(hubd_policy_card_asks_for_gating(plain, strlen(plain)));
	g_assert_true(hubd_policy_check_access(HUBD_REPO_TYPE_MODEL,
					       "me/m",
					       plain,
					       strlen(plain),
					       NULL,
					       FALSE,
					       NULL));
}

/* ---- the parser ---- */

static JsonNode *
parse_ok(const gchar *text)
{
	g_autoptr(GError) error = NULL;
	JsonNode *node = hubd_card_parse_front_matter(text, strlen(text), &error);

	g_assert_no_error(error);
	g_assert_nonnull(node);
	g_assert_true(JSON_NODE_HOLDS_OBJECT(node));
	return node;
}

static void
assert_parses_to(const gchar *text, const gchar *json)
{
	g_autoptr(JsonNode) node = parse_ok(text);
	g_autofree gchar *got = json_to_string(node, FALSE);

	if (g_strcmp0(got, json) != 0)
		g_error("“%s” parsed to %s, want %s", text, got, json);
}

static void
assert_parse_refused(const gchar *text, gsize len, const gchar *needle)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;

	if (len == (gsize)-1)
		len = strlen(text);
	node = hubd_card_parse_front_matter(text, len, &error);
	g_assert_null(node);
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_assert_true(g_utf8_validate(error->message, -1, NULL));
	if (strstr(error->message, needle) == NULL)
		g_error("“%s” does not say “%s”", error->message, needle);
}

static void
assert_no_front_matter(const gchar *text)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = hubd_card_parse_front_matter(text, strlen(text), &error);

	g_assert_no_error(error);
	g_assert_null(node);
}

static void
test_card_parse_structure(void)
{
	assert_parses_to("---\nlicense: mit\n---\n", "{\"license\":\"mit\"}");
	assert_parses_to(
		"---\na:\n  b:\n    c: d\n  e: [f, g]\nh:\n- i\n- {j: k}\n---\nbody\n",
		"{\"a\":{\"b\":{\"c\":\"d\"},\"e\":[\"f\",\"g\"]},\"h\":[\"i\",{\"j\":\"k\"}]}");
	assert_parses_to("---\r\nlicense: mit\r\ntags:\r\n- a\r\n---\r\n# x\r\n",
			 "{\"license\":\"mit\",\"tags\":[\"a\"]}");
	assert_parses_to("---\rlicense: mit\r---\r", "{\"license\":\"mit\"}");
	/* blank lines before, trailing blanks after the closing line, no final newline */
	assert_parses_to("\n\n---\nlicense: mit\n---  \t\nbody", "{\"license\":\"mit\"}");
	assert_parses_to("---\nlicense: mit\n---", "{\"license\":\"mit\"}");
	/* the block ends at the first closing line */
	assert_parses_to("---\na: 1\n---\n---\nb: 2\n---\n", "{\"a\":1}");
	assert_parses_to("---\n---\n# x\n", "{}");
	assert_parses_to("---\n# only a comment\n---\n", "{}");
	assert_parses_to("---\n~\n---\n", "{}");
	/* repeated keys: the last wins */
	assert_parses_to("---\nlicense: mit\nlicense: apache-2.0\n---\n",
			 "{\"license\":\"apache-2.0\"}");

	assert_no_front_matter("");
	assert_no_front_matter("# Title\n---\na: b\n---\n");
	assert_no_front_matter("---\na: b\n"); /* never closed */
	assert_no_front_matter("---a: b\n---\n");
	assert_no_front_matter("---\na: b\n----\n");
	assert_no_front_matter("---\na: b\n--- x\n");
}

static void
test_card_parse_scalars(void)
{
	assert_parses_to("---\na: true\nb: False\nc: yes\nd: off\ne: null\nf: ~\ng:\n---\n",
			 "{\"a\":true,\"b\":false,\"c\":true,\"d\":false,\"e\":null,\"f\":null,"
			 "\"g\":null}");
	assert_parses_to("---\na: 12\nb: -3\nc: 0x1f\nd: 017\ne: 0b101\nf: 1_000\ng: 1:30\n---\n",
			 "{\"a\":12,\"b\":-3,\"c\":31,\"d\":15,\"e\":5,\"f\":1000,\"g\":90}");
	/* quoted and tagged scalars are strings; YAML 1.1 near misses too */
	assert_parses_to(
		"---\na: 'true'\nb: \"12\"\nc: !!str 5\nd: 08\ne: 1e3\nf: .inf\ng: 1.2.3\n---\n",
		"{\"a\":\"true\",\"b\":\"12\",\"c\":\"5\",\"d\":\"08\",\"e\":\"1e3\","
		"\"f\":\".inf\",\"g\":\"1.2.3\"}");
	{
		g_autoptr(JsonNode) node =
			parse_ok("---\nv: 1.0\nw: -.5e+2\nx: 6.8523015e+5\n---\n");
		JsonObject *o = json_node_get_object(node);
		g_assert_cmpint(json_node_get_value_type(json_object_get_member(o, "v")),
				==,
				G_TYPE_DOUBLE);
		g_assert_cmpfloat(json_object_get_double_member(o, "v"), ==, 1.0);
		/* "-.5e+2" has a sign before the dot: a string in YAML 1.1 */
		g_assert_cmpstr(json_object_get_string_member(o, "w"), ==, "-.5e+2");
		g_assert_cmpfloat(json_object_get_double_member(o, "x"), ==, 685230.15);
	}
	{
		g_autoptr(JsonNode) node = parse_ok("---\nlicense: [cc-by-4.0, mit]\n---\n");
		g_autofree gchar *license = hubd_card_dup_license(node);
		g_assert_cmpstr(license, ==, "cc-by-4.0");
	}
	{
		g_autoptr(JsonNode) node = parse_ok("---\nlicense: other\nlicense_name: x\n---\n");
		g_autofree gchar *license = hubd_card_dup_license(node);
		g_assert_cmpstr(license, ==, "other");
	}
	{
		g_autoptr(JsonNode) node = parse_ok("---\nlicense: 5\n---\n");
		g_assert_null(hubd_card_dup_license(node));
	}
	g_assert_null(hubd_card_dup_license(NULL));
}

static void
test_card_parse_refused(void)
{
	assert_parse_refused("---\na: &x 1\nb: *x\n---\n", (gsize)-1, "anchors");
	assert_parse_refused("---\nbase: &b {x: 1}\n---\n", (gsize)-1, "line 2");
	assert_parse_refused("---\nb: *x\n---\n", (gsize)-1, "aliases");
	assert_parse_refused("---\n- a\n- b\n---\n", (gsize)-1, "mapping");
	assert_parse_refused("---\njust text\n---\n", (gsize)-1, "mapping");
	assert_parse_refused("---\na: 1\n--- b: 2\n---\n", (gsize)-1, "single YAML document");
	assert_parse_refused("---\n? [a]\n: b\n---\n", (gsize)-1, "keys");
	assert_parse_refused("---\na: !!python/object x\n---\n", (gsize)-1, "tag");
	assert_parse_refused("---\na: !!int x\n---\n", (gsize)-1, "tag");
	assert_parse_refused("---\na: b\n c\nd: [\n---\n", (gsize)-1, "line ");
}

/* k: [[[…1…]]] with `levels` brackets: the root mapping is level 1 */
static gchar *
nested_card(guint levels)
{
	g_autoptr(GString) str = g_string_new("---\nk: ");

	for (guint i = 0; i < levels; i++)
		g_string_append_c(str, '[');
	g_string_append_c(str, '1');
	for (guint i = 0; i < levels; i++)
		g_string_append_c(str, ']');
	g_string_append(str, "\n---\n");
	return g_string_free(g_steal_pointer(&str), FALSE);
}

static void
test_card_parse_limits(void)
{
	g_autofree gchar *deep_ok = nested_card(63);
	g_autofree gchar *too_deep = nested_card(64);
	g_autoptr(GString) big = g_string_new("---\nk: \"");
	g_autoptr(JsonNode) node = NULL;
	const gchar nul_text[] = "---\na: b\nc: d\n\ne: \0\n---\n";

	/* 64 levels are fine, 65 are not */
	node = parse_ok(deep_ok);
	assert_parse_refused(too_deep, (gsize)-1, "line 2: nested too deeply");
	/* more than 1 MiB of front matter */
	while (big->len < 1024 * 1024 + 10)
		g_string_append(big,
				"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	g_string_append(big, "\"\n---\n");
	assert_parse_refused(big->str, big->len, "larger than");
	/* NUL bytes and invalid UTF-8 are refused by libyaml, with a line */
	assert_parse_refused(nul_text, sizeof(nul_text) - 1, "line 5");
	assert_parse_refused("---\r\na: b\r\nc: \xff\xfe\r\n---\r\n", (gsize)-1, "line 3");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/policy/scan/hf-token", test_scan_hf_token);
	g_test_add_func("/policy/scan/base64", test_scan_base64);
	g_test_add_func("/policy/scan/aws", test_scan_aws);
	g_test_add_func("/policy/scan/pem", test_scan_pem);
	g_test_add_func("/policy/scan/binary", test_scan_binary);
	g_test_add_func("/policy/scan/chunk-boundaries", test_scan_chunk_boundaries);
	g_test_add_func("/policy/scan/chunk-word-boundary", test_scan_chunk_word_boundary);
	g_test_add_func("/policy/scan/file-errors", test_scan_file_errors);
	g_test_add_func("/policy/card/rule", test_card_rule);
	g_test_add_func("/policy/card/access", test_access_rule);
	g_test_add_func("/policy/card/parse-structure", test_card_parse_structure);
	g_test_add_func("/policy/card/parse-scalars", test_card_parse_scalars);
	g_test_add_func("/policy/card/parse-refused", test_card_parse_refused);
	g_test_add_func("/policy/card/parse-limits", test_card_parse_limits);
	return g_test_run();
}
