/* hubd-repos-variant.c: typed Hub results -> the a{sv} of org.hubd.Hub1.Repos
 *
 * The typed results hold valid UTF-8 and say which fields the Hub gave; a
 * field the Hub did not give is left out, as the D-Bus contract says. */
#define G_LOG_DOMAIN "HubdRepos"

#include "hubd-repos-variant.h"

static void
add_str(GVariantBuilder *b, const gchar *key, const gchar *value)
{
	if (value != NULL)
		g_variant_builder_add(b, "{sv}", key, g_variant_new_string(value));
}

static void
add_count(GVariantBuilder *b, const gchar *key, gint64 value)
{
	if (value >= 0)
		g_variant_builder_add(b, "{sv}", key, g_variant_new_uint64((guint64)value));
}

/* The fields a listing and Info share, where the Hub gave them. */
static void
add_repo_fields(GVariantBuilder *b, HubdHubRepoInfo *info)
{
	add_str(b, "id", info->id);
	add_str(b, "author", info->author);
	if (info->has_private)
		g_variant_builder_add(b, "{sv}", "private", g_variant_new_boolean(info->private_));
	add_str(b, "gated", info->gated);
	add_count(b, "downloads", info->downloads);
	add_count(b, "likes", info->likes);
	add_str(b, "last_modified", info->last_modified);
	if (info->tags != NULL)
		g_variant_builder_add(b,
				      "{sv}",
				      "tags",
				      g_variant_new_strv((const gchar *const *)info->tags, -1));
	add_str(b, "pipeline_tag", info->pipeline_tag);
	add_str(b, "library_name", info->library_name);
}

GVariant *
hubd_repos_variant_info(HubdHubRepoInfo *info)
{
	g_autofree gchar *json = json_to_string(info->json, FALSE);
	GVariantBuilder siblings;
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	add_repo_fields(&b, info);
	/* Info always says whether the repo is private or gated */
	if (!info->has_private)
		g_variant_builder_add(&b, "{sv}", "private", g_variant_new_boolean(FALSE));
	if (info->gated == NULL)
		add_str(&b, "gated", "false");
	add_str(&b, "sha", info->sha);
	if (info->has_disabled)
		g_variant_builder_add(&b,
				      "{sv}",
				      "disabled",
				      g_variant_new_boolean(info->disabled));
	add_str(&b, "license", info->license);
	add_str(&b, "sdk", info->sdk);
	g_variant_builder_init(&siblings, G_VARIANT_TYPE("a(sx)"));
	for (guint i = 0; i < info->siblings->len; i++) {
		HubdHubSibling *s = g_ptr_array_index(info->siblings, i);
		g_variant_builder_add(&siblings, "(sx)", s->rfilename, s->size);
	}
	g_variant_builder_add(&b, "{sv}", "siblings", g_variant_builder_end(&siblings));
	/* the Hub's whole answer, passed on; json-glib keeps what it was sent */
	if (!g_utf8_validate(json, -1, NULL)) {
		gchar *valid = g_utf8_make_valid(json, -1);
		g_free(json);
		json = valid;
	}
	g_variant_builder_add(&b, "{sv}", "json", g_variant_new_string(json));
	return g_variant_builder_end(&b);
}

GVariant *
hubd_repos_variant_list(GPtrArray *repos)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; i < repos->len; i++) {
		g_variant_builder_open(&b, G_VARIANT_TYPE_VARDICT);
		add_repo_fields(&b, g_ptr_array_index(repos, i));
		g_variant_builder_close(&b);
	}
	return g_variant_builder_end(&b);
}

GVariant *
hubd_repos_variant_tree(GPtrArray *entries)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; i < entries->len; i++) {
		HubdHubTreeEntry *e = g_ptr_array_index(entries, i);

		g_variant_builder_open(&b, G_VARIANT_TYPE_VARDICT);
		add_str(&b, "path", e->path);
		add_str(&b, "type", hubd_hub_entry_type_to_string(e->type));
		g_variant_builder_add(&b, "{sv}", "size", g_variant_new_uint64(e->size));
		add_str(&b, "oid", e->oid);
		if (e->is_lfs) {
			add_str(&b, "lfs_sha256", e->lfs_sha256);
			add_count(&b, "lfs_size", e->lfs_size);
		}
		g_variant_builder_close(&b);
	}
	return g_variant_builder_end(&b);
}

GVariant *
hubd_repos_variant_commits(GPtrArray *commits)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; i < commits->len; i++) {
		HubdHubCommit *c = g_ptr_array_index(commits, i);

		g_variant_builder_open(&b, G_VARIANT_TYPE_VARDICT);
		add_str(&b, "id", c->id);
		add_str(&b, "title", c->title);
		add_str(&b, "message", c->message);
		add_str(&b, "date", c->date);
		g_variant_builder_add(&b,
				      "{sv}",
				      "authors",
				      g_variant_new_strv((const gchar *const *)c->authors, -1));
		g_variant_builder_close(&b);
	}
	return g_variant_builder_end(&b);
}

static GVariant *
refs_variant(GPtrArray *refs)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; i < refs->len; i++) {
		HubdHubRef *r = g_ptr_array_index(refs, i);

		g_variant_builder_open(&b, G_VARIANT_TYPE_VARDICT);
		add_str(&b, "name", r->name);
		add_str(&b, "ref", r->ref);
		add_str(&b, "target_commit", r->target_commit);
		g_variant_builder_close(&b);
	}
	return g_variant_builder_end(&b);
}

GVariant *
hubd_repos_variant_refs(HubdHubRefs *refs, gboolean include_prs)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "branches", refs_variant(refs->branches));
	g_variant_builder_add(&b, "{sv}", "tags", refs_variant(refs->tags));
	if (include_prs)
		g_variant_builder_add(&b,
				      "{sv}",
				      "pull_requests",
				      refs_variant(refs->pull_requests));
	return g_variant_builder_end(&b);
}
