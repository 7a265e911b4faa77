/* hubd-cards-test.c: org.hubd.Hub1.Cards against the local Hub — render →
 * validate → push → GetCard round trip, front-matter edits that leave the
 * rest of README.md byte for byte, pull requests, validate-yaml, and the
 * publishing policy refusing what the seed's red lines forbid */
#define G_LOG_DOMAIN "HubdCardsTest"

#include <string.h>

#include "hubd-repos-test-util.h"

#define CARDS_IFACE "org.hubd.Hub1.Cards"

static GVariant *
cards_call(Fixture *f, const gchar *method, GVariant *params, const gchar *reply, GError **error)
{
	return hubd_test_call(f->bus,
			      CARDS_IFACE,
			      method,
			      params,
			      reply != NULL ? G_VARIANT_TYPE(reply) : NULL,
			      error);
}

static GVariant *
cards_ok(Fixture *f, const gchar *method, GVariant *params, const gchar *reply)
{
	g_autoptr(GError) error = NULL;
	GVariant *r = cards_call(f, method, params, reply, &error);

	g_assert_no_error(error);
	return r;
}

/* the D-Bus error of a call that must fail; its message in *message */
static gchar *
cards_error(Fixture *f, const gchar *method, GVariant *params, gchar **message)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) r = cards_call(f, method, params, NULL, &error);

	gchar *name;

	g_assert_null(r);
	g_assert_nonnull(error);
	name = g_dbus_error_get_remote_error(error);
	if (message != NULL) {
		g_dbus_error_strip_remote_error(error);
		*message = g_strdup(error->message);
	}
	return name != NULL ? name : g_strdup("");
}

/* README.md on the Hub, read directly; NULL when there is none */
static gchar *
hub_readme(Fixture *f, const gchar *type_prefix, const gchar *id, const gchar *rev)
{
	g_autofree gchar *path =
		g_strdup_printf("/%s%s/resolve/%s/README.md", type_prefix, id, rev);
	gchar *body = NULL;
	guint status = hub_http(f, "GET", path, ALICE_WRITE, NULL, NULL, &body);

	if (status == 404) {
		g_free(body);
		return NULL;
	}
	g_assert_cmpuint(status, ==, 200);
	return body;
}

static GVariant *
push_params(const gchar *type, const gchar *id, const gchar *text, const gchar *options)
{
	return g_variant_new("(sss@a{sv})",
			     type,
			     id,
			     text,
			     g_variant_new_parsed(options != NULL ? options : "@a{sv} {}"));
}

static gchar *
push(Fixture *f, const gchar *type, const gchar *id, const gchar *text, const gchar *options)
{
	g_autoptr(GVariant) r =
		cards_ok(f, "PushCard", push_params(type, id, text, options), "(a{sv})");
	g_autoptr(GVariant) result = g_variant_get_child_value(r, 0);

	return dict_string(result, "commit_oid");
}

/* ---- render → validate → push → GetCard ---- */

static gchar *
render_model(Fixture *f)
{
	g_autoptr(GVariant) r = NULL;
	gchar *text = NULL;

	r = cards_ok(
		f,
		"RenderCard",
		g_variant_new_parsed(
			"('model', {'license': <'apache-2.0'>, 'language': <['en', 'fr']>, "
			"'library_name': <'transformers'>, 'tags': <['demo', 'yes']>, "
			"'datasets': <['alice/digits']>, 'metrics': <['accuracy']>, "
			"'eval_results': <[{'task_type': <'text-classification'>, "
			"'dataset_type': <'alice/digits'>, 'dataset_name': <'Digits'>, "
			"'metric_type': <'accuracy'>, 'metric_value': <0.875>}]>}, "
			"{'model_description': 'Adds digits.', 'uses': 'Sums.', "
			"'training_procedure': 'Two epochs.', 'evaluation_results': '87.5%%.'}, "
			"{'title': <'tiny'>})"),
		"(s)");
	g_variant_get(r, "(s)", &text);
	return text;
}

static void
test_round_trip(Fixture *f, gconstpointer data)
{
	g_autofree gchar *url = create(f, "model", "alice/tiny", NULL);
	g_autofree gchar *text = render_model(f);
	g_autofree gchar *oid = NULL;
	g_autofree gchar *on_hub = NULL;
	g_autofree gchar *json = NULL;
	g_autofree gchar *got = NULL;
	g_autoptr(GVariant) problems = NULL;
	g_autoptr(GVariant) r = NULL;
	g_autoptr(GVariant) meta = NULL;
	g_autoptr(GVariant) language = NULL;
	g_autoptr(JsonNode) node = NULL;
	JsonObject *result;
	GVariantIter iter;
	const gchar *level;
	guint n_errors = 0;

	g_assert_true(g_str_has_prefix(text, "---\nlanguage:\n- en\n- fr\nlicense: apache-2.0\n"));
	g_assert_nonnull(strstr(text, "\n### Model Description\n"));
	g_assert_nonnull(strstr(text, "Adds digits."));

	/* what RenderCard writes passes ValidateCard (warnings for the
	 * sections left alone, no errors) */
	r = cards_ok(f,
		     "ValidateCard",
		     g_variant_new("(ss@a{sv})", "model", text, g_variant_new_parsed("@a{sv} {}")),
		     "(a(ussss))");
	problems = g_variant_get_child_value(r, 0);
	g_assert_cmpuint(g_variant_n_children(problems), >, 0);
	g_variant_iter_init(&iter, problems);
	while (g_variant_iter_next(&iter, "(u&s&s&s&s)", NULL, &level, NULL, NULL, NULL))
		n_errors += g_strcmp0(level, "error") == 0;
	g_assert_cmpuint(n_errors, ==, 0);
	g_clear_pointer(&r, g_variant_unref);

	oid = push(f, "model", "alice/tiny", text, NULL);
	g_assert_cmpuint(strlen(oid), ==, 40);
	on_hub = hub_readme(f, "", "alice/tiny", "main");
	g_assert_cmpstr(on_hub, ==, text);

	/* GetCard: the same text, typed metadata and the same as JSON */
	r = cards_ok(f,
		     "GetCard",
		     g_variant_new_parsed("('model', 'alice/tiny', '', @a{sv} {})"),
		     "(a{sv}ss)");
	g_variant_get(r, "(@a{sv}ss)", &meta, &json, &got);
	g_assert_cmpstr(got, ==, text);
	{
		g_autofree gchar *license = dict_string(meta, "license");
		g_assert_cmpstr(license, ==, "apache-2.0");
	}
	language = g_variant_lookup_value(meta, "language", G_VARIANT_TYPE("av"));
	g_assert_nonnull(language);
	g_assert_cmpuint(g_variant_n_children(language), ==, 2);
	node = json_from_string(json, NULL);
	result = json_array_get_object_element(
		json_object_get_array_member(
			json_array_get_object_element(
				json_object_get_array_member(json_node_get_object(node),
							     "model-index"),
				0),
			"results"),
		0);
	g_assert_cmpfloat(json_object_get_double_member(
				  json_array_get_object_element(
					  json_object_get_array_member(result, "metrics"),
					  0),
				  "value"),
			  ==,
			  0.875);
	/* parent_commit: checked before anything is sent, then by the Hub */
	{
		g_autofree gchar *opts = g_strdup_printf("{'parent_commit': <'%s'>}", oid);
		g_autofree gchar *again = NULL;
		g_autofree gchar *name = NULL;

		name = cards_error(
			f,
			"PushCard",
			push_params("model", "alice/tiny", text, "{'parent_commit': <'xyz'>}"),
			NULL);
		g_assert_cmpstr(name, ==, ERR "InvalidArgument");
		again = push(f, "model", "alice/tiny", text, opts);
		g_clear_pointer(&name, g_free);
		/* the branch moved on since `oid` */
		name = cards_error(f,
				   "PushCard",
				   push_params("model", "alice/tiny", text, opts),
				   NULL);
		g_assert_cmpstr(name, ==, ERR "Conflict");
	}
	/* the Hub's repo info reads the same card */
	{
		g_autofree gchar *info = NULL;

		g_assert_cmpuint(
			hub_http(f, "GET", "/api/models/alice/tiny", NULL, NULL, NULL, &info),
			==,
			200);
		g_assert_nonnull(strstr(info, "\"library_name\":\"transformers\""));
	}
}

static void
test_get_missing(Fixture *f, gconstpointer data)
{
	g_autofree gchar *url = create(f, "model", "alice/bare", NULL);
	g_autofree gchar *name =
		cards_error(f,
			    "GetCard",
			    g_variant_new_parsed("('model', 'alice/bare', '', @a{sv} {})"),
			    NULL);

	g_assert_cmpstr(name, ==, ERR "EntryNotFound");
	g_free(name);
	name = cards_error(f,
			   "GetCard",
			   g_variant_new_parsed("('model', 'no such', '', @a{sv} {})"),
			   NULL);
	g_assert_cmpstr(name, ==, ERR "InvalidArgument");
}

/* ---- validate-yaml ---- */

static void
test_validate_remote(Fixture *f, gconstpointer data)
{
	const gchar *bad = "---\ntags:\n- a\nlicense: apache2\n---\n# M\n\nText.\n";
	g_autoptr(GVariant) r = cards_ok(f,
					 "ValidateCard",
					 g_variant_new("(ss@a{sv})",
						       "model",
						       bad,
						       g_variant_new_parsed("{'remote': <true>}")),
					 "(a(ussss))");
	g_autoptr(GVariant) problems = g_variant_get_child_value(r, 0);
	GVariantIter iter;
	const gchar *rule;
	const gchar *message;
	guint line;
	gboolean local = FALSE;
	gboolean hub = FALSE;

	g_variant_iter_init(&iter, problems);
	while (g_variant_iter_next(&iter, "(u&s&s&s&s)", &line, NULL, &rule, NULL, &message)) {
		if (g_strcmp0(rule, "license-unknown") == 0) {
			g_assert_cmpuint(line, ==, 4);
			local = TRUE;
		}
		if (g_strcmp0(rule, "hub") == 0 && strstr(message, "license") != NULL) {
			/* the Hub's message names "license": its line */
			g_assert_cmpuint(line, ==, 4);
			hub = TRUE;
		}
	}
	g_assert_true(local);
	g_assert_true(hub);
}

/* ---- UpdateCardMetadata ---- */

static void
test_update_keeps_bytes(Fixture *f, gconstpointer data)
{
	const gchar *head = "---\n# why: the lawyers said so\nlicense:   'mit'  # keep\n";
	const gchar *tail = "tags: [b,  a]\nthumbnail: \"t.png\"\n";
	const gchar *body = "---\n\n# Odd   *card*\n\nSome  text.\n\n## Uses\n\nLoad it.\n";
	g_autofree gchar *text = g_strconcat(head, "pipeline_tag: fill-mask\n", tail, body, NULL);
	g_autofree gchar *url = create(f, "model", "alice/edit", NULL);
	g_autofree gchar *oid = push(f, "model", "alice/edit", text, NULL);
	g_autofree gchar *after = NULL;
	g_autofree gchar *want = NULL;
	g_autofree gchar *pr_text = NULL;
	g_autoptr(GVariant) r = NULL;
	g_autoptr(GVariant) result = NULL;

	/* what hubctl card set sends: YAML values as text */
	r = cards_ok(f,
		     "UpdateCardMetadata",
		     g_variant_new_parsed("('model', 'alice/edit', "
					  "{'pipeline_tag': <'text-generation'>, "
					  "'language': <'[en, de]'>, 'inference': <'false'>}, "
					  "{'parse_values': <true>})"),
		     "(a{sv})");
	after = hub_readme(f, "", "alice/edit", "main");
	want = g_strconcat(head,
			   "pipeline_tag: text-generation\n",
			   tail,
			   "language:\n- en\n- de\ninference: false\n",
			   body,
			   NULL);
	g_assert_cmpstr(after, ==, want);

	/* typed values, a removal, as a pull request: main stays */
	g_clear_pointer(&r, g_variant_unref);
	r = cards_ok(f,
		     "UpdateCardMetadata",
		     g_variant_new_parsed("('model', 'alice/edit', {'tags': <['c']>}, "
					  "{'remove': <['thumbnail']>, 'create_pr': <true>})"),
		     "(a{sv})");
	result = g_variant_get_child_value(r, 0);
	{
		g_autofree gchar *pr_url = dict_string(result, "pr_url");
		g_assert_nonnull(strstr(pr_url, "/discussions/"));
	}
	g_clear_pointer(&after, g_free);
	after = hub_readme(f, "", "alice/edit", "main");
	g_assert_cmpstr(after, ==, want);
	pr_text = hub_readme(f, "", "alice/edit", "refs%2Fpr%2F1");
	g_assert_nonnull(strstr(pr_text, "tags:\n- c\n"));
	g_assert_null(strstr(pr_text, "thumbnail"));
	g_assert_true(g_str_has_suffix(pr_text, body));

	/* a repo without a card gets one with just the front matter — and the
	 * policy still wants a licence */
	{
		g_autofree gchar *url2 = create(f, "model", "alice/nocard", NULL);
		g_autofree gchar *message = NULL;
		g_autofree gchar *name = cards_error(
			f,
			"UpdateCardMetadata",
			g_variant_new_parsed("('model', 'alice/nocard', {'tags': <['x']>}, "
					     "@a{sv} {})"),
			&message);

		g_assert_cmpstr(name, ==, ERR "Policy");
		g_assert_nonnull(strstr(message, "license: apache-2.0"));
		g_clear_pointer(&r, g_variant_unref);
		r = cards_ok(f,
			     "UpdateCardMetadata",
			     g_variant_new_parsed("('model', 'alice/nocard', {'license': <'mit'>}, "
						  "@a{sv} {})"),
			     "(a{sv})");
		g_clear_pointer(&after, g_free);
		after = hub_readme(f, "", "alice/nocard", "main");
		g_assert_cmpstr(after, ==, "---\nlicense: mit\n---\n");
	}
}

/* ---- the publishing policy ---- */

static void
assert_refused(Fixture *f,
	       const gchar *type,
	       const gchar *id,
	       const gchar *text,
	       const gchar *needle)
{
	g_autofree gchar *message = NULL;
	g_autofree gchar *name =
		cards_error(f, "PushCard", push_params(type, id, text, NULL), &message);

	g_assert_cmpstr(name, ==, ERR "Policy");
	if (strstr(message, needle) == NULL)
		g_error("“%s” does not say “%s”", message, needle);
	g_assert_nonnull(strstr(message, "--no-policy"));
}

static void
test_policy(Fixture *f, gconstpointer data)
{
	const gchar *gated = "---\nlicense: mit\nextra_gated_prompt: Agree to the terms?\n---\n"
			     "# M\n\nText.\n";
	g_autofree gchar *u1 = create(f, "model", "alice/pol", NULL);
	g_autofree gchar *u2 = create(f, "dataset", "alice/dat", NULL);
	g_autofree gchar *oid = NULL;
	g_autoptr(GVariant) r = NULL;

	assert_refused(f,
		       "model",
		       "alice/pol",
		       "# My model\n\nIt is good.\n",
		       "license: apache-2.0");
	assert_refused(f, "model", "alice/pol", "---\ntags: [a]\n---\n# M\n", "no licence");
	assert_refused(f,
		       "dataset",
		       "alice/dat",
		       "---\nlicense: cc-by-4.0\n---\n",
		       "## Dataset Structure");
	assert_refused(f, "model", "alice/pol", gated, "hubctl repo settings alice/pol --gated");
	/* nothing reached the Hub */
	g_assert_null(hub_readme(f, "", "alice/pol", "main"));
	g_assert_null(hub_readme(f, "datasets/", "alice/dat", "main"));

	/* turn gating on (the setting the message names): the card goes */
	r = hubd_test_call(f->bus,
			   REPOS_IFACE,
			   "UpdateSettings",
			   g_variant_new_parsed("('model', 'alice/pol', {'gated': <'manual'>})"),
			   NULL,
			   NULL);
	g_assert_nonnull(r);
	oid = push(f, "model", "alice/pol", gated, NULL);
	g_clear_pointer(&oid, g_free);
	/* --no-policy overrides, and the commit says so */
	oid = push(f, "dataset", "alice/dat", "---\nlicense: mit\n---\n", "{'no_policy': <true>}");
	{
		g_autofree gchar *commits = NULL;

		g_assert_cmpuint(hub_http(f,
					  "GET",
					  "/api/datasets/alice/dat/commits/main",
					  ALICE_WRITE,
					  NULL,
					  NULL,
					  &commits),
				 ==,
				 200);
		g_assert_nonnull(strstr(commits, "publishing policy overridden"));
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/cards/round-trip",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_round_trip,
		   fixture_teardown);
	g_test_add("/cards/get-missing",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_get_missing,
		   fixture_teardown);
	g_test_add("/cards/validate-remote",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_validate_remote,
		   fixture_teardown);
	g_test_add("/cards/update-keeps-bytes",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_update_keeps_bytes,
		   fixture_teardown);
	g_test_add("/cards/policy", Fixture, NULL, fixture_setup, test_policy, fixture_teardown);
	return g_test_run();
}
