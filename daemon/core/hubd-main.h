/* hubd-main.h: the daemon's whole program, so that the executable is one call
 * into the library that plugins link against (one copy of every type) */
#pragma once

/* Parses the command line, runs the daemon, returns the exit code. */
int
hubd_main(int argc, char **argv);
