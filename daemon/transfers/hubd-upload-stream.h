/* hubd-upload-stream.h: HubdUploadStream, a request body made of pieces —
 * bytes in memory, a range of a source (a local file or a storage object), or
 * a source base64-encoded —
 * read lazily so memory does not grow with file size (LFS PUTs, NDJSON commits) */
#pragma once

#include <gio/gio.h>

#include "hubd-upload-source.h"

G_BEGIN_DECLS

#define HUBD_TYPE_UPLOAD_STREAM (hubd_upload_stream_get_type())
G_DECLARE_FINAL_TYPE(HubdUploadStream, hubd_upload_stream, HUBD, UPLOAD_STREAM, GInputStream)

/* One file's progress, shared between the streams that read it (worker
 * threads) and its owner (main thread), refcounted so a stream that outlives
 * the owner stays safe. `bytes` and `active` are atomic. */
typedef struct {
	gint64 bytes;  /* file bytes read for sending (taken back on a retry) */
	gint active;   /* > 0 while something is reading or sending the file */
	guint64 total; /* the owner's; streams do not use it */
} HubdFileProgress;

HubdFileProgress *
hubd_file_progress_new(void);
HubdFileProgress *
hubd_file_progress_ref(HubdFileProgress *self);
void
hubd_file_progress_unref(HubdFileProgress *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdFileProgress, hubd_file_progress_unref)

/* `counter` (may be NULL) is incremented atomically by every byte of file
 * content read (not by the base64 expansion), for progress. */
HubdUploadStream *
hubd_upload_stream_new(gint64 *counter);
void
hubd_upload_stream_add_bytes(HubdUploadStream *self, GBytes *bytes);
void
hubd_upload_stream_add_string(HubdUploadStream *self, const gchar *text);
/* [offset, offset + length) of `path`; the file must still be that long.
 * `progress` (may be NULL) counts the bytes read like `counter`, and is
 * active from the first byte read until the range is read whole. */
void
hubd_upload_stream_add_file_range(HubdUploadStream *self,
				  const gchar *path,
				  guint64 offset,
				  guint64 length,
				  HubdFileProgress *progress);
/* the whole of `path` (`size` bytes), base64-encoded without line breaks;
 * `progress` as above */
void
hubd_upload_stream_add_file_base64(HubdUploadStream *self,
				   const gchar *path,
				   guint64 size,
				   HubdFileProgress *progress);
/* As the two above, from any source (a storage object: its bytes are read
 * from the backend as the stream is, never copied to disk). */
void
hubd_upload_stream_add_source_range(HubdUploadStream *self,
				    HubdUploadSource *source,
				    guint64 offset,
				    guint64 length,
				    HubdFileProgress *progress);
void
hubd_upload_stream_add_source_base64(HubdUploadStream *self,
				     HubdUploadSource *source,
				     guint64 size,
				     HubdFileProgress *progress);
/* The exact number of bytes the stream will give. */
guint64
hubd_upload_stream_get_length(HubdUploadStream *self);
/* Bytes of file content read so far by this stream. */
guint64
hubd_upload_stream_get_file_bytes_read(HubdUploadStream *self);
/* Takes back from `counter` and every file's progress what this stream
 * counted (a retry sends the bytes again with a fresh stream), and ends its
 * activity. Not while the stream is being read. */
void
hubd_upload_stream_uncount(HubdUploadStream *self);

/* base64 length of n bytes */
#define HUBD_BASE64_LEN(n) ((((guint64)(n) + 2) / 3) * 4)

G_END_DECLS
