/* hubd-names.c: the default socket path, shared by the daemon and clients */
#include "hubd-names.h"

/**
 * hubd_default_socket_path:
 *
 * Where hubd listens for peer-to-peer D-Bus connections unless told
 * otherwise: `$XDG_RUNTIME_DIR/hubd/bus`.
 *
 * Returns: (transfer full) (type filename): the path
 *
 * Since: 0.1
 */
gchar *
hubd_default_socket_path(void)
{
	return g_build_filename(g_get_user_runtime_dir(), "hubd", "bus", NULL);
}
