/* hubd-transfers-upload.h: the upload half of org.hubd.Hub1.Transfers
 * (Upload, UploadFolder, Commit), kept apart from the download half */
#pragma once

#include "hubd-dbus-generated.h"
#include "hubd-service.h"

G_BEGIN_DECLS

/* Connects the handle-upload, handle-upload-folder and handle-commit
 * signals of `skeleton`; called once by HubdTransfersService. */
void
hubd_transfers_upload_connect(HubdService *service, HubdDbusTransfers *skeleton);

G_END_DECLS
