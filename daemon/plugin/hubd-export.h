/* hubd-export.h: marks the internal library's API that plugins may call. */
#pragma once

/* Everything is built with -fvisibility=hidden; plugins are GIO modules that
 * resolve these symbols against libhubd-private at load time. */
#define HUBD_EXPORT __attribute__((visibility("default")))
