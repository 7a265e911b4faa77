/* hubd-cards-service.h: org.hubd.Hub1.Cards — model and dataset cards */
#pragma once

#include "hubd-service.h"

G_BEGIN_DECLS

#define HUBD_TYPE_CARDS_SERVICE (hubd_cards_service_get_type())
G_DECLARE_FINAL_TYPE(HubdCardsService, hubd_cards_service, HUBD, CARDS_SERVICE, HubdService)

/* A call in flight keeps the daemon (and the service) up. */
void
hubd_cards_service_hold(HubdCardsService *self);
void
hubd_cards_service_release(HubdCardsService *self);

G_END_DECLS
