/* hubd-plugin.h: the one header a hubd plugin includes — the whole plugin API */
#pragma once

/* What a plugin may use, and nothing else of the daemon: a call outside
 * these headers is not exported by libhubd-private and fails to link.
 * plugins/README.md shows how to write a plugin with them. */

#include "hubd-cache.h"
#include "hubd-context.h"
#include "hubd-error.h"
#include "hubd-http.h"
#include "hubd-hub-api-endpoints.h"
#include "hubd-hub-api-spaces.h"
#include "hubd-hub-api.h"
#include "hubd-hub-request.h"
#include "hubd-hub-types.h"
#include "hubd-hub-upload-types.h"
#include "hubd-job.h"
#include "hubd-keyring.h"
#include "hubd-repo-id.h"
#include "hubd-service.h"
#include "hubd-storage.h"
#include "hubd-sync-call.h"
