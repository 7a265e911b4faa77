/* hubd-s3-plugin.c: the s3 plugin's GIO module entry points: the s3:// storage backend */
#define G_LOG_DOMAIN "HubdS3"

#include "hubd-s3-body-stream.h"
#include "hubd-s3-storage.h"

G_MODULE_EXPORT void
g_io_hubd_s3_load(GIOModule *module);
G_MODULE_EXPORT void
g_io_hubd_s3_unload(GIOModule *module);

void
g_io_hubd_s3_load(GIOModule *module)
{
	/* libsoup registers types: the module stays loaded */
	g_type_module_use(G_TYPE_MODULE(module));
	hubd_s3_storage_register(G_TYPE_MODULE(module));
	hubd_s3_body_stream_register(G_TYPE_MODULE(module));
}

void
g_io_hubd_s3_unload(GIOModule *module)
{
}
