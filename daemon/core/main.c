/* main.c: the hubd executable; everything lives in the daemon library */
#include "hubd-main.h"

int
main(int argc, char **argv)
{
	return hubd_main(argc, argv);
}
