/* hubd-repos-read.h: org.hubd.Hub1.Repos — Info, List, ListFiles, ListRefs, ListCommits, HubUrl */
#pragma once

#include "hubd-repos-service.h"

G_BEGIN_DECLS

/* Connects the read methods' handlers to `skeleton`; they answer through
 * `self`'s Hub API. */
void
hubd_repos_read_connect(HubdReposService *self, HubdDbusRepos *skeleton);

G_END_DECLS
