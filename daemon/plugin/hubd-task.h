/* hubd-task.h: GTask helpers the daemon's areas share (not plugin API) */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Runs `func` in a worker thread with `task`'s task data; `cb` is called on
 * the calling thread's context with a sub-task whose user data is `task` (a
 * new reference), so a chain of steps keeps one GTask and its data. */
void
hubd_task_run_in_thread(GTask *task, GTaskThreadFunc func, GAsyncReadyCallback cb);

G_END_DECLS
