/* hubd-user.c: HubdUser — read-only properties filled from hubd's a{sv} */
#include "hubd-user.h"

#include "hubd-results-private.h"

/**
 * HubdUser:
 *
 * Who a token belongs to: hubd_client_whoami()'s answer, from org.hubd.Hub1.Auth.WhoAmI.
 *
 * Since: 0.1
 */
struct _HubdUser {
	GObject parent_instance;
	gchar *name;
	gchar *fullname;
	gchar *email;
	gchar *account_type;
	gchar **orgs;
	gchar *role;
	gchar *token_name;
	gchar *source;
};

G_DEFINE_TYPE(HubdUser, hubd_user, G_TYPE_OBJECT)

enum {
	PROP_0,
	PROP_NAME,
	PROP_FULLNAME,
	PROP_EMAIL,
	PROP_ACCOUNT_TYPE,
	PROP_ORGS,
	PROP_ROLE,
	PROP_TOKEN_NAME,
	PROP_SOURCE,
	N_PROPS,
};
static GParamSpec *props[N_PROPS];

static void
hubd_user_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	HubdUser *self = HUBD_USER(object);

	switch (prop_id) {
	case PROP_NAME:
		g_value_set_string(value, self->name);
		break;
	case PROP_FULLNAME:
		g_value_set_string(value, self->fullname);
		break;
	case PROP_EMAIL:
		g_value_set_string(value, self->email);
		break;
	case PROP_ACCOUNT_TYPE:
		g_value_set_string(value, self->account_type);
		break;
	case PROP_ORGS:
		g_value_set_boxed(value, self->orgs);
		break;
	case PROP_ROLE:
		g_value_set_string(value, self->role);
		break;
	case PROP_TOKEN_NAME:
		g_value_set_string(value, self->token_name);
		break;
	case PROP_SOURCE:
		g_value_set_string(value, self->source);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
hubd_user_finalize(GObject *object)
{
	HubdUser *self = HUBD_USER(object);

	g_free(self->name);
	g_free(self->fullname);
	g_free(self->email);
	g_free(self->account_type);
	g_strfreev(self->orgs);
	g_free(self->role);
	g_free(self->token_name);
	g_free(self->source);
	G_OBJECT_CLASS(hubd_user_parent_class)->finalize(object);
}

static void
hubd_user_class_init(HubdUserClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->get_property = hubd_user_get_property;
	object_class->finalize = hubd_user_finalize;

	/**
	 * HubdUser:name:
	 *
	 * The user name.
	 *
	 * Since: 0.1
	 */
	props[PROP_NAME] = g_param_spec_string("name",
					       NULL,
					       NULL,
					       NULL,
					       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdUser:fullname:
	 *
	 * The full name.
	 *
	 * Since: 0.1
	 */
	props[PROP_FULLNAME] = g_param_spec_string("fullname",
						   NULL,
						   NULL,
						   NULL,
						   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdUser:email:
	 *
	 * The e-mail address.
	 *
	 * Since: 0.1
	 */
	props[PROP_EMAIL] = g_param_spec_string("email",
						NULL,
						NULL,
						NULL,
						G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdUser:account-type:
	 *
	 * `user`, `org` or `app`.
	 *
	 * Since: 0.1
	 */
	props[PROP_ACCOUNT_TYPE] = g_param_spec_string("account-type",
						       NULL,
						       NULL,
						       NULL,
						       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdUser:orgs:
	 *
	 * The names of the user's organisations.
	 *
	 * Since: 0.1
	 */
	props[PROP_ORGS] = g_param_spec_boxed("orgs",
					      NULL,
					      NULL,
					      G_TYPE_STRV,
					      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdUser:role:
	 *
	 * The token's role: `read`, `write` or `fineGrained`.
	 *
	 * Since: 0.1
	 */
	props[PROP_ROLE] = g_param_spec_string("role",
					       NULL,
					       NULL,
					       NULL,
					       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdUser:token-name:
	 *
	 * The token's name on the Hub.
	 *
	 * Since: 0.1
	 */
	props[PROP_TOKEN_NAME] = g_param_spec_string("token-name",
						     NULL,
						     NULL,
						     NULL,
						     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	/**
	 * HubdUser:source:
	 *
	 * Where hubd's token came from: `environment`, `keyring`, `file` or `credential`.
	 *
	 * Since: 0.1
	 */
	props[PROP_SOURCE] = g_param_spec_string("source",
						 NULL,
						 NULL,
						 NULL,
						 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, N_PROPS, props);
}

static void
hubd_user_init(HubdUser *self)
{
}

HubdUser *
hubd_user_new_from_variant(GVariant *dict)
{
	HubdUser *self = g_object_new(HUBD_TYPE_USER, NULL);

	self->name = hubd_results_lookup_string(dict, "name");
	self->fullname = hubd_results_lookup_string(dict, "fullname");
	self->email = hubd_results_lookup_string(dict, "email");
	self->account_type = hubd_results_lookup_string(dict, "type");
	self->orgs = hubd_results_lookup_strv(dict, "orgs");
	self->role = hubd_results_lookup_string(dict, "role");
	self->token_name = hubd_results_lookup_string(dict, "token_name");
	self->source = hubd_results_lookup_string(dict, "source");
	return self;
}

/**
 * hubd_user_get_name:
 * @self: a #HubdUser
 *
 * Returns: (nullable): the user name.
 *
 * Since: 0.1
 */
const gchar *
hubd_user_get_name(HubdUser *self)
{
	g_return_val_if_fail(HUBD_IS_USER(self), NULL);
	return self->name;
}

/**
 * hubd_user_get_fullname:
 * @self: a #HubdUser
 *
 * Returns: (nullable): the full name.
 *
 * Since: 0.1
 */
const gchar *
hubd_user_get_fullname(HubdUser *self)
{
	g_return_val_if_fail(HUBD_IS_USER(self), NULL);
	return self->fullname;
}

/**
 * hubd_user_get_email:
 * @self: a #HubdUser
 *
 * Returns: (nullable): the e-mail address.
 *
 * Since: 0.1
 */
const gchar *
hubd_user_get_email(HubdUser *self)
{
	g_return_val_if_fail(HUBD_IS_USER(self), NULL);
	return self->email;
}

/**
 * hubd_user_get_account_type:
 * @self: a #HubdUser
 *
 * Returns: (nullable): `user`, `org` or `app`.
 *
 * Since: 0.1
 */
const gchar *
hubd_user_get_account_type(HubdUser *self)
{
	g_return_val_if_fail(HUBD_IS_USER(self), NULL);
	return self->account_type;
}

/**
 * hubd_user_get_orgs:
 * @self: a #HubdUser
 *
 * Returns: (nullable) (transfer none): the names of the user's organisations.
 *
 * Since: 0.1
 */
const gchar *const *
hubd_user_get_orgs(HubdUser *self)
{
	g_return_val_if_fail(HUBD_IS_USER(self), NULL);
	return (const gchar *const *)self->orgs;
}

/**
 * hubd_user_get_role:
 * @self: a #HubdUser
 *
 * Returns: (nullable): the token's role: `read`, `write` or `fineGrained`.
 *
 * Since: 0.1
 */
const gchar *
hubd_user_get_role(HubdUser *self)
{
	g_return_val_if_fail(HUBD_IS_USER(self), NULL);
	return self->role;
}

/**
 * hubd_user_get_token_name:
 * @self: a #HubdUser
 *
 * Returns: (nullable): the token's name on the Hub.
 *
 * Since: 0.1
 */
const gchar *
hubd_user_get_token_name(HubdUser *self)
{
	g_return_val_if_fail(HUBD_IS_USER(self), NULL);
	return self->token_name;
}

/**
 * hubd_user_get_source:
 * @self: a #HubdUser
 *
 * Returns: (nullable): where hubd's token came from: `environment`, `keyring`, `file` or
 * `credential`.
 *
 * Since: 0.1
 */
const gchar *
hubd_user_get_source(HubdUser *self)
{
	g_return_val_if_fail(HUBD_IS_USER(self), NULL);
	return self->source;
}
