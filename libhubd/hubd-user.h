/* hubd-user.h: HubdUser, a typed result of libhubd */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HUBD_TYPE_USER (hubd_user_get_type())
G_DECLARE_FINAL_TYPE(HubdUser, hubd_user, HUBD, USER, GObject)

const gchar *
hubd_user_get_name(HubdUser *self);
const gchar *
hubd_user_get_fullname(HubdUser *self);
const gchar *
hubd_user_get_email(HubdUser *self);
const gchar *
hubd_user_get_account_type(HubdUser *self);
const gchar *const *
hubd_user_get_orgs(HubdUser *self);
const gchar *
hubd_user_get_role(HubdUser *self);
const gchar *
hubd_user_get_token_name(HubdUser *self);
const gchar *
hubd_user_get_source(HubdUser *self);

G_END_DECLS
