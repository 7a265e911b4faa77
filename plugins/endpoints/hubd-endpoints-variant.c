/* hubd-endpoints-variant.c: Inference Endpoints JSON (docs/hub-endpoints.md)
 * as the a{sv} dictionaries of org.hubd.Hub1.Endpoints, and a spec a{sv} as
 * the create or update body. A secret's value is never passed back. */
#define G_LOG_DOMAIN "HubdEndpoints"

#include "hubd-endpoints-variant.h"

#include <glib/gi18n.h>

static JsonObject *
obj(JsonObject *o, const gchar *member)
{
	JsonNode *n = o != NULL ? json_object_get_member(o, member) : NULL;

	return n != NULL && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

static const gchar *
str(JsonObject *o, const gchar *member)
{
	JsonNode *n = o != NULL ? json_object_get_member(o, member) : NULL;

	return n != NULL && JSON_NODE_HOLDS_VALUE(n) &&
			       json_node_get_value_type(n) == G_TYPE_STRING &&
			       g_utf8_validate(json_node_get_string(n), -1, NULL)
		       ? json_node_get_string(n)
		       : NULL;
}

static gboolean
num(JsonObject *o, const gchar *member, gint64 *out)
{
	JsonNode *n = o != NULL ? json_object_get_member(o, member) : NULL;

	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n))
		return FALSE;
	if (json_node_get_value_type(n) == G_TYPE_INT64)
		*out = json_node_get_int(n);
	else if (json_node_get_value_type(n) == G_TYPE_DOUBLE)
		*out = (gint64)json_node_get_double(n);
	else
		return FALSE;
	return TRUE;
}

static void
add_str(GVariantBuilder *b, const gchar *key, const gchar *value)
{
	if (value != NULL)
		g_variant_builder_add(b, "{sv}", key, g_variant_new_string(value));
}

static void
add_uint(GVariantBuilder *b, const gchar *key, JsonObject *o, const gchar *member)
{
	gint64 n = 0;

	if (num(o, member, &n) && n >= 0)
		g_variant_builder_add(b,
				      "{sv}",
				      key,
				      g_variant_new_uint32((guint32)MIN(n, G_MAXUINT32)));
}

const gchar *
hubd_endpoints_status_member(JsonNode *node, const gchar *member)
{
	JsonObject *o =
		node != NULL && JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;

	return str(obj(o, "status"), member);
}

GVariant *
hubd_endpoints_to_variant(JsonNode *node, const gchar *namespace_)
{
	JsonObject *o =
		node != NULL && JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
	JsonObject *status = obj(o, "status");
	JsonObject *model = obj(o, "model");
	JsonObject *compute = obj(o, "compute");
	JsonObject *scaling = obj(compute, "scaling");
	JsonObject *provider = obj(o, "provider");
	JsonObject *env = obj(model, "env");
	JsonObject *secrets = obj(model, "secrets");
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	add_str(&b, "name", str(o, "name"));
	add_str(&b, "namespace", namespace_);
	add_str(&b, "type", str(o, "type"));
	add_str(&b, "state", str(status, "state"));
	add_str(&b, "message", str(status, "message"));
	add_str(&b, "url", str(status, "url"));
	add_str(&b, "repository", str(model, "repository"));
	add_str(&b, "revision", str(model, "revision"));
	add_str(&b, "task", str(model, "task"));
	add_str(&b, "framework", str(model, "framework"));
	add_str(&b, "accelerator", str(compute, "accelerator"));
	add_str(&b, "instance_type", str(compute, "instanceType"));
	add_str(&b, "instance_size", str(compute, "instanceSize"));
	add_str(&b, "vendor", str(provider, "vendor"));
	add_str(&b, "region", str(provider, "region"));
	add_uint(&b, "min_replica", scaling, "minReplica");
	add_uint(&b, "max_replica", scaling, "maxReplica");
	add_uint(&b, "scale_to_zero_timeout", scaling, "scaleToZeroTimeout");
	add_str(&b, "created_at", str(status, "createdAt"));
	add_str(&b, "updated_at", str(status, "updatedAt"));
	if (env != NULL) {
		g_autoptr(GList) keys = json_object_get_members(env);
		GVariantBuilder e;

		g_variant_builder_init(&e, G_VARIANT_TYPE("a{ss}"));
		for (GList *l = keys; l != NULL; l = l->next) {
			if (str(env, l->data) != NULL && g_utf8_validate(l->data, -1, NULL))
				g_variant_builder_add(&e, "{ss}", l->data, str(env, l->data));
		}
		g_variant_builder_add(&b, "{sv}", "env", g_variant_builder_end(&e));
	}
	if (secrets != NULL) {
		g_autoptr(GList) keys = json_object_get_members(secrets);
		GVariantBuilder s;

		/* names only: whatever the API sends as the value stays here */
		g_variant_builder_init(&s, G_VARIANT_TYPE_STRING_ARRAY);
		for (GList *l = keys; l != NULL; l = l->next) {
			if (g_utf8_validate(l->data, -1, NULL))
				g_variant_builder_add(&s, "s", l->data);
		}
		g_variant_builder_add(&b, "{sv}", "secret_keys", g_variant_builder_end(&s));
	}
	return g_variant_builder_end(&b);
}

GVariant *
hubd_endpoints_list_to_variant(JsonNode *node, const gchar *namespace_)
{
	JsonObject *o =
		node != NULL && JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
	JsonNode *items = o != NULL ? json_object_get_member(o, "items") : NULL;
	JsonArray *arr =
		items != NULL && JSON_NODE_HOLDS_ARRAY(items) ? json_node_get_array(items) : NULL;
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; arr != NULL && i < json_array_get_length(arr); i++)
		g_variant_builder_add_value(
			&b,
			hubd_endpoints_to_variant(json_array_get_element(arr, i), namespace_));
	return g_variant_builder_end(&b);
}

GVariant *
hubd_endpoints_hardware_to_variant(JsonNode *node)
{
	JsonObject *o =
		node != NULL && JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
	JsonNode *vendors = o != NULL ? json_object_get_member(o, "vendors") : NULL;
	JsonArray *va = vendors != NULL && JSON_NODE_HOLDS_ARRAY(vendors)
				? json_node_get_array(vendors)
				: NULL;
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; va != NULL && i < json_array_get_length(va); i++) {
		JsonNode *vn = json_array_get_element(va, i);
		JsonObject *v = JSON_NODE_HOLDS_OBJECT(vn) ? json_node_get_object(vn) : NULL;
		JsonNode *regions = v != NULL ? json_object_get_member(v, "regions") : NULL;
		JsonArray *ra = regions != NULL && JSON_NODE_HOLDS_ARRAY(regions)
					? json_node_get_array(regions)
					: NULL;

		for (guint j = 0; ra != NULL && j < json_array_get_length(ra); j++) {
			JsonNode *rn = json_array_get_element(ra, j);
			JsonObject *r =
				JSON_NODE_HOLDS_OBJECT(rn) ? json_node_get_object(rn) : NULL;
			JsonNode *computes =
				r != NULL ? json_object_get_member(r, "computes") : NULL;
			JsonArray *ca = computes != NULL && JSON_NODE_HOLDS_ARRAY(computes)
						? json_node_get_array(computes)
						: NULL;

			for (guint k = 0; ca != NULL && k < json_array_get_length(ca); k++) {
				JsonNode *cn = json_array_get_element(ca, k);
				JsonObject *c = JSON_NODE_HOLDS_OBJECT(cn)
							? json_node_get_object(cn)
							: NULL;
				JsonNode *price =
					c != NULL ? json_object_get_member(c, "pricePerHour")
						  : NULL;
				gint64 n = 0;

				if (c == NULL)
					continue;
				g_variant_builder_open(&b, G_VARIANT_TYPE_VARDICT);
				add_str(&b, "vendor", str(v, "name"));
				add_str(&b, "region", str(r, "name"));
				add_str(&b, "accelerator", str(c, "accelerator"));
				add_str(&b, "instance_type", str(c, "instanceType"));
				add_str(&b, "instance_size", str(c, "instanceSize"));
				add_str(&b, "architecture", str(c, "architecture"));
				add_str(&b, "status", str(c, "status"));
				if (price != NULL && JSON_NODE_HOLDS_VALUE(price) &&
				    (json_node_get_value_type(price) == G_TYPE_DOUBLE ||
				     json_node_get_value_type(price) == G_TYPE_INT64))
					g_variant_builder_add(
						&b,
						"{sv}",
						"price_per_hour",
						g_variant_new_double(json_node_get_double(price)));
				if (num(c, "memoryGb", &n))
					g_variant_builder_add(&b,
							      "{sv}",
							      "memory_gb",
							      g_variant_new_int64(n));
				if (num(c, "numAccelerators", &n))
					g_variant_builder_add(&b,
							      "{sv}",
							      "num_accelerators",
							      g_variant_new_int64(n));
				g_variant_builder_close(&b);
			}
		}
	}
	return g_variant_builder_end(&b);
}

/* ---- spec -> body ---- */

static const struct {
	const gchar *key;
	const gchar *type;
	const gchar *parent; /* NULL: top level */
	const gchar *member;
} spec_keys[] = {
	{"repository", "s", "model", "repository"},
	{"framework", "s", "model", "framework"},
	{"task", "s", "model", "task"},
	{"revision", "s", "model", "revision"},
	{"accelerator", "s", "compute", "accelerator"},
	{"instance_size", "s", "compute", "instanceSize"},
	{"instance_type", "s", "compute", "instanceType"},
	{"min_replica", "u", "scaling", "minReplica"},
	{"max_replica", "u", "scaling", "maxReplica"},
	{"scale_to_zero_timeout", "u", "scaling", "scaleToZeroTimeout"},
	{"region", "s", "provider", "region"},
	{"vendor", "s", "provider", "vendor"},
	{"type", "s", NULL, "type"},
	{"env", "a{ss}", "model", "env"},
	{"secrets", "a{ss}", "model", "secrets"},
};

static JsonObject *
ensure(JsonObject *o, const gchar *member)
{
	if (obj(o, member) == NULL)
		json_object_set_object_member(o, member, json_object_new());
	return obj(o, member);
}

JsonNode *
hubd_endpoints_spec_to_json(const gchar *name, GVariant *spec, gboolean create, GError **error)
{
	g_autoptr(JsonObject) body = json_object_new();
	JsonNode *root;
	GVariantIter iter;
	const gchar *key;
	GVariant *value;

	g_variant_iter_init(&iter, spec);
	while (g_variant_iter_next(&iter, "{&sv}", &key, &value)) {
		g_autoptr(GVariant) owned = value;
		guint i;
		JsonObject *into;

		for (i = 0; i < G_N_ELEMENTS(spec_keys); i++) {
			if (g_strcmp0(spec_keys[i].key, key) == 0)
				break;
		}
		if (i == G_N_ELEMENTS(spec_keys) ||
		    !g_variant_is_of_type(value, G_VARIANT_TYPE(spec_keys[i].type))) {
			g_set_error(error,
				    HUBD_ERROR,
				    HUBD_ERROR_INVALID_ARGUMENT,
				    i == G_N_ELEMENTS(spec_keys)
					    ? _("Unknown endpoint setting “%s”")
					    : _("The endpoint setting “%s” has the wrong type"),
				    key);
			return NULL;
		}
		if (spec_keys[i].parent == NULL)
			into = body;
		else if (g_strcmp0(spec_keys[i].parent, "scaling") == 0)
			into = ensure(ensure(body, "compute"), "scaling");
		else
			into = ensure(body, spec_keys[i].parent);
		if (g_variant_is_of_type(value, G_VARIANT_TYPE_STRING)) {
			json_object_set_string_member(into,
						      spec_keys[i].member,
						      g_variant_get_string(value, NULL));
		} else if (g_variant_is_of_type(value, G_VARIANT_TYPE_UINT32)) {
			json_object_set_int_member(into,
						   spec_keys[i].member,
						   g_variant_get_uint32(value));
		} else {
			JsonObject *map = json_object_new();
			GVariantIter mi;
			const gchar *k;
			const gchar *v;

			g_variant_iter_init(&mi, value);
			while (g_variant_iter_next(&mi, "{&s&s}", &k, &v))
				json_object_set_string_member(map, k, v);
			json_object_set_object_member(into, spec_keys[i].member, map);
		}
	}
	if (create) {
		JsonObject *compute = ensure(body, "compute");
		JsonObject *scaling = ensure(compute, "scaling");
		JsonObject *model = ensure(body, "model");

		/* as huggingface_hub's create_inference_endpoint */
		json_object_set_null_member(body, "accountId");
		json_object_set_string_member(body, "name", name);
		if (!json_object_has_member(body, "type"))
			json_object_set_string_member(body, "type", "authenticated");
		if (!json_object_has_member(scaling, "minReplica"))
			json_object_set_int_member(scaling, "minReplica", 1);
		if (!json_object_has_member(scaling, "maxReplica"))
			json_object_set_int_member(scaling, "maxReplica", 1);
		if (!json_object_has_member(model, "image")) {
			JsonObject *image = json_object_new();

			json_object_set_object_member(image, "huggingface", json_object_new());
			json_object_set_object_member(model, "image", image);
		}
		ensure(body, "provider");
	}
	root = json_node_new(JSON_NODE_OBJECT);
	json_node_set_object(root, body);
	return root;
}
