/* hubctl-card-create.c: `hubctl card create` — a card from the Hub's model or
 * dataset template (RenderCard), printed, written to a file or pushed */
#include <glib/gi18n.h>
#include <string.h>

#include "hubctl-card.h"

/* "NAME=TEXT" or "NAME=@FILE" into `sections` */
static gboolean
hubctl_card_add_section(GVariantBuilder *sections, const gchar *spec, gint *exit_code)
{
	const gchar *eq = strchr(spec, '=');
	g_autofree gchar *name = NULL;
	g_autofree gchar *text = NULL;
	g_autoptr(GError) error = NULL;

	if (eq == NULL || eq == spec) {
		*exit_code = hubctl_usage_error("card create",
						_("--section takes NAME=TEXT or NAME=@FILE"));
		return FALSE;
	}
	name = g_strndup(spec, (gsize)(eq - spec));
	if (eq[1] == '@') {
		gsize len = 0;

		if (!g_file_get_contents(eq + 2, &text, &len, &error) ||
		    !g_utf8_validate_len(text, len, NULL)) {
			g_autofree gchar *message = g_strdup_printf(
				_("cannot read the text of section “%s” from “%s”%s%s"),
				name,
				eq + 2,
				error != NULL ? ": " : "",
				error != NULL ? error->message : "");
			*exit_code = hubctl_usage_error("card create", message);
			return FALSE;
		}
	} else {
		text = g_strdup(eq + 1);
	}
	g_variant_builder_add(sections, "{ss}", name, text);
	return TRUE;
}

static GVariant *
hubctl_card_strv(gchar **values)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE("av"));
	for (guint i = 0; values != NULL && values[i] != NULL; i++)
		g_variant_builder_add(&b, "v", g_variant_new_string(values[i]));
	return g_variant_builder_end(&b);
}

/* --metric NAME[=VALUE]: the metric ids, and eval results for those with a value */
static gboolean
hubctl_card_add_metrics(GVariantBuilder *meta,
			gchar **metrics,
			const gchar *task,
			gchar **datasets,
			gint *exit_code)
{
	GVariantBuilder names;
	GVariantBuilder results;
	gboolean any_result = FALSE;

	g_variant_builder_init(&names, G_VARIANT_TYPE("av"));
	g_variant_builder_init(&results, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; metrics[i] != NULL; i++) {
		g_auto(GStrv) parts = g_strsplit(metrics[i], "=", 2);
		gchar *end = NULL;
		gdouble value;
		GVariantBuilder r;

		g_variant_builder_add(&names, "v", g_variant_new_string(parts[0]));
		if (parts[1] == NULL)
			continue;
		value = g_ascii_strtod(parts[1], &end);
		if (parts[0][0] == '\0' || end == parts[1] || *end != '\0' || task == NULL ||
		    datasets == NULL || datasets[0] == NULL) {
			g_variant_builder_clear(&names);
			g_variant_builder_clear(&results);
			*exit_code = hubctl_usage_error(
				"card create",
				_("--metric NAME=VALUE needs a number, --task TASK and a --dataset "
				  "(the eval result says which task, on which dataset)"));
			return FALSE;
		}
		g_variant_builder_init(&r, G_VARIANT_TYPE_VARDICT);
		g_variant_builder_add(&r, "{sv}", "task_type", g_variant_new_string(task));
		g_variant_builder_add(&r,
				      "{sv}",
				      "dataset_type",
				      g_variant_new_string(datasets[0]));
		g_variant_builder_add(&r,
				      "{sv}",
				      "dataset_name",
				      g_variant_new_string(datasets[0]));
		g_variant_builder_add(&r, "{sv}", "metric_type", g_variant_new_string(parts[0]));
		g_variant_builder_add(&r, "{sv}", "metric_value", g_variant_new_double(value));
		g_variant_builder_add_value(&results, g_variant_builder_end(&r));
		any_result = TRUE;
	}
	g_variant_builder_add(meta, "{sv}", "metrics", g_variant_builder_end(&names));
	if (any_result)
		g_variant_builder_add(meta,
				      "{sv}",
				      "eval_results",
				      g_variant_builder_end(&results));
	else
		g_variant_builder_clear(&results);
	return TRUE;
}

gint
hubctl_card_create(HubctlContext *ctx, gint argc, gchar **argv)
{
	g_autofree gchar *template_ = NULL;
	g_autofree gchar *license = NULL;
	g_autofree gchar *library = NULL;
	g_autofree gchar *task = NULL;
	g_autofree gchar *output = NULL;
	g_autofree gchar *message = NULL;
	g_autofree gchar *text = NULL;
	g_auto(GStrv) languages = NULL;
	g_auto(GStrv) tags = NULL;
	g_auto(GStrv) datasets = NULL;
	g_auto(GStrv) metrics = NULL;
	g_auto(GStrv) section_specs = NULL;
	HubdClient *proxy = NULL;
	g_autoptr(GError) error = NULL;
	gboolean push = FALSE;
	gboolean create_pr = FALSE;
	gboolean no_policy = FALSE;
	gint exit_code = HUBCTL_EXIT_OK;
	GVariantBuilder meta;
	GVariantBuilder sections;
	GVariantBuilder options;
	const gchar *repo_id;
	const gchar *name;
	const GOptionEntry entries[] = {
		{"template",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &template_,
		 N_("model or dataset (required)"),
		 N_("T")},
		{"license",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &license,
		 N_("A licence id such as apache-2.0, or other (required)"),
		 N_("ID")},
		{"language",
		 0,
		 0,
		 G_OPTION_ARG_STRING_ARRAY,
		 &languages,
		 N_("A language code, such as en (repeatable)"),
		 N_("L")},
		{"library-name", 0, 0, G_OPTION_ARG_STRING, &library, N_("The library"), N_("N")},
		{"tag", 0, 0, G_OPTION_ARG_STRING_ARRAY, &tags, N_("A tag (repeatable)"), N_("T")},
		{"dataset",
		 0,
		 0,
		 G_OPTION_ARG_STRING_ARRAY,
		 &datasets,
		 N_("A dataset id; a model's training data (repeatable)"),
		 N_("D")},
		{"metric",
		 0,
		 0,
		 G_OPTION_ARG_STRING_ARRAY,
		 &metrics,
		 N_("A metric, with its result for model-index (VALUE needs --task and --dataset; "
		    "repeatable)"),
		 N_("NAME[=VALUE]")},
		{"task",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &task,
		 N_("The model's task (pipeline_tag)"),
		 N_("TASK")},
		{"section",
		 0,
		 0,
		 G_OPTION_ARG_STRING_ARRAY,
		 &section_specs,
		 N_("A template section's text, or @FILE to read it from: summary, "
		    "model_description, uses, direct_use, training_data, training_procedure, "
		    "evaluation_results, dataset_description, dataset_structure, … (repeatable)"),
		 N_("NAME=TEXT")},
		{"push",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &push,
		 N_("Commit it as the repo's README.md"),
		 NULL},
		{"output",
		 'o',
		 0,
		 G_OPTION_ARG_FILENAME,
		 &output,
		 N_("Write it to FILE"),
		 N_("FILE")},
		{"create-pr",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &create_pr,
		 N_("With --push: as a pull request"),
		 NULL},
		{"commit-message",
		 0,
		 0,
		 G_OPTION_ARG_STRING,
		 &message,
		 N_("With --push: the commit's title"),
		 N_("TEXT")},
		{"no-policy",
		 0,
		 0,
		 G_OPTION_ARG_NONE,
		 &no_policy,
		 N_("With --push: skip the publishing policy"),
		 NULL},
		{NULL},
	};

	if (!hubctl_repo_parse("card create",
			       _("REPO_ID"),
			       _("Write a card from the Hub's model or dataset template"),
			       entries,
			       NULL,
			       NULL,
			       1,
			       1,
			       &argc,
			       &argv,
			       &exit_code))
		return exit_code;
	if (g_strcmp0(template_, "model") != 0 && g_strcmp0(template_, "dataset") != 0)
		return hubctl_usage_error("card create", _("--template takes model or dataset"));
	if (license == NULL || license[0] == '\0')
		return hubctl_usage_error("card create",
					  _("--license is required (a licence id such as "
					    "apache-2.0, or other)"));
	if (push && output != NULL)
		return hubctl_usage_error("card create",
					  _("--push and --output do not go together"));
	repo_id = argv[1];
	name = strrchr(repo_id, '/') != NULL ? strrchr(repo_id, '/') + 1 : repo_id;
	g_variant_builder_init(&meta, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_init(&sections, G_VARIANT_TYPE("a{ss}"));
	g_variant_builder_add(&meta, "{sv}", "license", g_variant_new_string(license));
	if (languages != NULL)
		g_variant_builder_add(&meta, "{sv}", "language", hubctl_card_strv(languages));
	if (library != NULL)
		g_variant_builder_add(&meta, "{sv}", "library_name", g_variant_new_string(library));
	if (task != NULL)
		g_variant_builder_add(&meta,
				      "{sv}",
				      g_strcmp0(template_, "dataset") == 0 ? "task_categories"
									   : "pipeline_tag",
				      g_strcmp0(template_, "dataset") == 0
					      ? hubctl_card_strv((gchar *[]){task, NULL})
					      : g_variant_new_string(task));
	if (tags != NULL)
		g_variant_builder_add(&meta, "{sv}", "tags", hubctl_card_strv(tags));
	if (datasets != NULL && g_strcmp0(template_, "model") == 0)
		g_variant_builder_add(&meta, "{sv}", "datasets", hubctl_card_strv(datasets));
	if (g_strcmp0(template_, "dataset") == 0)
		g_variant_builder_add(&meta, "{sv}", "pretty_name", g_variant_new_string(name));
	if (metrics != NULL &&
	    !hubctl_card_add_metrics(&meta, metrics, task, datasets, &exit_code)) {
		g_variant_builder_clear(&meta);
		g_variant_builder_clear(&sections);
		return exit_code;
	}
	for (guint i = 0; section_specs != NULL && section_specs[i] != NULL; i++) {
		if (!hubctl_card_add_section(&sections, section_specs[i], &exit_code)) {
			g_variant_builder_clear(&meta);
			g_variant_builder_clear(&sections);
			return exit_code;
		}
	}
	proxy = hubctl_card_proxy(ctx);
	if (proxy == NULL) {
		g_variant_builder_clear(&meta);
		g_variant_builder_clear(&sections);
		return HUBCTL_EXIT_UNREACHABLE;
	}
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&options, "{sv}", "title", g_variant_new_string(name));
	if (!hubctl_call(proxy,
			 HUBD_INTERFACE_CARDS,
			 "RenderCard",
			 g_variant_new("(s@a{sv}@a{ss}@a{sv})",
				       template_,
				       g_variant_builder_end(&meta),
				       g_variant_builder_end(&sections),
				       g_variant_builder_end(&options)),
			 HUBCTL_CARD_TIMEOUT_MS,
			 &error,
			 "(s)",
			 &text))
		return hubctl_report_error(error);
	if (output != NULL) {
		if (!g_file_set_contents(output, text, -1, &error))
			return hubctl_report_error(error);
		return HUBCTL_EXIT_OK;
	}
	if (!push) {
		g_print("%s", text);
		return HUBCTL_EXIT_OK;
	}
	{
		g_autoptr(GVariant) result = NULL;

		g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
		if (create_pr)
			g_variant_builder_add(&options,
					      "{sv}",
					      "create_pr",
					      g_variant_new_boolean(TRUE));
		if (no_policy)
			g_variant_builder_add(&options,
					      "{sv}",
					      "no_policy",
					      g_variant_new_boolean(TRUE));
		if (message != NULL)
			g_variant_builder_add(&options,
					      "{sv}",
					      "commit_message",
					      g_variant_new_string(message));
		if (!hubctl_call(proxy,
				 HUBD_INTERFACE_CARDS,
				 "PushCard",
				 g_variant_new("(sss@a{sv})",
					       template_,
					       repo_id,
					       text,
					       g_variant_builder_end(&options)),
				 HUBCTL_CARD_TIMEOUT_MS,
				 &error,
				 "(@a{sv})",
				 &result))
			return hubctl_report_error(error);
		hubctl_card_print_result(result);
	}
	return HUBCTL_EXIT_OK;
}
