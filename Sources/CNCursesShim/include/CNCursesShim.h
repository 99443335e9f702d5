#ifndef CNCURSESSHIM_H
#define CNCURSESSHIM_H
#define NCURSES_WIDECHAR 1
#include <ncurses.h>
#endif
