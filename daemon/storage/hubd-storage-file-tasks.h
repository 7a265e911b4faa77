/* hubd-storage-file-tasks.h: the file backend's HubdStorage vfuncs */
#pragma once

#include "hubd-storage.h"

G_BEGIN_DECLS

/* Fills `iface` for HubdStorageFile's G_IMPLEMENT_INTERFACE(). */
void
hubd_storage_file_iface_init(HubdStorageInterface *iface);

G_END_DECLS
