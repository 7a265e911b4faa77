/* hubd-nosymbol-plugin.c: a shared object that is not a hubd plugin (no GIO load symbol) */

int
hubd_nosymbol_answer(void);

int
hubd_nosymbol_answer(void)
{
	return 42;
}
