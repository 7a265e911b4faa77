/* hubd-storage-file-io.h: small file helpers the file backend's files share */
#pragma once

#include <gio/gio.h>
#include <sys/stat.h>

G_BEGIN_DECLS

/* what one read or write of a copy or a hash moves at most */
#define HUBD_STORAGE_FILE_COPY_BUFFER_SIZE (256 * 1024)

/* Sets a G_IO_ERROR: `message` (taken) and what errno `errsv` says. */
void
hubd_storage_file_set_errno_error(GError **error, gint errsv, gchar *message);
/* The mtime of `st`, to the microsecond. */
GDateTime *
hubd_storage_file_mtime_to_date_time(const struct stat *st);
/* rm -rf, best effort. */
void
hubd_storage_file_remove_tree(const gchar *path);

G_END_DECLS
