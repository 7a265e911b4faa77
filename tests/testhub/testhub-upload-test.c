/* testhub-upload-test.c: unit tests of the upload side's pure logic (no server). */
#include <string.h>

#include "testhub-card.h"
#include "testhub-commit.h"
#include "testhub-lfs.h"
#include "testhub-upload.h"
#include "testhub.h"

#define HUB_ATTRIBUTES                                           \
	"*.7z filter=lfs diff=lfs merge=lfs -text\n"             \
	"*.bin filter=lfs diff=lfs merge=lfs -text\n"            \
	"saved_model/**/* filter=lfs diff=lfs merge=lfs -text\n" \
	"*tfevents* filter=lfs diff=lfs merge=lfs -text\n"       \
	"# a comment\n"                                          \
	"docs/*.bin -filter\n"

static const gchar sha_a[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

/* ---- preupload rule ---- */

static void
test_mode_sizes(void)
{
	const guint8 text[] = "hello world\n";
	const guint8 binary[] = {'P', 'K', 0, 3, 4};

	g_assert_cmpint(testhub_upload_mode("empty.bin", 0, NULL, 0, HUB_ATTRIBUTES),
			==,
			TESTHUB_UPLOAD_REGULAR);
	g_assert_cmpint(testhub_upload_mode("a.txt", sizeof text, text, sizeof text - 1, NULL),
			==,
			TESTHUB_UPLOAD_REGULAR);
	g_assert_cmpint(testhub_upload_mode("a.txt", TESTHUB_REGULAR_MAX_SIZE, text, 12, NULL),
			==,
			TESTHUB_UPLOAD_REGULAR);
	g_assert_cmpint(testhub_upload_mode("a.txt", TESTHUB_REGULAR_MAX_SIZE + 1, text, 12, NULL),
			==,
			TESTHUB_UPLOAD_LFS);
	g_assert_cmpint(testhub_upload_mode("a.dat", 2 * 1000 * 1000, binary, sizeof binary, NULL),
			==,
			TESTHUB_UPLOAD_LFS);
	g_assert_cmpint(testhub_upload_mode("a.dat", 500 * 1000, binary, sizeof binary, NULL),
			==,
			TESTHUB_UPLOAD_REGULAR);
	g_assert_cmpint(testhub_upload_mode("a.dat", 2 * 1000 * 1000, text, 12, NULL),
			==,
			TESTHUB_UPLOAD_REGULAR);
}

static void
test_mode_gitattributes(void)
{
	const guint8 text[] = "tiny";

	g_assert_cmpint(testhub_upload_mode("w/model.bin", 4, text, 4, HUB_ATTRIBUTES),
			==,
			TESTHUB_UPLOAD_LFS);
	g_assert_cmpint(testhub_upload_mode("saved_model/v1/vars", 4, text, 4, HUB_ATTRIBUTES),
			==,
			TESTHUB_UPLOAD_LFS);
	g_assert_cmpint(testhub_upload_mode("runs/x.tfevents.123", 4, text, 4, HUB_ATTRIBUTES),
			==,
			TESTHUB_UPLOAD_LFS);
	/* a later -filter line unsets it */
	g_assert_cmpint(testhub_upload_mode("docs/x.bin", 4, text, 4, HUB_ATTRIBUTES),
			==,
			TESTHUB_UPLOAD_REGULAR);
	g_assert_cmpint(testhub_upload_mode("model.bin.txt", 4, text, 4, HUB_ATTRIBUTES),
			==,
			TESTHUB_UPLOAD_REGULAR);
}

static void
test_glob(void)
{
	g_assert_true(testhub_glob_match("*.bin", "a/b/c.bin"));
	g_assert_false(testhub_glob_match("/*.bin", "a/c.bin"));
	g_assert_true(testhub_glob_match("/*.bin", "c.bin"));
	g_assert_true(testhub_glob_match("a/*.bin", "a/c.bin"));
	g_assert_false(testhub_glob_match("a/*.bin", "a/b/c.bin"));
	g_assert_true(testhub_glob_match("**/c.bin", "c.bin"));
	g_assert_true(testhub_glob_match("**/c.bin", "x/y/c.bin"));
	g_assert_true(testhub_glob_match("a/**", "a/x/y"));
	g_assert_true(testhub_glob_match("a/**/b", "a/b"));
	g_assert_true(testhub_glob_match("a/**/b", "a/x/y/b"));
	g_assert_true(testhub_glob_match("[abc].md", "b.md"));
	g_assert_false(testhub_glob_match("[!abc].md", "b.md"));
	g_assert_true(testhub_glob_match("?.md", "x.md"));
	g_assert_false(testhub_glob_match("?.md", "xy.md"));
	g_assert_false(testhub_glob_match("", "x"));
}

static void
test_gitignore(void)
{
	const gchar *ignore = "# logs\n*.log\n!keep.log\nbuild/\n/root.txt\n\n";

	g_assert_true(testhub_gitignore_matches(ignore, "a/debug.log"));
	g_assert_false(testhub_gitignore_matches(ignore, "keep.log"));
	g_assert_true(testhub_gitignore_matches(ignore, "build/out.bin"));
	g_assert_true(testhub_gitignore_matches(ignore, "src/build/out.bin"));
	g_assert_false(testhub_gitignore_matches(ignore, "build"));
	g_assert_true(testhub_gitignore_matches(ignore, "root.txt"));
	g_assert_false(testhub_gitignore_matches(ignore, "sub/root.txt"));
	g_assert_false(testhub_gitignore_matches(ignore, "model.safetensors"));
	g_assert_false(testhub_gitignore_matches(NULL, "a.log"));
}

/* ---- commit payload ---- */

static void
test_ndjson_ok(void)
{
	g_autofree gchar *body = g_strdup_printf(
		"{\"key\":\"header\",\"value\":{\"summary\":\"Upload\",\"description\":\"d\","
		"\"parentCommit\":\"ABCDEF0123\"}}\r\n"
		"{\"key\":\"file\",\"value\":{\"path\":\"config.json\",\"content\":\"e30K\","
		"\"encoding\":\"base64\"}}\n"
		"\n"
		"{\"key\":\"file\",\"value\":{\"path\":\"notes.txt\",\"content\":\"héllo\","
		"\"encoding\":\"utf-8\"}}\n"
		"{\"key\":\"lfsFile\",\"value\":{\"path\":\"m.bin\",\"algo\":\"sha256\",\"oid\":\"%"
		"s\","
		"\"size\":5}}\n"
		"{\"key\":\"lfsFile\",\"value\":{\"path\":\"copy.bin\",\"algo\":\"sha256\",\"oid\":"
		"\"%s\"}}\n"
		"{\"key\":\"deletedFile\",\"value\":{\"path\":\"old.txt\"}}\n"
		"{\"key\":\"deletedFolder\",\"value\":{\"path\":\"logs/\"}}",
		sha_a,
		sha_a);
	g_autoptr(GError) error = NULL;
	g_autoptr(TesthubCommitRequest) req =
		testhub_commit_parse_ndjson(body, strlen(body), &error);
	TesthubCommitLine *line;

	g_assert_no_error(error);
	g_assert_nonnull(req);
	g_assert_cmpstr(req->summary, ==, "Upload");
	g_assert_cmpstr(req->description, ==, "d");
	g_assert_cmpstr(req->parent_commit, ==, "abcdef0123");
	g_assert_cmpuint(req->lines->len, ==, 6);
	line = g_ptr_array_index(req->lines, 0);
	g_assert_cmpint(line->kind, ==, TESTHUB_LINE_FILE);
	g_assert_cmpmem(g_bytes_get_data(line->content, NULL),
			g_bytes_get_size(line->content),
			"{}\n",
			3);
	line = g_ptr_array_index(req->lines, 1);
	g_assert_cmpuint(g_bytes_get_size(line->content), ==, strlen("héllo"));
	line = g_ptr_array_index(req->lines, 2);
	g_assert_cmpint(line->kind, ==, TESTHUB_LINE_LFS_FILE);
	g_assert_cmpstr(line->oid, ==, sha_a);
	g_assert_cmpint(line->size, ==, 5);
	line = g_ptr_array_index(req->lines, 3);
	g_assert_cmpint(line->size, ==, -1);
	line = g_ptr_array_index(req->lines, 5);
	g_assert_cmpint(line->kind, ==, TESTHUB_LINE_DELETED_FOLDER);
	g_assert_cmpstr(line->path, ==, "logs/");
}

static void
assert_ndjson_fails(const gchar *body)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TesthubCommitRequest) req =
		testhub_commit_parse_ndjson(body, strlen(body), &error);

	g_assert_null(req);
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

#define HEADER "{\"key\":\"header\",\"value\":{\"summary\":\"s\"}}\n"

static void
test_ndjson_malformed(void)
{
	g_autoptr(GString) deep = g_string_new(HEADER "{\"key\":\"file\",\"value\":");

	assert_ndjson_fails("");
	assert_ndjson_fails("not json\n");
	assert_ndjson_fails("[1,2]\n");
	assert_ndjson_fails("{\"key\":\"deletedFile\",\"value\":{\"path\":\"a\"}}\n" HEADER);
	assert_ndjson_fails(HEADER HEADER);
	assert_ndjson_fails("{\"key\":\"header\",\"value\":{\"description\":\"no summary\"}}\n");
	assert_ndjson_fails(
		"{\"key\":\"header\",\"value\":{\"summary\":\"s\",\"parentCommit\":\"xyz\"}}");
	assert_ndjson_fails(HEADER "{\"key\":\"rename\",\"value\":{\"path\":\"a\"}}");
	assert_ndjson_fails(HEADER "{\"key\":\"file\",\"value\":{\"path\":\"a\"}}");
	assert_ndjson_fails(HEADER "{\"key\":\"file\",\"value\":{\"path\":\"a\",\"content\":\"!!\","
				   "\"encoding\":\"base64\"}}");
	assert_ndjson_fails(HEADER "{\"key\":\"file\",\"value\":{\"path\":\"a\",\"content\":\"x\","
				   "\"encoding\":\"rot13\"}}");
	assert_ndjson_fails(HEADER
			    "{\"key\":\"lfsFile\",\"value\":{\"path\":\"a\",\"oid\":\"abc\"}}");
	assert_ndjson_fails(
		HEADER
		"{\"key\":\"lfsFile\",\"value\":{\"path\":\"a\",\"oid\":\""
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"size\":-1}}");
	assert_ndjson_fails(HEADER
			    "{\"key\":\"deletedFile\",\"value\":{\"path\":\"../etc/passwd\"}}");
	assert_ndjson_fails(HEADER "{\"key\":\"deletedFile\",\"value\":{\"path\":7}}");
	assert_ndjson_fails(HEADER "{\"key\":\"file\",\"value\":[]}");
	for (guint i = 0; i < 100; i++)
		g_string_append_c(deep, '[');
	assert_ndjson_fails(deep->str);
}

static void
test_commit_json_legacy(void)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(TesthubCommitRequest) req = NULL;
	const gchar *body =
		"{\"summary\":\"s\",\"files\":[{\"path\":\"a.txt\",\"content\":\"YQ==\","
		"\"encoding\":\"base64\"}],\"deletedFiles\":[{\"path\":\"b\"}]}";

	g_assert_true(json_parser_load_from_data(parser, body, -1, NULL));
	req = testhub_commit_parse_json(json_node_get_object(json_parser_get_root(parser)), &error);
	g_assert_no_error(error);
	g_assert_cmpuint(req->lines->len, ==, 2);
}

static void
test_paths(void)
{
	const gchar *good[] = {"a.txt",
			       "dir/sub/file.bin",
			       "weird name (1).txt",
			       ".gitattributes",
			       "a/.gitignore",
			       "é/ü.txt"};
	const gchar *bad[] = {"",
			      "/abs",
			      "a//b",
			      "a/../b",
			      "..",
			      "./a",
			      ".git/config",
			      "a/.git/x",
			      "a\\b",
			      "a/",
			      "tab\there"};

	for (guint i = 0; i < G_N_ELEMENTS(good); i++)
		g_assert_true(testhub_commit_validate_path(good[i], FALSE, NULL));
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;

		g_assert_false(testhub_commit_validate_path(bad[i], FALSE, &error));
		g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
	}
	g_assert_true(testhub_commit_validate_path("logs/", TRUE, NULL));
	g_assert_false(testhub_commit_validate_path("logs//", TRUE, NULL));
	g_assert_false(testhub_commit_validate_path(NULL, FALSE, NULL));
}

/* ---- multipart ---- */

static JsonArray *
parts_from(const gchar *json)
{
	g_autoptr(JsonParser) parser = json_parser_new();

	g_assert_true(json_parser_load_from_data(parser, json, -1, NULL));
	return json_array_ref(json_node_get_array(json_parser_get_root(parser)));
}

static void
check_parts(const gchar *json, gchar **etags, guint n, gboolean expected)
{
	g_autoptr(JsonArray) parts = parts_from(json);
	g_autoptr(GError) error = NULL;
	gboolean ok = testhub_lfs_check_completion(parts, n, etags, &error);

	g_assert_cmpint(ok, ==, expected);
	if (!expected)
		g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

static void
test_multipart(void)
{
	gchar e1[] = "\"e1\"";
	gchar e2[] = "\"e2\"";
	gchar *etags[] = {e1, e2, NULL};
	gchar *partial[] = {e1, NULL, NULL};

	g_assert_cmpuint(testhub_lfs_part_count(3 * 1048576, 1048576), ==, 3);
	g_assert_cmpuint(testhub_lfs_part_count(3 * 1048576 + 1, 1048576), ==, 4);
	g_assert_cmpuint(testhub_lfs_part_count(1, 1048576), ==, 1);
	g_assert_cmpuint(testhub_lfs_part_count(0, 1048576), ==, 0);
	g_assert_cmpuint(testhub_lfs_effective_chunk(100, 10), ==, 10);
	g_assert_cmpuint(testhub_lfs_part_count(
				 G_GUINT64_CONSTANT(1) << 40,
				 testhub_lfs_effective_chunk(G_GUINT64_CONSTANT(1) << 40, 1048576)),
			 <=,
			 TESTHUB_LFS_MAX_PARTS);

	g_assert_true(testhub_etag_equal("\"abc\"", "abc"));
	g_assert_true(testhub_etag_equal("W/\"abc\"", "\"abc\""));
	g_assert_false(testhub_etag_equal("\"abc\"", "\"abd\""));
	g_assert_false(testhub_etag_equal("", ""));
	g_assert_false(testhub_etag_equal(NULL, "a"));

	check_parts(
		"[{\"partNumber\":1,\"etag\":\"\\\"e1\\\"\"},{\"partNumber\":2,\"etag\":\"e2\"}]",
		etags,
		2,
		TRUE);
	check_parts("[{\"partNumber\":2,\"etag\":\"e2\"},{\"partNumber\":1,\"etag\":\"e1\"}]",
		    etags,
		    2,
		    FALSE);
	check_parts("[{\"partNumber\":1,\"etag\":\"e1\"}]", etags, 2, FALSE);
	check_parts("[{\"partNumber\":1,\"etag\":\"e1\"},{\"partNumber\":2,\"etag\":\"zz\"}]",
		    etags,
		    2,
		    FALSE);
	check_parts("[{\"partNumber\":1,\"etag\":\"e1\"},{\"partNumber\":2,\"etag\":\"e2\"}]",
		    partial,
		    2,
		    FALSE);
	check_parts("[{\"partNumber\":1,\"etag\":5},{\"partNumber\":2,\"etag\":\"e2\"}]",
		    etags,
		    2,
		    FALSE);
	check_parts("[1, 2]", etags, 2, FALSE);
}

/* ---- cards ---- */

static JsonObject *
parse_card(const gchar *text)
{
	g_autoptr(GError) error = NULL;
	JsonNode *node = testhub_card_parse_front_matter(text, strlen(text), &error);
	JsonObject *obj;

	g_assert_no_error(error);
	g_assert_nonnull(node);
	obj = json_object_ref(json_node_get_object(node));
	json_node_unref(node);
	return obj;
}

static void
test_front_matter(void)
{
	g_autoptr(JsonObject) card = parse_card(
		"\n\n---\r\nlicense: mit\r\ntags:\r\n- a\r\n- 'b'\r\nmodel-index:\r\n- name: m\r\n"
		"  results:\r\n  - metrics: [{type: wer, value: 20.9, verified: false}]\r\n"
		"count: 12\r\nhex: 0x1f\r\nzip: 0123\r\nempty:\r\nyes_no: yes\r\nquoted: \"1\"\r\n"
		"version: 1.0\r\nnot_float: 1e5\r\n--- \r\n# Title\n");
	JsonArray *tags = json_object_get_array_member(card, "tags");
	JsonObject *metric;

	g_assert_cmpstr(json_object_get_string_member(card, "license"), ==, "mit");
	g_assert_cmpuint(json_array_get_length(tags), ==, 2);
	g_assert_cmpstr(json_array_get_string_element(tags, 1), ==, "b");
	g_assert_cmpint(json_object_get_int_member(card, "count"), ==, 12);
	g_assert_cmpint(json_object_get_int_member(card, "hex"), ==, 31);
	g_assert_cmpstr(json_object_get_string_member(card, "zip"), ==, "0123");
	g_assert_true(json_object_get_null_member(card, "empty"));
	g_assert_true(json_object_get_boolean_member(card, "yes_no"));
	g_assert_cmpstr(json_object_get_string_member(card, "quoted"), ==, "1");
	g_assert_cmpfloat(json_object_get_double_member(card, "version"), ==, 1.0);
	g_assert_cmpstr(json_object_get_string_member(card, "not_float"), ==, "1e5");
	metric = json_array_get_object_element(
		json_object_get_array_member(
			json_array_get_object_element(
				json_object_get_array_member(
					json_array_get_object_element(
						json_object_get_array_member(card, "model-index"),
						0),
					"results"),
				0),
			"metrics"),
		0);
	g_assert_cmpfloat(json_object_get_double_member(metric, "value"), ==, 20.9);
	g_assert_false(json_object_get_boolean_member(metric, "verified"));
}

static void
test_front_matter_edges(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) empty = parse_card("---\n---\nbody");
	g_autoptr(JsonObject) merged = parse_card(
		"---\nbase: &b {x: 1, y: 2}\nderived:\n  <<: *b\n  y: 3\nref: *b\n---\n");
	JsonObject *derived = json_object_get_object_member(merged, "derived");
	JsonNode *node;
	const gchar *bomb = "---\n"
			    "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
			    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
			    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
			    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
			    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
			    "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
			    "---\n";

	g_assert_cmpuint(json_object_get_size(empty), ==, 0);
	g_assert_cmpint(json_object_get_int_member(derived, "x"), ==, 1);
	g_assert_cmpint(json_object_get_int_member(derived, "y"), ==, 3);
	g_assert_cmpint(
		json_object_get_int_member(json_object_get_object_member(merged, "ref"), "y"),
		==,
		2);

	/* no front matter: NULL without error */
	node = testhub_card_parse_front_matter("# Title\n---\nx: 1\n---\n", 21, &error);
	g_assert_null(node);
	g_assert_no_error(error);
	node = testhub_card_parse_front_matter("---\nno end\n", 11, &error);
	g_assert_null(node);
	g_assert_no_error(error);

	node = testhub_card_parse_front_matter("---\nkey: [unclosed\n---\n", 23, &error);
	g_assert_null(node);
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
	g_clear_error(&error);

	node = testhub_card_parse_front_matter("---\n- a\n- b\n---\n", 16, &error);
	g_assert_null(node);
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
	g_clear_error(&error);

	node = testhub_card_parse_front_matter("---\nx: *nope\n---\n", 17, &error);
	g_assert_null(node);
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
	g_clear_error(&error);

	node = testhub_card_parse_front_matter(bomb, strlen(bomb), &error);
	g_assert_null(node);
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

static void
test_front_matter_depth(void)
{
	g_autoptr(GString) text = g_string_new("---\nx: ");
	g_autoptr(GError) error = NULL;
	JsonNode *node;

	for (guint i = 0; i < 200; i++)
		g_string_append_c(text, '[');
	for (guint i = 0; i < 200; i++)
		g_string_append_c(text, ']');
	g_string_append(text, "\n---\n");
	node = testhub_card_parse_front_matter(text->str, text->len, &error);
	g_assert_null(node);
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

static guint
validate_errors(const gchar *text, guint *n_warnings)
{
	g_autoptr(JsonObject) card = parse_card(text);
	g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);

	testhub_card_validate(card, errors, warnings);
	if (n_warnings != NULL)
		*n_warnings = warnings->len;
	return errors->len;
}

static void
test_licenses(void)
{
	g_autoptr(JsonObject) card = parse_card("---\nlicense: my-own\n---\n");
	g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
	guint n_warnings = 0;

	g_assert_true(testhub_card_license_is_known("apache-2.0"));
	g_assert_true(testhub_card_license_is_known("llama3.1"));
	g_assert_true(testhub_card_license_is_known("openrail++"));
	g_assert_false(testhub_card_license_is_known("Apache-2.0"));
	g_assert_false(testhub_card_license_is_known(NULL));

	testhub_card_validate(card, errors, warnings);
	g_assert_cmpuint(errors->len, ==, 1);
	g_assert_nonnull(strstr(g_ptr_array_index(errors, 0), "\"my-own\""));
	g_assert_nonnull(strstr(g_ptr_array_index(errors, 0), "\"license\" must be one of"));

	g_assert_cmpuint(validate_errors("---\nlicense: mit\n---\n", NULL), ==, 0);
	g_assert_cmpuint(validate_errors("---\ntags: [x]\n---\n", NULL), ==, 0);
	g_assert_cmpuint(validate_errors("---\nlicense: [mit, cc-by-4.0]\n---\n", NULL), ==, 0);
	g_assert_cmpuint(validate_errors("---\nlicense: [mit, nope]\n---\n", NULL), ==, 1);
	g_assert_cmpuint(validate_errors("---\nlicense: 3\n---\n", NULL), ==, 1);
	g_assert_cmpuint(validate_errors("---\nlicense: other\n---\n", NULL), ==, 1);
	g_assert_cmpuint(
		validate_errors("---\nlicense: other\nlicense_name: mine\n---\n", &n_warnings),
		==,
		0);
	g_assert_cmpuint(n_warnings, ==, 1);
	g_assert_cmpuint(validate_errors("---\nlicense: other\nlicense_name: mine\n"
					 "license_link: LICENSE\n---\n",
					 &n_warnings),
			 ==,
			 0);
	g_assert_cmpuint(n_warnings, ==, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/testhub/upload/mode/sizes", test_mode_sizes);
	g_test_add_func("/testhub/upload/mode/gitattributes", test_mode_gitattributes);
	g_test_add_func("/testhub/upload/glob", test_glob);
	g_test_add_func("/testhub/upload/gitignore", test_gitignore);
	g_test_add_func("/testhub/commit/ndjson", test_ndjson_ok);
	g_test_add_func("/testhub/commit/ndjson-malformed", test_ndjson_malformed);
	g_test_add_func("/testhub/commit/json-legacy", test_commit_json_legacy);
	g_test_add_func("/testhub/commit/paths", test_paths);
	g_test_add_func("/testhub/lfs/multipart", test_multipart);
	g_test_add_func("/testhub/card/front-matter", test_front_matter);
	g_test_add_func("/testhub/card/front-matter-edges", test_front_matter_edges);
	g_test_add_func("/testhub/card/front-matter-depth", test_front_matter_depth);
	g_test_add_func("/testhub/card/licenses", test_licenses);
	return g_test_run();
}
