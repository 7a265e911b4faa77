/* hubd-names.h: where hubd is — its bus name, object paths, interfaces, socket
 *
 * Written here once: the daemon exports under these names, libhubd and
 * hubctl call them. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * HUBD_BUS_NAME:
 *
 * The well-known name hubd owns on the session bus.
 *
 * Since: 0.1
 */
#define HUBD_BUS_NAME "org.hubd.Hub1"

/**
 * HUBD_OBJECT_PATH:
 *
 * The object every hubd interface (Daemon, Auth, Repos, Transfers, Cache,
 * and the plugins') is exported at.
 *
 * Since: 0.1
 */
#define HUBD_OBJECT_PATH "/org/hubd/Hub1"

/**
 * HUBD_JOB_PATH_PREFIX:
 *
 * Job objects are exported below this path, as `/org/hubd/Hub1/jobs/N`.
 *
 * Since: 0.1
 */
#define HUBD_JOB_PATH_PREFIX "/org/hubd/Hub1/jobs/"

/**
 * HUBD_INTERFACE_DAEMON:
 *
 * The daemon's status interface.
 *
 * Since: 0.1
 */
#define HUBD_INTERFACE_DAEMON "org.hubd.Hub1.Daemon"
/**
 * HUBD_INTERFACE_AUTH:
 *
 * Tokens and the logged-in user.
 *
 * Since: 0.1
 */
#define HUBD_INTERFACE_AUTH "org.hubd.Hub1.Auth"
/**
 * HUBD_INTERFACE_REPOS:
 *
 * Repositories on the Hub.
 *
 * Since: 0.1
 */
#define HUBD_INTERFACE_REPOS "org.hubd.Hub1.Repos"
/**
 * HUBD_INTERFACE_TRANSFERS:
 *
 * Downloads and uploads, each a job.
 *
 * Since: 0.1
 */
#define HUBD_INTERFACE_TRANSFERS "org.hubd.Hub1.Transfers"
/**
 * HUBD_INTERFACE_JOB:
 *
 * A job object's interface.
 *
 * Since: 0.1
 */
#define HUBD_INTERFACE_JOB "org.hubd.Hub1.Job"
/**
 * HUBD_INTERFACE_CACHE:
 *
 * The shared on-disk cache.
 *
 * Since: 0.1
 */
#define HUBD_INTERFACE_CACHE "org.hubd.Hub1.Cache"

/**
 * HUBD_INTERFACE_ACCESS:
 *
 * Access requests of gated repositories. Call it with hubd_client_call().
 *
 * Since: 0.1
 */
#define HUBD_INTERFACE_ACCESS "org.hubd.Hub1.Access"

/**
 * HUBD_INTERFACE_CARDS:
 *
 * Model and dataset cards (README.md metadata). Call it with hubd_client_call().
 *
 * Since: 0.1
 */
#define HUBD_INTERFACE_CARDS "org.hubd.Hub1.Cards"

/**
 * HUBD_INTERFACE_DISCUSSIONS:
 *
 * Discussions and pull requests of a repository. Call it with hubd_client_call().
 *
 * Since: 0.1
 */
#define HUBD_INTERFACE_DISCUSSIONS "org.hubd.Hub1.Discussions"

/**
 * HUBD_INTERFACE_GIT:
 *
 * What git and git-lfs ask hubd: credentials, LFS uploads. Call it with hubd_client_call().
 *
 * Since: 0.1
 */
#define HUBD_INTERFACE_GIT "org.hubd.Hub1.Git"

/**
 * HUBD_INTERFACE_WEBHOOKS:
 *
 * The user's webhooks, and the events hubd received. Call it with hubd_client_call().
 *
 * Since: 0.1
 */
#define HUBD_INTERFACE_WEBHOOKS "org.hubd.Hub1.Webhooks"

/**
 * HUBD_INTERFACE_SYNC:
 *
 * Folders kept in step with a repository. Call it with hubd_client_call().
 *
 * Since: 0.1
 */
#define HUBD_INTERFACE_SYNC "org.hubd.Hub1.Sync"

/**
 * HUBD_INTERFACE_STORAGE:
 *
 * The storage backends (folders, S3 buckets): list, test, add, remove,
 * mirror to. Call it with hubd_client_call().
 *
 * Since: 0.1
 */
#define HUBD_INTERFACE_STORAGE "org.hubd.Hub1.Storage"

/**
 * HUBD_INTERFACE_SPACES:
 *
 * Spaces: runtime, hardware, secrets, logs (the spaces plugin). Call it with hubd_client_call().
 *
 * Since: 0.1
 */
#define HUBD_INTERFACE_SPACES "org.hubd.Hub1.Spaces"

/**
 * HUBD_INTERFACE_ENDPOINTS:
 *
 * Inference Endpoints (the endpoints plugin). Call it with hubd_client_call().
 *
 * Since: 0.1
 */
#define HUBD_INTERFACE_ENDPOINTS "org.hubd.Hub1.Endpoints"

/**
 * HUBD_SOCKET_ENV:
 *
 * The environment variable naming the Unix socket a client uses instead of
 * the session bus.
 *
 * Since: 0.1
 */
#define HUBD_SOCKET_ENV "HUBD_SOCKET"

gchar *
hubd_default_socket_path(void);

G_END_DECLS
