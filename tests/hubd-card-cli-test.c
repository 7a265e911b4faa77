/* hubd-card-cli-test.c: `hubctl card show|validate|create|set` against hubd
 * and the local Hub — the seed's pattern as one `card create … --push`, the
 * pushed card loaded by huggingface_hub's rules, validate's exit codes and
 * lines, `card set` keeping the rest of README.md, and the upload policy
 * refusing a card-less model and an undocumented dataset */
#define G_LOG_DOMAIN "HubdCardCliTest"

#include <string.h>

#include "hubd-repo-cli.h"

static gchar *
write_file(Fixture *f, const gchar *name, const gchar *text)
{
	g_autoptr(GError) error = NULL;
	gchar *path = g_build_filename(f->tmp, name, NULL);

	g_file_set_contents(path, text, -1, &error);
	g_assert_no_error(error);
	return path;
}

static gchar *
hub_readme(Fixture *f, const gchar *prefix, const gchar *repo_id, const gchar *rev)
{
	g_autofree gchar *path =
		g_strdup_printf("/%s%s/resolve/%s/README.md", prefix, repo_id, rev);
	gchar *body = NULL;

	g_assert_cmpuint(hub_http(f, "GET", path, ALICE_WRITE, NULL, NULL, &body), ==, 200);
	return body;
}

/* tests/card-load-check.py: ModelCard.load when huggingface_hub is there,
 * else its parsing rules with PyYAML; the metadata it read */
static JsonObject *
load_like_huggingface_hub(const gchar *path, const gchar *kind)
{
	g_autofree gchar *script = g_test_build_filename(G_TEST_DIST, "card-load-check.py", NULL);
	const gchar *argv[] = {"python3", script, path, kind, NULL};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_auto(GStrv) lines = NULL;
	gint status = 0;

	g_spawn_sync(NULL,
		     (gchar **)argv,
		     NULL,
		     G_SPAWN_SEARCH_PATH,
		     NULL,
		     NULL,
		     &out,
		     &err,
		     &status,
		     &error);
	g_assert_no_error(error);
	if (!g_spawn_check_wait_status(status, NULL))
		g_error("the card does not load: %s%s", out, err);
	lines = g_strsplit(out, "\n", 3);
	g_test_message("%s", lines[0]); /* which loader ran */
	g_assert_nonnull(lines[1]);
	node = json_from_string(lines[1], &error);
	g_assert_no_error(error);
	return json_object_ref(json_node_get_object(node));
}

/* ---- the seed's pattern: one command, one card ---- */

static void
test_create_push(Fixture *f, gconstpointer data)
{
	g_autofree gchar *uses = write_file(f, "uses.md", "Call `add(1, 2)`.\n");
	g_autofree gchar *uses_arg = g_strconcat("uses=@", uses, NULL);
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *readme = NULL;
	g_autofree gchar *local = NULL;
	g_autoptr(JsonObject) loaded = NULL;
	g_autoptr(JsonNode) meta = NULL;
	JsonObject *metric;
	gint rc;

	create_repo("alice/seed");
	rc = hubctl(&out,
		    &err,
		    "card",
		    "create",
		    "alice/seed",
		    "--template",
		    "model",
		    "--license",
		    "apache-2.0",
		    "--language",
		    "en",
		    "--language",
		    "fr",
		    "--library-name",
		    "transformers",
		    "--tag",
		    "demo",
		    "--dataset",
		    "alice/digits",
		    "--task",
		    "text-classification",
		    "--metric",
		    "accuracy=0.91",
		    "--metric",
		    "f1",
		    "--section",
		    "model_description=Adds two digits.",
		    "--section",
		    "training_procedure=Three epochs on digits.",
		    "--section",
		    "evaluation_results=91% on the test split.",
		    "--section",
		    uses_arg,
		    "--push",
		    NULL);
	g_assert_cmpint(rc, ==, 0);
	g_assert_cmpstr(err, ==, "");
	g_assert_true(g_str_has_prefix(out, f->hub->url));
	g_assert_nonnull(strstr(out, "/alice/seed/commit/"));

	readme = hub_readme(f, "", "alice/seed", "main");
	g_assert_nonnull(strstr(readme, "# Model Card for seed\n"));
	g_assert_nonnull(strstr(readme, "Call `add(1, 2)`."));
	g_assert_nonnull(strstr(readme, "Three epochs on digits."));

	/* what huggingface_hub would read from it */
	local = write_file(f, "README.md", readme);
	loaded = load_like_huggingface_hub(local, "model");
	g_assert_cmpstr(json_object_get_string_member(loaded, "license"), ==, "apache-2.0");
	g_assert_cmpstr(json_object_get_string_member(loaded, "pipeline_tag"),
			==,
			"text-classification");
	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(loaded, "metrics")),
			 ==,
			 2);
	metric = json_array_get_object_element(
		json_object_get_array_member(
			json_array_get_object_element(
				json_object_get_array_member(
					json_array_get_object_element(
						json_object_get_array_member(loaded, "model-index"),
						0),
					"results"),
				0),
			"metrics"),
		0);
	g_assert_cmpstr(json_object_get_string_member(metric, "type"), ==, "accuracy");
	g_assert_cmpfloat(json_object_get_double_member(metric, "value"), ==, 0.91);

	/* show: the text as pushed, the metadata as JSON */
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubctl(&text, NULL, "card", "show", "alice/seed", "--text", NULL), ==, 0);
	g_assert_cmpstr(text, ==, readme);
	g_assert_cmpint(hubctl(&out, NULL, "card", "show", "alice/seed", "--metadata", NULL),
			==,
			0);
	meta = json_from_string(out, NULL);
	g_assert_nonnull(meta);
	g_assert_cmpstr(json_object_get_string_member(json_node_get_object(meta), "library_name"),
			==,
			"transformers");

	/* -o FILE writes the same card without pushing; a value without --task is refused */
	{
		g_autofree gchar *file = g_build_filename(f->tmp, "card.md", NULL);
		g_autofree gchar *written = NULL;
		g_autofree gchar *e2 = NULL;

		g_assert_cmpint(hubctl(NULL,
				       NULL,
				       "card",
				       "create",
				       "alice/other",
				       "--template",
				       "dataset",
				       "--license",
				       "cc-by-4.0",
				       "--section",
				       "dataset_structure=One CSV file.",
				       "-o",
				       file,
				       NULL),
				==,
				0);
		g_assert_true(g_file_get_contents(file, &written, NULL, NULL));
		g_assert_nonnull(strstr(written, "# Dataset Card for other\n"));
		g_assert_nonnull(strstr(written, "One CSV file."));
		g_assert_cmpint(hubctl(NULL,
				       &e2,
				       "card",
				       "create",
				       "alice/x",
				       "--template",
				       "model",
				       "--license",
				       "mit",
				       "--metric",
				       "acc=1",
				       NULL),
				==,
				64);
		g_assert_nonnull(strstr(e2, "--task"));
	}
}

/* ---- validate ---- */

static void
test_validate(Fixture *f, gconstpointer data)
{
	g_autofree gchar *bad =
		write_file(f,
			   "bad.md",
			   "---\ntags:\n- a\nlicense: apache2\nlanguage: English\n---\n"
			   "# M\n\n## Uses\n\n[More Information Needed]\n");
	g_autofree gchar *good = write_file(f,
					    "good.md",
					    "---\nlicense: mit\n---\n# M\n\n"
					    "## Model Description\n\nIt adds.\n\n"
					    "## Uses\n\nCall it.\n");
	g_autofree gchar *out = NULL;
	g_autofree gchar *want = NULL;
	g_autoptr(JsonNode) json = NULL;

	g_assert_cmpint(hubctl(&out, NULL, "card", "validate", bad, NULL), ==, 1);
	want = g_strdup_printf("%s:4: error: “apache2” is not one of the Hub's licence", bad);
	g_assert_nonnull(strstr(out, want));
	g_assert_nonnull(strstr(out, "[license-unknown]"));
	g_clear_pointer(&want, g_free);
	want = g_strdup_printf("%s:5: error: “English” is not an ISO 639-1", bad);
	g_assert_nonnull(strstr(out, want));
	g_clear_pointer(&want, g_free);
	want = g_strdup_printf("%s:9: error: The “Uses” section is empty", bad);
	g_assert_nonnull(strstr(out, want));

	/* only warnings: exit 0 */
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubctl(&out, NULL, "card", "validate", good, NULL), ==, 0);
	g_assert_null(strstr(out, ": error: "));
	g_assert_nonnull(strstr(out, ": warning: "));

	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubctl(&out, NULL, "card", "validate", "--json", bad, NULL), ==, 1);
	json = json_from_string(out, NULL);
	g_assert_true(JSON_NODE_HOLDS_ARRAY(json));
	{
		g_autofree gchar *rules = json_column(json, "rule");
		g_assert_nonnull(strstr(rules, "license-unknown"));
	}

	/* a repo's card: no README is an error naming it */
	{
		g_autofree gchar *err = NULL;

		g_autofree gchar *oid = NULL;
		g_autofree gchar *o2 = NULL;
		g_autofree gchar *e2 = NULL;
		gint rc;

		/* a repo whose front matter does not parse: every problem, with lines */
		create_repo("alice/broken");
		oid = hub_commit(f,
				 "alice/broken",
				 "card",
				 "README.md",
				 "---\nlicense: mit\ntags: [a\n---\n# B\n",
				 NULL);
		g_assert_cmpint(hubctl(&o2, NULL, "card", "validate", "alice/broken", NULL), ==, 1);
		g_assert_nonnull(strstr(o2, "alice/broken/README.md:4: error: "));
		g_assert_nonnull(strstr(o2, "[yaml-invalid]"));
		rc = hubctl(NULL, &e2, "card", "show", "alice/broken", NULL);
		assert_failed(rc, e2, "line 4");

		create_repo("alice/empty");
		g_assert_cmpint(hubctl(NULL, &err, "card", "validate", "alice/empty", NULL), ==, 1);
		assert_failed(1, err, "README.md");
	}
}

/* ---- set ---- */

static void
test_set(Fixture *f, gconstpointer data)
{
	const gchar *head = "---\nlicense: mit # chosen\n";
	const gchar *body = "---\n\n# Kept\n\nExactly  as  it was.\n";
	g_autofree gchar *card = g_strconcat(head, "tags: [x]\n", body, NULL);
	g_autofree gchar *oid = NULL;
	g_autofree gchar *readme = NULL;
	g_autofree gchar *want = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	gint rc;

	create_repo("alice/set");
	oid = hub_commit(f, "alice/set", "card", "README.md", card, NULL);
	assert_quiet_ok("card", "set", "alice/set", "tags=[a, b]", "new_version=alice/set2");
	readme = hub_readme(f, "", "alice/set", "main");
	want = g_strconcat(head, "tags:\n- a\n- b\n", "new_version: alice/set2\n", body, NULL);
	g_assert_cmpstr(readme, ==, want);

	/* a pull request prints its URL; main does not move */
	g_assert_cmpint(
		hubctl(&out, NULL, "card", "set", "alice/set", "tags=", "--create-pr", NULL),
		==,
		0);
	g_assert_nonnull(strstr(out, "/alice/set/discussions/"));
	g_clear_pointer(&readme, g_free);
	readme = hub_readme(f, "", "alice/set", "main");
	g_assert_cmpstr(readme, ==, want);

	/* a bad change: usage; a licence the Hub does not know: the policy */
	g_assert_cmpint(hubctl(NULL, &err, "card", "set", "alice/set", "license", NULL), ==, 64);
	g_clear_pointer(&err, g_free);
	rc = hubctl(NULL, &err, "card", "set", "alice/set", "license=apache2", NULL);
	assert_failed(rc, err, "not one of the Hub's licence identifiers");
}

/* ---- the upload policy ---- */

static void
test_upload_policy(Fixture *f, gconstpointer data)
{
	g_autofree gchar *model = g_build_filename(f->tmp, "model", NULL);
	g_autofree gchar *dataset = g_build_filename(f->tmp, "dataset", NULL);
	g_autofree gchar *weights = NULL;
	g_autofree gchar *readme = NULL;
	g_autofree gchar *csv = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *out = NULL;
	gint rc;

	g_assert_cmpint(g_mkdir_with_parents(model, 0700), ==, 0);
	g_assert_cmpint(g_mkdir_with_parents(dataset, 0700), ==, 0);
	weights = write_file(f, "model/weights.bin", "0123");
	csv = write_file(f, "dataset/data.csv", "n\n1\n");
	readme = write_file(f, "dataset/README.md", "---\nlicense: cc-by-4.0\n---\n");

	/* a card-less model */
	rc = hubctl(NULL, &err, "upload", "alice/nocard", model, NULL);
	assert_failed(rc, err, "needs a card");
	/* a licence-less model */
	g_clear_pointer(&err, g_free);
	g_clear_pointer(&readme, g_free);
	readme = write_file(f, "model/README.md", "---\ntags: [x]\n---\n# M\n");
	rc = hubctl(NULL, &err, "upload", "alice/nolicence", model, NULL);
	assert_failed(rc, err, "no licence");
	/* an undocumented dataset: the exact fix */
	g_clear_pointer(&err, g_free);
	rc = hubctl(NULL, &err, "upload", "--type", "dataset", "alice/undoc", dataset, NULL);
	assert_failed(rc, err, "add a “## Dataset Structure” section");
	/* documented, it goes */
	g_clear_pointer(&readme, g_free);
	readme =
		write_file(f,
			   "dataset/README.md",
			   "---\nlicense: cc-by-4.0\n---\n## Dataset Structure\n\nOne column n.\n");
	g_assert_cmpint(
		hubctl(&out, NULL, "upload", "--type", "dataset", "alice/undoc", dataset, NULL),
		==,
		0);

	/* a card asking for a gate, on a repo that is not gated: the setting to change */
	g_clear_pointer(&readme, g_free);
	readme = write_file(f,
			    "model/README.md",
			    "---\nlicense: mit\nextra_gated_prompt: Agree?\n---\n# M\n\nText.\n");
	create_repo("alice/gatedm");
	g_clear_pointer(&err, g_free);
	rc = hubctl(NULL, &err, "upload", "alice/gatedm", model, NULL);
	assert_failed(rc, err, "README.md:3: the card asks for gated access (extra_gated_prompt)");
	g_assert_nonnull(strstr(err, "hubctl repo settings alice/gatedm --gated manual"));
	g_assert_cmpint(
		hubctl(NULL, NULL, "repo", "settings", "alice/gatedm", "--gated", "manual", NULL),
		==,
		0);
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(hubctl(&out, NULL, "upload", "alice/gatedm", model, NULL), ==, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/card-cli/create-push",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_create_push,
		   fixture_teardown);
	g_test_add("/card-cli/validate",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_validate,
		   fixture_teardown);
	g_test_add("/card-cli/set", Fixture, NULL, fixture_setup, test_set, fixture_teardown);
	g_test_add("/card-cli/upload-policy",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_upload_policy,
		   fixture_teardown);
	return g_test_run();
}
