/* hubd.h: libhubd, the client library of hubd — the one header an app includes
 *
 * Build with `pkg-config --cflags --libs hubd-1`. */
#pragma once

#define __HUBD_H_INSIDE__

#include "hubd-cache-info.h"
#include "hubd-cache-repo.h"
#include "hubd-client-repos.h"
#include "hubd-client-transfers.h"
#include "hubd-client-user.h"
#include "hubd-client.h"
#include "hubd-enums.h"
#include "hubd-error.h"
#include "hubd-job.h"
#include "hubd-names.h"
#include "hubd-repo-file.h"
#include "hubd-repo-id.h"
#include "hubd-repo-info.h"
#include "hubd-user.h"
#include "hubd-version.h"

#undef __HUBD_H_INSIDE__
