/* hubd-discussions-service.h: org.hubd.Hub1.Discussions — discussions and pull requests */
#pragma once

#include "hubd-service.h"

G_BEGIN_DECLS

#define HUBD_TYPE_DISCUSSIONS_SERVICE (hubd_discussions_service_get_type())
G_DECLARE_FINAL_TYPE(HubdDiscussionsService,
		     hubd_discussions_service,
		     HUBD,
		     DISCUSSIONS_SERVICE,
		     HubdService)

G_END_DECLS
