/* hubd-repos-read.h: org.hubd.Hub1.Repos — Info, List, ListFiles, ListRefs, ListCommits, HubUrl */
#pragma once

#include "hubd-context.h"
#include "hubd-dbus-generated.h"

G_BEGIN_DECLS

/* Connects the read methods' handlers to `skeleton`; they answer through
 * the context's Hub API. */
void
hubd_repos_read_connect(HubdDbusRepos *skeleton, HubdContext *context);

G_END_DECLS
