/* hubd-error-private.h: what libhubd and hubctl do with errors that came over D-Bus */
#pragma once

#include "hubd-error.h"

G_BEGIN_DECLS

/* A GError received over D-Bus with an org.hubd.Hub1.Error.* name becomes
 * HUBD_ERROR with the remote prefix stripped from the message; a name newer
 * than this library becomes HUBD_ERROR_FAILED. Others are left alone. */
void
hubd_error_fixup_remote(GError **error);

G_END_DECLS
