#ifndef CNCURSESSHIM_H
#define CNCURSESSHIM_H
// SwiftPM drops pkg-config's -D flags, so the wide-character API must be switched on here,
// before ncurses.h is read.
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
/// Catches SIGINT, SIGTERM and SIGHUP into a flag that the terminal's thread polls, so the terminal is
/// restored (endwin) by the thread that owns it rather than inside a signal handler.
void till_install_signal_handlers(void);
/// The signal number caught last, or 0.
int till_pending_signal(void);
/// How many of those signals arrived so far.
int till_signal_count(void);

#endif
#include <ncurses.h>
#include <wchar.h>

// Swift 6 rejects ncurses' globals (stdscr, LINES, COLS) and cannot import function-like macros
// (getmaxyx, COLOR_PAIR) or A_* attributes, so these typed wrappers stand in for them.

/// Sets the locale from the environment and, when its codeset is not UTF-8, falls back to C.UTF-8.
/// Returns 1 when the resulting locale is UTF-8.
int till_setup_locale(void);

/// initscr + cbreak + noecho + nonl + keypad + short ESC delay + colours when available.
/// Returns 0 on success, -1 when the terminal could not be initialised.
int till_start(int use_colors);
/// endwin(); safe to call more than once and from a signal handler path.
void till_stop(void);
int till_is_stopped(void);

int till_rows(void);
int till_cols(void);

/// Input timeout in milliseconds for till_read_key (-1 blocks).
void till_set_timeout(int milliseconds);

/// Kinds answered by till_read_key.
enum { TILL_KEY_NONE = 0, TILL_KEY_CHAR = 1, TILL_KEY_CODE = 2, TILL_KEY_ERROR = -1 };
typedef struct {
  int kind;
  int value;
} till_key;
till_key till_read_key(void);

// Key codes as plain ints (the macros are octal literals behind KEY_CODE_YES).
int till_key_up(void);
int till_key_down(void);
int till_key_left(void);
int till_key_right(void);
int till_key_ppage(void);
int till_key_npage(void);
int till_key_home(void);
int till_key_end(void);
int till_key_backspace(void);
int till_key_dc(void);
int till_key_enter(void);
int till_key_btab(void);
int till_key_resize(void);
int till_key_f0(void);

/// Colours: defines pair `pair` as fg/bg (-1 = terminal default). Returns 0 on success.
int till_has_colors(void);
int till_init_pair(short pair, short fg, short bg);

/// Attribute bits composed in C because A_* do not import.
enum {
  TILL_ATTR_BOLD = 1,
  TILL_ATTR_REVERSE = 2,
  TILL_ATTR_UNDERLINE = 4,
  TILL_ATTR_DIM = 8
};
/// Sets the attributes for following output: a colour pair (0 = none) plus TILL_ATTR_* bits.
void till_set_attributes(short pair, int bits);

/// Writes `count` wide characters (one grapheme: a base and its combining marks) at row/col.
int till_put(int row, int col, const wchar_t *text, int count);
/// Clears the whole screen on the next refresh (after a resize).
void till_clear(void);
void till_move_cursor(int row, int col);
void till_refresh(void);

/// Catches SIGINT, SIGTERM and SIGHUP into a flag that the terminal's thread polls, so the terminal is
/// restored (endwin) by the thread that owns it rather than inside a signal handler.
void till_install_signal_handlers(void);
/// The signal number caught, or 0.
int till_pending_signal(void);

#endif
