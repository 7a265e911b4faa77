/* hubd-error.h: the HUBD_ERROR domain, mapped 1:1 to org.hubd.Hub1.Error.*
 *
 * The domain and its codes are libhubd's (libhubd/hubd-error.h), so the
 * daemon and its clients share them; the daemon adds the mapping of foreign
 * errors into it. */
#pragma once

#include "libhubd/hubd-error.h"

G_BEGIN_DECLS

/* The name the daemon's code has always used for the codes. */
typedef HubdError HubdErrorCode;

/* Converts any GError (GIO, GDBus, libsoup, libsecret, json-glib, GKeyFile,
 * GFile, GUri) into HUBD_ERROR in place, keeping the message. A HUBD_ERROR is
 * left alone. This is the one place foreign error domains are mapped. */
void
hubd_error_convert(GError **error);

G_END_DECLS
