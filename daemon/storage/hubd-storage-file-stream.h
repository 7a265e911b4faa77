/* hubd-storage-file-stream.h: HubdStorageFileStream, a byte range of an open file as a GInputStream
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HUBD_TYPE_STORAGE_FILE_STREAM (hubd_storage_file_stream_get_type())
G_DECLARE_FINAL_TYPE(HubdStorageFileStream,
		     hubd_storage_file_stream,
		     HUBD,
		     STORAGE_FILE_STREAM,
		     GInputStream)

/* Reads [offset, offset + length) of `fd` with pread(), so the bytes are those
 * of the file opened even if its name is replaced meanwhile. Takes `fd` (closed
 * with the stream). Not pollable: async reads run in worker threads. */
GInputStream *
hubd_storage_file_stream_new(gint fd, guint64 offset, guint64 length);

G_END_DECLS
